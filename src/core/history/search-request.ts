import { invalid } from '../errors.ts'
import {
  SORT_FIELDS,
  TEXT_AREAS,
  type HistoryFilter,
  type Range,
  type SortField,
  type SortKey,
  type TextArea,
} from './history-query.types.ts'
import { searchWords } from './text-areas.ts'

/** Raw query-string values as the transport parsed them (repeated names arrive as arrays). */
export type RawQuery = Readonly<Record<string, unknown>>

/** Query parameters echoed in `_metadata` links, as the client sent them (Decision D4). */
export interface LinkParams {
  sort?: string
  source?: string
}

/** A validated Engagement History search (engagement-history.md §2, Decision D4). */
export interface SearchRequest {
  filter: HistoryFilter
  sort: SortKey[]
  offset: number
  /** Effective page size: 1..100. */
  limit: number
  linkParams: LinkParams
  /**
   * True when the filter provably matches nothing (a keyword without word characters, `mcs` and
   * `alertedMcsValues` with no value in common): answer count 0 without querying.
   */
  matchesNothing: boolean
}

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 100
export const DEFAULT_SORT: readonly SortKey[] = [{ field: 'start', direction: 'desc' }]
/** `start.from` is rounded down and `start.to` up to this boundary (UTC). */
export const START_ROUNDING_MS = 10 * 60 * 1000
/** Longest `start` window after rounding. */
export const MAX_WINDOW_MS = 31 * 24 * 60 * 60 * 1000

/** Most values accepted in one list filter (keeps every query within the databases' parameter limits). */
export const MAX_LIST_VALUES = 1000

const MCS_AREA = 'mcs'
const ALERTED_MCS_VALUES: readonly number[] = [-1, 0, 1]
const RICH_CONTENT = 'RICH_CONTENT'
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const DIGITS = /^\+?\d+$/

/** The first value of a query parameter; an empty value counts as absent (`?offset=&limit=`). */
function queryValue(query: RawQuery, name: string): string | undefined {
  const raw = query[name]
  const value = Array.isArray(raw) ? (raw as unknown[])[0] : raw
  if (typeof value !== 'string') return undefined
  return value === '' ? undefined : value
}

function parseOffset(query: RawQuery): number {
  const text = queryValue(query, 'offset')
  if (text === undefined) return 0
  if (!DIGITS.test(text.trim())) throw invalid('offset', 'must be an integer >= 0')
  const offset = Number(text.trim())
  if (!Number.isSafeInteger(offset)) throw invalid('offset', 'must be an integer >= 0')
  return offset
}

function parseLimit(query: RawQuery): number {
  const text = queryValue(query, 'limit')
  if (text === undefined) return DEFAULT_LIMIT
  if (!DIGITS.test(text.trim())) throw invalid('limit', 'must be an integer >= 1')
  const limit = Number(text.trim())
  if (limit < 1) throw invalid('limit', 'must be an integer >= 1')
  return Math.min(limit, MAX_LIMIT)
}

const isSortField = (name: string): name is SortField => (SORT_FIELDS as readonly string[]).includes(name)

/** `field[:dir][,field[:dir]...]`; dir `asc`, `desc` or `des` (any case), missing = `asc`. */
export function parseSort(text: string | undefined): SortKey[] {
  if (text === undefined) return [...DEFAULT_SORT]
  const keys: SortKey[] = []
  for (const part of text.split(',')) {
    if (part.trim() === '') continue
    const [rawField = '', rawDirection, ...rest] = part.split(':').map((piece) => piece.trim())
    if (!isSortField(rawField)) throw invalid('sort', `unknown sort field '${rawField}'`)
    const direction = rawDirection === undefined || rawDirection === '' ? 'asc' : rawDirection.toLowerCase()
    if (rest.length > 0 || (direction !== 'asc' && direction !== 'desc' && direction !== 'des'))
      throw invalid('sort', `unknown sort direction in '${part.trim()}'`)
    keys.push({ field: rawField, direction: direction === 'asc' ? 'asc' : 'desc' })
  }
  return keys.length > 0 ? keys : [...DEFAULT_SORT]
}

/** A JSON number, or a string holding one (Decision D4); null and undefined are absent. */
function toNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMBER_TEXT.test(value.trim())
        ? Number(value)
        : NaN
  if (!Number.isFinite(parsed)) throw invalid(field, 'must be a number')
  // Every stored number is a safe integer; larger values could only overflow PostgreSQL's bigint.
  if (Math.abs(parsed) > Number.MAX_SAFE_INTEGER) throw invalid(field, 'is out of range')
  return parsed
}

function requireNumber(value: unknown, field: string): number {
  const parsed = toNumber(value, field)
  if (parsed === undefined) throw invalid(field, 'is required')
  return parsed
}

/** `true`/`false`, their string forms (any case), `1`/`0` and `"1"`/`"0"`; null and undefined are absent. */
function toBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'boolean') return value
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(field, 'must be a boolean')
  const text = String(value).trim().toLowerCase()
  if (text === 'true' || text === '1') return true
  if (text === 'false' || text === '0') return false
  throw invalid(field, 'must be a boolean')
}

/** A string, or a number written as one; empty means absent. */
function toText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') throw invalid(field, 'must be a string')
  // PostgreSQL text cannot hold NUL, so no stored value contains one.
  if (value.includes('\u0000')) throw invalid(field, 'must not contain NUL characters')
  return value === '' ? undefined : value
}

/** A list (a single value counts as a one-element list); empty means absent. */
function toList(value: unknown, field: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined
  const list = Array.isArray(value) ? (value as unknown[]) : [value]
  if (list.length > MAX_LIST_VALUES) throw invalid(field, `at most ${MAX_LIST_VALUES} values`)
  return list.length === 0 ? undefined : list
}

function toNumberList(value: unknown, field: string): number[] | undefined {
  return toList(value, field)?.map((item, index) => requireNumber(item, `${field}[${index}]`))
}

function toObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object')
  return value as Record<string, unknown>
}

function checkOrder(range: Range, field: string): Range {
  if (range.from > range.to) throw invalid(field, 'from must not be greater than to')
  return range
}

/** A range whose two ends are required. */
function toRange(value: unknown, field: string): Range | undefined {
  const object = toObject(value, field)
  if (!object) return undefined
  const from = requireNumber(object.from, `${field}.from`)
  const to = requireNumber(object.to, `${field}.to`)
  return checkOrder({ from, to }, field)
}

function toChatMcsRange(value: unknown): Range | undefined {
  const object = toObject(value, 'chatMCS')
  if (!object) return undefined
  const from = toNumber(object.from, 'chatMCS.from') ?? -100
  const to = toNumber(object.to, 'chatMCS.to') ?? 100
  return checkOrder({ from, to }, 'chatMCS')
}

/** Decision D4: `from` down and `to` up to 10 minutes, at most 31 days, both ends required. */
function toStartWindow(value: unknown): Range {
  const object = toObject(value, 'start')
  if (!object) throw invalid('start', 'is required unless visitor or engagementId is given')
  const raw = checkOrder(
    { from: requireNumber(object.from, 'start.from'), to: requireNumber(object.to, 'start.to') },
    'start',
  )
  const window = {
    from: Math.floor(raw.from / START_ROUNDING_MS) * START_ROUNDING_MS,
    to: Math.ceil(raw.to / START_ROUNDING_MS) * START_ROUNDING_MS,
  }
  if (window.to - window.from > MAX_WINDOW_MS) throw invalid('start', 'window is longer than 31 days')
  return window
}

const isTextArea = (name: string): name is TextArea => (TEXT_AREAS as readonly string[]).includes(name)

/** The listed areas, validated; `mcs` is reported separately. No text area listed = every text area. */
function toAreas(value: unknown): { areas: readonly TextArea[]; mcs: boolean } {
  const object = toObject(value, 'keyword_search_area')
  const types = toList(object?.types, 'keyword_search_area.types') ?? []
  const areas: TextArea[] = []
  let mcs = false
  types.forEach((type, index) => {
    if (type === MCS_AREA) mcs = true
    else if (typeof type === 'string' && isTextArea(type)) {
      if (!areas.includes(type)) areas.push(type)
    } else throw invalid(`keyword_search_area.types[${index}]`, `unknown area '${String(type)}'`)
  })
  return { areas: areas.length > 0 ? areas : TEXT_AREAS, mcs }
}

/** Words of the keyword; two or more quoted phrases are refused. Undefined when there is no keyword. */
function toKeywordWords(value: unknown): string[] | undefined {
  const keyword = toText(value, 'keyword')
  if (keyword === undefined || keyword.trim() === '') return undefined
  if ((keyword.match(/"[^"]*"/g) ?? []).length > 1) throw invalid('keyword', 'only one quoted phrase is allowed')
  return searchWords(keyword)
}

function toAlertedMcs(value: unknown, field: string): number | undefined {
  const parsed = toNumber(value, field)
  if (parsed !== undefined && !ALERTED_MCS_VALUES.includes(parsed)) throw invalid(field, 'must be -1, 0 or 1')
  return parsed
}

function toRichContentOnly(value: unknown): boolean {
  const list = toList(value, 'lineContentTypes') ?? []
  list.forEach((type, index) => {
    if (type !== RICH_CONTENT) throw invalid(`lineContentTypes[${index}]`, `only ${RICH_CONTENT} is supported`)
  })
  return list.length > 0
}

/**
 * Validates an Engagement History request (engagement-history.md §2.2, §2.3, §3; Decision D4) into
 * a filter ready to run. Numbers and booleans may be strings; unknown fields and `ended` are
 * ignored; empty lists do not filter. Throws VALIDATION_FAILED with a message naming the field.
 */
export function parseSearchRequest(accountId: string, query: RawQuery, rawBody: unknown): SearchRequest {
  const offset = parseOffset(query)
  const limit = parseLimit(query)
  const sortText = queryValue(query, 'sort')
  const sort = parseSort(sortText)
  const source = queryValue(query, 'source')
  const linkParams: LinkParams = {
    ...(sortText !== undefined ? { sort: sortText } : {}),
    ...(source !== undefined ? { source } : {}),
  }

  const body = toObject(rawBody, 'body') ?? {}
  const filter: HistoryFilter = { accountId }
  let matchesNothing = false

  const visitor = toText(body.visitor, 'visitor')
  const engagementId = toText(body.engagementId, 'engagementId')
  if (visitor !== undefined) filter.visitor = visitor
  if (engagementId !== undefined) filter.engagementId = engagementId
  if (visitor === undefined && engagementId === undefined) filter.start = toStartWindow(body.start)

  const { areas, mcs: mcsArea } = toAreas(body.keyword_search_area)
  const words = toKeywordWords(body.keyword)
  if (words !== undefined) {
    if (words.length === 0) matchesNothing = true
    else filter.keyword = { words, areas }
  }

  const skillIds = toNumberList(body.skillIds, 'skillIds')
  if (skillIds) filter.skillIds = skillIds
  const agentIds = toNumberList(body.agentIds, 'agentIds')
  if (agentIds) filter.agentIds = agentIds
  const agentGroupIds = toNumberList(body.agentGroupIds, 'agentGroupIds')
  if (agentGroupIds) filter.agentGroupIds = agentGroupIds

  const duration = toRange(body.duration, 'duration')
  if (duration) filter.duration = duration
  const chatMcs = toChatMcsRange(body.chatMCS)
  if (chatMcs) filter.chatMcs = chatMcs
  const coBrowseDuration = toRange(body.coBrowseDuration, 'coBrowseDuration')
  if (coBrowseDuration) filter.coBrowseDuration = coBrowseDuration

  let alertedMcs = toList(body.alertedMcsValues, 'alertedMcsValues')?.map((item, index) => {
    const parsed = toAlertedMcs(item, `alertedMcsValues[${index}]`)
    if (parsed === undefined) throw invalid(`alertedMcsValues[${index}]`, 'must be -1, 0 or 1')
    return parsed
  })
  const mcs = mcsArea ? toAlertedMcs(body.mcs, 'mcs') : undefined
  if (mcs !== undefined) {
    // Both present: an engagement must satisfy both, so only their common values remain.
    alertedMcs = alertedMcs ? alertedMcs.filter((value) => value === mcs) : [mcs]
    if (alertedMcs.length === 0) matchesNothing = true
  }
  if (alertedMcs && alertedMcs.length > 0) filter.alertedMcs = [...new Set(alertedMcs)]

  if (toBoolean(body.interactive, 'interactive') === true) filter.interactiveOnly = true
  const channel = toNumber(body.channel, 'channel')
  if (channel !== undefined) filter.channel = channel
  if (toBoolean(body.hasInteractiveCoBrowse, 'hasInteractiveCoBrowse') === true) filter.interactiveCoBrowseOnly = true
  if (toRichContentOnly(body.lineContentTypes)) filter.richContentOnly = true

  return { filter, sort, offset, limit, linkParams, matchesNothing }
}
