import type { Kysely } from 'kysely'
import type { Executor } from './repositories/executor.ts'
import type { Database } from './schema.ts'

/** Runs work in one transaction: committed when `fn` resolves, rolled back when it throws. */
export interface UnitOfWork {
  withTransaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>
}

export function createUnitOfWork(db: Kysely<Database>): UnitOfWork {
  return { withTransaction: (fn) => db.transaction().execute(fn) }
}
