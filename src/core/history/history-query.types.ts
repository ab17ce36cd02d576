/** Keyword search areas that hold text (engagement-history.md §3); `mcs` is a filter switch, not an area. */
export const TEXT_AREAS = [
  'chatLine',
  'surveyAnswer',
  'surveyQuestion',
  'visitorInfo',
  'ea.purchase',
  'ea.viewedProduct',
  'ea.cartStatus',
  'ea.serviceActivity',
  'ea.visitorError',
  'ea.lead',
  'ea.customerInfo',
  'ea.marketingCampaignInfo',
  'ea.personalInfo',
] as const

export type TextArea = (typeof TEXT_AREAS)[number]

export const SORT_FIELDS = [
  'start',
  'end',
  'duration',
  'visitor',
  'engagementId',
  'interactive',
  'agentId',
  'skillId',
] as const
export type SortField = (typeof SORT_FIELDS)[number]

export interface SortKey {
  field: SortField
  direction: 'asc' | 'desc'
}

/** Inclusive numeric range. */
export interface Range {
  from: number
  to: number
}

/**
 * A validated Engagement History filter, ready to run (HTTP parsing, D4 rounding and the 31-day
 * cap happen before this). Absent fields do not filter; present ones are ANDed; lists are ORed.
 */
export interface HistoryFilter {
  accountId: string
  /** `info.startTimeL` window, already rounded to 10 minutes; absent for visitor/engagementId lookups. */
  start?: Range
  /** Matches `info.visitorId` exactly. */
  visitor?: string
  /** Matches `info.engagementId` exactly. */
  engagementId?: string
  /**
   * Normalised words (NFD, marks removed, lower-cased, split on non letters/digits) that must
   * appear consecutively in one text field of one of `areas`. Never empty here: a keyword
   * without words matches nothing and is answered before querying.
   */
  keyword?: { words: string[]; areas: readonly TextArea[] }
  skillIds?: number[]
  /** Compared numerically with `info.agentId`. */
  agentIds?: number[]
  agentGroupIds?: number[]
  /** Seconds, `info.duration`. */
  duration?: Range
  /** `info.chatMCS`; null chatMCS never matches. */
  chatMcs?: Range
  /** `info.alertedMCS` in the list. */
  alertedMcs?: number[]
  /** Only `isInteractive: true`. */
  interactiveOnly?: boolean
  channel?: number
  /** At least one co-browse session with `interactive: true`. */
  interactiveCoBrowseOnly?: boolean
  /** Seconds: at least one co-browse session whose duration (ms) / 1000 lies within. */
  coBrowseDuration?: Range
  /** At least one `rich-content` line. */
  richContentOnly?: boolean
  /** Agent-manager visibility: only engagements whose `info.agentGroupId` is listed. */
  visibleAgentGroupIds?: number[]
}

export interface HistoryPage {
  /** Exact number of matching engagements. */
  count: number
  /**
   * The page's records as their archived JSON text, in section order (`inSectionOrder`): the
   * response embeds them as they are, so pages are never parsed and re-serialised on the way out.
   */
  documents: string[]
}

/**
 * Runs Engagement History searches. Ties of the sort keys are broken by rtSessionId ascending,
 * then engagementId. Implementations: storage-backed (SQLite/PostgreSQL, off the main thread)
 * and an in-memory reference used as the test oracle.
 */
export interface HistoryQuery {
  search(filter: HistoryFilter, sort: readonly SortKey[], offset: number, limit: number): Promise<HistoryPage>
}
