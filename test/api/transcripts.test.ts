import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMailQueue } from '../../src/core/mail/mail-queue.ts'
import { createSmtpTransport } from '../../src/core/mail/mail-transports.ts'
import { MAX_TRANSCRIPTS_PER_CHAT } from '../../src/core/mail/transcript.service.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts'
import { liveVisitor, useVisitorChatApp, type VisitorChatContext, type VisitorClient } from './visitor-chat-app.ts'

const JSON_PUT = { 'x-http-method-override': 'PUT', 'content-type': 'application/json', accept: 'application/json' }
const XML_PUT = { 'x-http-method-override': 'PUT', 'content-type': 'application/xml' }
const TWO_HOURS = 2 * 60 * 60 * 1000

/**
 * A chat with every kind of line: the welcome (system), a visitor line with HTML in it, Natalie's
 * plain, HTML and whisper (ONLY_TO_REP) lines. Returns its key. The clock starts at 10:00:00.123 UTC.
 */
async function chatWithLines(ctx: VisitorChatContext, visitor: VisitorClient, natalie: number): Promise<string> {
  const key = await visitor.requestChat()
  await ctx.chat.acceptChat(visitor.accountId, natalie)
  ctx.clock.advance(1000)
  const line = await visitor.call('POST', `/chat/${key}/events.json`, {
    body: { event: { '@type': 'line', text: '<b>bold?</b> & <script>alert(1)</script>' } },
    headers: { 'content-type': 'application/json' },
  })
  expect(line.statusCode).toBe(201)
  ctx.clock.advance(1000)
  await ctx.chat.addAgentLine(visitor.accountId, natalie, key, { text: 'a < b, plain' })
  await ctx.chat.addAgentLine(visitor.accountId, natalie, key, { text: 'WHISPER-ONLY-TO-REP', subType: 'ONLY_TO_REP' })
  await ctx.chat.addAgentLine(visitor.accountId, natalie, key, {
    text: '<p>Formatted <b>answer</b><img src=x onerror="alert(2)"></p>',
    textType: 'html',
  })
  return key
}

describeEachDialect('Transcripts by mail through SMTP (V19, V20)', (dialect) => {
  const env: Record<string, string> = {}
  let sink: SmtpSink
  beforeAll(async () => {
    sink = await startSmtpSink()
    env.PARLEY_SMTP_URL = sink.url
    env.PARLEY_MAIL_FROM = 'Parley Transcripts <transcripts@parley.example>'
  })
  afterAll(async () => {
    await sink?.close()
  })
  const ctx = useVisitorChatApp(dialect, { env })
  let visitor: VisitorClient
  let natalie: number
  let key: string

  beforeAll(async () => {
    const created = await liveVisitor(ctx)
    visitor = created.visitor
    natalie = created.live.agents[0]!.userId
    key = await chatWithLines(ctx, visitor, natalie)
  })

  it('queues the transcript, answers {} in JSON, and delivers it through SMTP', async () => {
    const before = sink.received.length
    const response = await visitor.call('POST', `/chat/${key}/transcriptRequest`, {
      body: { email: 'visitor@example.com', timezoneOffset: TWO_HOURS },
      headers: JSON_PUT,
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.body).toBe('{}')
    // Stored, not sent: delivery is the sender's job.
    expect(sink.received.length).toBe(before)
    expect(await ctx.services.mail.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 })

    expect(sink.received.length).toBe(before + 1)
    const mail = sink.received[before]!
    expect(mail.to).toEqual(['visitor@example.com'])
    expect(mail.from).toBe('transcripts@parley.example')
    const { parsed } = mail
    expect(parsed.subject).toBe('Chat transcript 2024-05-01')
    expect(parsed.from?.text).toBe('"Parley Transcripts" <transcripts@parley.example>')
    expect(parsed.messageId).toMatch(/^<parley-mail-\d+-\d+@parley\.example>$/)
    const text = parsed.text ?? ''
    expect(text).toContain('Chat transcript, 2024-05-01 (times in GMT+02:00)')
    expect(text).toContain('[2024-05-01 12:00:01] You: <b>bold?</b> & <script>alert(1)</script>')
    expect(text).toContain('[2024-05-01 12:00:02] Natalie: a < b, plain')
    expect(text).toContain('[2024-05-01 12:00:02] Natalie: Formatted answer')
    expect(text).toMatch(/\] info: /)
    const html = String(parsed.html)
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('a &lt; b, plain')
    expect(html).toContain('<p>Formatted <b>answer</b>')
    expect(html).not.toContain('onerror')
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('2024-05-01 12:00:01')
    for (const part of [text, html, mail.raw]) expect(part).not.toContain('WHISPER-ONLY-TO-REP')
  })

  it('takes an XML body on V20, answers an empty body in XML, and uses the subject', async () => {
    const before = sink.received.length
    const response = await visitor.call('POST', `/chat/${key}/transcriptWithSubjectRequest`, {
      body:
        '<transcriptWithSubjectRequest><email>xml.visitor@example.org</email>' +
        '<subject>Your chat with us&#13;&#10;Bcc: someone@example.net</subject>' +
        '<timezoneOffset>-7200000</timezoneOffset></transcriptWithSubjectRequest>',
      headers: XML_PUT,
    })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('')
    await ctx.services.mail.deliverDue()
    const mail = sink.received[before]!
    expect(mail.to).toEqual(['xml.visitor@example.org'])
    expect(mail.parsed.subject).toBe('Your chat with us Bcc: someone@example.net')
    expect(mail.parsed.bcc).toBeUndefined()
    expect(mail.parsed.text).toContain('(times in GMT-02:00)')
    expect(mail.parsed.text).toContain('[2024-05-01 08:00:01] You:')
  })

  it('accepts a PUT and a JSON body wrapped in its root name, and ignores a subject on V19', async () => {
    const put = await visitor.call('PUT', `/chat/${key}/transcriptRequest.json`, {
      body: { transcriptRequest: { email: 'wrapped@example.com', subject: 'ignored' } },
      headers: { 'content-type': 'application/json' },
    })
    expect(put.statusCode).toBe(200)
    expect(put.body).toBe('{}')
    const before = sink.received.length
    await ctx.services.mail.deliverDue()
    expect(sink.received[before]!.parsed.subject).toBe('Chat transcript 2024-05-01')
  })

  it('answers 400 naming email for anything but one plain address, in JSON and XML', async () => {
    for (const email of ['', 'not-an-address', 'a@example.com, b@example.com', 'Name <a@example.com>', 'a@b']) {
      const response = await visitor.call('POST', `/chat/${key}/transcriptRequest`, {
        body: { email },
        headers: JSON_PUT,
      })
      expect(response.statusCode, email).toBe(400)
      expect(response.json()).toEqual({
        error: { time: expect.any(String), message: expect.stringMatching(/^email: /), internalCode: 5 },
      })
    }
    const missing = await visitor.call('POST', `/chat/${key}/transcriptRequest`, { body: {}, headers: JSON_PUT })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.message).toMatch(/^email/)
    for (const body of ['', '{"email":', '["visitor@example.com"]', '{"email":["a@example.com","b@example.com"]}']) {
      const malformed = await visitor.call('POST', `/chat/${key}/transcriptRequest`, { body, headers: JSON_PUT })
      expect(malformed.statusCode, body).toBe(400)
      expect(malformed.json().error.internalCode).toBe(5)
    }
    const xml = await visitor.call('POST', `/chat/${key}/transcriptWithSubjectRequest`, {
      body: '<transcriptWithSubjectRequest><email>a@example.com\nBcc: b@example.com</email></transcriptWithSubjectRequest>',
      headers: XML_PUT,
    })
    expect(xml.statusCode).toBe(400)
    expect(xml.headers['content-type']).toMatch(/^application\/xml/)
    expect(xml.body).toMatch(
      /<error><time>.*<\/time><message>email: .*<\/message><internalCode>5<\/internalCode><\/error>$/,
    )
  })

  it('answers 400 naming timezoneOffset when it is not a number within ±14 h', async () => {
    for (const timezoneOffset of ['soon', 15 * 60 * 60 * 1000, -15 * 60 * 60 * 1000]) {
      const response = await visitor.call('POST', `/chat/${key}/transcriptRequest`, {
        body: { email: 'visitor@example.com', timezoneOffset },
        headers: JSON_PUT,
      })
      expect(response.statusCode, String(timezoneOffset)).toBe(400)
      expect(response.json().error.message).toMatch(/timezoneOffset/)
    }
  })

  it('answers 404 for an unknown chat and for another account’s chat', async () => {
    const unknown = await visitor.call('POST', '/chat/H123-unknown/transcriptRequest', {
      body: { email: 'visitor@example.com' },
      headers: JSON_PUT,
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().error.message).toBe('Resource not found')
    const other = (await liveVisitor(ctx)).visitor
    const foreign = await other.call('POST', `/chat/${key}/transcriptRequest`, {
      body: { email: 'visitor@example.com' },
      headers: JSON_PUT,
    })
    expect(foreign.statusCode).toBe(404)
  })

  it('works after the chat ended, and limits transcripts per chat (429)', async () => {
    const ended = await chatWithLines(ctx, visitor, natalie)
    await ctx.chat.endByVisitor(visitor.accountId, ended)
    const before = sink.received.length
    for (let i = 0; i < MAX_TRANSCRIPTS_PER_CHAT; i++) {
      const response = await visitor.call('POST', `/chat/${ended}/transcriptRequest`, {
        body: { email: `visitor${i}@example.com` },
        headers: JSON_PUT,
      })
      expect(response.statusCode).toBe(200)
    }
    const refused = await visitor.call('POST', `/chat/${ended}/transcriptRequest`, {
      body: { email: 'one-more@example.com' },
      headers: JSON_PUT,
    })
    expect(refused.statusCode).toBe(429)
    expect(refused.json().error.message).toMatch(/At most 5 transcripts/)
    await ctx.services.mail.deliverDue()
    expect(sink.received.length).toBe(before + MAX_TRANSCRIPTS_PER_CHAT)
  })

  it('lists delivered messages without bodies, scoped by account', async () => {
    const listed = await ctx.services.mail.list({ accountId: visitor.accountId })
    expect(listed.length).toBeGreaterThan(0)
    for (const entry of listed) {
      expect(entry).toMatchObject({ accountId: visitor.accountId, kind: 'transcript', status: 'sent', lastError: null })
      expect(entry).not.toHaveProperty('text')
      expect(entry).not.toHaveProperty('html')
    }
    const otherAccount = (await liveVisitor(ctx)).visitor.accountId
    expect(await ctx.services.mail.list({ accountId: otherAccount })).toEqual([])
  })
})

describeEachDialect('Transcripts into the outbox folder (no PARLEY_SMTP_URL)', (dialect) => {
  const outbox = join(mkdtempSync(join(tmpdir(), 'parley-outbox-')), 'outbox')
  const ctx = useVisitorChatApp(dialect, { env: { PARLEY_MAIL_OUTBOX_DIR: outbox } })

  it('writes each message as a MIME .eml file with text and HTML parts', async () => {
    const { visitor, live } = await liveVisitor(ctx)
    const key = await chatWithLines(ctx, visitor, live.agents[0]!.userId)
    const response = await visitor.call('POST', `/chat/${key}/transcriptRequest`, {
      body: { email: 'outbox.visitor@example.com' },
      headers: JSON_PUT,
    })
    expect(response.statusCode).toBe(200)
    expect(await ctx.services.mail.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 })

    const files = readdirSync(outbox)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^\d{8}T\d{6}Z-\d+\.eml$/)
    const raw = readFileSync(join(outbox, files[0]!), 'utf8')
    expect(raw).toMatch(/^Content-Type: multipart\/alternative/im)
    const parsed = await simpleParser(raw)
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe('outbox.visitor@example.com')
    expect(parsed.from?.text).toBe('"Parley" <no-reply@localhost>')
    expect(parsed.subject).toBe('Chat transcript 2024-05-01')
    expect(parsed.text).toContain('[2024-05-01 10:00:01] You: <b>bold?</b>')
    expect(String(parsed.html)).toContain('&lt;b&gt;bold?&lt;/b&gt;')
    expect(raw).not.toContain('WHISPER-ONLY-TO-REP')
  })
})

describeEachDialect('The mail queue: retries, restarts and claims', (dialect) => {
  const ctx = useVisitorChatApp(dialect)
  const message = (to: string) => ({
    accountId: 'queue-test',
    kind: 'transcript' as const,
    to,
    subject: 'Queued',
    text: `for ${to}`,
    html: `<p>for ${to}</p>`,
  })
  const queueFor = (url: string, retry?: Parameters<typeof createMailQueue>[0]['retry']) =>
    createMailQueue({
      db: ctx.storage.db,
      clock: ctx.clock,
      transport: createSmtpTransport(url),
      from: 'Parley <no-reply@localhost>',
      ...(retry ? { retry } : {}),
    })
  const sinks: SmtpSink[] = []
  afterAll(async () => {
    for (const sink of sinks) await sink.close()
  })

  it('delivers a message queued while the SMTP server was down once it is back, exactly once', async () => {
    // Bind a port, then stop the server: nothing listens there until the sink starts on it again.
    const probe = await startSmtpSink()
    const { port, url } = probe
    await probe.close()
    const queue = queueFor(url)
    await queue.enqueue(message('later@example.com'))

    expect(await queue.deliverDue()).toEqual({ sent: 0, retried: 1, failed: 0 })
    const [pending] = await queue.list({ accountId: 'queue-test', status: 'pending' })
    expect(pending).toMatchObject({ attempts: 1, status: 'pending' })
    expect(pending!.lastError).toMatch(/ECONNREFUSED/)
    expect(pending!.lastError).not.toContain('p@ss/w:rd')
    expect(pending!.nextAttemptAt).toBe(ctx.clock.now() + 30_000)
    // Not due yet: nothing is attempted before the backoff has passed.
    expect(await queue.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 })

    const sink = await startSmtpSink(port)
    sinks.push(sink)
    ctx.clock.advance(30_000)
    expect(await queue.deliverDue()).toEqual({ sent: 1, retried: 0, failed: 0 })
    ctx.clock.advance(60 * 60_000)
    expect(await queue.deliverDue()).toEqual({ sent: 0, retried: 0, failed: 0 })
    expect(sink.received.map((mail) => mail.to)).toEqual([['later@example.com']])
    expect(sink.received[0]!.parsed.text).toContain('for later@example.com')
    await queue.close()
  })

  it('loses nothing across a restart: a new queue on the same database delivers what the old one stored', async () => {
    const sink = await startSmtpSink()
    sinks.push(sink)
    const before = queueFor(sink.url)
    await before.enqueue(message('after-restart@example.com'))
    await before.close()

    const after = queueFor(sink.url)
    expect(await after.deliverDue()).toMatchObject({ sent: 1 })
    expect(sink.received.map((mail) => mail.to)).toEqual([['after-restart@example.com']])
    await after.close()
  })

  it('never sends one message twice from concurrent passes', async () => {
    const sink = await startSmtpSink()
    sinks.push(sink)
    const one = queueFor(sink.url)
    const two = queueFor(sink.url)
    for (let i = 0; i < 3; i++) await one.enqueue(message(`concurrent${i}@example.com`))
    const passes = await Promise.all([one.deliverDue(), one.deliverDue(), two.deliverDue(), two.deliverDue()])
    // Calls on one queue share its running pass; the two queues compete through the claim.
    expect(passes[1]).toBe(passes[0])
    expect(passes[3]).toBe(passes[2])
    expect(passes[0].sent + passes[2].sent).toBe(3)
    expect(sink.received.map((mail) => mail.to[0]).sort()).toEqual([
      'concurrent0@example.com',
      'concurrent1@example.com',
      'concurrent2@example.com',
    ])
    await one.close()
    await two.close()
  })

  it('gives up after the last attempt and lists the message as failed', async () => {
    const probe = await startSmtpSink()
    await probe.close()
    const queue = queueFor(probe.url, { baseDelayMs: 1000, maxDelayMs: 4000, maxAttempts: 3, maxAgeMs: 86_400_000 })
    await queue.enqueue({ ...message('never@example.com'), accountId: 'queue-give-up' })
    const outcomes = []
    for (let i = 0; i < 3; i++) {
      outcomes.push(await queue.deliverDue())
      ctx.clock.advance(4000)
    }
    expect(outcomes).toEqual([
      { sent: 0, retried: 1, failed: 0 },
      { sent: 0, retried: 1, failed: 0 },
      { sent: 0, retried: 0, failed: 1 },
    ])
    const [failed] = await queue.list({ accountId: 'queue-give-up', status: 'failed' })
    expect(failed).toMatchObject({ attempts: 3, status: 'failed', to: 'never@example.com' })
    expect(failed!.lastError).toMatch(/ECONNREFUSED/)
    expect(failed!.finishedAt).toBe(ctx.clock.now() - 4000)
    await queue.close()
  })
})

describe('SMTP authentication', () => {
  it('logs in with the credentials of the URL', async () => {
    const sink = await startSmtpSink()
    const transport = createSmtpTransport(sink.url)
    await transport.send({ id: 1, from: 'a@parley.example', to: 'b@example.com', subject: 's', text: 't', date: 0 })
    expect(sink.received).toHaveLength(1)
    const wrong = createSmtpTransport(sink.url.replace(encodeURIComponent(sink.password), 'wrong'))
    await expect(
      wrong.send({ id: 2, from: 'a@parley.example', to: 'b@example.com', subject: 's', text: 't', date: 0 }),
    ).rejects.toMatchObject({ code: 'EAUTH' })
    expect(transport.description).not.toContain(encodeURIComponent(sink.password))
    expect(transport.description).toContain('***')
    await sink.close()
  })
})
