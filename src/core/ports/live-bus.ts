import type { Executor } from '../../storage/repositories/executor.ts'

/**
 * What one process must tell every other (issue 14, docs/deployment.md). The database stays the
 * source of truth: a change only says "read again", never carries the new state.
 */
export type LiveChange =
  /** A live chat's row or events changed; `nextEventId` is its next event id after the change. */
  | { kind: 'chat'; accountId: string; chatKey: string; nextEventId?: number }
  /**
   * Cached data of an account changed: configuration, credentials, users, skills, agent groups,
   * login or agent sessions, availability. `accountId: null` means every account.
   */
  | { kind: 'account'; accountId: string | null }

/**
 * The live bus port. Adapters: in-process (one process, today's behaviour), PostgreSQL
 * `LISTEN/NOTIFY` (several processes on one database), and the cluster relay (`serve --workers N`
 * on SQLite: messages relayed by the cluster primary).
 */
export interface LiveBus {
  /**
   * Announces a change made through `db`. Inside a transaction the change is delivered only after
   * the transaction commits (PostgreSQL: `pg_notify` inside it, so peers receive it after commit
   * and in commit order); a rolled-back change may still be delivered (a spurious "read again" is
   * harmless). Outside a transaction it is delivered at once. Subscribers of this process receive it too.
   */
  publish: (db: Executor, change: LiveChange) => void
  /**
   * The transaction `tx` committed or rolled back (called by the unit of work): changes published
   * through it are delivered now (in-process) or were sent with the commit (PostgreSQL).
   */
  settle: (tx: Executor) => void
  /**
   * The unit of work is about to commit `tx`: adapters that send changes with the commit
   * (PostgreSQL: `pg_notify` inside the transaction, coalesced) do so now. Optional: the
   * in-process adapter needs nothing before the commit.
   */
  beforeCommit?: (tx: Executor) => Promise<void>
  /** Every change from every process, after its commit. Returns the unsubscribe function. */
  subscribe: (listener: (change: LiveChange) => void) => () => void
  /**
   * Changes may have been missed (the listener connection was lost and is back): every cache
   * must be treated as stale and every held long poll re-checked. Returns the unsubscribe function.
   */
  onReset: (listener: () => void) => () => void
  /** Stops listening (closes the listener connection); publishing after close is a no-op. */
  close: () => Promise<void>
}
