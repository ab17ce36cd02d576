import { formatHistoryTime } from '../time.ts'
import type { OfflineMessage } from './surveys.types.ts'

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for an HTML body: the five special characters as entities. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)

const isControl = (char: string, keepLineBreaks: boolean): boolean => {
  const code = char.charCodeAt(0)
  if (keepLineBreaks && (char === '\n' || char === '\r' || char === '\t')) return false
  return code < 0x20 || code === 0x7f
}
// Control characters never reach the plain-text body; the subject line gets none at all (no CR/LF).
const plain = (value: string): string => [...value].filter((char) => !isControl(char, true)).join('')
const oneLine = (value: string): string =>
  [...value]
    .map((char) => (isControl(char, false) ? ' ' : char))
    .join('')
    .trim()

/**
 * The notification for a stored offline message: subject, plain text and an HTML alternative in
 * which every visitor-supplied string is escaped. The subject carries only the survey name and the
 * message id (configuration, not visitor text).
 */
export function offlineMessageMail(message: OfflineMessage): { subject: string; text: string; html: string } {
  const rows: Array<[string, string]> = [
    ['Survey', message.surveyName],
    ['Skill', message.skillName === '' ? '-' : message.skillName],
    ['Received', formatHistoryTime(message.createdAt)],
    ...(message.visitorId === null ? [] : [['Visitor id', message.visitorId] as [string, string]]),
    ['Visitor IP', message.visitor.visitorIp],
    ...(message.visitor.chatReferrer === undefined ? [] : [['Page', message.visitor.chatReferrer] as [string, string]]),
  ]
  const answers: Array<[string, string]> = message.answers.map((answer) => [answer.label, answer.values.join(', ')])
  const text = [
    `Offline message ${message.id}`,
    '',
    ...rows.map(([label, value]) => `${label}: ${plain(value)}`),
    '',
    ...answers.map(([label, value]) => `${plain(label)}: ${plain(value)}`),
    '',
  ].join('\n')
  const tableRow = ([label, value]: [string, string]) =>
    `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`
  const html =
    `<!doctype html><html><body><h1>Offline message ${message.id}</h1>` +
    `<table>${rows.map(tableRow).join('')}</table>` +
    `<h2>Answers</h2><table>${answers.map(tableRow).join('')}</table></body></html>`
  return { subject: oneLine(`Offline message ${message.id}: ${message.surveyName}`), text, html }
}
