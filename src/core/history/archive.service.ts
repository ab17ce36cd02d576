import { invalid } from '../errors.ts'
import type { ArchiveEntry, ArchiveOrigin, ArchiveResult, ArchiveStore, TimeRange } from './archive.types.ts'
import { TEXT_AREAS, type TextArea } from './history-query.types.ts'
import { hasInteractiveCoBrowse, hasRichContent, numericAgentIdOf, rtSessionKeyOf } from './record-keys.ts'
import type { EngagementRecord } from './record.types.ts'
import { inSectionOrder } from './record-sections.ts'
import { areaTexts, searchWords } from './text-areas.ts'

/** Archives ended engagements and streams them back out. */
export interface ArchiveService {
  /**
   * Inserts or replaces (by `info.engagementId` within the account) every record, with its search
   * document, in one transaction: all or nothing. Records are returned later exactly as given.
   * A record never replaces one of another origin: it is rejected (with the reason) instead.
   */
  archiveRecords(accountId: string, records: readonly EngagementRecord[], origin: ArchiveOrigin): Promise<ArchiveResult>
  /**
   * Reserves `count` consecutive rtSessionIds from the account's allocator (shared with live
   * chats, atomic across processes) and returns the first: ids for generated records.
   */
  allocateRtSessionIds(accountId: string, count: number): Promise<number>
  /** Every record of the account whose start time lies in `range` (inclusive), by start time, read in pages. */
  exportRecords(accountId: string, range?: TimeRange): AsyncIterable<EngagementRecord>
}

const EXPORT_PAGE_SIZE = 500

export function createArchiveService(deps: { store: ArchiveStore }): ArchiveService {
  const { store } = deps
  return {
    async archiveRecords(accountId, records, origin) {
      if (records.length === 0) return { inserted: 0, updated: 0, rejected: [] }
      return store.upsert(accountId, records.map(toArchiveEntry), origin)
    },

    allocateRtSessionIds: (accountId, count) => store.allocateRtSessionIds(accountId, count),

    async *exportRecords(accountId, range = {}) {
      let cursor: number | undefined
      do {
        const page = await store.exportPage(accountId, range, cursor, EXPORT_PAGE_SIZE)
        yield* page.records
        cursor = page.cursor
      } while (cursor !== undefined)
    },
  }
}

/** Derives the stored keys and search words of a record (tokenised exactly as the reference filter does). */
export function toArchiveEntry(record: EngagementRecord): ArchiveEntry {
  const start = record.info.startTimeL
  // The archive row id is start ms * 1024 + slot and must stay a safe integer (until year 2248).
  if (!Number.isInteger(start) || start < 0 || start >= 2 ** 43)
    throw invalid('info.startTimeL', 'must be a non-negative integer epoch time in ms')
  const texts = areaTexts(record)
  const fields = {} as Record<TextArea, string[][]>
  for (const area of TEXT_AREAS) {
    fields[area] = texts[area].map(searchWords).filter((words) => words.length > 0)
  }
  return {
    record: inSectionOrder(record),
    engagementId: record.info.engagementId,
    startTime: record.info.startTimeL,
    rtSessionId: rtSessionKeyOf(record),
    agentId: numericAgentIdOf(record),
    hasRichContent: hasRichContent(record),
    hasInteractiveCoBrowse: hasInteractiveCoBrowse(record),
    coBrowseSessions: record.coBrowseSessions.coBrowseSessionsList.map((session) => ({
      durationMs: session.duration,
      interactive: session.interactive === true,
    })),
    fields,
  }
}
