/** Longest `wait` (Decision D10); larger values are treated as this. */
export const MAX_WAIT_SECONDS = 60

/** `wait` in seconds: decimal digits, capped at 60; anything else is 0 (wire-conventions.md §15). */
export function parseWait(value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return 0
  return Math.min(MAX_WAIT_SECONDS, Number(value.trim()))
}
