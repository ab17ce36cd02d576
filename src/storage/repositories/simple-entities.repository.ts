import type { Selectable } from 'kysely'
import type { SimpleEntity, SimpleEntityValues } from '../../core/account-config/account-config.types.ts'
import type { SimpleEntityRow } from '../schema.ts'
import { toBool, type Executor } from './executor.ts'

/** Tables that share the shape id, name, description, is_default, deleted. */
export type SimpleEntityTable = 'goals' | 'visitor_behaviors' | 'visitor_profiles' | 'lobs'

const toSimpleEntity = (row: Selectable<SimpleEntityRow>): SimpleEntity => ({
  id: Number(row.id),
  accountId: row.account_id,
  name: row.name,
  description: row.description,
  isDefault: toBool(row.is_default),
  deleted: toBool(row.deleted),
  updatedAt: Number(row.updated_at),
})

/** Goals, visitor behaviors, visitor profiles and lines of business; every query is scoped by account. */
export const simpleEntitiesRepository = {
  async insert(
    db: Executor,
    table: SimpleEntityTable,
    input: { accountId: string; name: string; description: string; isDefault: boolean; now: number },
  ): Promise<number> {
    const row = await db
      .insertInto(table)
      .values({
        account_id: input.accountId,
        name: input.name,
        description: input.description,
        is_default: input.isDefault,
        deleted: false,
        created_at: input.now,
        updated_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  async list(
    db: Executor,
    table: SimpleEntityTable,
    accountId: string,
    includeDeleted: boolean,
  ): Promise<SimpleEntity[]> {
    let query = db.selectFrom(table).selectAll().where('account_id', '=', accountId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    return (await query.orderBy('id').execute()).map(toSimpleEntity)
  },

  async findById(
    db: Executor,
    table: SimpleEntityTable,
    accountId: string,
    id: number,
  ): Promise<SimpleEntity | undefined> {
    const row = await db
      .selectFrom(table)
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toSimpleEntity(row) : undefined
  },

  /** The built-in (default) entity of the table, e.g. the goal "Interact with visitors". */
  async findDefault(db: Executor, table: SimpleEntityTable, accountId: string): Promise<SimpleEntity | undefined> {
    const row = await db
      .selectFrom(table)
      .selectAll()
      .where('account_id', '=', accountId)
      .where('is_default', '=', true)
      .orderBy('id')
      .executeTakeFirst()
    return row ? toSimpleEntity(row) : undefined
  },

  /** Ids among `ids` that are non-deleted rows of the table in the account. */
  async existingIds(
    db: Executor,
    table: SimpleEntityTable,
    accountId: string,
    ids: readonly number[],
  ): Promise<Set<number>> {
    if (ids.length === 0) return new Set()
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', [...ids])
      .where('deleted', '=', false)
      .execute()
    return new Set(rows.map((row) => Number(row.id)))
  },

  async update(
    db: Executor,
    table: SimpleEntityTable,
    accountId: string,
    id: number,
    values: SimpleEntityValues,
    now: number,
  ): Promise<void> {
    await db
      .updateTable(table)
      .set({ name: values.name, description: values.description, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },

  async markDeleted(db: Executor, table: SimpleEntityTable, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable(table)
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },
}
