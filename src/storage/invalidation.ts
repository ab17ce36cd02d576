import type { Executor } from './repositories/executor.ts'

/**
 * Generations of the per-account data that services cache in memory (accounts, credentials,
 * login and agent sessions, users, skills, availability). Every repository write to such data
 * calls `invalidateAccount`; a cached value is used only while its account's generation is the
 * one it was read at. A write inside a transaction invalidates again once the transaction
 * settles (`settleTransaction`, called by the unit of work), so a reader that read the old row
 * between the write and the commit (PostgreSQL: another pooled connection) cannot keep it.
 * The counters are process-wide: several storages in one process (tests) only invalidate more.
 */
let globalGeneration = 0
const generations = new Map<string, number>()
const pendingByTransaction = new WeakMap<object, Set<string | null>>()

function bump(accountId: string | null): void {
  if (accountId === null) globalGeneration += 1
  else generations.set(accountId, (generations.get(accountId) ?? 0) + 1)
}

/** The current generation of the account's cached data; it only grows. */
export function accountGeneration(accountId: string): number {
  return globalGeneration + (generations.get(accountId) ?? 0)
}

/** Cached data of the account (every account when `null`) is stale from now on. */
export function invalidateAccount(db: Executor, accountId: string | null): void {
  bump(accountId)
  if (!db.isTransaction) return
  const pending = pendingByTransaction.get(db) ?? new Set<string | null>()
  pending.add(accountId)
  pendingByTransaction.set(db, pending)
}

/** The transaction committed or rolled back: invalidates again what it invalidated. */
export function settleTransaction(tx: Executor): void {
  const pending = pendingByTransaction.get(tx)
  if (!pending) return
  pendingByTransaction.delete(tx)
  for (const accountId of pending) bump(accountId)
}
