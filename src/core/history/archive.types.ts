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

/**
 * Where an archived record came from. A record replaces an archived one with the same
 * engagementId only when both have the same origin (a live chat re-archived, an export imported
 * again); anything else is rejected (docs/engagement-history.md, "Engagement ids").
 */
export type ArchiveOrigin = 'live' | 'generated' | 'imported'

/** A record the archive refused to write, and why. */
export interface ArchiveRejection {
  engagementId: string
  reason: string
}

/** What one archive call did: every entry is counted once, as inserted, updated or rejected. */
export interface ArchiveResult {
  inserted: number
  updated: number
  rejected: ArchiveRejection[]
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
   * transaction, with their search documents. Later entries win over earlier ones with the same
   * id. An entry whose engagementId is archived with another origin, or (for generated and
   * imported entries) belongs to a live engagement not yet archived, is rejected and not
   * written. Imported entries move the account's rtSessionId allocator past their ids.
   */
  upsert(accountId: string, entries: readonly ArchiveEntry[], origin: ArchiveOrigin): Promise<ArchiveResult>
  /** Reserves `count` consecutive rtSessionIds from the account's allocator; returns the first. */
  allocateRtSessionIds(accountId: string, count: number): Promise<number>
  /** One page of records by start time (then archive order), after `cursor`; `cursor` undefined when done. */
  exportPage(
    accountId: string,
    range: TimeRange,
    cursor: number | undefined,
    pageSize: number,
  ): Promise<{ records: EngagementRecord[]; cursor: number | undefined }>
}
