import type { Insertable, Selectable } from 'kysely'
import type { EngagementAttribute, StoredEngagementAttribute } from '../../core/sdes/sde.types.ts'
import type { EngagementAttributeRow } from '../schema.ts'
import { toBool, type Executor } from './executor.ts'

function toStored(row: Selectable<EngagementAttributeRow>): StoredEngagementAttribute {
  return {
    id: Number(row.id),
    accountId: row.account_id,
    visitorId: row.visitor_id,
    sessionId: row.session_id,
    attribute: JSON.parse(row.attribute) as EngagementAttribute,
    receivedAt: Number(row.received_at),
    isAuthenticated: toBool(row.is_authenticated),
  }
}

/** Which reports belong to a chat (engagement-history.md §6.2); times are epoch ms, inclusive. */
export interface AttributeQuery {
  accountId: string
  /** Any of these visitor ids (the chat's `LETagVisitorId` and its numeric visitor id). */
  visitorIds: readonly string[]
  /** Only this monitoring session; undefined = any session. */
  sessionId?: string
  from: number
  to: number
}

export const engagementAttributesRepository = {
  /** Stores one request's attributes in one statement: all or nothing, in the given order. */
  async insertMany(
    db: Executor,
    report: { accountId: string; visitorId: string; sessionId: string; receivedAt: number },
    attributes: readonly EngagementAttribute[],
  ): Promise<void> {
    if (attributes.length === 0) return
    const rows: Array<Insertable<EngagementAttributeRow>> = attributes.map((attribute) => ({
      account_id: report.accountId,
      visitor_id: report.visitorId,
      session_id: report.sessionId,
      type: attribute.type,
      attribute: JSON.stringify(attribute),
      is_authenticated: false,
      received_at: report.receivedAt,
    }))
    await db.insertInto('engagement_attributes').values(rows).execute()
  },

  /** The matching reports in the order received. */
  async list(db: Executor, query: AttributeQuery): Promise<StoredEngagementAttribute[]> {
    if (query.visitorIds.length === 0) return []
    let select = db
      .selectFrom('engagement_attributes')
      .selectAll()
      .where('account_id', '=', query.accountId)
      .where('visitor_id', 'in', [...query.visitorIds])
      .where('received_at', '>=', query.from)
      .where('received_at', '<=', query.to)
    if (query.sessionId !== undefined) select = select.where('session_id', '=', query.sessionId)
    const rows = await select.orderBy('id').execute()
    return rows.map(toStored)
  },
  /** Deletes every account's reports received before `time` (retention). */
  async deleteReceivedBefore(db: Executor, time: number): Promise<number> {
    const result = await db.deleteFrom('engagement_attributes').where('received_at', '<', time).executeTakeFirst()
    return Number(result.numDeletedRows)
  },
}
