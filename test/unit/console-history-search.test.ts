import { describe, expect, it } from 'vitest'
import { parseSearchRequest } from '../../src/core/history/search-request.ts'
import { exportSearch, type HistoryApi, type HistoryPage, type HistoryRecord } from '../../web/src/api/history.ts'
import {
  EMPTY_SEARCH,
  apiFieldOf,
  criteriaOf,
  extraFilters,
  searchFromParams,
  searchToParams,
  type HistorySearch,
} from '../../web/src/state/history-search.ts'
import { isConsolePath } from '../../web/src/state/return-path.ts'
import { visitorLabel } from '../../web/src/views/visitor-name.ts'

const FULL: HistorySearch = {
  ...EMPTY_SEARCH,
  range: 'custom',
  from: '2026-03-01T08:00',
  to: '2026-03-02T18:30',
  keyword: '"order number" late',
  areas: ['chatLine', 'ea.purchase'],
  skills: ['11', '12'],
  agents: ['101'],
  groups: ['7'],
  durationFrom: '60',
  durationTo: '3600',
  mcsFrom: '-20',
  mcsTo: '80',
  alerted: ['0', '1'],
  visitor: 'visitor & co',
  engagementId: '',
  interactive: true,
  coBrowse: true,
  coBrowseFrom: '1',
  coBrowseTo: '90',
  richContent: true,
  channel: '1',
  sort: 'duration:desc',
  offset: 50,
  open: 'acme42',
}

describe('history explorer search (web/src/state/history-search.ts)', () => {
  it('round-trips every filter, the sort, the page and the open record through the URL query', () => {
    const params = searchToParams(FULL)
    expect(params.getAll('skill')).toEqual(['11', '12'])
    expect(params.get('visitor')).toBe('visitor & co')
    expect(searchFromParams(new URLSearchParams(params.toString()))).toEqual(FULL)
    // Defaults stay out of the URL; a preset drops from/to.
    expect(searchToParams({ ...EMPTY_SEARCH, from: '2026-03-01T08:00' }).toString()).toBe('range=24h&sort=start%3Adesc')
  })

  it('falls back to the defaults for unknown or malformed values', () => {
    const search = searchFromParams(new URLSearchParams('range=99y&sort=hack&offset=-5&interactive=yes&skill='))
    expect(search).toEqual(EMPTY_SEARCH)
  })

  it('builds the API body the server accepts, with every filter it names', () => {
    const body = criteriaOf(FULL, Date.UTC(2026, 2, 3))
    const request = parseSearchRequest('acme', { sort: FULL.sort }, body)
    expect(request.filter).toMatchObject({
      visitor: 'visitor & co',
      keyword: { words: ['order', 'number', 'late'], areas: ['chatLine', 'ea.purchase'] },
      skillIds: [11, 12],
      agentIds: [101],
      agentGroupIds: [7],
      duration: { from: 60, to: 3600 },
      chatMcs: { from: -20, to: 80 },
      alertedMcs: [0, 1],
      interactiveOnly: true,
      interactiveCoBrowseOnly: true,
      coBrowseDuration: { from: 1, to: 90 },
      richContentOnly: true,
      channel: 1,
    })
    expect(request.sort).toEqual([{ field: 'duration', direction: 'desc' }])
    // Without a visitor the custom window is the start filter (local time, rounded by the server).
    const windowed = parseSearchRequest('acme', {}, criteriaOf({ ...FULL, visitor: '' }, 0))
    expect(windowed.filter.start).toEqual({
      from: new Date('2026-03-01T08:00').getTime(),
      to: new Date('2026-03-02T18:30').getTime(),
    })
    // A preset is relative to now; an empty search sends only the window.
    expect(criteriaOf(EMPTY_SEARCH, 1_000_000_000)).toEqual({
      start: { from: 1_000_000_000 - 86_400_000, to: 1_000_000_000 },
    })
  })

  it('leaves judging numbers to the API, whose message names the field shown next to it', () => {
    expect(() =>
      parseSearchRequest('acme', {}, criteriaOf({ ...EMPTY_SEARCH, mcsFrom: '90', mcsTo: '10' }, 0)),
    ).toThrow('chatMCS: from must not be greater than to')
    expect(apiFieldOf('chatMCS: from must not be greater than to')).toBe('chatMCS')
    expect(apiFieldOf('chatMCS.from: must be a number')).toBe('chatMCS')
    expect(apiFieldOf('alertedMcsValues[0]: must be -1, 0 or 1')).toBe('alertedMcsValues')
    expect(apiFieldOf('Something went wrong')).toBeUndefined()
  })

  it('names the extra filters set; sign-in only returns to console paths', () => {
    expect(extraFilters(FULL)).toContain('MCS')
    expect(extraFilters(EMPTY_SEARCH)).toEqual([])
    expect(isConsolePath('/console/history?keyword=a')).toBe(true)
    expect(isConsolePath('//evil.example/console/')).toBe(false)
    expect(isConsolePath('https://evil.example/console/')).toBe(false)
    expect(isConsolePath('/console/\\evil')).toBe(false)
  })

  it('shows LivePerson\'s default visitor name "You" as "Visitor" to the reader of the archive', () => {
    expect(visitorLabel('You', 'You')).toBe('Visitor')
    expect(visitorLabel('You', 'Natalie')).toBe('Natalie')
    expect(visitorLabel('Ada', 'Natalie')).toBe('Ada')
    expect(visitorLabel(undefined, '')).toBe('Visitor')
  })
})

describe('whole-result export (exportSearch)', () => {
  const record = (id: number): HistoryRecord =>
    ({
      info: { engagementId: `e${id}`, startTime: 't', startTimeL: id, duration: 1, visitorId: 'v', visitorName: 'You' },
      transcript: { lines: [] },
    }) as unknown as HistoryRecord
  const fakeApi = (total: number, pageSize: number): HistoryApi =>
    ({
      async *all(): AsyncGenerator<HistoryPage> {
        for (let offset = 0; offset < total; offset += pageSize)
          yield {
            count: total,
            next: undefined,
            records: Array.from({ length: Math.min(pageSize, total - offset) }, (_, index) => record(offset + index)),
          }
      },
    }) as unknown as HistoryApi

  it('writes one row per record over every page, CSV with its header, JSON Lines as the records', async () => {
    const progress: number[] = []
    const csv = await exportSearch(fakeApi(250, 100), { body: {} }, 'csv', (rows) => progress.push(rows))
    expect(progress).toEqual([100, 200, 250])
    expect(csv).toMatchObject({ rows: 250, count: 250 })
    const lines = (await csv.blob.text()).trim().split('\r\n')
    expect(lines).toHaveLength(251)
    expect(lines[0]).toMatch(/^engagementId,/)
    const jsonl = await exportSearch(fakeApi(3, 100), { body: {} }, 'jsonl', () => undefined)
    const rows = (await jsonl.blob.text()).trim().split('\n')
    expect(rows.map((row) => (JSON.parse(row) as HistoryRecord).info.engagementId)).toEqual(['e0', 'e1', 'e2'])
    expect(jsonl.blob.type).toBe('application/x-ndjson;charset=utf-8')
  })
})
