import type { Selectable } from 'kysely'
import type { AgentGroup, AgentGroupValues } from '../../core/account-config/account-config.types.ts'
import type { AgentGroupRow } from '../schema.ts'
import { toBool, type Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

const toAgentGroup = (row: Selectable<AgentGroupRow>): AgentGroup => ({
  id: Number(row.id),
  accountId: row.account_id,
  name: row.name,
  description: row.description,
  parentGroupId: Number(row.parent_group_id),
  isEnabled: toBool(row.is_enabled),
  deleted: toBool(row.deleted),
  updatedAt: Number(row.updated_at),
})

/** Agent groups. The built-in root group -1 ("Main Group") is not stored; services add it. */
export const agentGroupsRepository = {
  /** Every stored group of the account (deleted ones too), by id: the Login Service's `agentGroupsData`. */
  async listSummaries(db: Executor, accountId: string): Promise<Array<{ id: number; name: string; deleted: boolean }>> {
    const rows = await db
      .selectFrom('agent_groups')
      .select(['id', 'name', 'deleted'])
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute()
    return rows.map((row) => ({ id: Number(row.id), name: row.name, deleted: toBool(row.deleted) }))
  },

  async list(db: Executor, accountId: string, includeDeleted: boolean): Promise<AgentGroup[]> {
    let query = db.selectFrom('agent_groups').selectAll().where('account_id', '=', accountId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    return (await query.orderBy('id').execute()).map(toAgentGroup)
  },

  async findById(db: Executor, accountId: string, id: number): Promise<AgentGroup | undefined> {
    const row = await db
      .selectFrom('agent_groups')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toAgentGroup(row) : undefined
  },

  /** Ids among `ids` that are non-deleted stored groups of the account. */
  async existingIds(db: Executor, accountId: string, ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set()
    const rows = await db
      .selectFrom('agent_groups')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'in', [...ids])
      .where('deleted', '=', false)
      .execute()
    return new Set(rows.map((row) => Number(row.id)))
  },

  /** Number of non-deleted child groups plus non-deleted users whose `memberOf` is the group. */
  async countDependents(db: Executor, accountId: string, id: number): Promise<number> {
    const children = await db
      .selectFrom('agent_groups')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .where('parent_group_id', '=', id)
      .where('deleted', '=', false)
      .executeTakeFirstOrThrow()
    const members = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('account_id', '=', accountId)
      .where('member_group_id', '=', id)
      .where('deleted', '=', false)
      .executeTakeFirstOrThrow()
    return Number(children.n) + Number(members.n)
  },

  async insert(db: Executor, accountId: string, values: AgentGroupValues, now: number): Promise<number> {
    const row = await db
      .insertInto('agent_groups')
      .values({
        account_id: accountId,
        name: values.name,
        description: values.description,
        parent_group_id: values.parentGroupId,
        is_enabled: values.isEnabled,
        deleted: false,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  async update(db: Executor, accountId: string, id: number, values: AgentGroupValues, now: number): Promise<void> {
    await db
      .updateTable('agent_groups')
      .set({
        name: values.name,
        description: values.description,
        parent_group_id: values.parentGroupId,
        is_enabled: values.isEnabled,
        updated_at: now,
      })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    invalidateAccount(db, accountId)
  },

  /** Soft-deletes the group and drops it from every user's `managerOf`. */
  async markDeleted(db: Executor, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable('agent_groups')
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    await db
      .deleteFrom('user_managed_groups')
      .where('agent_group_id', '=', id)
      .where('user_id', 'in', (eb) => eb.selectFrom('users').select('id').where('account_id', '=', accountId))
      .execute()
    invalidateAccount(db, accountId)
  },
}
