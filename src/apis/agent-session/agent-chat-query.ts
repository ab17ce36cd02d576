/**
 * `from`/`fromEventIds` query values: a non-negative integer, anything else 0
 * (chat-api.md §9.1: "non-numeric or negative -> 0").
 */
export function nonNegativeInt(value: string | undefined): number {
  if (value === undefined || !/^\s*\d{1,15}\s*$/.test(value)) return 0
  return Number(value)
}
