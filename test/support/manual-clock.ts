import type { Clock } from '../../src/core/clock.ts'

/** A clock that only moves when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void
  set(ms: number): void
}

export function createManualClock(start = Date.UTC(2024, 4, 1, 10, 0, 0)): ManualClock {
  let current = start
  return {
    now: () => current,
    advance: (ms) => {
      current += ms
    },
    set: (ms) => {
      current = ms
    },
  }
}
