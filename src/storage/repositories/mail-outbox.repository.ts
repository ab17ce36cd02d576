import type { Selectable } from 'kysely'
import type { MailStatus, OutgoingMail, QueuedMail, QueuedMailSummary } from '../../core/mail/mail.types.ts'
import type { MailOutboxRow } from '../schema.ts'
import type { Executor } from './executor.ts'

const toQueuedMail = (row: Selectable<MailOutboxRow>): QueuedMail => ({
  id: Number(row.id),
  accountId: row.account_id,
  kind: row.kind as OutgoingMail['kind'],
  ...(row.chat_key === null ? {} : { chatKey: row.chat_key }),
  to: row.to_address,
  subject: row.subject,
  text: row.text_body,
  ...(row.html_body === null ? {} : { html: row.html_body }),
  status: row.status as MailStatus,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  lastError: row.last_error,
  createdAt: Number(row.created_at),
  finishedAt: row.finished_at === null ? null : Number(row.finished_at),
})

const SUMMARY_COLUMNS = [
  'id',
  'account_id',
  'kind',
  'chat_key',
  'to_address',
  'status',
  'attempts',
  'next_attempt_at',
  'last_error',
  'created_at',
  'finished_at',
] as const

/**
 * The mail outbox table. A message is delivered by whoever wins `claim` (a compare-and-set on its
 * attempt count), so two ticks never send the same attempt.
 */
export const mailOutboxRepository = {
  async insert(db: Executor, mail: OutgoingMail, now: number): Promise<number> {
    const row = await db
      .insertInto('mail_outbox')
      .values({
        account_id: mail.accountId,
        kind: mail.kind,
        chat_key: mail.chatKey ?? null,
        to_address: mail.to,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html ?? null,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: now,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  /** Pending messages due at `now` (a lapsed claim is due again), oldest due first. */
  async listDue(db: Executor, now: number, limit: number): Promise<QueuedMail[]> {
    const rows = await db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map(toQueuedMail)
  },

  /**
   * Claims one attempt: counts it and moves `next_attempt_at` to `claimUntil`, only if the message
   * is still pending, due, and at the attempt count the caller read. False = someone else has it.
   */
  async claim(db: Executor, id: number, attempts: number, now: number, claimUntil: number): Promise<boolean> {
    const result = await db
      .updateTable('mail_outbox')
      .set({ attempts: attempts + 1, next_attempt_at: claimUntil })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('attempts', '=', attempts)
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async markSent(db: Executor, id: number, now: number): Promise<void> {
    await db
      .updateTable('mail_outbox')
      .set({ status: 'sent', finished_at: now, last_error: null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute()
  },

  async markRetry(db: Executor, id: number, nextAttemptAt: number, error: string): Promise<void> {
    await db
      .updateTable('mail_outbox')
      .set({ next_attempt_at: nextAttemptAt, last_error: error })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute()
  },

  async markFailed(db: Executor, id: number, now: number, error: string): Promise<void> {
    await db
      .updateTable('mail_outbox')
      .set({ status: 'failed', finished_at: now, last_error: error })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute()
  },

  /** Messages of one kind about one chat, whatever their status. */
  async countForChat(db: Executor, accountId: string, chatKey: string, kind: OutgoingMail['kind']): Promise<number> {
    const row = await db
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('account_id', '=', accountId)
      .where('chat_key', '=', chatKey)
      .where('kind', '=', kind)
      .executeTakeFirstOrThrow()
    return Number(row.count)
  },

  /** The listing, newest first; optionally one account and/or one status. */
  async list(
    db: Executor,
    filter: { accountId?: string | undefined; status?: MailStatus | undefined; limit: number },
  ): Promise<QueuedMailSummary[]> {
    let query = db.selectFrom('mail_outbox').select(SUMMARY_COLUMNS)
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute()
    return rows.map((row) => ({
      id: Number(row.id),
      accountId: row.account_id,
      kind: row.kind as OutgoingMail['kind'],
      ...(row.chat_key === null ? {} : { chatKey: row.chat_key }),
      to: row.to_address,
      status: row.status as MailStatus,
      attempts: Number(row.attempts),
      nextAttemptAt: Number(row.next_attempt_at),
      lastError: row.last_error,
      createdAt: Number(row.created_at),
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    }))
  },

  /** Deletes finished messages (`sent` or `failed`) that finished before `before`; returns how many. */
  async purgeFinished(db: Executor, status: 'sent' | 'failed', before: number): Promise<number> {
    const result = await db
      .deleteFrom('mail_outbox')
      .where('status', '=', status)
      .where('finished_at', '<', before)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  },
}
