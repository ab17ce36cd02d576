import type { IdempotentResult } from '../../core/chat/idempotency.ts'
import type { Executor } from './executor.ts'

/** Where a key belongs: the account, the caller's scope, the key. */
export interface IdempotencyKeyId {
  accountId: string
  scope: string
  key: string
}

/** `Idempotency-Key` results (core/chat/idempotency.ts). */
export const idempotencyKeysRepository = {
  /** The first result of the key, when it was stored at `since` or later. */
  async find(db: Executor, id: IdempotencyKeyId, since: number): Promise<IdempotentResult | undefined> {
    const row = await db
      .selectFrom('idempotency_keys')
      .select(['status', 'result_ref'])
      .where('account_id', '=', id.accountId)
      .where('scope', '=', id.scope)
      .where('idempotency_key', '=', id.key)
      .where('created_at', '>=', since)
      .executeTakeFirst()
    return row ? { status: Number(row.status), ref: row.result_ref } : undefined
  },

  /**
   * Stores the key's result in the caller's transaction; false when the key is already stored
   * (a concurrent duplicate committed first, or an expired row the purge has not removed yet: it
   * is replaced). On PostgreSQL a concurrent insert of the same key waits for the other
   * transaction, so exactly one of them returns true.
   */
  async claim(
    tx: Executor,
    id: IdempotencyKeyId,
    result: IdempotentResult,
    now: number,
    since: number,
  ): Promise<boolean> {
    await tx
      .deleteFrom('idempotency_keys')
      .where('account_id', '=', id.accountId)
      .where('scope', '=', id.scope)
      .where('idempotency_key', '=', id.key)
      .where('created_at', '<', since)
      .execute()
    const rows = await tx
      .insertInto('idempotency_keys')
      .values({
        account_id: id.accountId,
        scope: id.scope,
        idempotency_key: id.key,
        status: result.status,
        result_ref: result.ref,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['account_id', 'scope', 'idempotency_key']).doNothing())
      .returning('idempotency_key')
      .execute()
    return rows.length === 1
  },

  /**
   * Deletes about `limit` of the keys stored before `before`, oldest first (the keys of the last
   * millisecond deleted go together); returns how many. Run every timer tick, so a backlog (after
   * downtime) drains in batches instead of one long write.
   */
  async purge(db: Executor, before: number, limit: number): Promise<number> {
    const boundary = await db
      .selectFrom('idempotency_keys')
      .select('created_at')
      .where('created_at', '<', before)
      .orderBy('created_at')
      .limit(1)
      .offset(limit)
      .executeTakeFirst()
    // Up to and including the boundary's millisecond (still before `before`): always progresses.
    const query = db.deleteFrom('idempotency_keys')
    const result = await (
      boundary ? query.where('created_at', '<=', Number(boundary.created_at)) : query.where('created_at', '<', before)
    ).executeTakeFirst()
    return Number(result.numDeletedRows)
  },
}
