import type { LoginSession } from '../../core/accounts/accounts.types.ts'
import type { Selectable } from 'kysely'
import type { LoginSessionRow } from '../schema.ts'
import type { Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

const toSession = (row: Selectable<LoginSessionRow>): LoginSession => ({
  id: Number(row.id),
  accountId: row.account_id,
  userId: Number(row.user_id),
  createdAt: Number(row.created_at),
  lastUsedAt: Number(row.last_used_at),
  expiresAt: Number(row.expires_at),
  endedAt: row.ended_at === null ? null : Number(row.ended_at),
})

type HashColumn = 'bearer_hash' | 'session_key_hash' | 'csrf_hash'

/** Login Service sessions, looked up by the SHA-256 of a bearer, session key or CSRF token. */
export const loginSessionsRepository = {
  async insert(
    db: Executor,
    input: {
      accountId: string
      userId: number
      bearerHash: string
      sessionKeyHash: string
      csrfHash: string
      now: number
      expiresAt: number
    },
  ): Promise<LoginSession> {
    const row = await db
      .insertInto('login_sessions')
      .values({
        account_id: input.accountId,
        user_id: input.userId,
        bearer_hash: input.bearerHash,
        session_key_hash: input.sessionKeyHash,
        csrf_hash: input.csrfHash,
        created_at: input.now,
        last_used_at: input.now,
        expires_at: input.expiresAt,
        ended_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toSession(row)
  },

  /** The live (not ended, not expired) session of the account whose `column` equals `hash`. */
  async findLive(
    db: Executor,
    accountId: string,
    column: HashColumn,
    hash: string,
    now: number,
  ): Promise<(LoginSession & { csrfHash: string }) | undefined> {
    const row = await db
      .selectFrom('login_sessions')
      .selectAll()
      .where(column, '=', hash)
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
    return row ? { ...toSession(row), csrfHash: row.csrf_hash } : undefined
  },

  async touch(db: Executor, sessionId: number, now: number, expiresAt: number): Promise<void> {
    await db
      .updateTable('login_sessions')
      .set({ last_used_at: now, expires_at: expiresAt })
      .where('id', '=', sessionId)
      .execute()
  },

  async end(db: Executor, sessionId: number, now: number): Promise<void> {
    await db
      .updateTable('login_sessions')
      .set({ ended_at: now })
      .where('id', '=', sessionId)
      .where('ended_at', 'is', null)
      .execute()
    // No account at hand: every account's cached sessions are dropped (logouts are rare).
    invalidateAccount(db, null)
  },

  /** Ends every live session of a user (disabled or deleted users lose access at once). */
  async endAllOfUser(db: Executor, userId: number, now: number, exceptSessionId?: number): Promise<void> {
    let query = db
      .updateTable('login_sessions')
      .set({ ended_at: now })
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
    if (exceptSessionId !== undefined) query = query.where('id', '!=', exceptSessionId)
    await query.execute()
    invalidateAccount(db, null)
  },
}
