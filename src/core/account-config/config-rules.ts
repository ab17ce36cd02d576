import { invalid } from '../errors.ts'

/** Shared input rules of the configuration entities. */

/** A required text field: present (schema) and not blank. */
export function requireText(field: string, value: string): string {
  if (value.trim() === '') throw invalid(field, 'must not be empty')
  return value
}

/** Removes repeated ids, keeping the first occurrence's position. */
export const unique = <T>(values: readonly T[]): T[] => [...new Set(values)]

/** Every id must be in `known` (non-deleted entities of the account); otherwise 400 naming the field. */
export function requireKnownIds(field: string, ids: readonly number[], known: ReadonlySet<number>): void {
  for (const id of ids) {
    if (!known.has(id)) throw invalid(field, `unknown or deleted id ${id}`)
  }
}

export function requireInteger(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw invalid(field, `must be an integer >= ${min}`)
  return value
}

const CONFIG_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** `yyyy-MM-dd HH:mm:ss` or null (campaign start and expiration dates). */
export function requireConfigDate(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null
  if (!CONFIG_DATE.test(value)) throw invalid(field, 'must be formatted yyyy-MM-dd HH:mm:ss')
  return value
}

export function requireOneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  const match = allowed.find((candidate) => candidate === value)
  if (match === undefined) throw invalid(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`)
  return match
}
