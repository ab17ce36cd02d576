import { describe, expect, it } from 'vitest'
import { isParleyError } from '../errors.ts'
import { TEXT_AREAS } from './history-query.types.ts'
import { MAX_WINDOW_MS, parseSearchRequest, parseSort } from './search-request.ts'

const DAY = 24 * 60 * 60 * 1000
const FROM = Date.UTC(2026, 0, 1, 0, 0)
const start = { from: FROM, to: FROM + DAY }

const parse = (body: unknown, query: Record<string, unknown> = {}) => parseSearchRequest('acc', query, body)

function failure(body: unknown, query: Record<string, unknown> = {}): string {
  try {
    parse(body, query)
  } catch (error) {
    if (isParleyError(error) && error.code === 'VALIDATION_FAILED') return error.message
    throw error
  }
  throw new Error('expected VALIDATION_FAILED')
}

describe('parseSearchRequest: paging', () => {
  it('defaults to offset 0, limit 50 and start:desc without link parameters', () => {
    const request = parse({ start })
    expect(request).toMatchObject({
      offset: 0,
      limit: 50,
      sort: [{ field: 'start', direction: 'desc' }],
      linkParams: {},
    })
  })
  it('clamps limits above 100 and honours odd limits', () => {
    expect(parse({ start }, { limit: '1000' }).limit).toBe(100)
    expect(parse({ start }, { limit: '37', offset: '74' })).toMatchObject({ limit: 37, offset: 74 })
  })
  it.each(['0', '-1', 'abc', '1.5', '10x'])('refuses limit=%s naming limit', (limit) => {
    expect(failure({ start }, { limit })).toMatch(/^limit: /)
  })
  it.each(['-1', 'abc', '2.5'])('refuses offset=%s naming offset', (offset) => {
    expect(failure({ start }, { offset })).toMatch(/^offset: /)
  })
  it('treats empty parameters as absent (offset=&limit=&sort=&source=)', () => {
    const request = parse({ start }, { offset: '', limit: '', sort: '', source: '' })
    expect(request).toMatchObject({ offset: 0, limit: 50, linkParams: {} })
  })
  it('keeps sort and source as sent for the links', () => {
    const request = parse({ start }, { sort: 'duration:des', source: 'ACME Sync', company: 'x' })
    expect(request.linkParams).toEqual({ sort: 'duration:des', source: 'ACME Sync' })
  })
})

describe('parseSort', () => {
  it('parses several keys, des = desc, missing direction = asc', () => {
    expect(parseSort('start:des,duration,agentId:DESC,skillId:asc')).toEqual([
      { field: 'start', direction: 'desc' },
      { field: 'duration', direction: 'asc' },
      { field: 'agentId', direction: 'desc' },
      { field: 'skillId', direction: 'asc' },
    ])
  })
  it('refuses unknown fields and directions', () => {
    expect(() => parseSort('startTime:asc')).toThrow(/^sort: unknown sort field/)
    expect(() => parseSort('start:up')).toThrow(/^sort: unknown sort direction/)
    expect(() => parseSort('start:asc:desc')).toThrow(/^sort: /)
  })
})

describe('parseSearchRequest: start window (Decision D4)', () => {
  it('rounds from down and to up to 10 minutes', () => {
    const request = parse({ start: { from: FROM + 61_000, to: FROM + DAY + 1 } })
    expect(request.filter.start).toEqual({ from: FROM, to: FROM + DAY + 600_000 })
  })
  it('accepts numbers as strings', () => {
    expect(parse({ start: { from: String(FROM), to: String(FROM + DAY) } }).filter.start).toEqual(start)
  })
  it('accepts exactly 31 days after rounding and refuses more', () => {
    expect(parse({ start: { from: FROM, to: FROM + MAX_WINDOW_MS } }).filter.start).toBeDefined()
    expect(failure({ start: { from: FROM, to: FROM + MAX_WINDOW_MS + 1 } })).toMatch(/^start: .*31 days/)
    expect(failure({ start: { from: FROM - 1, to: FROM + MAX_WINDOW_MS } })).toMatch(/^start: /)
    expect(parse({ start: { from: FROM + 1, to: FROM + MAX_WINDOW_MS } }).filter.start).toBeDefined()
  })
  it('refuses a missing start, a missing end and from > to', () => {
    expect(failure({})).toMatch(/^start: is required/)
    expect(failure(undefined)).toMatch(/^start: is required/)
    expect(failure({ start: { from: FROM } })).toBe('start.to: is required')
    expect(failure({ start: { to: FROM } })).toBe('start.from: is required')
    expect(failure({ start: { from: FROM + 1, to: FROM } })).toMatch(/^start: from must not be greater/)
    expect(failure({ start: { from: 'abc', to: FROM } })).toBe('start.from: must be a number')
  })
  it('ignores start for visitor and engagementId lookups', () => {
    expect(parse({ visitor: 'v1', start: { from: 0, to: FROM } }).filter).toEqual({ accountId: 'acc', visitor: 'v1' })
    expect(parse({ engagementId: 1234 }).filter).toEqual({ accountId: 'acc', engagementId: '1234' })
  })
  it('refuses a body that is not an object', () => {
    expect(failure([1])).toMatch(/^body: /)
    expect(failure('x')).toMatch(/^body: /)
  })
})

describe('parseSearchRequest: filters', () => {
  it('parses lists, ranges and switches given as strings', () => {
    const request = parse({
      start,
      skillIds: ['14', 17],
      agentIds: ['109'],
      agentGroupIds: [],
      duration: { from: '0', to: '180' },
      chatMCS: { from: '30' },
      coBrowseDuration: { from: 1, to: '2' },
      interactive: 'true',
      ended: 'whatever',
      channel: '1',
      hasInteractiveCoBrowse: 'TRUE',
      lineContentTypes: ['RICH_CONTENT'],
      alertedMcsValues: ['1', '-1'],
      unknown: { anything: true },
    })
    expect(request.filter).toEqual({
      accountId: 'acc',
      start,
      skillIds: [14, 17],
      agentIds: [109],
      duration: { from: 0, to: 180 },
      chatMcs: { from: 30, to: 100 },
      coBrowseDuration: { from: 1, to: 2 },
      interactiveOnly: true,
      channel: 1,
      interactiveCoBrowseOnly: true,
      richContentOnly: true,
      alertedMcs: [1, -1],
    })
  })
  it('does not filter on interactive false, hasInteractiveCoBrowse false or empty lists', () => {
    const request = parse({
      start,
      interactive: false,
      hasInteractiveCoBrowse: 'false',
      skillIds: [],
      lineContentTypes: [],
    })
    expect(request.filter).toEqual({ accountId: 'acc', start })
  })
  it('names the field of a bad value', () => {
    expect(failure({ start, duration: { from: 'abc', to: 3 } })).toBe('duration.from: must be a number')
    expect(failure({ start, duration: { from: 1 } })).toBe('duration.to: is required')
    expect(failure({ start, coBrowseDuration: { to: 1 } })).toBe('coBrowseDuration.from: is required')
    expect(failure({ start, duration: { from: 5, to: 1 } })).toMatch(/^duration: /)
    expect(failure({ start, skillIds: ['14', 'x'] })).toBe('skillIds[1]: must be a number')
    expect(failure({ start, interactive: 'yes' })).toBe('interactive: must be a boolean')
    expect(failure({ start, lineContentTypes: ['TEXT'] })).toMatch(/^lineContentTypes\[0\]: /)
    expect(failure({ start, alertedMcsValues: ['2'] })).toMatch(/^alertedMcsValues\[0\]: /)
    expect(failure({ start, channel: 'web' })).toBe('channel: must be a number')
    expect(failure({ start, channel: true })).toBe('channel: must be a number')
    expect(failure({ visitor: 'a\u0000b' })).toBe('visitor: must not contain NUL characters')
    expect(failure({ start, duration: { from: -1e300, to: 1 } })).toBe('duration.from: is out of range')
    expect(failure({ start, agentGroupIds: Array.from({ length: 1001 }, () => 1) })).toBe(
      'agentGroupIds: at most 1000 values',
    )
  })
  it('applies mcs only with the mcs area, as an alertedMCS filter', () => {
    expect(parse({ start, mcs: 1 }).filter.alertedMcs).toBeUndefined()
    expect(parse({ start, mcs: 'x' }).filter.alertedMcs).toBeUndefined()
    const request = parse({ start, mcs: '1', keyword_search_area: { types: ['mcs'] } })
    expect(request.filter.alertedMcs).toEqual([1])
    expect(
      parse({ start, mcs: 0, alertedMcsValues: ['1'], keyword_search_area: { types: ['mcs'] } }).matchesNothing,
    ).toBe(true)
  })
})

describe('parseSearchRequest: keyword (§3)', () => {
  it('searches every text area when no area is listed or only mcs', () => {
    expect(parse({ start, keyword: 'iPad' }).filter.keyword).toEqual({ words: ['ipad'], areas: TEXT_AREAS })
    const onlyMcs = parse({ start, keyword: 'iPad', keyword_search_area: { types: ['mcs'] } })
    expect(onlyMcs.filter.keyword?.areas).toEqual(TEXT_AREAS)
  })
  it('restricts to the listed areas', () => {
    const request = parse({ start, keyword: '"Order Number"', keyword_search_area: { types: ['chatLine', 'ea.lead'] } })
    expect(request.filter.keyword).toEqual({ words: ['order', 'number'], areas: ['chatLine', 'ea.lead'] })
  })
  it('refuses unknown areas and two quoted phrases', () => {
    expect(failure({ start, keyword: 'x', keyword_search_area: { types: ['chatLines'] } })).toMatch(
      /^keyword_search_area\.types\[0\]: unknown area/,
    )
    expect(failure({ start, keyword: '"a b" "c"' })).toMatch(/^keyword: /)
  })
  it('turns operators into words and a keyword without words into no match', () => {
    expect(parse({ start, keyword: "NEAR(ipad) o'neil ip* a&b:c" }).filter.keyword?.words).toEqual([
      'near',
      'ipad',
      'o',
      'neil',
      'ip',
      'a',
      'b',
      'c',
    ])
    const none = parse({ start, keyword: '"*:&(\'"' })
    expect(none.matchesNothing).toBe(true)
    expect(none.filter.keyword).toBeUndefined()
    expect(parse({ start, keyword: '' }).matchesNothing).toBe(false)
  })
})
