import type { Invalidation } from '../core/cache/invalidation.ts'
import type { Executor } from './repositories/executor.ts'

/*
 * How repository writes reach the invalidation (and through it the live bus) of the services that
 * own the database handle. Repositories are stateless and take only an executor, so each Kysely
 * instance is associated with its services' invalidation (`attachInvalidation`, by createServices)
 * and each open transaction with its root's (`linkTransaction`, by the unit of work). This holds
 * no state of its own: two storages in one process have two separate invalidations and buses.
 * A handle with no services attached (migrations, bare repository tests) has no caches to keep.
 */
const attached = new WeakMap<object, Set<Invalidation>>()

/**
 * `db`'s writes invalidate `invalidation` from now on (several services on one storage, as in
 * tests, each get them); returns the function that detaches it.
 */
export function attachInvalidation(db: Executor, invalidation: Invalidation): () => void {
  let set = attached.get(db)
  if (!set) attached.set(db, (set = new Set()))
  set.add(invalidation)
  return () => {
    set.delete(invalidation)
  }
}

/** Writes through the transaction `tx` of `root` invalidate what `root`'s writes do. */
export function linkTransaction(root: Executor, tx: Executor): void {
  const set = attached.get(root)
  if (set && set.size > 0) attached.set(tx, set)
}

/** Cached data of the account (every account when `null`) is stale from now on, on every process. */
export function invalidateAccount(db: Executor, accountId: string | null): void {
  const set = attached.get(db)
  if (set) for (const invalidation of set) invalidation.accountChanged(db, accountId)
}

/** The chat's row changed (or is about to, inside a transaction): cached copies are stale everywhere. */
export function invalidateChat(db: Executor, accountId: string, chatKey: string): void {
  const set = attached.get(db)
  if (set) for (const invalidation of set) invalidation.chatChanged(db, accountId, chatKey)
}
