import { toPath, type HttpClient } from './http.ts'

/** Engagement History (docs/engagement-history.md): search, paging by `_metadata.next`, whole-result export. */

export interface HistoryLine {
  time: string
  timeL: number
  text?: string
  textType?: string
  by?: string
  source: string
  subType?: string
}

export interface SurveyItem {
  displayName: string
  value: string
}

export interface HistoryRecord {
  info: {
    engagementId: string
    startTime: string
    startTimeL: number
    endTime?: string
    duration: number
    visitorId: string
    visitorName: string
    agentNickName?: string
    agentLoginName?: string
    skillName?: string
    agentGroupName?: string
    chatMCS: number | null
    alertedMCS: number | null
    endReasonDesc?: string
    interactive?: boolean
    chatStartUrl?: string
  }
  transcript: { lines: HistoryLine[] }
  lineScores: Array<{ lineSeq: number | string; mcs: number; lineRawScore: number }>
  surveys: { preChat: SurveyItem[]; postChat: SurveyItem[]; operator: SurveyItem[] }
  visitorInfo: Record<string, string>
  campaign?: Record<string, unknown>
  sdes?: { events?: Array<Record<string, unknown>> }
}

export interface HistoryPage {
  count: number
  next: string | undefined
  records: HistoryRecord[]
}

/** The search body (a subset of LivePerson's criteria the explorer offers). */
export interface HistoryCriteria {
  start: { from: number; to: number }
  keyword?: string
  sort?: string
}

interface SearchAnswer {
  _metadata: { count: number; next?: { href: string } }
  interactionHistoryRecords?: HistoryRecord[]
}

export function historyApi(http: HttpClient, accountId: string) {
  const searchUrl = `/interaction_history/api/account/${encodeURIComponent(accountId)}/interactions/search`
  const page = async (url: string, criteria: HistoryCriteria, signal?: AbortSignal): Promise<HistoryPage> => {
    // `sort` travels in the query string; the body carries the criteria.
    const body = { start: criteria.start, ...(criteria.keyword ? { keyword: criteria.keyword } : {}) }
    const answer = await http.request<SearchAnswer>('POST', url, {
      body,
      retry: true,
      ...(signal ? { signal } : {}),
    })
    return {
      count: answer.data._metadata.count,
      next: answer.data._metadata.next ? toPath(answer.data._metadata.next.href) : undefined,
      records: answer.data.interactionHistoryRecords ?? [],
    }
  }
  const firstUrl = (criteria: HistoryCriteria, offset: number, limit: number) =>
    `${searchUrl}?offset=${offset}&limit=${limit}${criteria.sort ? `&sort=${encodeURIComponent(criteria.sort)}` : ''}&source=parleyConsole`
  return {
    search(criteria: HistoryCriteria, offset: number, limit: number, signal?: AbortSignal): Promise<HistoryPage> {
      return page(firstUrl(criteria, offset, limit), criteria, signal)
    },
    /** Every record of the search, page after page by `_metadata.next` (the whole result, not one page). */
    async *all(criteria: HistoryCriteria, signal?: AbortSignal): AsyncGenerator<HistoryPage> {
      let url: string | undefined = firstUrl(criteria, 0, 100)
      while (url) {
        const current: HistoryPage = await page(url, criteria, signal)
        yield current
        url = current.next
      }
    },
  }
}

export type HistoryApi = ReturnType<typeof historyApi>

const CSV_COLUMNS: Array<[string, (record: HistoryRecord) => unknown]> = [
  ['engagementId', (r) => r.info.engagementId],
  ['startTime', (r) => r.info.startTime],
  ['endTime', (r) => r.info.endTime],
  ['duration', (r) => r.info.duration],
  ['visitorId', (r) => r.info.visitorId],
  ['visitorName', (r) => r.info.visitorName],
  ['agentLoginName', (r) => r.info.agentLoginName],
  ['agentNickName', (r) => r.info.agentNickName],
  ['skillName', (r) => r.info.skillName],
  ['agentGroupName', (r) => r.info.agentGroupName],
  ['chatMCS', (r) => r.info.chatMCS],
  ['alertedMCS', (r) => r.info.alertedMCS],
  ['endReason', (r) => r.info.endReasonDesc],
  ['lines', (r) => r.transcript.lines.length],
]

/** RFC 4180 field: quoted when needed; a leading =, +, - or @ is prefixed so spreadsheets never run it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value)
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export const csvHeader = () => `${CSV_COLUMNS.map(([name]) => name).join(',')}\r\n`
export const csvRow = (record: HistoryRecord) =>
  `${CSV_COLUMNS.map(([, read]) => csvField(read(record))).join(',')}\r\n`
