import { describe, expect, it } from 'vitest'
import type { ChatEvent, LineEvent } from '../chat/chat.types.ts'
import { sanitizeAgentHtml } from '../text/sanitize-agent-html.ts'
import { parseEmailAddress } from './email-address.ts'
import { formatOffset, headerSafeSubject, MAX_SUBJECT_LENGTH, renderTranscript } from './transcript-mail.ts'

const T0 = Date.UTC(2024, 4, 1, 22, 30, 5)

const line = (id: number, fields: Partial<LineEvent>): LineEvent => ({
  id,
  type: 'line',
  time: T0 + id * 1000,
  sequence: 0,
  source: 'visitor',
  by: 'You',
  textType: 'plain',
  text: '',
  subType: 'REGULAR',
  ...fields,
})

const events: ChatEvent[] = [
  { id: 0, type: 'state', time: T0, sequence: 0, state: 'waiting' },
  line(1, { source: 'system', by: 'info', text: 'Thank you for choosing to chat with us.', systemMessageId: 4 }),
  line(2, { text: '<b>hi</b> & "bye"' }),
  line(3, { source: 'agent', by: 'Natalie', text: 'Secret whisper', subType: 'ONLY_TO_REP' }),
  line(4, { source: 'agent', by: 'Natalie', textType: 'html', text: '<p>Hello <b>there</b><script>x()</script></p>' }),
  line(5, { source: 'agent', by: 'Natalie', text: 'a < b' }),
  line(6, { source: 'agent', by: 'Natalie', textType: 'rich-content', text: undefined, json: { type: 'vertical' } }),
]

describe('renderTranscript', () => {
  const mail = renderTranscript({
    events,
    requestedAt: T0,
    timezoneOffsetMs: 2 * 3600_000,
    sanitizeHtml: sanitizeAgentHtml,
  })

  it('renders visible lines with shifted times and speakers as plain text', () => {
    expect(mail.text).toBe(
      [
        'Chat transcript, 2024-05-02 (times in GMT+02:00)',
        '',
        '[2024-05-02 00:30:06] info: Thank you for choosing to chat with us.',
        '[2024-05-02 00:30:07] You: <b>hi</b> & "bye"',
        '[2024-05-02 00:30:09] Natalie: Hello there',
        '[2024-05-02 00:30:10] Natalie: a < b',
        '[2024-05-02 00:30:11] Natalie: [Rich content message: vertical]',
        '',
      ].join('\n'),
    )
  })

  it('leaves ONLY_TO_REP lines out of both parts', () => {
    expect(mail.text).not.toContain('Secret whisper')
    expect(mail.html).not.toContain('Secret whisper')
  })

  it('escapes visitor and agent plain text and sanitises agent HTML in the HTML part', () => {
    expect(mail.html).toContain('&lt;b&gt;hi&lt;/b&gt; &amp; &quot;bye&quot;')
    expect(mail.html).toContain('<p>Hello <b>there</b></p>')
    expect(mail.html).not.toContain('<script')
    expect(mail.html).toContain('a &lt; b')
    expect(mail.html).toContain('<i>[Rich content message: vertical]</i>')
    expect(mail.html).toContain('2024-05-02 00:30:07')
  })

  it('sanitises stored agent HTML again, whatever the database holds', () => {
    const stored = line(1, { source: 'agent', by: 'N', textType: 'html', text: '<img src=x onerror=alert(1)>ok' })
    const out = renderTranscript({ events: [stored], requestedAt: T0, sanitizeHtml: sanitizeAgentHtml })
    expect(out.html).not.toContain('onerror')
    expect(out.text).toContain('] N: ok')
  })

  it('treats visitor text as literal even when marked html', () => {
    const visitor = line(1, { textType: 'html', text: '<script>alert(1)</script>' })
    const out = renderTranscript({ events: [visitor], requestedAt: T0, sanitizeHtml: sanitizeAgentHtml })
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('uses UTC and a dated default subject without an offset, and a negative offset shifts back', () => {
    const utc = renderTranscript({ events, requestedAt: T0, sanitizeHtml: sanitizeAgentHtml })
    expect(utc.subject).toBe('Chat transcript 2024-05-01')
    expect(utc.text).toContain('(times in GMT+00:00)')
    expect(utc.text).toContain('[2024-05-01 22:30:07] You:')
    const west = renderTranscript({
      events,
      requestedAt: T0,
      timezoneOffsetMs: -7_200_000,
      sanitizeHtml: sanitizeAgentHtml,
    })
    expect(west.text).toContain('(times in GMT-02:00)')
    expect(west.text).toContain('[2024-05-01 20:30:07] You:')
  })

  it('uses a given subject, made header-safe', () => {
    const out = renderTranscript({
      events,
      requestedAt: T0,
      subject: 'Your chat\r\nBcc: victim@example.com',
      sanitizeHtml: sanitizeAgentHtml,
    })
    expect(out.subject).toBe('Your chat Bcc: victim@example.com')
    expect(out.html).toContain('<title>Your chat Bcc: victim@example.com</title>')
    expect(renderTranscript({ events, requestedAt: T0, subject: ' \n ', sanitizeHtml: (h) => h }).subject).toBe(
      'Chat transcript 2024-05-01',
    )
  })

  it('says so when the chat has no visible line', () => {
    const out = renderTranscript({ events: [events[0]!], requestedAt: T0, sanitizeHtml: sanitizeAgentHtml })
    expect(out.text).toContain('No messages.')
    expect(out.html).toContain('<p>No messages.</p>')
  })
})

describe('formatOffset and headerSafeSubject', () => {
  it.for<[number, string]>([
    [0, 'GMT+00:00'],
    [7_200_000, 'GMT+02:00'],
    [-7_200_000, 'GMT-02:00'],
    [19_800_000, 'GMT+05:30'],
    [-12_600_000, 'GMT-03:30'],
  ])('prints %i ms as %s', ([offset, printed]) => {
    expect(formatOffset(offset)).toBe(printed)
  })

  it('caps subjects and removes control characters', () => {
    expect(headerSafeSubject('x'.repeat(500))).toHaveLength(MAX_SUBJECT_LENGTH)
    expect(headerSafeSubject('a\tb\u0000c\u2028d')).toBe('a b c d')
  })
})

describe('parseEmailAddress', () => {
  it.for([
    'visitor@example.com',
    'first.last+tag@mail.example.co.uk',
    " o'neil@example.org ",
    'a@xn--bcher-kva.example',
  ])('accepts %s', (address) => {
    expect(parseEmailAddress(address)).toBe(address.trim())
  })

  it.for([
    '',
    'plain',
    '@example.com',
    'visitor@',
    'visitor@localhost',
    'visitor@example',
    'a@b@example.com',
    'a@example.com, b@example.com',
    'a@example.com;b@example.com',
    'Name <a@example.com>',
    '"quoted"@example.com',
    'a b@example.com',
    'a@example.com\r\nBcc: b@example.com',
    '.a@example.com',
    'a..b@example.com',
    'a@-example.com',
    'a@example.123',
    `${'x'.repeat(65)}@example.com`,
    `a@${'x'.repeat(250)}.com`,
    'ünicode@example.com',
  ])('rejects %j', (address) => {
    expect(parseEmailAddress(address)).toBeUndefined()
  })
})
