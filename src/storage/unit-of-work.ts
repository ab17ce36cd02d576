import type { Kysely } from 'kysely'
import type { Executor } from './repositories/executor.ts'
import type { Database } from './schema.ts'
import type { LiveBus } from '../core/ports/live-bus.ts'
import { settleTransaction } from './invalidation.ts'

/** Runs work in one transaction: committed when `fn` resolves, rolled back when it throws. */
export interface UnitOfWork {
  withTransaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>
}

/** `bus`: the live bus whose changes published in a transaction are delivered once it settles. */
export function createUnitOfWork(db: Kysely<Database>, bus?: LiveBus): UnitOfWork {
  return {
    async withTransaction(fn) {
      let transaction: Executor | undefined
      try {
        return await db.transaction().execute((tx) => {
          transaction = tx
          return fn(tx)
        })
      } finally {
        // Cached data the transaction invalidated is invalidated again now that it is visible.
        if (transaction) {
          settleTransaction(transaction)
          bus?.settle(transaction)
        }
      }
    },
  }
}
