import type { Kysely, Transaction } from 'kysely'
import type { Database, DbBool } from '../schema.ts'

/** A database handle or an open transaction: every repository method takes one first. */
export type Executor = Kysely<Database> | Transaction<Database>

export const toBool = (value: DbBool): boolean => value === true || value === 1

export function parseJsonArray<T>(text: string): T[] {
  const value: unknown = JSON.parse(text)
  return Array.isArray(value) ? (value as T[]) : []
}
