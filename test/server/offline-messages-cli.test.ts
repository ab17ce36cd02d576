import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../../src/config/config.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { runCli } from '../support/cli.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

const databaseArg = (database: DatabaseConfig): string => (database.kind === 'sqlite' ? database.path : database.url)

describeEachDialect('parley offline-messages', (dialect) => {
  let database: DatabaseConfig
  let storage: Storage
  let services: Services
  let account: TestAccount
  const cli = (...args: string[]) => runCli([...args, '--database', databaseArg(database)])

  beforeAll(async () => {
    database = testDatabase(dialect)
    const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: databaseArg(database) })
    storage = createStorage(config.database, { poolSize: 2 })
    services = createServices({ storage, config })
    account = await createAccount(services)
    const survey = (
      await services.accountConfig.surveys.create(
        SYSTEM_CALLER,
        { accountId: account.accountId },
        {
          name: 'Leave a message',
          type: 'offline',
          isDefault: true,
          questions: [{ type: 'Text Field', label: 'Your name', mandatory: true }],
        },
      )
    ).value
    for (const name of ['Ann', 'Bob']) {
      await services.surveys.submitOffline(
        account.accountId,
        { survey: { id: survey.id, question: { id: survey.questions[0]!.id, answer: name } } },
        { visitorIp: '10.0.0.1', userAgent: 'test' },
      )
    }
  })
  afterAll(async () => {
    await services?.close()
    await storage?.close()
    if (database?.kind === 'sqlite') rmSync(dirname(database.path), { recursive: true, force: true })
  })

  it('lists an account’s offline messages as text and JSON, paged', async () => {
    const text = await cli('offline-messages', 'list', '--account', account.accountId)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(
      /#\d+ {2}\S+ {2}Leave a message\n {2}Your name: Bob\n\n#\d+ {2}\S+ {2}Leave a message\n {2}Your name: Ann\n/,
    )
    expect(text.stdout).toContain('Showing 1-2 of 2.')
    const json = await cli(
      'offline-messages',
      'list',
      '--account',
      account.accountId,
      '--limit',
      '1',
      '--offset',
      '1',
      '--json',
    )
    expect(json.code, json.stderr).toBe(0)
    const page = JSON.parse(json.stdout) as { total: number; messages: Array<{ answers: Array<{ values: string[] }> }> }
    expect(page).toMatchObject({ total: 2, offset: 1, limit: 1 })
    expect(page.messages.map((message) => message.answers[0]!.values)).toEqual([['Ann']])
  })

  it('sets, shows and clears the notification address', async () => {
    const set = await cli(
      'offline-messages',
      'notify',
      '--account',
      account.accountId,
      '--email',
      'ops@example.com',
      '--json',
    )
    expect(JSON.parse(set.stdout)).toEqual({ accountId: account.accountId, notificationEmail: 'ops@example.com' })
    expect(await services.surveys.notificationEmail(SYSTEM_CALLER, account.accountId)).toBe('ops@example.com')
    const cleared = await cli('offline-messages', 'notify', '--account', account.accountId, '--email', '')
    expect(cleared.stdout).toBe(`Offline messages of ${account.accountId} are not mailed.\n`)
  })

  it('rejects a bad address and a missing account', async () => {
    const bad = await cli('offline-messages', 'notify', '--account', account.accountId, '--email', 'nope')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('notificationEmail: must be an email address')
    const missing = await cli('offline-messages', 'list')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--account is required')
  })

  it('rejects an unknown account and shows help', async () => {
    const unknown = await cli('offline-messages', 'list', '--account', 'nosuchaccount')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('Account nosuchaccount not found')
    const help = await cli('offline-messages', '--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('parley offline-messages list --account acme')
  })
})
