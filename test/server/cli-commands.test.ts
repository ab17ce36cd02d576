import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../../src/config/config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { COMMANDS } from '../../src/cli/commands.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { CLI_PATH, cliEnv, runCli, startCli, type CliResult } from '../support/cli.ts'
import { pollUntil } from '../support/poll-until.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'

const newAccountId = (): string => `u${randomBytes(6).toString('hex')}`
const databaseArg = (database: DatabaseConfig): string => (database.kind === 'sqlite' ? database.path : database.url)

function json<T>(result: CliResult): T {
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const lines = result.stdout.split('\n').filter((line) => line !== '')
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0]!) as T
}

interface UserSummary {
  id: number
  loginName: string
  nickname: string
  fullName: string
  email: string
  enabled: boolean
  roles: string[]
  maxChats: number
  skillIds: number[]
}

// Each case spawns the CLI; on a busy machine one spawn takes seconds.
describeEachDialect('parley user, appkey, apikey, account delete', (dialect) => {
  let database: DatabaseConfig
  let storage: Storage
  let app: ParleyApp
  let config: ReturnType<typeof loadConfig>
  const cli = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
    runCli([...args, '--database', databaseArg(database)], options)
  const login = async (accountId: string, username: string, password: string): Promise<number> =>
    (
      await app.inject({
        method: 'POST',
        url: `/api/account/${accountId}/login?v=1.3`,
        payload: { username, password },
      })
    ).statusCode
  const newAccount = async (): Promise<{ accountId: string; appKey: string; apiKey: Record<string, string> }> => {
    const accountId = newAccountId()
    const created = json<{ appKey: string; apiKey: Record<string, string> }>(
      await cli(['account', 'create', '--id', accountId, '--admin-user', 'admin', '--json'], {
        env: { PARLEY_PASSWORD: 'admin-pass-123' },
      }),
    )
    return { accountId, ...created }
  }

  beforeAll(async () => {
    database = testDatabase(dialect)
    config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: databaseArg(database) })
    storage = createStorage(config.database, { poolSize: 2 })
    app = await buildApp({ config, services: createServices({ storage, config }), clock: systemClock })
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await storage?.close()
    if (database?.kind === 'sqlite') rmSync(dirname(database.path), { recursive: true, force: true })
  })

  describe('user', { timeout: 400_000 }, () => {
    it('creates users with a password from stdin or PARLEY_PASSWORD, lists them, and they log in', async ({
      expect,
    }) => {
      const { accountId } = await newAccount()
      const fromStdin = json<UserSummary>(
        await cli(
          [
            'user',
            'create',
            '--account',
            accountId,
            '--login',
            'carol',
            '--nickname',
            'Carol',
            '--password-stdin',
            '--json',
          ],
          { input: 'carol-pass-123\nignored second line\n' },
        ),
      )
      expect(fromStdin).toEqual({
        id: expect.any(Number),
        loginName: 'carol',
        nickname: 'Carol',
        fullName: '',
        email: '',
        enabled: true,
        roles: ['agent'],
        maxChats: -1,
        skillIds: [],
      })
      const fromEnv = json<UserSummary>(
        await cli(
          [
            'user',
            'create',
            '--account',
            accountId,
            '--login',
            'dave',
            '--role',
            'admin,agent',
            '--max-chats',
            '3',
            '--json',
          ],
          { env: { PARLEY_PASSWORD: 'dave-pass-1234' } },
        ),
      )
      expect(fromEnv).toMatchObject({ loginName: 'dave', nickname: 'dave', roles: ['admin', 'agent'], maxChats: 3 })
      expect(await login(accountId, 'carol', 'carol-pass-123')).toBe(200)
      expect(await login(accountId, 'dave', 'dave-pass-1234')).toBe(200)

      const listed = json<UserSummary[]>(await cli(['user', 'list', '--account', accountId, '--json']))
      expect(listed.map((user) => user.loginName)).toEqual(['admin', 'carol', 'dave'])
      const text = await cli(['user', 'list', '--account', accountId])
      expect(text.stdout).toMatch(/^\s+\d+ {2}carol\s+Carol\s+agent\s+enabled$/m)
    })

    it('refuses a short password, a duplicate login, an unknown role and a missing password', async ({ expect }) => {
      const { accountId } = await newAccount()
      const short = await cli(['user', 'create', '--account', accountId, '--login', 'x', '--password', 'short'])
      expect(short.code).toBe(2)
      expect(short.stderr).toBe(
        'parley: the password must have at least 8 characters\nRun "parley user create --help" for usage.\n',
      )
      const duplicate = await cli(['user', 'create', '--account', accountId, '--login', 'ADMIN'], {
        env: { PARLEY_PASSWORD: 'long-enough-1' },
      })
      expect(duplicate.code).toBe(1)
      expect(duplicate.stderr).toBe('parley: loginName: a user with login name "ADMIN" already exists\n')
      const role = await cli(['user', 'create', '--account', accountId, '--login', 'y', '--role', 'boss'])
      expect(role.code).toBe(2)
      expect(role.stderr).toBe(
        'parley: --role: unknown role "boss" (agent, agent-manager, campaign-manager, admin)\nRun "parley user create --help" for usage.\n',
      )
      const none = await cli(['user', 'create', '--account', accountId, '--login', 'z'])
      expect(none.code).toBe(2)
      expect(none.stderr).toContain(
        'a password is required: --password PASSWORD, --password-stdin (first line of standard input) or PARLEY_PASSWORD',
      )
      const unknown = await cli(['user', 'list', '--account', 'no_such_account'])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toBe('parley: Account no_such_account not found\n')
    })

    it('passwd changes the password and ends the login sessions; disable and enable', async ({ expect }) => {
      const { accountId } = await newAccount()
      await cli(['user', 'create', '--account', accountId, '--login', 'erin'], {
        env: { PARLEY_PASSWORD: 'erin-pass-1' },
      })
      const session = await app.inject({
        method: 'POST',
        url: `/api/account/${accountId}/login?v=1.3`,
        payload: { username: 'erin', password: 'erin-pass-1' },
      })
      const bearer = session.json<{ bearer: string }>().bearer
      const me = () =>
        app.inject({
          method: 'GET',
          url: `/api/account/${accountId}/configuration/le-users/users`,
          headers: { authorization: `Bearer ${bearer}` },
        })
      expect((await me()).statusCode).not.toBe(401)

      const changed = json<{ passwordChanged: boolean }>(
        await cli(['user', 'passwd', '--account', accountId, '--login', 'erin', '--password-stdin', '--json'], {
          input: 'erin-new-pass-2\n',
        }),
      )
      expect(changed).toMatchObject({ accountId, loginName: 'erin', passwordChanged: true })
      // The CLI is another process: this app's bearer cache learns of the change only when its entry
      // expires (docs/auth.md), so a second app, with nothing cached, asks the database.
      const fresh = await buildApp({ config, services: createServices({ storage, config }), clock: systemClock })
      try {
        const again = await fresh.inject({
          method: 'GET',
          url: `/api/account/${accountId}/configuration/le-users/users`,
          headers: { authorization: `Bearer ${bearer}` },
        })
        expect(again.statusCode).toBe(401)
      } finally {
        await fresh.close()
      }
      expect(await login(accountId, 'erin', 'erin-pass-1')).not.toBe(200)
      expect(await login(accountId, 'erin', 'erin-new-pass-2')).toBe(200)

      const disabled = await cli(['user', 'disable', '--account', accountId, '--login', 'erin'])
      expect(disabled.stdout).toBe(
        `Disabled user "erin" of ${accountId}: logged out everywhere, cannot log in until enabled.\n`,
      )
      expect(await login(accountId, 'erin', 'erin-new-pass-2')).not.toBe(200)
      expect(
        json<UserSummary>(await cli(['user', 'enable', '--account', accountId, '--login', 'erin', '--json'])).enabled,
      ).toBe(true)
      expect(await login(accountId, 'erin', 'erin-new-pass-2')).toBe(200)

      const missing = await cli([
        'user',
        'passwd',
        '--account',
        accountId,
        '--login',
        'nobody',
        '--password',
        'whatever-123',
      ])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toBe(`parley: No user "nobody" in account ${accountId}\n`)
    })
  })

  describe('appkey and apikey list|revoke', { timeout: 400_000 }, () => {
    it('lists the active app keys and revokes one', async ({ expect }) => {
      const { accountId, appKey } = await newAccount()
      const second = json<{ appKey: string }>(await cli(['appkey', 'create', '--account', accountId, '--json'])).appKey
      const listed = json<Array<{ appKey: string; createdAt: string }>>(
        await cli(['appkey', 'list', '--account', accountId, '--json']),
      )
      expect(listed.map((key) => key.appKey)).toEqual([appKey, second])
      expect(Object.keys(listed[0]!)).toEqual(['appKey', 'createdAt'])
      expect(json(await cli(['appkey', 'revoke', '--account', accountId, appKey, '--json']))).toEqual({
        accountId,
        appKey,
        revoked: true,
      })
      expect(
        json<Array<{ appKey: string }>>(await cli(['appkey', 'list', '--account', accountId, '--json'])).map(
          (key) => key.appKey,
        ),
      ).toEqual([second])
      const again = await cli(['appkey', 'revoke', '--account', accountId, appKey])
      expect(again.code).toBe(1)
      expect(again.stderr).toBe(`parley: No active app key ${appKey} in account ${accountId}\n`)
      const none = await cli(['appkey', 'revoke', '--account', accountId])
      expect(none.code).toBe(2)
      expect(none.stderr).toBe('parley: give the app key to revoke\nRun "parley appkey revoke --help" for usage.\n')
    })

    it('lists API keys without secrets and revokes one, which then cannot log in', async ({ expect }) => {
      const { accountId, apiKey } = await newAccount()
      const listed = json<Array<Record<string, unknown>>>(
        await cli(['apikey', 'list', '--account', accountId, '--json']),
      )
      expect(listed).toEqual([
        { appKey: apiKey.appKey, permissions: expect.any(Array), userId: null, createdAt: expect.any(String) },
      ])
      const text = JSON.stringify(listed)
      for (const secret of [apiKey.secret, apiKey.accessToken, apiKey.accessTokenSecret])
        expect(text).not.toContain(secret)
      const loginWithKey = () =>
        app.inject({
          method: 'POST',
          url: `/api/account/${accountId}/login?v=1.3`,
          payload: { username: 'admin', ...apiKey },
        })
      expect((await loginWithKey()).statusCode).toBe(200)
      const revoked = await cli(['apikey', 'revoke', '--account', accountId, apiKey.appKey!])
      expect(revoked.stdout).toBe(`Revoked API key ${apiKey.appKey} of ${accountId}.\n`)
      expect(json<unknown[]>(await cli(['apikey', 'list', '--account', accountId, '--json']))).toEqual([])
      expect((await loginWithKey()).statusCode).not.toBe(200)
    })
  })

  describe('account delete', { timeout: 400_000 }, () => {
    it('refuses without --yes and deletes nothing', async () => {
      const { accountId } = await newAccount()
      const result = await cli(['account', 'delete', '--id', accountId])
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        `parley: account delete removes account ${accountId} and all its data for good; add --yes to confirm\nRun "parley account delete --help" for usage.\n`,
      )
      expect(await login(accountId, 'admin', 'admin-pass-123')).toBe(200)
    })

    it('removes every row of the account in every table, and only that account', async () => {
      const { accountId } = await newAccount()
      const { accountId: kept } = await newAccount()
      for (const id of [accountId, kept]) {
        await cli(['user', 'create', '--account', id, '--login', 'agent1'], {
          env: { PARLEY_PASSWORD: 'agent-pass-1' },
        })
        expect((await cli(['history', 'generate', '--account', id, '--count', '20'])).code).toBe(0)
        expect((await cli(['offline-messages', 'notify', '--account', id, '--email', 'ops@example.com'])).code).toBe(0)
      }
      expect(await login(accountId, 'admin', 'admin-pass-123')).toBe(200)
      const before = await rowsOf(storage, accountId)
      expect(before.archived_engagements).toBe(20)

      const deleted = json<{ accountId: string; deleted: Record<string, number> }>(
        await cli(['account', 'delete', '--id', accountId, '--yes', '--json']),
      )
      expect(deleted.accountId).toBe(accountId)
      expect(deleted.deleted).toMatchObject({ accounts: 1, archived_engagements: 20, users: expect.any(Number) })
      expect(await rowsOf(storage, accountId)).toEqual({})
      const archive = await storage.db
        .selectFrom('archived_engagement_documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(archive.n)).toBeGreaterThanOrEqual(20)
      expect(Object.keys(await rowsOf(storage, kept)).length).toBeGreaterThan(5)
      const missing = await cli(['account', 'delete', '--id', accountId, '--yes'])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toBe(`parley: Account ${accountId} not found\n`)
    })
  })
})

/** Rows per table (every table of the schema with an `account_id` column, and `accounts`) that belong to the account. */
async function rowsOf(storage: Storage, accountId: string): Promise<Record<string, number>> {
  const tables = await storage.db.introspection.getTables()
  const counts: Record<string, number> = {}
  for (const table of tables) {
    const column =
      table.name === 'accounts' ? 'id' : table.columns.some((c) => c.name === 'account_id') ? 'account_id' : undefined
    if (!column) continue
    const row = await sql<{
      n: number
    }>`select count(*) as n from ${sql.table(table.name)} where ${sql.ref(column)} = ${accountId}`.execute(storage.db)
    const n = Number(row.rows[0]?.n ?? 0)
    if (n > 0) counts[table.name] = n
  }
  return counts
}

describe('parley --help for every command', { timeout: 300_000 }, () => {
  // Every command's help (checked here) is what `parley <command> --help` prints (spawned below for
  // a sample: one spawn costs seconds on a busy machine).
  it.for(COMMANDS.map((command) => [command.name, command.help] as const))(
    'parley %s has its own help with usage and examples',
    ([name, help]) => {
      expect(help).toMatch(new RegExp(`^Usage: parley ${name}\\b`))
      expect(help).toMatch(new RegExp(`\\nExamples:\\n(.*\\n)*.*\\bparley ${name}\\b`))
    },
  )

  it('prints the command help, not the global help, for a subcommand', async () => {
    for (const name of ['user create', 'history import', 'apikey revoke']) {
      const result = await runCli([...name.split(' '), '--help'])
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(COMMANDS.find((command) => command.name === name)!.help)
    }
  })

  it("lists a group's commands with --help; without a command it is a usage error", async () => {
    const help = await runCli(['user', '--help'])
    expect(help.code).toBe(0)
    for (const command of COMMANDS.filter((c) => c.name.startsWith('user ')))
      expect(help.stdout).toContain(`  ${command.name}`)
    const bare = await runCli(['apikey'])
    expect(bare.code).toBe(2)
    expect(bare.stderr).toBe(
      'parley: "parley apikey" needs a command: create, list, revoke\nRun "parley apikey --help" for usage.\n',
    )
  })

  it('lists every command in the main help', async () => {
    const result = await runCli(['--help'])
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command.name} `)
  })
})

describe('parley history: rejections, Ctrl-C and progress', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-history-'))
  const database = join(dir, 'parley.db')
  const cli = (...args: string[]) => runCli([...args, '--database', database])
  const archived = async (accountId: string): Promise<number> => {
    const storage = createStorage({ kind: 'sqlite', path: database })
    try {
      const row = await storage.db
        .selectFrom('archived_engagements')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    } finally {
      await storage.close()
    }
  }

  beforeAll(async () => {
    expect((await cli('migrate')).code).toBe(0)
    for (const id of ['hist', 'hist2'])
      expect(
        (
          await runCli(['account', 'create', '--id', id, '--admin-user', 'a', '--database', database], {
            env: { PARLEY_PASSWORD: 'long-enough-1' },
          })
        ).code,
      ).toBe(0)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('import exits 1 when records were rejected and counts the reasons', async () => {
    const good = JSON.parse(
      (await cli('history', 'generate', '--account', 'hist2', '--count', '2', '--json')).stdout,
    ) as { generated: number }
    expect(good.generated).toBe(2)
    const exported = (await cli('history', 'export', '--account', 'hist2')).stdout.trim().split('\n')
    const noId = (n: number) => {
      const record = JSON.parse(exported[0]!) as { info: Record<string, unknown> }
      delete record.info.engagementId
      record.info.visitorName = `v${n}`
      return JSON.stringify(record)
    }
    const file = join(dir, 'mixed.jsonl')
    writeFileSync(file, [exported[0], '{"info": ', noId(1), noId(2), exported[1], 'nope'].join('\n'))
    const text = await cli('history', 'import', file, '--account', 'hist')
    expect(text.code).toBe(1)
    expect(text.stdout).toContain('Imported 2 record(s) into account hist: 2 new, 0 updated, 4 rejected.\n')
    expect(text.stdout).toContain('Rejected, by reason:\n       2  invalid JSON\n       2  missing info.engagementId\n')
    const summary = JSON.parse((await cli('history', 'import', file, '--account', 'hist', '--json')).stdout) as {
      reasonCounts: unknown
      interrupted: boolean
    }
    expect(summary.reasonCounts).toEqual([
      { reason: 'invalid JSON', count: 2 },
      { reason: 'missing info.engagementId', count: 2 },
    ])
    expect(summary.interrupted).toBe(false)
  })

  it('generate stops at Ctrl-C after the batch in progress and reports what it kept', async () => {
    const generate = startCli([
      'history',
      'generate',
      '--account',
      'hist',
      '--count',
      '5000000',
      '--json',
      '--database',
      database,
    ])
    const before = await archived('hist')
    await pollUntil(async () => (await archived('hist')) > before, { timeoutMs: 120_000, intervalMs: 500 })
    generate.child.kill('SIGINT')
    expect(await generate.exited).toEqual({ code: 130, signal: null })
    expect(generate.stderr()).toBe(
      'parley: stopping the generate after the current batch (Ctrl-C again to quit at once)\n',
    )
    const summary = JSON.parse(generate.stdout()) as { generated: number; requested: number; interrupted: boolean }
    expect(summary).toMatchObject({ requested: 5_000_000, interrupted: true })
    expect(summary.generated % 1000).toBe(0)
    expect(await archived('hist')).toBe(before + summary.generated)
  })

  it('export shows a running count on a terminal only', async () => {
    const piped = await cli('history', 'export', '--account', 'hist2')
    expect(piped.stderr).toBe('')
    // `script` runs the export on a pseudo-terminal (stdout and stderr both land in its output).
    const command = [process.execPath, CLI_PATH, 'history', 'export', '--account', 'hist2', '--database', database]
      .map((part) => `'${part}'`)
      .join(' ')
    const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: cliEnv() })
    expect(onTerminal.status).toBe(0)
    expect(onTerminal.stdout).toContain('\rExported 2 record(s)')
  })
})
