import type { Kysely } from 'kysely'
import type { Executor } from './repositories/executor.ts'
import type { Database } from './schema.ts'
import type { LiveBus } from '../core/ports/live-bus.ts'
import { linkTransaction } from './invalidation.ts'

/** Runs work in one transaction: committed when `fn` resolves, rolled back when it throws. */
export interface UnitOfWork {
  withTransaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>
}

/**
 * `bus`: the live bus whose changes published in a transaction are sent with its commit
 * (`beforeCommit`) and delivered once it settles. Repository writes in the transaction invalidate
 * what writes through `db` do (storage/invalidation.ts).
 */
export function createUnitOfWork(db: Kysely<Database>, bus?: LiveBus): UnitOfWork {
  return {
    async withTransaction(fn) {
      let transaction: Executor | undefined
      try {
        return await db.transaction().execute(async (tx) => {
          transaction = tx
          linkTransaction(db, tx)
          const result = await fn(tx)
          if (bus?.beforeCommit) await bus.beforeCommit(tx)
          return result
        })
      } finally {
        // Changes the transaction published are delivered (again, locally) now that they are visible.
        if (transaction) bus?.settle(transaction)
      }
    },
  }
}
