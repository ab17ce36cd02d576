import type { Account } from '../../core/accounts/accounts.types.ts'
import type { AccountRow } from '../schema.ts'
import type { Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  revision: Number(row.revision),
  createdAt: Number(row.created_at),
})

/** Accounts (tenants) and their configuration revision counter. */
export const accountsRepository = {
  async insert(db: Executor, account: { id: string; name: string; timeZone: string; now: number }): Promise<Account> {
    const row = await db
      .insertInto('accounts')
      .values({
        id: account.id,
        name: account.name,
        time_zone: account.timeZone,
        revision: 1,
        created_at: account.now,
        updated_at: account.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    invalidateAccount(db, account.id)
    return toAccount(row)
  },

  async findById(db: Executor, id: string): Promise<Account | undefined> {
    const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toAccount(row) : undefined
  },

  async list(db: Executor): Promise<Account[]> {
    const rows = await db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('id').execute()
    return rows.map(toAccount)
  },

  async count(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  /** Increments the revision and returns the new value; call inside the transaction that changes configuration. */
  async bumpRevision(db: Executor, id: string, now: number): Promise<number> {
    const row = await db
      .updateTable('accounts')
      .set((eb) => ({ revision: eb('revision', '+', 1), updated_at: now }))
      .where('id', '=', id)
      .returning('revision')
      .executeTakeFirstOrThrow()
    invalidateAccount(db, id)
    return Number(row.revision)
  },
}
