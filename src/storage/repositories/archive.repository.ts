import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { sql, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type {
  ArchiveEntry,
  ArchiveOrigin,
  ArchiveRejection,
  ArchiveResult,
  TimeRange,
} from '../../core/history/archive.types.ts'
import type { HistoryFilter, SortField, SortKey } from '../../core/history/history-query.types.ts'
import type { EngagementRecord } from '../../core/history/record.types.ts'
import type { Database } from '../schema.ts'
import type { SearchIndex } from '../search/search-index.ts'
import type { DialectName } from '../dialect/dialect.ts'
import { insertRows } from './bulk-insert.ts'
import type { Executor } from './executor.ts'
import { NON_NUMERIC_RT_SESSION_ID, rtSessionIdsRepository } from './rt-session-ids.repository.ts'

// Row ids are start ms * SLOTS + slot: ordered by start time, unique, and a time window maps to
// an id range (used by the search index). A slot is picked from a hash of the engagement id
// and probed linearly, so up to SLOTS engagements can start in the same millisecond.
const SLOTS = 1024
const CHUNK = 500

/** Inclusive id range of the rows whose start time lies in [from, to]. */
export const idRangeOf = (from: number, to: number): { from: number; to: number } => ({
  from: Math.ceil(from) * SLOTS,
  to: Math.floor(to) * SLOTS + SLOTS - 1,
})

function slotOf(engagementId: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < engagementId.length; i++) hash = Math.imul(hash ^ engagementId.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % SLOTS
}

const chunks = <T>(items: readonly T[], size = CHUNK): T[][] => {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

// deflate at a low level: ~4x smaller records for a few tens of microseconds each (bench/history.ts).
const compress = (record: EngagementRecord): Uint8Array => deflateRawSync(JSON.stringify(record), { level: 1 })
const decompress = (document: Uint8Array): string => inflateRawSync(document).toString('utf8')

const ENGAGEMENT_COLUMNS = [
  'id',
  'account_id',
  'engagement_id',
  'rt_session_id',
  'start_time',
  'end_time',
  'duration',
  'visitor_id',
  'agent_id',
  'agent_group_id',
  'skill_id',
  'is_interactive',
  'channel',
  'alerted_mcs',
  'chat_mcs',
  'has_rich_content',
  'has_interactive_cobrowse',
  'origin',
] as const

type ArchiveQuery = SelectQueryBuilder<Database, 'archived_engagements', object>
type Eb = ExpressionBuilder<Database, 'archived_engagements'>

const integersOf = (values: readonly number[]): number[] => values.filter((value) => Number.isInteger(value))

/** Archived engagements of one account: upserts with their search documents, paged export, search. */
export const archiveRepository = {
  /**
   * Inserts or replaces entries by (account, engagementId); run it inside a transaction. An entry
   * replaces only a record of its own origin; entries that would replace a record of another
   * origin, or (when not live) take the id of a live engagement, are rejected and not written.
   * Imported entries first move the account's rtSessionId allocator past their ids.
   */
  async upsert(
    db: Executor,
    dialect: DialectName,
    search: SearchIndex,
    accountId: string,
    entries: readonly ArchiveEntry[],
    origin: ArchiveOrigin,
  ): Promise<ArchiveResult> {
    // The rtSessionId a live chat of this account would have for this engagementId, if any.
    const liveIdOf = (entry: ArchiveEntry): number | undefined =>
      entry.rtSessionId !== NON_NUMERIC_RT_SESSION_ID && entry.engagementId === `${accountId}${entry.rtSessionId}`
        ? entry.rtSessionId
        : undefined
    const liveIds = entries.map(liveIdOf).filter((id) => id !== undefined)
    // First, so a chat allocating concurrently either committed its engagement (seen below) or
    // waits for this transaction and allocates above these ids.
    if (origin === 'imported' && liveIds.length > 0)
      await rtSessionIdsRepository.reservePast(
        db,
        accountId,
        liveIds.reduce((max, id) => Math.max(max, id)),
      )

    const latest = new Map<string, ArchiveEntry>()
    for (const entry of entries) latest.set(entry.engagementId, entry)

    const refused = new Map<string, string>()
    const existing = new Map<string, number>()
    const stored = new Set<string>()
    for (const ids of chunks([...latest.keys()])) {
      const rows = await db
        .selectFrom('archived_engagements')
        .select(['id', 'engagement_id', 'origin'])
        .where('account_id', '=', accountId)
        .where('engagement_id', 'in', ids)
        .execute()
      for (const row of rows) {
        if (row.origin !== origin) {
          refused.set(row.engagement_id, replacementRefusal(row.origin, origin))
          continue
        }
        existing.set(row.engagement_id, Number(row.id))
        stored.add(row.engagement_id)
      }
    }
    if (origin !== 'live') {
      const byLiveId = new Map<number, string>()
      for (const entry of latest.values()) {
        const id = liveIdOf(entry)
        if (id !== undefined && !refused.has(entry.engagementId)) byLiveId.set(id, entry.engagementId)
      }
      for (const ids of chunks([...byLiveId.keys()])) {
        const rows = await db
          .selectFrom('engagements')
          .select('rt_session_id')
          .where('account_id', '=', accountId)
          .where('rt_session_id', 'in', ids)
          .execute()
        for (const row of rows) {
          const engagementId = byLiveId.get(Number(row.rt_session_id))!
          refused.set(engagementId, `engagementId belongs to a live chat; ${ORIGIN_NAMES[origin]} does not replace it`)
          stored.delete(engagementId)
        }
      }
    }
    for (const engagementId of refused.keys()) {
      latest.delete(engagementId)
      existing.delete(engagementId)
    }
    await this.remove(db, search, [...existing.values()])

    let updated = 0
    const rejected: ArchiveRejection[] = []
    const seen = new Set<string>()
    for (const entry of entries) {
      const reason = refused.get(entry.engagementId)
      if (reason !== undefined) rejected.push({ engagementId: entry.engagementId, reason })
      else if (stored.has(entry.engagementId) || seen.has(entry.engagementId)) updated++
      seen.add(entry.engagementId)
    }

    const ids = await allocateIds(db, [...latest.values()])
    const rows = [...latest.values()].map((entry, index) => ({ entry, id: ids[index]! }))
    await insertRows(
      db,
      dialect,
      'archived_engagements',
      ENGAGEMENT_COLUMNS,
      rows.map(({ entry, id }) => {
        const info = entry.record.info
        return [
          id,
          accountId,
          entry.engagementId,
          entry.rtSessionId,
          entry.startTime,
          info.endTimeL,
          info.duration,
          info.visitorId,
          entry.agentId,
          info.agentGroupId,
          info.skillId,
          info.isInteractive === true,
          info.channel,
          info.alertedMCS,
          info.chatMCS,
          entry.hasRichContent,
          entry.hasInteractiveCoBrowse,
          origin,
        ]
      }),
    )
    await insertRows(
      db,
      dialect,
      'archived_engagement_documents',
      ['id', 'document'],
      rows.map(({ entry, id }) => [id, compress(entry.record)]),
    )
    await insertRows(
      db,
      dialect,
      'archived_cobrowse_sessions',
      ['engagement_row_id', 'seq', 'duration_ms', 'interactive'],
      rows.flatMap(({ entry, id }) =>
        entry.coBrowseSessions.map((session, seq) => [id, seq, session.durationMs, session.interactive]),
      ),
    )
    await search.add(
      db,
      rows.map(({ entry, id }) => ({ id, fields: entry.fields })),
    )
    return { inserted: entries.length - updated - rejected.length, updated, rejected }
  },

  /** Deletes archive rows by id, with their documents, co-browse sessions and search documents. */
  async remove(db: Executor, search: SearchIndex, ids: readonly number[]): Promise<void> {
    for (const part of chunks(ids)) {
      await db.deleteFrom('archived_cobrowse_sessions').where('engagement_row_id', 'in', part).execute()
      await db.deleteFrom('archived_engagement_documents').where('id', 'in', part).execute()
      await db.deleteFrom('archived_engagements').where('id', 'in', part).execute()
    }
    await search.remove(db, ids)
  },

  /** Up to `pageSize` records by start time (row id order) after row id `cursor`. */
  async exportPage(
    db: Executor,
    accountId: string,
    range: TimeRange,
    cursor: number | undefined,
    pageSize: number,
  ): Promise<{ records: EngagementRecord[]; cursor: number | undefined }> {
    const bounds = idRangeOf(range.from ?? 0, range.to ?? 2 ** 43)
    const rows = await db
      .selectFrom('archived_engagements as a')
      .innerJoin('archived_engagement_documents as d', 'd.id', 'a.id')
      .select(['a.id', 'd.document'])
      .where('a.account_id', '=', accountId)
      .where('a.id', '>', cursor ?? bounds.from - 1)
      .where('a.id', '<=', bounds.to)
      .orderBy('a.id')
      .limit(pageSize)
      .execute()
    const records = rows.map((row) => JSON.parse(decompress(row.document)) as EngagementRecord)
    const last = rows.at(-1)
    return { records, cursor: rows.length === pageSize && last ? Number(last.id) : undefined }
  },

  /**
   * Exact count of the engagements matching `filter`, and the page `offset`..`offset + limit` in
   * `sort` order (ties: rtSessionId, then engagementId) as stored JSON text.
   */
  async search(
    db: Executor,
    search: SearchIndex,
    filter: HistoryFilter,
    sort: readonly SortKey[],
    offset: number,
    limit: number,
  ): Promise<{ count: number; documents: string[] }> {
    const base = applyFilter(db.selectFrom('archived_engagements'), search, filter)
    const countAll = async (): Promise<number> => {
      const counted = await base.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirst()
      return Number(counted?.count ?? 0)
    }
    let page = base.select(['id', sql<number | string>`count(*) over ()`.as('total')])
    for (const key of sort) page = orderBy(page, key.field, key.direction)
    page = page.orderBy('rt_session_id', 'asc').orderBy('engagement_id', 'asc').limit(limit).offset(offset)

    let count: number
    let rows: { id: number }[]
    if (filter.keyword) {
      // The text match is the expensive part: count and page in one pass (count(*) over ()),
      // counting separately only when the page is empty (no match, or offset past the end).
      rows = limit > 0 ? await page.execute() : []
      const first = rows[0] as { total: number | string } | undefined
      count = first ? Number(first.total) : await countAll()
    } else {
      count = await countAll()
      if (count === 0 || offset >= count || limit <= 0) return { count, documents: [] }
      rows = await base
        .select('id')
        .$call((query) => sort.reduce((q, key) => orderBy(q, key.field, key.direction), query))
        .orderBy('rt_session_id', 'asc')
        .orderBy('engagement_id', 'asc')
        .limit(limit)
        .offset(offset)
        .execute()
    }
    const ids = rows.map((row) => Number(row.id))
    const documents = new Map<number, string>()
    for (const part of chunks(ids)) {
      const docs = await db
        .selectFrom('archived_engagement_documents')
        .select(['id', 'document'])
        .where('id', 'in', part)
        .execute()
      for (const doc of docs) documents.set(Number(doc.id), decompress(doc.document))
    }
    return { count, documents: ids.map((id) => documents.get(id)).filter((doc) => doc !== undefined) }
  },
}

const ORIGIN_NAMES: Record<string, string> = {
  live: 'a live chat',
  generated: 'a generated record',
  imported: 'an imported record',
  legacy: 'a record archived before origins were kept',
}

/** Why a record of `origin` may not replace the archived one of `existing` origin. */
const replacementRefusal = (existing: string, origin: ArchiveOrigin): string =>
  `engagementId is archived from ${ORIGIN_NAMES[existing] ?? existing}; ${ORIGIN_NAMES[origin]} does not replace it`

function applyFilter(query: ArchiveQuery, search: SearchIndex, filter: HistoryFilter): ArchiveQuery {
  let q = query.where('account_id', '=', filter.accountId)
  // Without statistics SQLite may drive a windowed search from a single-key index (chat_mcs,
  // duration, ...) and then sort everything. When a time window or a lookup key is present, the
  // other keys are written `+column` so only the window or lookup index can drive the scan.
  const driven = filter.start !== undefined || filter.visitor !== undefined || filter.engagementId !== undefined
  const key = (column: 'skill_id' | 'agent_id' | 'agent_group_id' | 'duration' | 'chat_mcs') =>
    driven ? sql<number>`+${sql.ref(column)}` : sql<number>`${sql.ref(column)}`
  const never = (): ArchiveQuery => q.where(sql<SqlBool>`1 = 0`)
  const inList = (column: 'skill_id' | 'agent_id' | 'agent_group_id', values: readonly number[]): ArchiveQuery => {
    const ints = integersOf(values)
    return ints.length === 0 ? never() : q.where(key(column), 'in', ints)
  }
  if (filter.start) {
    q = q.where('start_time', '>=', Math.ceil(filter.start.from)).where('start_time', '<=', Math.floor(filter.start.to))
  }
  if (filter.visitor !== undefined) q = q.where('visitor_id', '=', filter.visitor)
  if (filter.engagementId !== undefined) q = q.where('engagement_id', '=', filter.engagementId)
  if (filter.skillIds && filter.skillIds.length > 0) q = inList('skill_id', filter.skillIds)
  if (filter.agentIds && filter.agentIds.length > 0) q = inList('agent_id', filter.agentIds)
  if (filter.agentGroupIds && filter.agentGroupIds.length > 0) q = inList('agent_group_id', filter.agentGroupIds)
  if (filter.visibleAgentGroupIds) q = inList('agent_group_id', filter.visibleAgentGroupIds)
  if (filter.duration)
    q = q.where(key('duration'), '>=', filter.duration.from).where(key('duration'), '<=', filter.duration.to)
  if (filter.chatMcs)
    q = q.where(key('chat_mcs'), '>=', filter.chatMcs.from).where(key('chat_mcs'), '<=', filter.chatMcs.to)
  if (filter.alertedMcs && filter.alertedMcs.length > 0) q = q.where('alerted_mcs', 'in', [...filter.alertedMcs])
  if (filter.interactiveOnly === true) q = q.where('is_interactive', '=', true)
  if (filter.channel !== undefined)
    q = Number.isInteger(filter.channel) ? q.where('channel', '=', filter.channel) : never()
  if (filter.interactiveCoBrowseOnly === true) q = q.where('has_interactive_cobrowse', '=', true)
  if (filter.richContentOnly === true) q = q.where('has_rich_content', '=', true)
  const coBrowse = filter.coBrowseDuration
  if (coBrowse) {
    // Compared as duration_ms / 1000 in floating point, exactly as the filter's definition reads.
    q = q.where((eb: Eb) =>
      eb.exists(
        eb
          .selectFrom('archived_cobrowse_sessions as s')
          .select(sql.lit(1).as('one'))
          .whereRef('s.engagement_row_id', '=', 'archived_engagements.id')
          .where(sql<number>`s.duration_ms / 1000.0`, '>=', coBrowse.from)
          .where(sql<number>`s.duration_ms / 1000.0`, '<=', coBrowse.to),
      ),
    )
  }
  const keyword = filter.keyword
  if (keyword) {
    if (keyword.words.length === 0 || keyword.areas.length === 0) return never()
    const window = filter.start ? idRangeOf(filter.start.from, filter.start.to) : undefined
    q = q.where(search.matches(keyword, window))
  }
  return q
}

const SORT_COLUMNS = {
  start: 'start_time',
  end: 'end_time',
  duration: 'duration',
  visitor: 'visitor_id',
  engagementId: 'rt_session_id',
  interactive: 'is_interactive',
  agentId: 'agent_id',
  skillId: 'skill_id',
} as const satisfies Record<SortField, string>

function orderBy<Q extends SelectQueryBuilder<Database, 'archived_engagements', { id: number }>>(
  query: Q,
  field: SortField,
  direction: 'asc' | 'desc',
): Q {
  const column = SORT_COLUMNS[field]
  // agent_id is the only nullable sort key: nulls sort as the smallest value in both dialects.
  if (column === 'agent_id')
    return query.orderBy(column, (ob) => (direction === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast())) as Q
  return query.orderBy(column, direction) as Q
}

/** Ids (start ms * 1024 + slot) free in the table and among themselves, one per entry. */
async function allocateIds(db: Executor, entries: readonly ArchiveEntry[]): Promise<number[]> {
  const ids = entries.map((entry) => entry.startTime * SLOTS + slotOf(entry.engagementId))
  let pending = ids.map((_, index) => index)
  for (let round = 0; ; round++) {
    if (round > SLOTS) throw new Error('more than 1024 engagements start in the same millisecond')
    const taken = new Set<number>()
    for (const part of chunks(pending.map((index) => ids[index]!))) {
      const rows = await db.selectFrom('archived_engagements').select('id').where('id', 'in', part).execute()
      for (const row of rows) taken.add(Number(row.id))
    }
    const used = new Set<number>()
    const next: number[] = []
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index]!
      if (taken.has(id) || used.has(id)) {
        const entry = entries[index]!
        const slot = (id - entry.startTime * SLOTS + 1) % SLOTS
        ids[index] = entry.startTime * SLOTS + slot
        next.push(index)
      } else used.add(id)
    }
    if (next.length === 0) return ids
    pending = next
  }
}
