/**
 * The history explorer's search as a value: every filter of the Engagement History search
 * (docs/engagement-history.md, src/core/history/search-request.ts), the sort and the page. It lives
 * in the URL query of /console/history, so a search can be shared, reloaded and walked with
 * back/forward; `criteriaOf` turns it into the API's request body. Pure functions, no DOM.
 */

/** Time presets; `custom` uses `from`/`to`. */
export const RANGES: ReadonlyArray<readonly [id: string, label: string, ms: number]> = [
  ['1h', 'Last hour', 3600_000],
  ['24h', 'Last 24 hours', 24 * 3600_000],
  ['7d', 'Last 7 days', 7 * 24 * 3600_000],
  ['30d', 'Last 30 days', 30 * 24 * 3600_000],
]
export const CUSTOM = 'custom'

export const SORTS: ReadonlyArray<readonly [id: string, label: string]> = [
  ['start:desc', 'Newest first'],
  ['start:asc', 'Oldest first'],
  ['duration:desc', 'Longest first'],
  ['duration:asc', 'Shortest first'],
  ['end:desc', 'Ended last first'],
  ['visitor:asc', 'Visitor id'],
  ['agentId:asc', 'Agent id'],
  ['skillId:asc', 'Skill id'],
]

/** The API's keyword search areas (`keyword_search_area.types`), with a label each. */
export const AREAS: ReadonlyArray<readonly [id: string, label: string]> = [
  ['chatLine', 'Transcript lines'],
  ['surveyAnswer', 'Survey answers'],
  ['surveyQuestion', 'Survey questions'],
  ['visitorInfo', 'Visitor info'],
  ['ea.purchase', 'Purchase'],
  ['ea.viewedProduct', 'Viewed product'],
  ['ea.cartStatus', 'Cart status'],
  ['ea.serviceActivity', 'Service activity'],
  ['ea.visitorError', 'Visitor error'],
  ['ea.lead', 'Lead'],
  ['ea.customerInfo', 'Customer info'],
  ['ea.marketingCampaignInfo', 'Marketing campaign'],
  ['ea.personalInfo', 'Personal info'],
]

/** `alertedMcsValues`: -1, 0, 1. */
export const ALERTED: ReadonlyArray<readonly [value: string, label: string]> = [
  ['-1', 'Negative (−1)'],
  ['0', 'Neutral (0)'],
  ['1', 'Positive (1)'],
]

export const PAGE_SIZE = 25

/** Every value as typed (strings), so the form round-trips exactly and the API judges the numbers. */
export interface HistorySearch {
  range: string
  /** `datetime-local` values (the browser's time zone) when `range` is custom. */
  from: string
  to: string
  keyword: string
  areas: string[]
  skills: string[]
  agents: string[]
  groups: string[]
  durationFrom: string
  durationTo: string
  mcsFrom: string
  mcsTo: string
  alerted: string[]
  visitor: string
  engagementId: string
  interactive: boolean
  coBrowse: boolean
  coBrowseFrom: string
  coBrowseTo: string
  richContent: boolean
  channel: string
  sort: string
  offset: number
  /** The engagement whose record is open. */
  open: string
}

export const EMPTY_SEARCH: HistorySearch = {
  range: '24h',
  from: '',
  to: '',
  keyword: '',
  areas: [],
  skills: [],
  agents: [],
  groups: [],
  durationFrom: '',
  durationTo: '',
  mcsFrom: '',
  mcsTo: '',
  alerted: [],
  visitor: '',
  engagementId: '',
  interactive: false,
  coBrowse: false,
  coBrowseFrom: '',
  coBrowseTo: '',
  richContent: false,
  channel: '',
  sort: 'start:desc',
  offset: 0,
  open: '',
}

type TextKey = {
  [K in keyof HistorySearch]: HistorySearch[K] extends string ? K : never
}[keyof HistorySearch]
type ListKey = { [K in keyof HistorySearch]: HistorySearch[K] extends string[] ? K : never }[keyof HistorySearch]
type FlagKey = { [K in keyof HistorySearch]: HistorySearch[K] extends boolean ? K : never }[keyof HistorySearch]

/** URL parameter names: short, stable, readable. */
const TEXT_PARAMS: ReadonlyArray<readonly [TextKey, string]> = [
  ['from', 'from'],
  ['to', 'to'],
  ['keyword', 'keyword'],
  ['durationFrom', 'durationFrom'],
  ['durationTo', 'durationTo'],
  ['mcsFrom', 'mcsFrom'],
  ['mcsTo', 'mcsTo'],
  ['visitor', 'visitor'],
  ['engagementId', 'engagementId'],
  ['coBrowseFrom', 'coBrowseFrom'],
  ['coBrowseTo', 'coBrowseTo'],
  ['channel', 'channel'],
  ['open', 'open'],
]
const LIST_PARAMS: ReadonlyArray<readonly [ListKey, string]> = [
  ['areas', 'area'],
  ['skills', 'skill'],
  ['agents', 'agent'],
  ['groups', 'group'],
  ['alerted', 'alerted'],
]
const FLAG_PARAMS: ReadonlyArray<readonly [FlagKey, string]> = [
  ['interactive', 'interactive'],
  ['coBrowse', 'coBrowse'],
  ['richContent', 'richContent'],
]

/** Reads a search from `/console/history?…`; unknown or malformed values fall back to the defaults. */
export function searchFromParams(params: URLSearchParams): HistorySearch {
  const search: HistorySearch = { ...EMPTY_SEARCH }
  const range = params.get('range')
  if (range === CUSTOM || RANGES.some(([id]) => id === range)) search.range = range as string
  for (const [key, name] of TEXT_PARAMS) search[key] = params.get(name) ?? ''
  for (const [key, name] of LIST_PARAMS) search[key] = [...new Set(params.getAll(name).filter((value) => value !== ''))]
  for (const [key, name] of FLAG_PARAMS) search[key] = params.get(name) === '1'
  const sort = params.get('sort')
  if (sort && SORTS.some(([id]) => id === sort)) search.sort = sort
  const offset = Number(params.get('offset'))
  search.offset = Number.isSafeInteger(offset) && offset > 0 ? offset : 0
  return search
}

/** The URL query of a search: only what differs from the defaults, in a stable order. */
export function searchToParams(search: HistorySearch): URLSearchParams {
  const params = new URLSearchParams()
  params.set('range', search.range)
  for (const [key, name] of TEXT_PARAMS) {
    if ((key === 'from' || key === 'to') && search.range !== CUSTOM) continue
    if (search[key] !== '') params.set(name, search[key])
  }
  for (const [key, name] of LIST_PARAMS) for (const value of search[key]) params.append(name, value)
  for (const [key, name] of FLAG_PARAMS) if (search[key]) params.set(name, '1')
  params.set('sort', search.sort)
  if (search.offset > 0) params.set('offset', String(search.offset))
  return params
}

/** The search without its page and open record: two searches with the same key have the same result. */
export function resultKey(search: HistorySearch): string {
  return searchToParams({ ...search, offset: 0, open: '' }).toString()
}

/** `datetime-local` text (local time) → epoch ms; NaN when empty or invalid. */
export const localToMs = (text: string): number => (text === '' ? NaN : new Date(text).getTime())

/** Epoch ms → `datetime-local` text in the browser's time zone (minutes). */
export function msToLocal(ms: number): string {
  const date = new Date(ms)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/**
 * The request body of the search (the API's field names). Numbers travel as typed (the API accepts
 * numeric strings and answers a clear 400 naming the field otherwise), so the form does not guess
 * the API's rules; an empty field is left out. `start` is sent even with a visitor or engagement id
 * (the API ignores it then).
 */
export function criteriaOf(search: HistorySearch, now: number): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (search.range === CUSTOM) {
    const from = localToMs(search.from)
    const to = localToMs(search.to)
    body.start = {
      ...(Number.isNaN(from) ? {} : { from }),
      ...(Number.isNaN(to) ? {} : { to }),
    }
  } else {
    const span = RANGES.find(([id]) => id === search.range)?.[2] ?? 24 * 3600_000
    body.start = { from: now - span, to: now }
  }
  const text = (value: string) => value.trim()
  const range = (from: string, to: string) =>
    text(from) === '' && text(to) === ''
      ? undefined
      : { ...(text(from) ? { from: text(from) } : {}), ...(text(to) ? { to: text(to) } : {}) }
  if (text(search.keyword)) body.keyword = text(search.keyword)
  if (search.areas.length > 0) body.keyword_search_area = { types: search.areas }
  if (search.skills.length > 0) body.skillIds = search.skills
  if (search.agents.length > 0) body.agentIds = search.agents
  if (search.groups.length > 0) body.agentGroupIds = search.groups
  const duration = range(search.durationFrom, search.durationTo)
  if (duration) body.duration = duration
  const mcs = range(search.mcsFrom, search.mcsTo)
  if (mcs) body.chatMCS = mcs
  if (search.alerted.length > 0) body.alertedMcsValues = search.alerted
  if (text(search.visitor)) body.visitor = text(search.visitor)
  if (text(search.engagementId)) body.engagementId = text(search.engagementId)
  if (search.interactive) body.interactive = true
  if (search.coBrowse) body.hasInteractiveCoBrowse = true
  const coBrowse = range(search.coBrowseFrom, search.coBrowseTo)
  if (coBrowse) body.coBrowseDuration = coBrowse
  if (search.richContent) body.lineContentTypes = ['RICH_CONTENT']
  if (text(search.channel)) body.channel = text(search.channel)
  return body
}

/** The filters beyond time, keyword and sort that are set, named (shown on the "More filters" toggle). */
export function extraFilters(search: HistorySearch): string[] {
  const set: Array<[boolean, string]> = [
    [search.areas.length > 0, 'keyword areas'],
    [search.skills.length > 0, 'skills'],
    [search.agents.length > 0, 'agents'],
    [search.groups.length > 0, 'agent groups'],
    [search.durationFrom !== '' || search.durationTo !== '', 'duration'],
    [search.mcsFrom !== '' || search.mcsTo !== '', 'MCS'],
    [search.alerted.length > 0, 'alerted MCS'],
    [search.visitor !== '', 'visitor'],
    [search.engagementId !== '', 'engagement'],
    [search.interactive, 'interactive'],
    [search.coBrowse, 'co-browse'],
    [search.coBrowseFrom !== '' || search.coBrowseTo !== '', 'co-browse duration'],
    [search.richContent, 'rich content'],
    [search.channel !== '', 'channel'],
  ]
  return set.filter(([on]) => on).map(([, name]) => name)
}

/**
 * Which form field an API validation message names (`chatMCS.from: must be a number` → `chatMCS`,
 * `alertedMcsValues[0]: …` → `alertedMcsValues`), for showing the error next to it.
 */
export function apiFieldOf(message: string): string | undefined {
  const match = /^([A-Za-z_][\w.[\]]*):\s/.exec(message)
  return match?.[1]?.split(/[.[]/)[0]
}
