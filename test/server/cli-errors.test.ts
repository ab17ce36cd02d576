import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { systemClock } from '../../src/core/clock.ts'
import { createMailQueue } from '../../src/core/mail/mail-queue.ts'
import { createOutboxTransport } from '../../src/core/mail/mail-transports.ts'
import { createStorage, migrateToLatest } from '../../src/storage/db.ts'
import { runCli, startCli, type CliProcess, type CliResult } from '../support/cli.ts'

/** A failure as the issue asks: exactly these stderr lines, this exit code, nothing on stdout, no stack. */
function expectOneLine(result: CliResult, line: string, code = 1): void {
  expect(result.stderr).toBe(`${line}\n`)
  expect(result.code).toBe(code)
  expect(result.stdout).toBe('')
  expect(result.stderr).not.toMatch(/^ {4}at /m)
}

/** A TCP port held by this process, so `parley serve` finds it in use. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { port: address.port, server }
}

/** A port nothing listens on (bound, read, released). */
async function closedPort(): Promise<number> {
  const { port, server } = await occupiedPort()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// Each case spawns the CLI; on a busy machine one spawn takes seconds.
describe('parley: one actionable line per common mistake, no stack trace', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-errors-'))
  const database = join(dir, 'parley.db')
  const holders: Server[] = []
  const processes: CliProcess[] = []
  let tls: string

  beforeAll(async () => {
    expect((await runCli(['migrate', '--database', database])).code).toBe(0)
    tls = join(dir, 'tls')
    execFileSync('mkdir', ['-p', tls])
    for (const name of ['a', 'b'])
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          `${name}-key.pem`,
          '-out',
          `${name}-cert.pem`,
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { cwd: tls, stdio: 'ignore' },
      )
    writeFileSync(join(tls, 'garbage.pem'), 'this is not PEM\n')
  })
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((server) => server.stop()))
  })
  afterAll(async () => {
    for (const server of holders) await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(dir, { recursive: true, force: true })
  })

  it('port in use: names the port and how to choose another', async () => {
    const { port, server } = await occupiedPort()
    holders.push(server)
    const result = await runCli(['serve', '--port', String(port), '--no-demo', '--database', database])
    expectOneLine(result, `parley: port ${port} is in use; choose another with --port or PARLEY_PORT`)
  })

  it('TLS port in use: points at --tls-port', async () => {
    const { port, server } = await occupiedPort()
    holders.push(server)
    const result = await runCli([
      'serve',
      '--port',
      '0',
      '--no-demo',
      '--log-level',
      'warn',
      '--database',
      database,
      '--tls-port',
      String(port),
      '--tls-cert',
      join(tls, 'a-cert.pem'),
      '--tls-key',
      join(tls, 'a-key.pem'),
    ])
    expectOneLine(result, `parley: port ${port} is in use; choose another with --tls-port or PARLEY_TLS_PORT`)
  })

  it('shows the stack only with --log-level debug', async () => {
    const { port, server } = await occupiedPort()
    holders.push(server)
    const result = await runCli([
      'serve',
      '--port',
      String(port),
      '--no-demo',
      '--database',
      database,
      '--log-level',
      'debug',
    ])
    expect(result.code).toBe(1)
    expect(result.stderr.split('\n')[0]).toBe(
      `parley: port ${port} is in use; choose another with --port or PARLEY_PORT`,
    )
    expect(result.stderr).toMatch(/^ {4}at /m)
  })

  it.for<[string, (tlsDir: string) => string[], (tlsDir: string) => string]>([
    [
      'a certificate file that does not exist',
      (t) => ['--tls-cert', join(t, 'missing.pem'), '--tls-key', join(t, 'a-key.pem')],
      (t) => `parley: PARLEY_TLS_CERT/--tls-cert: cannot read ${join(t, 'missing.pem')} (no such file)`,
    ],
    [
      'a certificate that is not PEM',
      (t) => ['--tls-cert', join(t, 'garbage.pem'), '--tls-key', join(t, 'a-key.pem')],
      (t) =>
        `parley: PARLEY_TLS_CERT/--tls-cert: ${join(t, 'garbage.pem')} is not a PEM certificate ("-----BEGIN CERTIFICATE-----")`,
    ],
    [
      'a key that is not PEM',
      (t) => ['--tls-cert', join(t, 'a-cert.pem'), '--tls-key', join(t, 'garbage.pem')],
      (t) =>
        `parley: PARLEY_TLS_KEY/--tls-key: ${join(t, 'garbage.pem')} is not an unencrypted PEM private key ("-----BEGIN PRIVATE KEY-----")`,
    ],
    [
      "another certificate's key",
      (t) => ['--tls-cert', join(t, 'a-cert.pem'), '--tls-key', join(t, 'b-key.pem')],
      (t) =>
        `parley: PARLEY_TLS_KEY/--tls-key: ${join(t, 'b-key.pem')} is not the private key of the certificate ${join(t, 'a-cert.pem')}`,
    ],
  ])('TLS: %s', async ([, flags, line]) => {
    const result = await runCli(['serve', '--port', '0', '--tls-port', '0', '--database', database, ...flags(tls)])
    expectOneLine(result, line(tls), 2)
  })

  it('TLS: an unreadable key file', async () => {
    const key = join(tls, 'locked-key.pem')
    writeFileSync(key, 'x')
    chmodSync(key, 0o000)
    let readable = true
    try {
      execFileSync('cat', [key], { stdio: 'ignore' })
    } catch {
      readable = false
    }
    // Root reads any file: the case cannot be produced there.
    if (readable) return
    const result = await runCli([
      'serve',
      '--tls-port',
      '0',
      '--database',
      database,
      '--tls-cert',
      join(tls, 'a-cert.pem'),
      '--tls-key',
      key,
    ])
    expectOneLine(result, `parley: PARLEY_TLS_KEY/--tls-key: cannot read ${key} (permission denied)`, 2)
  })

  it('an import file that does not exist', async () => {
    expect(
      (
        await runCli([
          'account',
          'create',
          '--id',
          'imports',
          '--admin-user',
          'admin',
          '--admin-password',
          'long-enough-1',
          '--database',
          database,
        ])
      ).code,
    ).toBe(0)
    const missing = join(dir, 'no-such-export.json')
    const result = await runCli(['history', 'import', missing, '--account', 'imports', '--database', database])
    expectOneLine(result, `parley: cannot read ${missing}: no such file`)
  })

  describe('PostgreSQL', () => {
    it('unreachable: names the server and the setting to check', async () => {
      const port = await closedPort()
      for (const args of [
        ['account', 'list'],
        ['serve', '--port', '0'],
      ]) {
        const result = await runCli([...args, '--database', `postgres://parley:secret-pw@127.0.0.1:${port}/parley`])
        expectOneLine(
          result,
          `parley: cannot connect to PostgreSQL at 127.0.0.1:${port} (connection refused): is it running? check --database or PARLEY_DATABASE_URL`,
        )
        expect(result.stderr).not.toContain('secret-pw')
      }
    })

    const postgresUrl = inject('postgresUrl')
    it.skipIf(!postgresUrl)('wrong credentials: an unknown user', async () => {
      const url = new URL(postgresUrl!)
      url.username = 'no_such_parley_role'
      url.password = 'secret-pw'
      const result = await runCli(['account', 'list', '--database', url.href])
      expectOneLine(
        result,
        `parley: PostgreSQL at ${url.hostname}:${url.port || '5432'} refused user "no_such_parley_role" (unknown user or not allowed); check --database or PARLEY_DATABASE_URL`,
      )
    })

    it.skipIf(!postgresUrl)('a database that does not exist', async () => {
      const url = new URL(postgresUrl!)
      url.pathname = '/no_such_parley_db'
      const result = await runCli(['account', 'list', '--database', url.href])
      expectOneLine(
        result,
        `parley: PostgreSQL at ${url.hostname}:${url.port || '5432'} has no database "no_such_parley_db"; create it (createdb no_such_parley_db) or check --database or PARLEY_DATABASE_URL`,
      )
    })
  })

  it('an SMTP server that refuses connections: one warning, not a stack per attempt', async () => {
    const mailDir = mkdtempSync(join(dir, 'mail-'))
    const mailDb = join(mailDir, 'parley.db')
    const storage = createStorage({ kind: 'sqlite', path: mailDb })
    await migrateToLatest(storage)
    // Three messages a previous process left pending: the server tries each at start-up.
    const queue = createMailQueue({
      db: storage.db,
      clock: systemClock,
      transport: createOutboxTransport(join(mailDir, 'outbox')),
      from: 'Parley <no-reply@localhost>',
    })
    for (const n of [1, 2, 3])
      await queue.enqueue({ accountId: 'a', kind: 'transcript', to: `v${n}@example.com`, subject: 'S', text: 'T' })
    await queue.close()
    await storage.close()

    const port = await closedPort()
    const server = startCli(['serve', '--port', '0', '--no-demo', '--log-level', 'warn', '--database', mailDb], {
      env: { PARLEY_SMTP_URL: `smtp://mailer:smtp-secret@127.0.0.1:${port}` },
    })
    processes.push(server)
    await server.waitForOutput(/mail delivery is failing/)
    // All three attempts of the first pass are over once their retry is recorded.
    const deadline = Date.now() + 20_000
    for (;;) {
      const rows = await runCli(['mail', 'list', '--status', 'pending', '--json', '--database', mailDb])
      const pending = JSON.parse(rows.stdout) as Array<{ attempts: number }>
      if (pending.length === 3 && pending.every((row) => row.attempts === 1)) break
      if (Date.now() > deadline) throw new Error(`attempts not recorded: ${rows.stdout}`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const lines = server
      .stdout()
      .split('\n')
      .filter((line) => line.includes('mail'))
    expect(lines).toHaveLength(1)
    const entry = JSON.parse(lines[0]!) as { level: number; msg: string }
    expect(entry.level).toBe(40)
    expect(entry.msg).toBe(
      `mail delivery is failing: the SMTP server refused the connection (ESOCKET, ECONNREFUSED) (smtp://mailer:***@127.0.0.1:${port}); messages stay queued and are retried`,
    )
    expect(server.stdout() + server.stderr()).not.toMatch(/ {4}at |"stack"|smtp-secret/)
    expect(readdirSync(mailDir)).not.toContain('outbox')
  })
})
