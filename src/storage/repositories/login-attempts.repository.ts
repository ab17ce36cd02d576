import { sql } from 'kysely'
import type { Executor } from './executor.ts'

/** What a counter counts: attempts for one login name, or from one client address across names. */
export type LoginAttemptScope = 'login' | 'ip'

/** One counter as stored: attempts since `windowStart` (epoch ms). */
export interface LoginAttemptCounter {
  accountId: string
  scope: LoginAttemptScope
  subject: string
  failures: number
  windowStart: number
  lastFailureAt: number
}

interface CounterKey {
  accountId: string
  scope: LoginAttemptScope
  subject: string
}

/**
 * Failed-login counters (docs/auth.md, "Login protection"). A counter's window starts at its first
 * attempt and lasts `windowMs`; after that the next attempt starts a new window. Every change is one
 * statement, so concurrent logins in any number of processes never lose a count.
 */
export const loginAttemptsRepository = {
  /**
   * Counts one attempt and answers the count including it, in one upsert: the caller checks the
   * count against its limit before it verifies a password, so N concurrent attempts verify at most
   * the limit's worth of passwords.
   */
  async reserve(
    db: Executor,
    key: CounterKey & { now: number; windowMs: number },
  ): Promise<{ failures: number; windowStart: number }> {
    const expired = key.now - key.windowMs
    const row = await db
      .insertInto('login_attempts')
      .values({
        account_id: key.accountId,
        scope: key.scope,
        subject: key.subject,
        failures: 1,
        window_start: key.now,
        last_failure_at: key.now,
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'scope', 'subject']).doUpdateSet({
          // Both expressions read the row as it was before this update (SQL semantics of SET).
          failures: sql<number>`case when login_attempts.window_start <= ${expired} then 1 else login_attempts.failures + 1 end`,
          window_start: sql<number>`case when login_attempts.window_start <= ${expired} then ${key.now} else login_attempts.window_start end`,
          last_failure_at: key.now,
        }),
      )
      .returning(['failures', 'window_start'])
      .executeTakeFirstOrThrow()
    return { failures: Number(row.failures), windowStart: Number(row.window_start) }
  },

  /** Gives back one reserved attempt of the window it was taken in (a success, or a refusal by another counter). */
  async release(db: Executor, key: CounterKey & { windowStart: number }): Promise<void> {
    await db
      .updateTable('login_attempts')
      .set((eb) => ({ failures: eb('failures', '-', 1) }))
      .where('account_id', '=', key.accountId)
      .where('scope', '=', key.scope)
      .where('subject', '=', key.subject)
      .where('window_start', '=', key.windowStart)
      .where('failures', '>', 0)
      .execute()
  },

  /** Forgets one counter; true when there was one. */
  async clear(db: Executor, key: CounterKey): Promise<boolean> {
    const result = await db
      .deleteFrom('login_attempts')
      .where('account_id', '=', key.accountId)
      .where('scope', '=', key.scope)
      .where('subject', '=', key.subject)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  },

  /** The account's counters whose window is still open and that hold at least `minFailures`, most attempts first. */
  async listOpen(
    db: Executor,
    accountId: string,
    options: { now: number; windowMs: number; minFailures: number },
  ): Promise<LoginAttemptCounter[]> {
    const rows = await db
      .selectFrom('login_attempts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('window_start', '>', options.now - options.windowMs)
      .where('failures', '>=', options.minFailures)
      .orderBy('failures', 'desc')
      .orderBy('scope')
      .orderBy('subject')
      .limit(1000)
      .execute()
    return rows.map((row) => ({
      accountId: row.account_id,
      scope: row.scope === 'ip' ? 'ip' : 'login',
      subject: row.subject,
      failures: Number(row.failures),
      windowStart: Number(row.window_start),
      lastFailureAt: Number(row.last_failure_at),
    }))
  },

  /** Deletes counters whose window closed before `before`; answers how many. */
  async prune(db: Executor, before: number): Promise<number> {
    const result = await db.deleteFrom('login_attempts').where('window_start', '<=', before).executeTakeFirst()
    return Number(result.numDeletedRows)
  },
}
