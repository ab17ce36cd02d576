import type { EngagementRecord } from './record.types.ts'

const DIGITS = /^\d{1,15}$/

/**
 * Sort key of a record's rtSessionId, used for the `engagementId` sort and to break ties:
 * `info.engagementId` without the leading `info.accountId`, as a number. Ids without that shape
 * (no account prefix, non-digits, more than 15 digits) get NON_NUMERIC_RT_SESSION_ID, so they
 * sort after every numeric one and then by engagementId.
 */
export function rtSessionKeyOf(record: EngagementRecord): number {
  const { engagementId, accountId } = record.info
  if (!engagementId.startsWith(accountId)) return NON_NUMERIC_RT_SESSION_ID
  const rest = engagementId.slice(accountId.length)
  return DIGITS.test(rest) ? Number(rest) : NON_NUMERIC_RT_SESSION_ID
}

export const NON_NUMERIC_RT_SESSION_ID = Number.MAX_SAFE_INTEGER

/** `info.agentId` as a number (as `Number()` reads it) for filters and sorting; null when not finite. */
export function numericAgentIdOf(record: EngagementRecord): number | null {
  const id = Number(record.info.agentId)
  return Number.isFinite(id) ? id : null
}

/** The record has at least one `rich-content` transcript line. */
export const hasRichContent = (record: EngagementRecord): boolean =>
  record.transcript.lines.some((line) => line.textType === 'rich-content')

/** The record has at least one co-browse session with `interactive: true`. */
export const hasInteractiveCoBrowse = (record: EngagementRecord): boolean =>
  record.coBrowseSessions.coBrowseSessionsList.some((session) => session.interactive === true)
