import type { HistoryFilter, HistoryPage, HistoryQuery, Range, SortKey } from './history-query.types.ts'
import { inSectionOrder } from './record-sections.ts'
import type { EngagementRecord } from './record.types.ts'
import { areaTexts, containsPhrase, searchWords } from './text-areas.ts'

/** An in-memory archive: the reference `HistoryQuery` (test oracle) and the store it searches. */
export interface InMemoryHistoryQuery extends HistoryQuery {
  /** Stores records in `accountId`'s archive, replacing any with the same `info.engagementId`. */
  archiveRecords(accountId: string, records: readonly EngagementRecord[]): void
}

const within = (value: number, range: Range): boolean => value >= range.from && value <= range.to

const present = <T>(list: readonly T[] | undefined): list is readonly T[] => list !== undefined && list.length > 0

/**
 * The engagement's `rtSessionId`: `info.engagementId` without the `accountId` prefix, when that rest
 * is all digits; undefined otherwise.
 */
export function rtSessionIdOf(info: { engagementId: string; accountId: string }): bigint | undefined {
  const { engagementId, accountId } = info
  if (!engagementId.startsWith(accountId)) return undefined
  const rest = engagementId.slice(accountId.length)
  return /^\d{1,30}$/.test(rest) ? BigInt(rest) : undefined
}

function matchesKeyword(record: EngagementRecord, keyword: NonNullable<HistoryFilter['keyword']>): boolean {
  const texts = areaTexts(record)
  return keyword.areas.some((area) => texts[area].some((text) => containsPhrase(searchWords(text), keyword.words)))
}

/** True when `record` passes every present field of `filter` (engagement-history.md §2.3, §3). */
export function matchesFilter(record: EngagementRecord, filter: HistoryFilter): boolean {
  const info = record.info
  if (filter.start && !within(info.startTimeL, filter.start)) return false
  if (filter.visitor !== undefined && info.visitorId !== filter.visitor) return false
  if (filter.engagementId !== undefined && info.engagementId !== filter.engagementId) return false
  if (present(filter.skillIds) && !filter.skillIds.includes(info.skillId)) return false
  if (present(filter.agentIds) && !filter.agentIds.includes(Number(info.agentId))) return false
  if (present(filter.agentGroupIds) && !filter.agentGroupIds.includes(info.agentGroupId)) return false
  if (filter.visibleAgentGroupIds && !filter.visibleAgentGroupIds.includes(info.agentGroupId)) return false
  if (filter.duration && !within(info.duration, filter.duration)) return false
  if (filter.chatMcs && (info.chatMCS === null || !within(info.chatMCS, filter.chatMcs))) return false
  if (present(filter.alertedMcs) && (info.alertedMCS === null || !filter.alertedMcs.includes(info.alertedMCS)))
    return false
  if (filter.interactiveOnly === true && !info.isInteractive) return false
  if (filter.channel !== undefined && info.channel !== filter.channel) return false
  const coBrowse = record.coBrowseSessions.coBrowseSessionsList
  if (filter.interactiveCoBrowseOnly === true && !coBrowse.some((session) => session.interactive)) return false
  const coBrowseRange = filter.coBrowseDuration
  if (coBrowseRange && !coBrowse.some((session) => within(session.duration / 1000, coBrowseRange))) return false
  if (filter.richContentOnly === true && !record.transcript.lines.some((line) => line.textType === 'rich-content'))
    return false
  if (filter.keyword && !matchesKeyword(record, filter.keyword)) return false
  return true
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const compareNumber = (a: number, b: number): number => a - b

// Numeric rtSessionIds sort before engagements whose id has no numeric rtSessionId.
function compareRtSessionId(a: EngagementRecord, b: EngagementRecord): number {
  const left = rtSessionIdOf(a.info)
  const right = rtSessionIdOf(b.info)
  if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? 1 : -1
  return left < right ? -1 : left > right ? 1 : 0
}

function compareBy(field: SortKey['field'], a: EngagementRecord, b: EngagementRecord): number {
  switch (field) {
    case 'start':
      return compareNumber(a.info.startTimeL, b.info.startTimeL)
    case 'end':
      return compareNumber(a.info.endTimeL, b.info.endTimeL)
    case 'duration':
      return compareNumber(a.info.duration, b.info.duration)
    case 'visitor':
      return compareText(a.info.visitorId, b.info.visitorId)
    case 'engagementId':
      return compareRtSessionId(a, b)
    case 'interactive':
      return compareNumber(Number(a.info.isInteractive), Number(b.info.isInteractive))
    case 'agentId':
      return compareNumber(Number(a.info.agentId), Number(b.info.agentId))
    case 'skillId':
      return compareNumber(a.info.skillId, b.info.skillId)
  }
}

/**
 * Orders records by `sort`, then rtSessionId ascending (numeric ones first), then engagementId
 * (code-unit order), as the `HistoryQuery` contract requires.
 */
export function compareRecords(sort: readonly SortKey[]): (a: EngagementRecord, b: EngagementRecord) => number {
  return (a, b) => {
    for (const key of sort) {
      const order = compareBy(key.field, a, b)
      if (order !== 0) return key.direction === 'asc' ? order : -order
    }
    return compareRtSessionId(a, b) || compareText(a.info.engagementId, b.info.engagementId)
  }
}

/**
 * The straightforward `HistoryQuery`: filters every record of the account one by one, sorts and
 * slices. Linear in the archive size; meant for tests and as the semantics oracle of the storage
 * implementation.
 */
export function createInMemoryHistoryQuery(): InMemoryHistoryQuery {
  const archives = new Map<string, Map<string, EngagementRecord>>()
  return {
    archiveRecords(accountId, records) {
      let archive = archives.get(accountId)
      if (!archive) archives.set(accountId, (archive = new Map<string, EngagementRecord>()))
      for (const record of records) archive.set(record.info.engagementId, inSectionOrder(record))
    },
    async search(filter, sort, offset, limit): Promise<HistoryPage> {
      const archive = archives.get(filter.accountId)
      const matching = [...(archive?.values() ?? [])].filter((record) => matchesFilter(record, filter))
      matching.sort(compareRecords(sort))
      const page = matching.slice(offset, offset + limit)
      return { count: matching.length, documents: page.map((record) => JSON.stringify(record)) }
    },
  }
}
