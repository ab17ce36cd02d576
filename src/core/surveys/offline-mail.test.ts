import { describe, expect, it } from 'vitest'
import { offlineMessageMail } from './offline-mail.ts'
import type { OfflineMessage } from './surveys.types.ts'

const message: OfflineMessage = {
  id: 12,
  accountId: 'a',
  surveyId: 3,
  surveyName: 'Leave a message',
  skillId: -1,
  skillName: '',
  visitorId: '77',
  visitor: { visitorIp: '10.0.0.1', userAgent: 'UA', chatReferrer: 'https://x.example/?a=1&b="2"' },
  answers: [
    { questionId: 1, label: 'Name', values: ['<img src=x onerror=alert(1)>'] },
    { questionId: 2, label: 'Topics', values: ['a', 'b'] },
    { questionId: 3, label: 'Message', values: ['line one\r\nline two\u0007'] },
  ],
  createdAt: Date.UTC(2026, 11, 6, 10, 0, 0),
}

describe('offlineMessageMail', () => {
  it('escapes visitor text in the HTML part and keeps it readable in the text part', () => {
    const mail = offlineMessageMail(message)
    expect(mail.subject).toBe('Offline message 12: Leave a message')
    expect(mail.html).toContain('<td>&lt;img src=x onerror=alert(1)&gt;</td>')
    expect(mail.html).toContain('<td>https://x.example/?a=1&amp;b=&quot;2&quot;</td>')
    expect(mail.html).not.toContain('<img')
    expect(mail.text).toContain('Name: <img src=x onerror=alert(1)>\nTopics: a, b\nMessage: line one\r\nline two\n')
    expect(mail.text).toContain(
      'Skill: -\nReceived: 2026-12-06 10:00:00.000+0000\nVisitor id: 77\nVisitor IP: 10.0.0.1\n',
    )
  })

  it('never puts line breaks into the subject', () => {
    expect(offlineMessageMail({ ...message, surveyName: 'Evil\r\nBcc: x@y.z' }).subject).toBe(
      'Offline message 12: Evil  Bcc: x@y.z',
    )
  })
})
