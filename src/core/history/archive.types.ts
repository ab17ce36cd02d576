import type { TextArea } from './history-query.types.ts'
import type { EngagementRecord } from './record.types.ts'

/**
 * One record ready to archive: the record itself (stored and returned unchanged) plus the
 * keys and search words derived from it, so storage never interprets a record.
 */
export interface ArchiveEntry {
  record: EngagementRecord
  engagementId: string
  startTime: number
  rtSessionId: number
  agentId: number | null
  hasRichContent: boolean
  hasInteractiveCoBrowse: boolean
  /** Durations in ms and interactivity of each co-browse session. */
  coBrowseSessions: { durationMs: number; interactive: boolean }[]
  /** Per keyword area, the normalised words of each text field (one inner array per field). */
  fields: Record<TextArea, string[][]>
}

/** Start-time range (epoch ms, inclusive) for exports. */
export interface TimeRange {
  from?: number
  to?: number
}

/** Where archived engagements live; implemented in storage. */
export interface ArchiveStore {
  /**
   * Inserts or replaces `entries` (keyed by engagementId within the account) in one
   * transaction, with their search documents. Later entries win over earlier ones with the same id.
   */
  upsert(accountId: string, entries: readonly ArchiveEntry[]): Promise<{ inserted: number; updated: number }>
  /** One page of records by start time (then archive order), after `cursor`; `cursor` undefined when done. */
  exportPage(
    accountId: string,
    range: TimeRange,
    cursor: number | undefined,
    pageSize: number,
  ): Promise<{ records: EngagementRecord[]; cursor: number | undefined }>
}
