import { invalid } from '../errors.ts'

/** Query parameters as received (repeated names arrive as arrays); Agent Activity POST bodies are merged in. */
export type RawParams = Record<string, unknown>

/** An id list parameter: `all` (or absent where that is the default) or explicit ids, de-duplicated. */
export type IdSelection = { all: true } | { all: false; ids: number[] }

const FIVE_MINUTES = 5 * 60_000
const MINUTE = 60_000
/** Data is kept for a day (operational-realtime.md §1). */
export const MAX_TIMEFRAME_MINUTES = 1440
/** Parley's bound on explicit id lists (one `IN` list per query); more is 400. */
export const MAX_IDS = 1000
/** Parley's bound on histogram buckets. */
export const MAX_HISTOGRAM_BUCKETS = 100
export const DEFAULT_HISTOGRAM = [0, 15, 30, 45, 60, 90, 120]

/** The value of one parameter: the first of repeated ones, numbers and strings as text; null/absent = undefined. */
function scalar(params: RawParams, name: string): string | undefined {
  let value = params[name]
  if (Array.isArray(value)) value = value[0]
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' || typeof value === 'string') return String(value).trim()
  throw invalid(name, 'must be a string or a number')
}

function integer(params: RawParams, name: string): number | undefined {
  const text = scalar(params, name)
  if (text === undefined) return undefined
  if (!/^-?\d{1,9}$/.test(text)) throw invalid(name, 'must be an integer')
  return Number(text)
}

/**
 * `v` (operational-realtime.md §2.3, Q1): absent is allowed and selects the `{meta, body}` envelope;
 * present, an integer of at least 1.
 */
export function parseVersion(params: RawParams): number | undefined {
  const v = integer(params, 'v')
  if (v !== undefined && v < 1) throw invalid('v', 'must be 1 or more')
  return v
}

/** `timeframe`: required, whole minutes 1..1440. */
export function parseTimeframe(params: RawParams): number {
  const timeframe = integer(params, 'timeframe')
  if (timeframe === undefined) throw invalid('timeframe', 'is required')
  if (timeframe < 1 || timeframe > MAX_TIMEFRAME_MINUTES) throw invalid('timeframe', 'must be between 1 and 1440')
  return timeframe
}

/** `interval`: optional, at least 5 minutes, at most `timeframe`, and dividing it exactly. */
export function parseInterval(params: RawParams, timeframe: number): number | undefined {
  const interval = integer(params, 'interval')
  if (interval === undefined) return undefined
  if (interval < 5) throw invalid('interval', 'must be at least 5')
  if (interval > timeframe) throw invalid('interval', 'must not exceed timeframe')
  if (timeframe % interval !== 0) throw invalid('interval', 'must divide timeframe')
  return interval
}

/** A list of ids or the word `all`; blanks around items are trimmed, duplicates count once. */
export function parseIds(params: RawParams, name: string, alias?: string): IdSelection | undefined {
  const raw = params[name] ?? (alias === undefined ? undefined : params[alias])
  if (raw === undefined || raw === null) return undefined
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item: unknown) => {
    if (typeof item === 'number') return [String(item)]
    if (typeof item === 'string') return item.split(',')
    throw invalid(name, 'must be all or a comma-separated list of ids')
  })
  const trimmed = items.map((item) => item.trim()).filter((item) => item !== '')
  if (trimmed.length === 0) return undefined
  if (trimmed.some((item) => item.toLowerCase() === 'all')) {
    if (trimmed.length > 1) throw invalid(name, 'must be all or a comma-separated list of ids')
    return { all: true }
  }
  const ids = new Set<number>()
  for (const item of trimmed) {
    if (!/^-?\d{1,15}$/.test(item)) throw invalid(name, 'must be all or a comma-separated list of ids')
    ids.add(Number(item))
  }
  if (ids.size > MAX_IDS) throw invalid(name, `must list at most ${MAX_IDS} ids`)
  return { all: false, ids: [...ids] }
}

/** `histogram`: bucket lower bounds in seconds, multiples of 5; 0 is always a bucket; sorted, de-duplicated. */
export function parseHistogram(params: RawParams): number[] {
  const text = scalar(params, 'histogram')
  if (text === undefined || text === '') return DEFAULT_HISTOGRAM
  const bounds = new Set<number>([0])
  for (const item of text.split(',')) {
    const value = item.trim()
    if (!/^\d{1,7}$/.test(value) || Number(value) % 5 !== 0)
      throw invalid('histogram', 'must list non-negative multiples of 5 seconds')
    bounds.add(Number(value))
  }
  if (bounds.size > MAX_HISTOGRAM_BUCKETS)
    throw invalid('histogram', `must have at most ${MAX_HISTOGRAM_BUCKETS} buckets`)
  return [...bounds].sort((a, b) => a - b)
}

const floor5 = (time: number): number => Math.floor(time / FIVE_MINUTES) * FIVE_MINUTES
const ceil5 = (time: number): number => Math.ceil(time / FIVE_MINUTES) * FIVE_MINUTES

/** One interval of a window: data in `[from, to)`, clipped to the window; `timestamp` is its end (ms). */
export interface Interval {
  from: number
  to: number
  timestamp: number
}

/**
 * The window of a request (operational-realtime.md §3): `[from, now]`, where bucket-based methods
 * start at the 5-minute bucket holding `now - timeframe` and Agent Activity starts exactly there.
 * With `interval`, `intervals` run newest first from `now` rounded up to 5 minutes, the oldest
 * holding only the remainder.
 */
export interface Window {
  from: number
  now: number
  /** Newest first; empty without `interval`. */
  intervals: Interval[]
  /** The newest interval's end (`now` rounded up to 5 minutes); `now` without `interval`. */
  end: number
  intervalMs: number | undefined
}

export function windowOf(
  now: number,
  timeframeMinutes: number,
  intervalMinutes: number | undefined,
  exact: boolean,
): Window {
  const from = exact ? now - timeframeMinutes * MINUTE : floor5(now - timeframeMinutes * MINUTE)
  if (intervalMinutes === undefined) return { from, now, intervals: [], end: now, intervalMs: undefined }
  const step = intervalMinutes * MINUTE
  const end = ceil5(now)
  const intervals: Interval[] = []
  for (let upper = end; upper > from; upper -= step) {
    const lower = Math.max(from, upper - step)
    intervals.push({ from: lower, to: Math.min(upper, now), timestamp: upper })
  }
  return { from, now, intervals, end, intervalMs: step }
}

/** Index (newest first) of the interval holding `time`, a time in `[window.from, window.now]`. */
export function intervalIndexOf(window: Window, time: number): number {
  if (window.intervalMs === undefined) return 0
  return Math.max(0, Math.floor((window.end - 1 - time) / window.intervalMs))
}
