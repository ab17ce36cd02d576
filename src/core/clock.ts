/** Source of the current time in epoch milliseconds; injected so tests can control time. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
