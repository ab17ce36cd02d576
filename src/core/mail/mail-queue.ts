import type { Scheduler } from '../chat/chat.service.ts'
import { intervalScheduler } from '../chat/chat.service.ts'
import type { Clock } from '../clock.ts'
import { mailOutboxRepository as outbox } from '../../storage/repositories/mail-outbox.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { MailTransport } from './mail-transports.ts'
import type { MailQueue, MailStatus, OutgoingMail, QueuedMail, QueuedMailSummary } from './mail.types.ts'

/** How often the sender looks for due messages (enqueue also wakes it at once). */
export const MAIL_TICK_MS = 5_000
/** Retry policy (docs/transcripts.md): exponential backoff from 30 s, capped at 1 h, at most 20 attempts or 24 h. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  maxAttempts: 20,
  maxAgeMs: 24 * 60 * 60_000,
}
/**
 * A claimed attempt is due again after this long: a process that died mid-send hands the message
 * back; longer than the SMTP timeouts, so a live attempt is never taken over.
 */
export const CLAIM_MS = 5 * 60_000
/** Sent messages are deleted after 7 days, failed ones after 30 (they hold personal data). */
const SENT_RETENTION_MS = 7 * 24 * 60 * 60_000
const FAILED_RETENTION_MS = 30 * 24 * 60 * 60_000
const PURGE_EVERY_MS = 60 * 60_000
const BATCH = 20
const CLOSE_WAIT_MS = 10_000
const MAX_ERROR_LENGTH = 500

export interface RetryPolicy {
  /** Delay after the first failed attempt; doubles with each further failure. */
  baseDelayMs: number
  maxDelayMs: number
  /** The message fails after this many attempts ... */
  maxAttempts: number
  /** ... or once a failed attempt ends this long after it was queued. */
  maxAgeMs: number
}

export interface MailQueueDeps {
  db: Executor
  clock: Clock
  transport: MailTransport
  /** The From header and envelope sender. */
  from: string
  scheduler?: Scheduler
  retry?: RetryPolicy
  /** A delivery pass that failed as a whole (the database); the error never carries addresses, bodies or secrets. */
  onError?: (error: unknown, task: string) => void
  /**
   * Delivery news, one line each and never a stack: `failing` once when attempts start failing,
   * `recovered` once when a message gets through again, `given-up` per message the retry policy
   * gives up on, and `attempt-failed` per failed attempt (for a debug log).
   */
  onEvent?: (event: MailDeliveryEvent) => void
}

/** What the sender reports; `reason` is a short cause (an error code, never an address or secret). */
export type MailDeliveryEvent =
  | { kind: 'failing'; transport: string; reason: string }
  | { kind: 'recovered'; transport: string; failedAttempts: number }
  | { kind: 'given-up'; transport: string; mailId: number; mailKind: string; attempts: number; reason: string }
  | { kind: 'attempt-failed'; transport: string; mailId: number; attempt: number; reason: string; error: unknown }

/** What one delivery pass did. */
export interface DeliveryPass {
  sent: number
  retried: number
  failed: number
}

/**
 * The durable mail queue: `enqueue` stores the message (the same database as everything else) and
 * returns; a background sender started with `start()` delivers due messages through the transport,
 * retrying failures with exponential backoff until the retry policy gives up (status `failed`,
 * visible in `list`). Messages pending at a restart are delivered by the next process. Delivery is
 * at least once: each attempt is claimed in the database before it is made, so concurrent passes
 * never send the same attempt, but a process that dies between the send and recording it sends
 * that message again after `CLAIM_MS`.
 */
export interface MailQueueService extends MailQueue {
  /** Where mail goes (SMTP URL without password, or the outbox folder). */
  readonly transport: string
  /** Starts the background sender (the server calls this; the CLI never does). */
  start(): void
  /** One delivery pass over the messages due now; concurrent calls share the running pass. */
  deliverDue(): Promise<DeliveryPass>
  /** Queued messages, newest first, without bodies; optionally of one account and/or status. */
  list(filter?: { accountId?: string; status?: MailStatus; limit?: number }): Promise<QueuedMailSummary[]>
  /** How many messages of `kind` were queued for this chat (any status). */
  countForChat(accountId: string, chatKey: string, kind: OutgoingMail['kind']): Promise<number>
  /** Stops the sender and waits (boundedly) for a running pass. */
  close(): Promise<void>
}

export function createMailQueue(deps: MailQueueDeps): MailQueueService {
  const { db, clock, transport } = deps
  const policy = deps.retry ?? DEFAULT_RETRY_POLICY
  const report = deps.onError ?? (() => {})
  const notify = deps.onEvent ?? (() => {})
  /** Failed attempts since the last delivered message: the failing/recovered warnings fire on its edges. */
  let failedInARow = 0
  let timer: { stop(): void } | undefined
  let closed = false
  let running: Promise<DeliveryPass> | undefined
  let again = false
  let lastPurge = Number.NEGATIVE_INFINITY

  const kick = (): void => {
    deliverDue().catch((error: unknown) => report(safeError(error, transport.secrets), 'mail delivery'))
  }

  function deliverDue(): Promise<DeliveryPass> {
    if (running) {
      again = true
      return running
    }
    const pass = runPass().finally(() => {
      running = undefined
      if (again && timer && !closed) {
        again = false
        kick()
      }
    })
    running = pass
    return pass
  }

  async function runPass(): Promise<DeliveryPass> {
    const result: DeliveryPass = { sent: 0, retried: 0, failed: 0 }
    const now = clock.now()
    for (const mail of await outbox.listDue(db, now, BATCH)) {
      if (closed) break
      if (!(await outbox.claim(db, mail.id, mail.attempts, now, now + CLAIM_MS))) continue
      await attempt(mail, result)
    }
    if (clock.now() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = clock.now()
      await outbox.purgeFinished(db, 'sent', lastPurge - SENT_RETENTION_MS)
      await outbox.purgeFinished(db, 'failed', lastPurge - FAILED_RETENTION_MS)
    }
    return result
  }

  async function attempt(mail: QueuedMail, result: DeliveryPass): Promise<void> {
    const attempts = mail.attempts + 1
    try {
      await transport.send({
        id: mail.id,
        from: deps.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        date: mail.createdAt,
      })
    } catch (error) {
      const now = clock.now()
      const reason = describeError(error, transport.secrets)
      const cause = describeCause(error)
      const where = transport.description
      if (failedInARow++ === 0) notify({ kind: 'failing', transport: where, reason: cause })
      notify({
        kind: 'attempt-failed',
        transport: where,
        mailId: mail.id,
        attempt: attempts,
        reason: cause,
        error: safeError(error, transport.secrets),
      })
      if (attempts >= policy.maxAttempts || now - mail.createdAt >= policy.maxAgeMs) {
        await outbox.markFailed(db, mail.id, now, reason)
        result.failed++
        notify({ kind: 'given-up', transport: where, mailId: mail.id, mailKind: mail.kind, attempts, reason: cause })
      } else {
        await outbox.markRetry(db, mail.id, now + backoff(policy, attempts), reason)
        result.retried++
      }
      return
    }
    if (failedInARow > 0) {
      notify({ kind: 'recovered', transport: transport.description, failedAttempts: failedInARow })
      failedInARow = 0
    }
    await outbox.markSent(db, mail.id, clock.now())
    result.sent++
  }

  return {
    transport: transport.description,
    async enqueue(mail) {
      await outbox.insert(db, mail, clock.now())
      if (timer && !closed) kick()
    },
    start() {
      if (timer || closed) return
      timer = (deps.scheduler ?? intervalScheduler).every(MAIL_TICK_MS, kick)
      kick()
    },
    deliverDue,
    list: (filter = {}) =>
      outbox.list(db, {
        accountId: filter.accountId,
        status: filter.status,
        limit: Math.min(filter.limit ?? 100, 1000),
      }),
    countForChat: (accountId, chatKey, kind) => outbox.countForChat(db, accountId, chatKey, kind),
    async close() {
      closed = true
      timer?.stop()
      const pass = running
      if (pass) {
        let wait: NodeJS.Timeout | undefined
        await Promise.race([
          pass.catch(() => undefined),
          new Promise<void>((resolve) => {
            wait = setTimeout(resolve, CLOSE_WAIT_MS)
          }),
        ])
        clearTimeout(wait)
      }
      transport.close()
    },
  }
}

/** Delay before attempt `failedAttempts + 1`: base, 2 x base, 4 x base, ... capped. */
export function backoff(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.min(failedAttempts - 1, 30), policy.maxDelayMs)
}

/** A failure as stored in `last_error`: code and message, secrets and URL credentials removed, bounded. */
export function describeError(error: unknown, secrets: readonly string[]): string {
  const code = codeOf(error)
  const message = error instanceof Error ? error.message : String(error)
  let text = code && !message.startsWith(code) ? `${code}: ${message}` : message
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('***')
  text = text.replace(/\/\/([^/:@\s]*):[^@\s]*@/g, '//$1:***@')
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text
}

/** A short cause for logs: what went wrong in words, with the error code; never the server's reply text. */
export function describeCause(error: unknown): string {
  const code = codeOf(error)
  const words: Record<string, string> = {
    ECONNREFUSED: 'the SMTP server refused the connection',
    ECONNECTION: 'cannot connect to the SMTP server',
    ETIMEDOUT: 'the SMTP server did not answer in time',
    EDNS: 'the SMTP host name does not resolve',
    ENOTFOUND: 'the SMTP host name does not resolve',
    EAUTH: 'the SMTP server refused the credentials',
    ETLS: 'TLS with the SMTP server failed',
    EENVELOPE: 'the SMTP server refused the sender or recipient',
    EMESSAGE: 'the SMTP server refused the message',
  }
  // nodemailer reports a refused connection as ESOCKET or ECONNECTION with the system code in the message.
  const system =
    error instanceof Error ? /\b(ECONNREFUSED|ETIMEDOUT|ENOTFOUND|ECONNRESET)\b/.exec(error.message)?.[1] : undefined
  const key = system && (code.startsWith('ESOCKET') || code.startsWith('ECONNECTION')) ? system : code.split(' ')[0]!
  return `${words[key] ?? 'delivery failed'} (${system && key === system ? `${code}, ${system}` : code})`
}

// Logs get the error code only: SMTP replies often quote the recipient's address.
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown; responseCode?: unknown } | null)?.code
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode
  if (typeof code === 'string' && code !== '')
    return typeof responseCode === 'number' ? `${code} ${responseCode}` : code
  return error instanceof Error ? error.name : 'Error'
}

function safeError(error: unknown, secrets: readonly string[]): Error {
  return new Error(describeError(error, secrets))
}
