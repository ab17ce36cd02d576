import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../../src/config/config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { startServer, type RunningServer } from '../../src/server.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { runCli } from '../support/cli.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'

const HEX = /^[0-9a-f]+$/
const newAccountId = (): string => `c${randomBytes(6).toString('hex')}`
const databaseArg = (database: DatabaseConfig): string => (database.kind === 'sqlite' ? database.path : database.url)

/** Parses stdout that must hold exactly one line of JSON. */
function singleJsonLine(stdout: string): unknown {
  const lines = stdout.split('\n').filter((line) => line !== '')
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0]!)
}

describeEachDialect('parley CLI', (dialect) => {
  let database: DatabaseConfig
  let storage: Storage
  let app: ParleyApp
  const cli = (...args: string[]) => runCli([...args, '--database', databaseArg(database)])

  beforeAll(async () => {
    database = testDatabase(dialect)
    const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: databaseArg(database) })
    storage = createStorage(config.database, { poolSize: 2 })
    app = await buildApp({ config, services: createServices({ storage, config }), clock: systemClock })
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await storage?.close()
    if (database?.kind === 'sqlite') rmSync(dirname(database.path), { recursive: true, force: true })
  })

  describe.concurrent('account create', () => {
    const accountId = newAccountId()
    const password = `pw-${randomBytes(8).toString('hex')}`
    let created: { appKey: string; apiKey: Record<string, string> }

    beforeAll(async () => {
      const result = await cli(
        'account',
        'create',
        '--id',
        accountId,
        '--name',
        'CLI test',
        '--admin-user',
        'boss',
        '--admin-password',
        password,
        '--json',
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      created = singleJsonLine(result.stdout) as typeof created
    })

    it('prints exactly one JSON object with the account, admin login, app key and API key', ({ expect }) => {
      expect(Object.keys(created)).toEqual(['accountId', 'adminLoginName', 'appKey', 'apiKey'])
      expect(created).toMatchObject({ accountId, adminLoginName: 'boss' })
      expect(created.appKey).toMatch(HEX)
      expect(Object.keys(created.apiKey)).toEqual(['appKey', 'secret', 'accessToken', 'accessTokenSecret'])
      for (const value of Object.values(created.apiKey)) expect(value).toMatch(HEX)
    })

    it('creates an admin who can log in through the Login Service', async ({ expect }) => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/account/${accountId}/login?v=1.3`,
        payload: { username: 'boss', password },
      })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toHaveProperty('bearer')
    })

    it('creates an API key that logs in as an application', async ({ expect }) => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/account/${accountId}/login?v=1.3`,
        payload: { username: 'boss', ...created.apiKey },
      })
      expect(response.statusCode).toBe(200)
    })

    it('refuses an existing account id with exit code 1, a message on stderr and nothing on stdout', async ({
      expect,
    }) => {
      const result = await cli(
        'account',
        'create',
        '--id',
        accountId,
        '--admin-user',
        'x',
        '--admin-password',
        password,
      )
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`Account ${accountId} already exists`)
      expect(result.stdout).toBe('')
    })

    it.for<[string, string]>([
      ['characters outside letters, digits and underscores', 'bad-id!'],
      ['more than 20 characters', 'a'.repeat(21)],
    ])('refuses an account id with %s', async ([, id], { expect }) => {
      const result = await cli('account', 'create', '--id', id, '--admin-user', 'a', '--admin-password', password)
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain('account ids are 1 to 20 letters, digits or underscores')
      expect(result.stdout).toBe('')
    })

    it('reports a missing --admin-password as a usage error', async ({ expect }) => {
      const result = await cli('account', 'create', '--id', newAccountId(), '--admin-user', 'a')
      expect(result.code).toBe(2)
      expect(result.stderr).toBe(
        'parley: a password is required: --admin-password PASSWORD, --password-stdin (first line of standard input) or PARLEY_PASSWORD\nRun "parley account create --help" for usage.\n',
      )
      expect(result.stdout).toBe('')
    })

    it('reports an unknown option as a usage error', async ({ expect }) => {
      const result = await cli('account', 'create', '--bogus')
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('--bogus')
    })

    it('lists the account with account list --json', async ({ expect }) => {
      const result = await cli('account', 'list', '--json')
      expect(result.code).toBe(0)
      const accounts = singleJsonLine(result.stdout) as { accountId: string; name: string }[]
      expect(accounts).toContainEqual(expect.objectContaining({ accountId, name: 'CLI test', timeZone: 'UTC' }))
    })

    it('lists the account in plain text', async ({ expect }) => {
      const result = await cli('account', 'list')
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(accountId)
    })

    it('adds a visitor app key distinct from the first one', async ({ expect }) => {
      const result = await cli('appkey', 'create', '--account', accountId, '--json')
      expect(result.code).toBe(0)
      const output = singleJsonLine(result.stdout) as { accountId: string; appKey: string }
      expect(Object.keys(output)).toEqual(['accountId', 'appKey'])
      expect(output.accountId).toBe(accountId)
      expect(output.appKey).toMatch(HEX)
      expect(output.appKey).not.toBe(created.appKey)
    })

    it('adds an API key distinct from the first one', async ({ expect }) => {
      const result = await cli('apikey', 'create', '--account', accountId, '--json')
      expect(result.code).toBe(0)
      const output = singleJsonLine(result.stdout) as { accountId: string; apiKey: Record<string, string> }
      expect(Object.keys(output)).toEqual(['accountId', 'apiKey', 'permissions'])
      expect((output as unknown as { permissions: string[] }).permissions).toEqual([
        'engagementHistory',
        'monitoring',
        'agent',
        'visitor',
        'configRead',
        'operationalRealtime',
      ])
      expect(output.accountId).toBe(accountId)
      expect(Object.keys(output.apiKey)).toEqual(['appKey', 'secret', 'accessToken', 'accessTokenSecret'])
      for (const [name, value] of Object.entries(output.apiKey)) {
        expect(value).toMatch(HEX)
        expect(value).not.toBe(created.apiKey[name])
      }
    })

    it('grants only the permissions --permissions lists, and refuses unknown ones', async ({ expect }) => {
      const result = await cli(
        'apikey',
        'create',
        '--account',
        accountId,
        '--permissions',
        'operationalRealtime, agent',
        '--json',
      )
      expect(result.code, result.stderr).toBe(0)
      expect((singleJsonLine(result.stdout) as { permissions: string[] }).permissions).toEqual([
        'operationalRealtime',
        'agent',
      ])
      const bad = await cli('apikey', 'create', '--account', accountId, '--permissions', 'reporting')
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain('unknown permission "reporting" (valid: engagementHistory')
      expect(bad.stdout).toBe('')
    })

    it.for(['appkey', 'apikey'])(
      'refuses %s create for an unknown account with exit code 1',
      async (group, { expect }) => {
        const result = await cli(group, 'create', '--account', 'no_such_account', '--json')
        expect(result.code).toBe(1)
        expect(result.stderr).toContain('Account no_such_account not found')
        expect(result.stdout).toBe('')
      },
    )

    it.for(['appkey', 'apikey'])('reports %s create without --account as a usage error', async (group, { expect }) => {
      const result = await cli(group, 'create')
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('--account is required')
    })
  })

  it('reports an up-to-date database on migrate, every time', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await cli('migrate')
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('Database is up to date.')
    }
  })
})

describe('parley migrate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-migrate-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('applies the migrations to a new SQLite file, then reports it up to date', async () => {
    const database = join(dir, 'nested', 'parley.db')
    const first = await runCli(['migrate', '--database', database])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\):\n {2}\d{4}_\d{2}_\d{2}_\d{4}_create_foundation\n/)
    const second = await runCli(['migrate', '--database', `sqlite:${database}`])
    expect(second.code).toBe(0)
    expect(second.stdout).toBe('Database is up to date.\n')
  })

  it('reports invalid configuration with exit code 2', async () => {
    const result = await runCli(['migrate', '--database', 'mysql://h/d'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('parley: PARLEY_DATABASE_URL/--database: unsupported database URL "mysql://h/d"')
  })
})

describe('parley --help', () => {
  it('lists every command with examples', async () => {
    const result = await runCli(['--help'])
    expect(result.code).toBe(0)
    for (const command of ['serve', 'migrate', 'account create', 'account list', 'appkey create', 'apikey create'])
      expect(result.stdout).toContain(`  ${command}`)
    expect(result.stdout).toContain('Examples:')
  })

  it('prints the serve options and the account create usage', async () => {
    const serve = await runCli(['serve', '--help'])
    expect(serve.code).toBe(0)
    expect(serve.stdout).toContain('PARLEY_PORT')
    expect(serve.stdout).toContain('Examples:')
    const create = await runCli(['account', 'create', '--help'])
    expect(create.code).toBe(0)
    expect(create.stdout).toContain('Usage: parley account create')
  })

  it('prints help instead of running a command that is asked for help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-help-'))
    try {
      const result = await runCli(['account', 'list', '--help'], { cwd: dir })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('Usage: parley account list')
      expect(result.stdout).not.toContain('No accounts.')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('prints usage with exit code 1 when no command is given', async () => {
    const result = await runCli([])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Usage: parley')
  })

  it('reports an unknown command as a usage error', async () => {
    const result = await runCli(['frobnicate'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "frobnicate"')
  })
})

describe('parley CLI next to a running server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-live-'))
  const database = join(dir, 'parley.db')
  let server: RunningServer

  beforeAll(async () => {
    const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database, port: '0', 'no-demo': true })
    server = await startServer(config)
  })
  afterAll(async () => {
    await server?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates an account that the running server answers at once', async () => {
    const accountId = newAccountId()
    const csds = `${server.httpUrl}/api/account/${accountId}/service/agentVep/baseURI.json?version=1.0`
    expect((await fetch(csds)).status).toBe(404)

    const result = await runCli([
      'account',
      'create',
      '--id',
      accountId,
      '--admin-user',
      'admin',
      '--admin-password',
      'live-pass-123',
      '--json',
      '--database',
      database,
    ])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)

    const answer = await fetch(csds)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ service: 'agentVep', account: accountId })
    const login = await fetch(`${server.httpUrl}/api/account/${accountId}/login?v=1.3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'live-pass-123' }),
    })
    expect(login.status).toBe(200)
  })
})
