import { sql } from 'kysely'
import type { Executor } from './executor.ts'

/** The first rtSessionId of an account (LivePerson's live ids are above 2^32 too). */
export const RT_SESSION_BASE = 2 ** 32
/** The archive's rt_session_id of engagement ids that are not accountId + digits (record-keys.ts). */
export const NON_NUMERIC_RT_SESSION_ID = Number.MAX_SAFE_INTEGER

/**
 * The per-account rtSessionId allocator (docs/engagement-history.md, "Engagement ids"): one
 * counter row per account in `live_chat_counters`, moved by single atomic statements, so every
 * process on the database shares it and no two callers ever get the same id. Live chats,
 * transfers and `history generate` take ids from it; `history import` moves it past the ids it
 * imports.
 */
export const rtSessionIdsRepository = {
  /**
   * Reserves `count` consecutive rtSessionIds of the account and returns the first. One
   * `UPDATE … RETURNING`: the database serialises concurrent callers on the account's row (the
   * row stays locked until the caller's transaction ends), whatever process they run in.
   */
  async allocate(db: Executor, accountId: string, count = 1): Promise<number> {
    if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`cannot allocate ${count} rtSessionIds`)
    for (;;) {
      const row = await db
        .updateTable('live_chat_counters')
        .set((eb) => ({ next_rt_session_id: eb('next_rt_session_id', '+', count) }))
        .where('account_id', '=', accountId)
        .returning('next_rt_session_id')
        .executeTakeFirst()
      if (row) return Number(row.next_rt_session_id) - count
      // The account's first allocation: start past everything the account already holds. Two
      // first callers insert the same value; the loser's insert does nothing, then both update.
      await db
        .insertInto('live_chat_counters')
        .values({ account_id: accountId, next_rt_session_id: await firstFree(db, accountId) })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .execute()
    }
  },

  /**
   * Moves the account's counter past `rtSessionId` (never backwards), in one atomic upsert.
   * Call it first in a transaction that writes records with that id: it locks the counter, so
   * a concurrent allocation either commits before (and its engagement row is visible to the
   * caller's later reads) or waits and allocates above `rtSessionId`.
   */
  async reservePast(db: Executor, accountId: string, rtSessionId: number): Promise<void> {
    const next = Math.max(RT_SESSION_BASE, rtSessionId + 1)
    await db
      .insertInto('live_chat_counters')
      .values({ account_id: accountId, next_rt_session_id: next })
      .onConflict((oc) =>
        oc.column('account_id').doUpdateSet({
          next_rt_session_id: sql<number>`case when live_chat_counters.next_rt_session_id < ${next} then ${next} else live_chat_counters.next_rt_session_id end`,
        }),
      )
      .execute()
  },
}

/** Above every numeric rtSessionId archived or live in the account, and at least 2^32. */
async function firstFree(db: Executor, accountId: string): Promise<number> {
  const archived = await db
    .selectFrom('archived_engagements')
    .select((eb) => eb.fn.max('rt_session_id').as('max'))
    .where('account_id', '=', accountId)
    .where('rt_session_id', '<', NON_NUMERIC_RT_SESSION_ID)
    .executeTakeFirst()
  const live = await db
    .selectFrom('engagements')
    .select((eb) => eb.fn.max('rt_session_id').as('max'))
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  return Math.max(RT_SESSION_BASE, Number(archived?.max ?? 0) + 1, Number(live?.max ?? 0) + 1)
}
