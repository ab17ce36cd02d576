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

/** Something that runs a task periodically (the shape of the chat engine's and the mail queue's `Scheduler`). */
export interface PeriodicScheduler {
  every(ms: number, task: () => void): { stop(): void }
}

/**
 * `base`, except that each run of a task happens only while this process leads `task`: in a
 * process that does not lead, the ticks pass and nothing runs (docs/deployment.md).
 */
export function leaderOnly(leadership: Leadership, task: string, base: PeriodicScheduler): PeriodicScheduler {
  return {
    every: (ms, run) =>
      base.every(ms, () => {
        if (leadership.isLeader(task)) run()
      }),
  }
}
