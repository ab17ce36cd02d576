import { toBool, type Executor } from './executor.ts'

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
}
