import type { EngagementRecord } from './record.types.ts'

const EMPTY_SECTIONS = {
  transcript: () => ({ lines: [] }),
  lineScores: () => [],
  surveys: () => ({ preChat: [], postChat: [], operator: [] }),
  campaign: () => ({}),
  visitorInfo: () => ({}),
  coBrowseSessions: () => ({ coBrowseSessionsList: [] }),
  sdes: () => ({ events: [] }),
} as const

/**
 * The record with its sections in the documented order (engagement-history.md §5): `info`, then
 * transcript, lineScores, surveys, campaign, visitorInfo, coBrowseSessions, sdes. A missing section
 * takes its empty form; fields outside these sections (kept from imports, §9) follow them. The
 * archive stores records in this form, so a stored record's JSON text is the response's.
 */
export function inSectionOrder(record: EngagementRecord): EngagementRecord {
  const source = record as unknown as Record<string, unknown>
  const ordered: Record<string, unknown> = { info: source.info }
  for (const [section, empty] of Object.entries(EMPTY_SECTIONS)) ordered[section] = source[section] ?? empty()
  for (const [key, value] of Object.entries(source)) if (!(key in ordered) && value !== undefined) ordered[key] = value
  return ordered as unknown as EngagementRecord
}

/** The records of archived JSON documents (what a `HistoryPage` carries). */
export const parseDocuments = (documents: readonly string[]): EngagementRecord[] =>
  documents.map((document) => JSON.parse(document) as EngagementRecord)
