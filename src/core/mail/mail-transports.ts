import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import MailComposer from 'nodemailer/lib/mail-composer'

/** One message as a transport delivers it. */
export interface TransportMessage {
  /** The queue's id: the `.eml` file name and the Message-ID derive from it, so a resend replaces. */
  id: number
  from: string
  to: string
  subject: string
  text: string
  html?: string | undefined
  /** The Date header: when the message was queued (epoch ms). */
  date: number
}

/** Where queued mail goes: SMTP, or `.eml` files in the outbox folder. */
export interface MailTransport {
  /** What the queue's listing and logs may show (never a password). */
  readonly description: string
  /** Strings that must never appear in a stored or logged error (the SMTP password). */
  readonly secrets: readonly string[]
  /** Delivers one message; rejects when it was not accepted (the queue retries). */
  send(message: TransportMessage): Promise<void>
  close(): void
}

/** How long an SMTP exchange may stall before the attempt fails (nodemailer's defaults are minutes). */
const SMTP_TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 }

/**
 * SMTP through nodemailer: `smtp://user:pass@host:587` (STARTTLS when offered) or
 * `smtps://user:pass@host:465` (TLS from the start). One connection per message: transcripts are rare.
 */
export function createSmtpTransport(url: string): MailTransport {
  const parsed = new URL(url)
  const password = safeDecode(parsed.password)
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS, logger: false, debug: false })
  return {
    description: redactUrl(url),
    secrets: password === '' ? [] : [password, parsed.password],
    async send(message) {
      await transporter.sendMail({ ...toMailOptions(message), envelope: { from: message.from, to: [message.to] } })
    },
    close: () => transporter.close(),
  }
}

/**
 * The embedded default: each message becomes an RFC 5322 `.eml` file (MIME, text and HTML
 * alternatives) in `dir`, written to a temporary name and renamed, so a reader never sees half a
 * file. The name derives from the queue id: delivering the same message twice replaces the file.
 */
export function createOutboxTransport(dir: string): MailTransport {
  return {
    description: `outbox folder ${dir}`,
    secrets: [],
    async send(message) {
      const raw = await new MailComposer(toMailOptions(message)).compile().build()
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const name = `${fileStamp(message.date)}-${message.id}.eml`
      const temporary = join(dir, `.${name}.${process.pid}.tmp`)
      try {
        await writeFile(temporary, raw, { mode: 0o600 })
        await rename(temporary, join(dir, name))
      } catch (error) {
        await rm(temporary, { force: true })
        throw error
      }
    },
    close: () => {},
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The URL with its password replaced, for logs and listings. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(invalid URL)'
  }
}

function toMailOptions(message: TransportMessage) {
  return {
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    date: new Date(message.date),
    messageId: `<parley-mail-${message.id}-${message.date}@${domainOf(message.from)}>`,
  }
}

function domainOf(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)
  return match?.[1] ?? 'localhost'
}

function fileStamp(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
}
