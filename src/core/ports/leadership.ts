/**
 * The leadership port (issue 14): background tasks that must run in exactly one process at a time
 * (chat timers: ring timeout, inactivity, max wait, agent idle; archive outbox; mail; purges).
 * Adapters: always-leader (one process) and a database lease (PostgreSQL `pg_try_advisory_lock` on
 * a dedicated connection, or a lease row), so another process takes over within 2 s of a death.
 */
export interface Leadership {
  /** Whether this process holds `task`'s leadership now (checked before each run of the task). */
  isLeader: (task: string) => boolean
  /** Stops competing and releases what is held. */
  close: () => Promise<void>
}

/** One process: it leads everything. */
export const soleLeadership: Leadership = {
  isLeader: () => true,
  close: async () => {},
}
