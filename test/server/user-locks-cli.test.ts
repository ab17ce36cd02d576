import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../../src/config/config.ts'
import { isParleyError } from '../../src/core/errors.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { runCli } from '../support/cli.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

const databaseArg = (database: DatabaseConfig): string => (database.kind === 'sqlite' ? database.path : database.url)

describeEachDialect('parley user locks|unlock and apikey create --permissions', (dialect) => {
  let database: DatabaseConfig
  let storage: Storage
  let services: Services
  let account: TestAccount
  const cli = (...args: string[]) => runCli([...args, '--database', databaseArg(database)])
  const tryLogin = async (password: string): Promise<string> => {
    try {
      await services.login.login(account.accountId, { kind: 'password', username: 'admin', password }, '10.0.0.1')
      return 'ok'
    } catch (error) {
      return isParleyError(error) ? error.code : 'error'
    }
  }

  beforeAll(async () => {
    database = testDatabase(dialect)
    const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: databaseArg(database) })
    storage = createStorage(config.database, { poolSize: 2 })
    services = createServices({ storage, config })
    account = await createAccount(services)
    for (let i = 0; i < 10; i++) expect(await tryLogin('wrong-password')).toBe('LOGIN_FAILED')
    expect(await tryLogin(account.adminPassword)).toBe('RATE_LIMITED')
  })
  afterAll(async () => {
    await services?.close()
    await storage?.close()
    if (database?.kind === 'sqlite') rmSync(dirname(database.path), { recursive: true, force: true })
  })

  it('lists the counters, locked first, as text and JSON', async () => {
    const text = await cli('user', 'locks', '--account', account.accountId)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^login admin +11\/10 {2}LOCKED until \d{4}-\d\d-\d\dT/)
    // The refused 11th attempt never reached the address counter.
    expect(text.stdout).toMatch(/\naddress 10\.0\.0\.1 +10\/100 {2}counting\n$/)
    const json = await cli('user', 'locks', '--account', account.accountId, '--json')
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ scope: 'login', subject: 'admin', failures: 11, limit: 10, locked: true }),
      expect.objectContaining({ scope: 'ip', subject: '10.0.0.1', failures: 10, limit: 100, locked: false }),
    ])
  })

  it('unlocks a login name, after which the user logs in; a second unlock finds nothing (exit 1)', async () => {
    const unlocked = await cli('user', 'unlock', '--account', account.accountId, '--login', 'ADMIN')
    expect(unlocked.code, unlocked.stderr).toBe(0)
    expect(unlocked.stdout).toBe(`Cleared the failed logins of login "ADMIN" in ${account.accountId}.\n`)
    expect(await tryLogin(account.adminPassword)).toBe('ok')
    const again = await cli('user', 'unlock', '--account', account.accountId, '--login', 'admin', '--json')
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout)).toEqual({ accountId: account.accountId, loginName: 'admin', cleared: false })
  })

  it('refuses a missing target, both targets and an unknown account', async () => {
    expect((await cli('user', 'unlock', '--account', account.accountId)).code).toBe(2)
    expect((await cli('user', 'unlock', '--account', account.accountId, '--login', 'a', '--ip', '1.2.3.4')).code).toBe(
      2,
    )
    const unknown = await cli('user', 'locks', '--account', 'nosuchaccount')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/Account nosuchaccount not found/)
  })

  it('creates API keys with the named permissions, the defaults without, and refuses unknown names', async () => {
    const named = await cli(
      'apikey',
      'create',
      '--account',
      account.accountId,
      '--permissions',
      'engagementHistory, configRead',
      '--json',
    )
    expect(named.code, named.stderr).toBe(0)
    expect(JSON.parse(named.stdout).permissions).toEqual(['engagementHistory', 'configRead'])
    const defaults = await cli('apikey', 'create', '--account', account.accountId, '--json')
    expect(JSON.parse(defaults.stdout).permissions).toEqual([
      'engagementHistory',
      'monitoring',
      'agent',
      'visitor',
      'configRead',
      'operationalRealtime',
    ])
    const wrong = await cli('apikey', 'create', '--account', account.accountId, '--permissions', 'configAdmin')
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/unknown permission "configAdmin" \(valid: .*configWrite/)
  })
})
