import type { Selectable } from 'kysely'
import type { Skill, SkillValues } from '../../core/account-config/account-config.types.ts'
import type { NameKey } from '../../core/text/name-key.ts'
import type { SkillRow } from '../schema.ts'
import { toBool, type Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

const toSkill = (row: Selectable<SkillRow>): Skill => ({
  id: Number(row.id),
  accountId: row.account_id,
  name: row.name,
  description: row.description,
  maxWaitTime: Number(row.max_wait_time),
  deleted: toBool(row.deleted),
  updatedAt: Number(row.updated_at),
})

/** Skills of an account; every query is scoped by account. */
export const skillsRepository = {
  async list(db: Executor, accountId: string, includeDeleted: boolean): Promise<Skill[]> {
    let query = db.selectFrom('skills').selectAll().where('account_id', '=', accountId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    return (await query.orderBy('id').execute()).map(toSkill)
  },

  async findById(db: Executor, accountId: string, id: number): Promise<Skill | undefined> {
    const row = await db
      .selectFrom('skills')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toSkill(row) : undefined
  },

  /** Ids among `ids` that are non-deleted skills of the account. */
  async existingIds(db: Executor, accountId: string, ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set()
    const rows = await db
      .selectFrom('skills')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', [...ids])
      .where('deleted', '=', false)
      .execute()
    return new Set(rows.map((row) => Number(row.id)))
  },

  /** The id of a non-deleted skill whose name has this key (core/text/name-key.ts), other than `exceptId`. */
  async findActiveIdByName(
    db: Executor,
    accountId: string,
    key: NameKey,
    exceptId?: number,
  ): Promise<number | undefined> {
    let query = db
      .selectFrom('skills')
      .select('id')
      .where('account_id', '=', accountId)
      .where('name_key', '=', key)
      .where('deleted', '=', false)
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId)
    const row = await query.executeTakeFirst()
    return row ? Number(row.id) : undefined
  },

  /** Names are unique per account among non-deleted skills by `key`, the name's `nameKey`. */
  async insert(db: Executor, accountId: string, values: SkillValues, key: NameKey, now: number): Promise<number> {
    const row = await db
      .insertInto('skills')
      .values({
        account_id: accountId,
        name: values.name,
        name_key: key,
        description: values.description,
        max_wait_time: values.maxWaitTime,
        deleted: false,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    invalidateAccount(db, accountId)
    return Number(row.id)
  },

  async update(
    db: Executor,
    accountId: string,
    id: number,
    values: SkillValues,
    key: NameKey,
    now: number,
  ): Promise<void> {
    await db
      .updateTable('skills')
      .set({
        name: values.name,
        name_key: key,
        description: values.description,
        max_wait_time: values.maxWaitTime,
        updated_at: now,
      })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    invalidateAccount(db, accountId)
  },

  /** Soft-deletes the skill and unassigns it from every user of the account, so routing stops using it. */
  async markDeleted(db: Executor, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable('skills')
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    await db
      .deleteFrom('user_skills')
      .where('skill_id', '=', id)
      .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('account_id', '=', accountId))
      .execute()
    invalidateAccount(db, accountId)
  },
}
