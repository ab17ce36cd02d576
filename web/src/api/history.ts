import { toPath, type HttpClient } from './http.ts'

/** Engagement History (docs/engagement-history.md): search, paging by `_metadata.next`, whole-result export. */

export interface HistoryLine {
  time: string
  timeL: number
  text?: string
  textType?: string
  by?: string
  source: string
  /** Rich content (structured content JSON) when `textType` is `rich-content`. */
  json?: unknown
  subType?: string
  lineSeq?: string | number
}

export interface SurveyItem {
  displayName: string
  value: string
  values?: string[]
}

export interface SurveySet {
  preChat: SurveyItem[]
  postChat: SurveyItem[]
  operator: SurveyItem[]
}

export interface CoBrowseSession {
  sessionId?: string
  startTime?: string
  startTimeL?: number
  endTime?: string
  endTimeL?: number
  endReason?: string
  /** Milliseconds. */
  duration?: number
  interactive?: boolean
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
    agentId?: string
    agentNickName?: string
    agentLoginName?: string
    skillName?: string
    agentGroupName?: string
    chatMCS: number | null
    alertedMCS: number | null
    startReasonDesc?: string
    endReasonDesc?: string
    interactive?: boolean
    isInteractive?: boolean
    channel?: number
    chatStartUrl?: string
    chatStartPage?: string
  }
  transcript: { lines: HistoryLine[] }
  lineScores: Array<{ lineSeq: number | string; mcs: number; lineRawScore: number }>
  surveys: SurveySet
  visitorInfo: Record<string, string>
  campaign?: Record<string, unknown>
  coBrowseSessions?: { coBrowseSessionsList?: CoBrowseSession[] }
  sdes?: { events?: Array<Record<string, unknown>> }
}

export interface HistoryPage {
  count: number
  next: string | undefined
  records: HistoryRecord[]
}

/**
 * A search: the request body (LivePerson's criteria, built by web/src/state/history-search.ts) and
 * the sort, which travels in the query string.
 */
export interface HistoryCriteria {
  body: Record<string, unknown>
  sort?: string
}

/** The API's largest page (`limit` above it is cut to it): the export pages with it. */
export const MAX_PAGE_SIZE = 100

interface SearchAnswer {
  _metadata: { count: number; next?: { href: string } }
  interactionHistoryRecords?: HistoryRecord[]
}

export function historyApi(http: HttpClient, accountId: string) {
  const searchUrl = `/interaction_history/api/account/${encodeURIComponent(accountId)}/interactions/search`
  const page = async (url: string, criteria: HistoryCriteria, signal?: AbortSignal): Promise<HistoryPage> => {
    const answer = await http.request<SearchAnswer>('POST', url, {
      body: criteria.body,
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
      let url: string | undefined = firstUrl(criteria, 0, MAX_PAGE_SIZE)
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

export type ExportFormat = 'csv' | 'jsonl'

/** One JSON Lines row: the record exactly as the API returned it. */
export const jsonlRow = (record: HistoryRecord) => `${JSON.stringify(record)}\n`

export interface ExportResult {
  blob: Blob
  /** Rows written (records; the CSV header is not counted). */
  rows: number
  /** The API's count on the last page read; differs from `rows` only if the archive changed meanwhile. */
  count: number
}

/**
 * The whole result of a search as CSV or JSON Lines: pages of the API's maximum size, followed by
 * `_metadata.next`, each page turned into a small Blob as it arrives, so the page's parsed records
 * can be dropped and memory stays bounded by one page (the browser keeps large Blobs out of the
 * JavaScript heap). `onProgress` gets the rows written so far and the API's count.
 */
export async function exportSearch(
  api: HistoryApi,
  criteria: HistoryCriteria,
  format: ExportFormat,
  onProgress: (rows: number, count: number) => void,
  signal?: AbortSignal,
): Promise<ExportResult> {
  const parts: Blob[] = format === 'csv' ? [new Blob([csvHeader()])] : []
  let rows = 0
  let count = 0
  for await (const page of api.all(criteria, signal)) {
    parts.push(new Blob(page.records.map(format === 'csv' ? csvRow : jsonlRow)))
    rows += page.records.length
    count = page.count
    onProgress(rows, count)
  }
  const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8'
  return { blob: new Blob(parts, { type }), rows, count }
}
