import sanitizeHtml from 'sanitize-html'
import type { ChatEvent, LineEvent } from '../chat/chat.types.ts'
import { isVisibleToVisitor } from '../chat/visibility.ts'

/** Largest accepted `timezoneOffset` in either direction (UTC-14:00 .. UTC+14:00), in ms. */
export const MAX_TIMEZONE_OFFSET_MS = 14 * 60 * 60 * 1000
/** Subjects longer than this are cut (RFC 5322 recommends 78-character header lines; this is a cap, not a fold). */
export const MAX_SUBJECT_LENGTH = 200

export interface TranscriptInput {
  /** The chat's events as stored; only the lines the visitor may see are rendered. */
  events: readonly ChatEvent[]
  /** When the chat was requested (epoch ms): the date in the default subject and the heading. */
  requestedAt: number
  /**
   * The visitor's offset from UTC in ms (`local = UTC + offset`; -7200000 prints `GMT-02:00`).
   * Absent = UTC. Callers bound it by `MAX_TIMEZONE_OFFSET_MS`.
   */
  timezoneOffsetMs?: number | undefined
  /** V20's subject; blank or absent = `Chat transcript <date>`. */
  subject?: string | undefined
  /** Agent HTML sanitiser (sanitizeAgentHtml): applied again, whatever the stored line holds. */
  sanitizeHtml: (html: string) => string
}

/** A transcript mail's content: a header-safe subject and the same transcript as text and HTML. */
export interface TranscriptMail {
  subject: string
  text: string
  html: string
}

/**
 * Renders the transcript the visitor saw: visible lines only (never `ONLY_TO_REP`), oldest first,
 * each with its time in the visitor's offset and its speaker. In the HTML part every text is
 * escaped except agent `html` lines, which are sanitised again; rich-content lines become a short
 * note. Pure: the same input gives the same mail.
 */
export function renderTranscript(input: TranscriptInput): TranscriptMail {
  const offset = input.timezoneOffsetMs ?? 0
  const zone = formatOffset(offset)
  const lines = input.events.filter((event): event is LineEvent => event.type === 'line' && isVisibleToVisitor(event))
  const date = formatDate(input.requestedAt + offset)
  const subject = headerSafeSubject(input.subject) || `Chat transcript ${date}`
  const heading = `Chat transcript, ${date} (times in ${zone})`

  const textLines = lines.map(
    (line) => `[${formatTime(line.time + offset)}] ${oneLine(line.by)}: ${plainTextOf(line, input.sanitizeHtml)}`,
  )
  const text = `${heading}\n\n${textLines.join('\n')}${textLines.length === 0 ? 'No messages.' : ''}\n`

  const rows = lines.map(
    (line) =>
      `<tr><td style="color:#666;white-space:nowrap;vertical-align:top">${formatTime(line.time + offset)}</td>` +
      `<td style="font-weight:bold;vertical-align:top">${escapeHtml(line.by)}</td>` +
      `<td>${htmlOf(line, input.sanitizeHtml)}</td></tr>`,
  )
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>` +
    `<p>${escapeHtml(heading)}</p>` +
    (rows.length === 0 ? '<p>No messages.</p>' : `<table cellpadding="4">${rows.join('')}</table>`) +
    '</body></html>'
  return { subject, text, html }
}

/** `GMT+02:00`, `GMT-05:30`, `GMT+00:00`. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000)
  const sign = offsetMs < 0 ? '-' : '+'
  return `GMT${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
}

/** A subject that cannot break out of its header: controls (CR, LF, TAB, ...) become spaces, capped. */
export function headerSafeSubject(subject: string | undefined): string {
  if (subject === undefined) return ''
  const flat = subject
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return Array.from(flat).slice(0, MAX_SUBJECT_LENGTH).join('').trim()
}

function plainTextOf(line: LineEvent, sanitize: (html: string) => string): string {
  if (line.textType === 'rich-content') return richContentNote(line)
  const text = line.text ?? ''
  return line.textType === 'html' && line.source === 'agent' ? htmlToText(sanitize(text)) : text
}

function htmlOf(line: LineEvent, sanitize: (html: string) => string): string {
  if (line.textType === 'rich-content') return `<i>${escapeHtml(richContentNote(line))}</i>`
  const text = line.text ?? ''
  // Only agent lines may carry HTML (agent-api.md A14); visitor and system text is always literal.
  if (line.textType === 'html' && line.source === 'agent') return sanitize(text)
  return escapeHtml(text).replace(/\r?\n/g, '<br>')
}

function richContentNote(line: LineEvent): string {
  const type = (line.json as { type?: unknown } | undefined)?.type
  return typeof type === 'string' && /^[\w -]{1,40}$/.test(type)
    ? `[Rich content message: ${type}]`
    : '[Rich content message]'
}

/** The text of sanitised HTML: tags dropped, block ends and `<br>` as line breaks, entities decoded. */
function htmlToText(html: string): string {
  const broken = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6]|tr|blockquote)>/gi, '$&\n')
  const stripped = sanitizeHtml(broken, { allowedTags: [], allowedAttributes: {} })
  return decodeBasicEntities(stripped).replace(/\n+$/, '')
}

// sanitize-html decodes every entity while parsing and re-encodes only these in text.
function decodeBasicEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_match, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'",
  )
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) =>
    char === '&' ? '&amp;' : char === '<' ? '&lt;' : char === '>' ? '&gt;' : char === '"' ? '&quot;' : '&#39;',
  )
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ')
const pad = (value: number): string => String(value).padStart(2, '0')

function formatDate(shifted: number): string {
  const date = new Date(shifted)
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

function formatTime(shifted: number): string {
  const date = new Date(shifted)
  return `${formatDate(shifted)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
}
