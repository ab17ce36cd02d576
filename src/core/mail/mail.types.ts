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
}

/**
 * The durable outgoing-mail queue. `enqueue` resolves once the message is stored; delivery
 * (SMTP, or `.eml` files in the outbox folder) happens in the background with retries, and
 * survives restarts.
 */
export interface MailQueue {
  enqueue(mail: OutgoingMail): Promise<void>
}
