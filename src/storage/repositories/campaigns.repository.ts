import type { Selectable } from 'kysely'
import type {
  Campaign,
  CampaignEngagement,
  CampaignEngagementValues,
  CampaignValues,
} from '../../core/account-config/account-config.types.ts'
import type { CampaignEngagementRow, CampaignRow } from '../schema.ts'
import { parseJsonArray, toBool, type Executor } from './executor.ts'

const toCampaign = (row: Selectable<CampaignRow>, engagementIds: number[]): Campaign => ({
  id: Number(row.id),
  accountId: row.account_id,
  name: row.name,
  description: row.description,
  goalId: Number(row.goal_id),
  lobId: Number(row.lob_id),
  status: Number(row.status),
  visitorProfileIds: parseJsonArray<number>(row.visitor_profile_ids),
  startDate: row.start_date,
  expirationDate: row.expiration_date,
  engagementIds,
  deleted: toBool(row.deleted),
  updatedAt: Number(row.updated_at),
})

const toEngagement = (row: Selectable<CampaignEngagementRow>): CampaignEngagement => ({
  id: Number(row.id),
  accountId: row.account_id,
  campaignId: Number(row.campaign_id),
  name: row.name,
  description: row.description,
  enabled: toBool(row.enabled),
  channel: Number(row.channel),
  skillId: Number(row.skill_id),
  visitorBehaviorIds: parseJsonArray<number>(row.visitor_behavior_ids),
  agentNote: row.agent_note,
  deleted: toBool(row.deleted),
  updatedAt: Number(row.updated_at),
})

const campaignColumns = (values: CampaignValues) => ({
  name: values.name,
  description: values.description,
  goal_id: values.goalId,
  lob_id: values.lobId,
  status: values.status,
  visitor_profile_ids: JSON.stringify(values.visitorProfileIds),
  start_date: values.startDate,
  expiration_date: values.expirationDate,
})

const engagementColumns = (values: CampaignEngagementValues) => ({
  name: values.name,
  description: values.description,
  enabled: values.enabled,
  channel: values.channel,
  skill_id: values.skillId,
  visitor_behavior_ids: JSON.stringify(values.visitorBehaviorIds),
  agent_note: values.agentNote,
})

async function activeEngagementIds(
  db: Executor,
  accountId: string,
  campaignIds: number[],
): Promise<Map<number, number[]>> {
  const byCampaign = new Map<number, number[]>()
  if (campaignIds.length === 0) return byCampaign
  const rows = await db
    .selectFrom('campaign_engagements')
    .select(['id', 'campaign_id'])
    .where('account_id', '=', accountId)
    .where('campaign_id', 'in', campaignIds)
    .where('deleted', '=', false)
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = byCampaign.get(Number(row.campaign_id)) ?? []
    list.push(Number(row.id))
    byCampaign.set(Number(row.campaign_id), list)
  }
  return byCampaign
}

/** Campaigns and their engagements; every query is scoped by account. */
export const campaignsRepository = {
  async list(db: Executor, accountId: string, includeDeleted: boolean): Promise<Campaign[]> {
    let query = db.selectFrom('campaigns').selectAll().where('account_id', '=', accountId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    const rows = await query.orderBy('id').execute()
    const engagements = await activeEngagementIds(
      db,
      accountId,
      rows.map((row) => Number(row.id)),
    )
    return rows.map((row) => toCampaign(row, engagements.get(Number(row.id)) ?? []))
  },

  async findById(db: Executor, accountId: string, id: number): Promise<Campaign | undefined> {
    const row = await db
      .selectFrom('campaigns')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return undefined
    const engagements = await activeEngagementIds(db, accountId, [id])
    return toCampaign(row, engagements.get(id) ?? [])
  },

  async insert(db: Executor, accountId: string, values: CampaignValues, now: number): Promise<number> {
    const row = await db
      .insertInto('campaigns')
      .values({ account_id: accountId, ...campaignColumns(values), deleted: false, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  async update(db: Executor, accountId: string, id: number, values: CampaignValues, now: number): Promise<void> {
    await db
      .updateTable('campaigns')
      .set({ ...campaignColumns(values), updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },

  /** Soft-deletes the campaign together with its engagements. */
  async markDeleted(db: Executor, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable('campaigns')
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    await db
      .updateTable('campaign_engagements')
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('campaign_id', '=', id)
      .where('deleted', '=', false)
      .execute()
  },

  async listEngagements(
    db: Executor,
    accountId: string,
    campaignId: number,
    includeDeleted: boolean,
  ): Promise<CampaignEngagement[]> {
    let query = db
      .selectFrom('campaign_engagements')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('campaign_id', '=', campaignId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    return (await query.orderBy('id').execute()).map(toEngagement)
  },

  async findEngagement(
    db: Executor,
    accountId: string,
    campaignId: number,
    id: number,
  ): Promise<CampaignEngagement | undefined> {
    const row = await db
      .selectFrom('campaign_engagements')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('campaign_id', '=', campaignId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toEngagement(row) : undefined
  },

  async insertEngagement(
    db: Executor,
    accountId: string,
    campaignId: number,
    values: CampaignEngagementValues,
    now: number,
  ): Promise<number> {
    const row = await db
      .insertInto('campaign_engagements')
      .values({
        account_id: accountId,
        campaign_id: campaignId,
        ...engagementColumns(values),
        deleted: false,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  async updateEngagement(
    db: Executor,
    accountId: string,
    id: number,
    values: CampaignEngagementValues,
    now: number,
  ): Promise<void> {
    await db
      .updateTable('campaign_engagements')
      .set({ ...engagementColumns(values), updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },

  async markEngagementDeleted(db: Executor, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable('campaign_engagements')
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },
}
