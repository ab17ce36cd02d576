/** Wall-clock parts of an instant in a time zone, plus that zone's offset from UTC in minutes. */
interface ZonedParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
  offsetMinutes: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const millisecond = ((epochMs % 1000) + 1000) % 1000
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
    millisecond,
  )
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    millisecond,
    offsetMinutes: Math.round((asUtc - epochMs) / 60000),
  }
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/** `yyyy-MM-dd'T'HH:mm:ss.SSSxxx` in the zone, never `Z` (Chat and Agent API times, error envelopes). */
export function formatChatTime(epochMs: number, timeZone = 'UTC'): string {
  const offsetMinutes = offsetMinutesAt(epochMs, timeZone)
  // Every poll formats several times; wall-clock arithmetic on a cached offset avoids Intl per call.
  const local = new Date(epochMs + offsetMinutes * 60000)
  if (!Number.isFinite(local.getTime())) return formatChatTimeSlow(epochMs, timeZone)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const offset = Math.abs(offsetMinutes)
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
}

/** `formatChatTime` through `Intl` for every call; the reference the fast path is tested against. */
export function formatChatTimeSlow(epochMs: number, timeZone = 'UTC'): string {
  const p = zonedParts(epochMs, timeZone)
  const sign = p.offsetMinutes < 0 ? '-' : '+'
  const offset = Math.abs(p.offsetMinutes)
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(p.millisecond, 3)}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
}

// Zone offsets change only at instants that are whole multiples of 15 minutes since the epoch (every
// IANA rule since 1970 switches on a quarter hour of UTC), so one lookup per zone and quarter hour is
// exact. Bounded: a zone's map is cleared when it grows past OFFSET_CACHE_LIMIT buckets.
const QUARTER_HOUR_MS = 900_000
const OFFSET_CACHE_LIMIT = 4096
const offsetCache = new Map<string, Map<number, number>>()

function offsetMinutesAt(epochMs: number, timeZone: string): number {
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS)
  const cached = offsetCache.get(timeZone)?.get(bucket)
  if (cached !== undefined) return cached
  // Throws for an unknown zone before anything is cached.
  const offsetMinutes = zonedParts(bucket * QUARTER_HOUR_MS, timeZone).offsetMinutes
  let zone = offsetCache.get(timeZone)
  if (!zone) {
    zone = new Map()
    offsetCache.set(timeZone, zone)
  }
  if (zone.size >= OFFSET_CACHE_LIMIT) zone.clear()
  zone.set(bucket, offsetMinutes)
  return offsetMinutes
}

/** `yyyy-MM-dd HH:mm:ss` in the zone (account configuration dates). */
export function formatConfigDate(epochMs: number, timeZone = 'UTC'): string {
  const p = zonedParts(epochMs, timeZone)
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `MMM d, yyyy h:mm:ss a` in the zone, as LivePerson's Login Service errors show it. */
export function formatLoginErrorTime(epochMs: number, timeZone = 'UTC'): string {
  const p = zonedParts(epochMs, timeZone)
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12
  return `${MONTHS[p.month - 1] ?? 'Jan'} ${p.day}, ${p.year} ${hour12}:${pad(p.minute)}:${pad(p.second)} ${p.hour < 12 ? 'AM' : 'PM'}`
}

/** Offset of the zone from UTC at the instant, in milliseconds. */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  return zonedParts(epochMs, timeZone).offsetMinutes * 60000
}

const DAY_MS = 86_400_000
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))
let cachedDay = Number.NaN
let cachedDayText = ''

/** `yyyy-MM-dd HH:mm:ss.SSS+0000` in UTC, Engagement History's time text (engagement-history.md §5.1). */
export function formatHistoryTime(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs)) {
    const iso = new Date(epochMs).toISOString()
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)}+0000`
  }
  // Arithmetic on a cached day prefix: the history generator formats millions of line times.
  const day = Math.floor(epochMs / DAY_MS)
  if (day !== cachedDay) {
    cachedDayText = `${new Date(day * DAY_MS).toISOString().slice(0, 10)} `
    cachedDay = day
  }
  let rest = epochMs - day * DAY_MS
  const hours = Math.floor(rest / 3_600_000)
  rest -= hours * 3_600_000
  const minutes = Math.floor(rest / 60_000)
  rest -= minutes * 60_000
  const seconds = Math.floor(rest / 1000)
  return `${cachedDayText}${PAD2[hours] ?? ''}:${PAD2[minutes] ?? ''}:${PAD2[seconds] ?? ''}.${PAD3[rest - seconds * 1000] ?? ''}+0000`
}

const HISTORY_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/

/**
 * Epoch ms of an Engagement History time text (`2017-02-01 17:11:59.916+0000`), also accepting
 * ISO-8601 (`T`, `Z`, `+02:00`); no offset means UTC. `undefined` when the text is not such a time.
 */
export function parseHistoryTime(text: string): number | undefined {
  const m = HISTORY_TIME.exec(text)
  if (!m) return undefined
  const [, year, month, day, hour, minute, second, fraction = '0', , sign, offsetHours, offsetMinutes] = m
  const utc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    Number(fraction.padEnd(3, '0')),
  )
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60000 : 0
  const result = utc - offset
  return Number.isFinite(result) ? result : undefined
}
