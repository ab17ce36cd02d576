/**
 * Counts failed logins per account and client IP in a sliding window, in memory (one process;
 * a restart forgets). Checked before the password is hashed, so a flood costs no scrypt work.
 */
export interface LoginLimiter {
  isBlocked(key: string, now: number): boolean
  recordFailure(key: string, now: number): void
  reset(key: string): void
}

export function createLoginLimiter(options: { maxFailures: number; windowMs: number; maxKeys?: number }): LoginLimiter {
  const failures = new Map<string, number[]>()
  const maxKeys = options.maxKeys ?? 100_000
  const recent = (key: string, now: number): number[] => {
    const times = (failures.get(key) ?? []).filter((time) => time > now - options.windowMs)
    if (times.length === 0) failures.delete(key)
    else failures.set(key, times)
    return times
  }
  return {
    isBlocked: (key, now) => recent(key, now).length >= options.maxFailures,
    recordFailure(key, now) {
      const times = recent(key, now)
      if (times.length === 0 && failures.size >= maxKeys) {
        // Bound memory under a spray of distinct keys: drop the oldest entry.
        const oldest = failures.keys().next().value
        if (oldest !== undefined) failures.delete(oldest)
      }
      failures.set(key, [...times, now])
    },
    reset: (key) => {
      failures.delete(key)
    },
  }
}
