/** One message for the durable mail queue (transcripts, offline-message notifications). */
export interface OutgoingMail {
  /** The account the message is sent for; accounts never see each other's queue. */
  accountId: string
  /** Why it is sent; for the queue's listing and logs (never the body). */
  kind: 'transcript' | 'offline-message'
  to: string
  subject: string
  text: string
  /** Optional HTML alternative; already escaped and sanitised by the producer. */
  html?: string
  /** The chat the message is about, when there is one (transcripts count against a per-chat limit). */
  chatKey?: string
}

/**
 * The durable outgoing-mail queue. `enqueue` resolves once the message is stored; delivery
 * (SMTP, or `.eml` files in the outbox folder) happens in the background with retries, and
 * survives restarts.
 */
export interface MailQueue {
  enqueue(mail: OutgoingMail): Promise<void>
}

/** `pending` until delivered (`sent`) or given up (`failed`). */
export type MailStatus = 'pending' | 'sent' | 'failed'

/** A queued message as stored. */
export interface QueuedMail extends OutgoingMail {
  id: number
  status: MailStatus
  /** Delivery attempts made (a claimed attempt counts as made). */
  attempts: number
  /** When the next attempt is due (epoch ms); for a claimed message, when its claim lapses. */
  nextAttemptAt: number
  /** The last failure, without credentials; null after success or before any failure. */
  lastError: string | null
  createdAt: number
  /** When it was sent or given up. */
  finishedAt: number | null
}

/** The queue's listing: metadata only, never bodies. */
export type QueuedMailSummary = Omit<QueuedMail, 'text' | 'html' | 'subject'>
