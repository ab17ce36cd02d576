import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { createMailQueue, type MailDeliveryEvent } from '../../src/core/mail/mail-queue.ts'
import { createSmtpTransport } from '../../src/core/mail/mail-transports.ts'
import { createStorage, migrateToLatest } from '../../src/storage/db.ts'
import { startServer, type RunningServer } from '../../src/server.ts'
import { runCli } from '../support/cli.ts'
import { createLiveAccount } from '../support/live-chat.ts'
import { pollUntil } from '../support/poll-until.ts'
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts'

/** Starts a server in `dir`, opens a chat on a fresh account and requests its transcript over HTTP. */
async function requestTranscript(server: RunningServer, email: string): Promise<void> {
  const live = await createLiveAccount(server.services)
  const chat = await server.services.chat.requestChat(
    live.accountId,
    { request: { skill: 'Sales' } },
    { visitorIp: '127.0.0.1', userAgent: 'mail-sender.test' },
  )
  const [key] = await server.services.accounts.listAppKeys(live.accountId)
  const response = await fetch(`${server.httpUrl}/api/account/${live.accountId}/chat/${chat.key}/transcriptRequest`, {
    method: 'POST',
    headers: {
      authorization: `LivePerson appKey=${key!.appKey}`,
      'x-http-method-override': 'PUT',
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify({ email }),
  })
  expect(response.status).toBe(200)
  expect(await response.text()).toBe('{}')
}

describe('the server runs the mail sender', () => {
  const dirs: string[] = []
  const servers: RunningServer[] = []
  let sink: SmtpSink | undefined
  afterAll(async () => {
    for (const server of servers) await server.close()
    await sink?.close()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })
  const start = async (env: Record<string, string>): Promise<{ server: RunningServer; dir: string }> => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-mail-'))
    dirs.push(dir)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', PARLEY_HISTORY_WORKERS: '0', ...env },
      { database: join(dir, 'parley.db'), port: '0', 'no-demo': true },
    )
    const server = await startServer(config)
    servers.push(server)
    return { server, dir }
  }

  it('delivers a transcript through PARLEY_SMTP_URL without being driven', async () => {
    sink = await startSmtpSink()
    const { server } = await start({ PARLEY_SMTP_URL: sink.url })
    await requestTranscript(server, 'served@example.com')
    await pollUntil(() => sink!.received.length === 1, { message: 'the transcript never arrived' })
    expect(sink.received[0]!.to).toEqual(['served@example.com'])
    expect(sink.received[0]!.parsed.subject).toMatch(/^Chat transcript \d{4}-\d{2}-\d{2}$/)
  })

  it('writes into <data dir>/outbox by default', async () => {
    const { server, dir } = await start({})
    await requestTranscript(server, 'outbox@example.com')
    const outbox = join(dir, 'outbox')
    await pollUntil(() => existsSync(outbox) && readdirSync(outbox).some((name) => name.endsWith('.eml')))
    expect(readdirSync(outbox).filter((name) => name.startsWith('.'))).toEqual([])
  })
})

describe('parley mail list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mail-cli-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('lists failed messages with their last error and never their body', async () => {
    const database = join(dir, 'parley.db')
    const storage = createStorage({ kind: 'sqlite', path: database })
    await migrateToLatest(storage)
    const probe = await startSmtpSink()
    await probe.close()
    const queue = createMailQueue({
      db: storage.db,
      clock: systemClock,
      transport: createSmtpTransport(probe.url),
      from: 'Parley <no-reply@localhost>',
      retry: { baseDelayMs: 1000, maxDelayMs: 1000, maxAttempts: 1, maxAgeMs: 60_000 },
    })
    await queue.enqueue({
      accountId: 'cli',
      kind: 'transcript',
      to: 'cli@example.com',
      subject: 'S',
      text: 'BODY-TEXT',
    })
    expect(await queue.deliverDue()).toMatchObject({ failed: 1 })
    await queue.close()
    await storage.close()

    const json = await runCli(['mail', 'list', '--status', 'failed', '--json', '--database', database])
    expect(json.stderr).toBe('')
    expect(json.code).toBe(0)
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>
    expect(rows).toEqual([
      expect.objectContaining({
        accountId: 'cli',
        kind: 'transcript',
        to: 'cli@example.com',
        status: 'failed',
        attempts: 1,
      }),
    ])
    expect(String(rows[0]!.lastError)).toMatch(/ECONNREFUSED/)
    const text = await runCli(['mail', 'list', '--database', database])
    expect(text.stdout).toMatch(/failed\s+transcript\s+cli\s+to cli@example\.com\s+attempts 1/)
    expect(text.stdout + json.stdout).not.toContain('BODY-TEXT')
  })
})

describe('mail delivery warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mail-events-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reports failing once when the SMTP server refuses connections and recovered once when it is back', async () => {
    const storage = createStorage({ kind: 'sqlite', path: join(dir, 'parley.db') })
    await migrateToLatest(storage)
    const probe = await startSmtpSink()
    await probe.close()
    const events: MailDeliveryEvent[] = []
    const queue = createMailQueue({
      db: storage.db,
      clock: systemClock,
      transport: createSmtpTransport(probe.url),
      from: 'Parley <no-reply@localhost>',
      retry: { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 10, maxAgeMs: 60_000 },
      onEvent: (event) => events.push(event),
    })
    const sink: SmtpSink[] = []
    try {
      for (const n of [1, 2, 3])
        await queue.enqueue({ accountId: 'ev', kind: 'transcript', to: `v${n}@example.com`, subject: 'S', text: 'T' })
      expect(await queue.deliverDue()).toEqual({ sent: 0, retried: 3, failed: 0 })
      await new Promise((resolve) => setTimeout(resolve, 5))
      expect(await queue.deliverDue()).toEqual({ sent: 0, retried: 3, failed: 0 })
      const kinds = events.map((event) => event.kind)
      expect(kinds.filter((kind) => kind === 'failing')).toHaveLength(1)
      expect(kinds.filter((kind) => kind === 'attempt-failed')).toHaveLength(6)
      expect(events[0]).toEqual({
        kind: 'failing',
        transport: `smtp://parley:***@127.0.0.1:${probe.port}`,
        reason: expect.stringMatching(/^the SMTP server refused the connection \(.*ECONNREFUSED\)$/),
      })

      sink.push(await startSmtpSink(probe.port))
      await new Promise((resolve) => setTimeout(resolve, 5))
      expect(await queue.deliverDue()).toEqual({ sent: 3, retried: 0, failed: 0 })
      expect(events.filter((event) => event.kind === 'recovered')).toEqual([
        { kind: 'recovered', transport: `smtp://parley:***@127.0.0.1:${probe.port}`, failedAttempts: 6 },
      ])
      expect(events.at(-1)?.kind).toBe('recovered')
      expect(JSON.stringify(events.filter((event) => event.kind !== 'attempt-failed'))).not.toContain('p@ss')
    } finally {
      await queue.close()
      await storage.close()
      for (const s of sink) await s.close()
    }
  })
})
