import type { Selectable } from 'kysely'
import type { ArchiveFailure } from '../../core/history/archive-failure.types.ts'
import type { ArchiveFailureRow } from '../schema.ts'
import type { Executor } from './executor.ts'

const toArchiveFailure = (row: Selectable<ArchiveFailureRow>): ArchiveFailure => ({
  chatKey: row.chat_id,
  sequence: Number(row.sequence),
  accountId: row.account_id,
  engagementId: `${row.account_id}${Number(row.rt_session_id)}`,
  attempts: Number(row.attempts),
  lastError: row.last_error,
  firstFailedAt: Number(row.first_failed_at),
  lastFailedAt: Number(row.last_failed_at),
  nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
  deadAt: row.dead_at === null ? null : Number(row.dead_at),
})

/**
 * Archive failures (the archive outbox's retry and dead-letter state). The outbox itself is the set
 * of ended engagements with no `archived_at`; a failure row only decides when, or whether, the
 * timers try one again.
 */
export const archiveFailuresRepository = {
  /**
   * Ended, unarchived engagements the timers may archive now, oldest end first: those that never
   * failed and those whose retry is due. Set-aside ones are skipped, so they never hold up the rest.
   */
  async listArchivable(
    db: Executor,
    now: number,
    limit: number,
  ): Promise<Array<{ chatKey: string; sequence: number }>> {
    const rows = await db
      .selectFrom('engagements')
      .leftJoin('archive_failures', (join) =>
        join
          .onRef('archive_failures.chat_id', '=', 'engagements.chat_id')
          .onRef('archive_failures.sequence', '=', 'engagements.sequence'),
      )
      .select(['engagements.chat_id', 'engagements.sequence'])
      .where('engagements.archived_at', 'is', null)
      .where('engagements.ended_at', 'is not', null)
      .where((eb) =>
        eb.or([eb('archive_failures.chat_id', 'is', null), eb('archive_failures.next_attempt_at', '<=', now)]),
      )
      .orderBy('engagements.ended_at')
      .limit(limit)
      .execute()
    return rows.map((row) => ({ chatKey: row.chat_id, sequence: Number(row.sequence) }))
  },

  async find(db: Executor, chatKey: string, sequence: number): Promise<ArchiveFailure | undefined> {
    const row = await db
      .selectFrom('archive_failures')
      .selectAll()
      .where('chat_id', '=', chatKey)
      .where('sequence', '=', sequence)
      .executeTakeFirst()
    return row && toArchiveFailure(row)
  },

  /** Records a failed attempt: the first one inserts, later ones count up (one statement, either way). */
  async recordAttempt(
    db: Executor,
    failure: { chatKey: string; sequence: number; accountId: string; rtSessionId: number; error: string; now: number },
    next: { nextAttemptAt: number | null; deadAt: number | null; attempts: number },
  ): Promise<void> {
    await db
      .insertInto('archive_failures')
      .values({
        chat_id: failure.chatKey,
        sequence: failure.sequence,
        account_id: failure.accountId,
        rt_session_id: failure.rtSessionId,
        attempts: next.attempts,
        last_error: failure.error,
        first_failed_at: failure.now,
        last_failed_at: failure.now,
        next_attempt_at: next.nextAttemptAt,
        dead_at: next.deadAt,
      })
      .onConflict((oc) =>
        oc.columns(['chat_id', 'sequence']).doUpdateSet({
          attempts: next.attempts,
          last_error: failure.error,
          last_failed_at: failure.now,
          next_attempt_at: next.nextAttemptAt,
          dead_at: next.deadAt,
        }),
      )
      .execute()
  },

  async remove(db: Executor, chatKey: string, sequence: number): Promise<void> {
    await db.deleteFrom('archive_failures').where('chat_id', '=', chatKey).where('sequence', '=', sequence).execute()
  },

  /** Set-aside engagements (and, with `includeRetrying`, those still being retried), oldest failure first. */
  async list(db: Executor, filter: { accountId?: string; includeRetrying?: boolean }): Promise<ArchiveFailure[]> {
    let query = db.selectFrom('archive_failures').selectAll()
    if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId)
    if (!filter.includeRetrying) query = query.where('dead_at', 'is not', null)
    const rows = await query.orderBy('first_failed_at').orderBy('chat_id').orderBy('sequence').execute()
    return rows.map(toArchiveFailure)
  },
}
