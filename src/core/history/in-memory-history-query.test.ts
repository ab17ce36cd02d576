import { describe, expect, it } from 'vitest'
import { makeRecord, sdeEvent } from '../../../test/support/eh-search-records.ts'
import { TEXT_AREAS, type HistoryFilter, type SortKey } from './history-query.types.ts'
import { createInMemoryHistoryQuery, rtSessionIdOf } from './in-memory-history-query.ts'
import { parseDocuments } from './record-sections.ts'

const ACC = 'acc1'
const T0 = Date.UTC(2026, 0, 1)
const base = { accountId: ACC, startTimeL: T0 }

function archiveOf(...records: ReturnType<typeof makeRecord>[]) {
  const query = createInMemoryHistoryQuery()
  query.archiveRecords(ACC, records)
  return query
}

const ids = async (
  query: ReturnType<typeof archiveOf>,
  filter: Omit<HistoryFilter, 'accountId'>,
  sort: SortKey[] = [{ field: 'start', direction: 'asc' }],
) =>
  parseDocuments((await query.search({ accountId: ACC, ...filter }, sort, 0, 100)).documents).map((r) =>
    r.info.engagementId.slice(ACC.length),
  )

describe('in-memory HistoryQuery', () => {
  it('derives rtSessionId from engagementId without the account prefix', () => {
    expect(rtSessionIdOf({ accountId: 'qa1', engagementId: 'qa14294967901' })).toBe(4294967901n)
    expect(rtSessionIdOf({ accountId: 'qa1', engagementId: 'other-1' })).toBeUndefined()
  })

  it('keeps accounts apart and replaces a record with the same engagementId', async () => {
    const query = archiveOf(makeRecord({ ...base, rtSessionId: 1, duration: 5 }))
    query.archiveRecords(ACC, [makeRecord({ ...base, rtSessionId: 1, duration: 9 })])
    query.archiveRecords('acc2', [makeRecord({ ...base, accountId: 'acc2', rtSessionId: 2 })])
    const page = await query.search({ accountId: ACC }, [], 0, 10)
    expect(page.count).toBe(1)
    expect(parseDocuments(page.documents)[0]?.info.duration).toBe(9)
  })

  it('filters inclusively on ranges and ORs inside lists', async () => {
    const query = archiveOf(
      makeRecord({ ...base, rtSessionId: 1, duration: 10, skillId: 5, agentId: '7', chatMCS: 40 }),
      makeRecord({ ...base, rtSessionId: 2, duration: 20, skillId: 6, agentId: '8', chatMCS: null }),
      makeRecord({ ...base, rtSessionId: 3, duration: 30, skillId: 7, agentId: '-1', chatMCS: -50 }),
    )
    expect(await ids(query, { duration: { from: 10, to: 20 } })).toEqual(['1', '2'])
    expect(await ids(query, { skillIds: [5, 7] })).toEqual(['1', '3'])
    expect(await ids(query, { agentIds: [-1, 8] })).toEqual(['2', '3'])
    expect(await ids(query, { chatMcs: { from: -100, to: 100 } })).toEqual(['1', '3'])
    expect(await ids(query, { alertedMcs: [-1] })).toEqual(['3'])
    expect(await ids(query, { visibleAgentGroupIds: [] })).toEqual([])
  })

  it('matches whole words, accent-insensitively, as a phrase inside one field of a listed area', async () => {
    const query = archiveOf(
      makeRecord({ ...base, rtSessionId: 1, lines: [{ text: 'My iPad is broken' }, { text: 'order' }] }),
      makeRecord({ ...base, rtSessionId: 2, lines: [{ text: 'two iPads at the café' }] }),
      makeRecord({ ...base, rtSessionId: 3, sdes: [sdeEvent('lead', { topic: 'order number 5' })] }),
    )
    expect(await ids(query, { keyword: { words: ['ipad'], areas: TEXT_AREAS } })).toEqual(['1'])
    expect(await ids(query, { keyword: { words: ['cafe'], areas: ['chatLine'] } })).toEqual(['2'])
    expect(await ids(query, { keyword: { words: ['order', 'number'], areas: TEXT_AREAS } })).toEqual(['3'])
    expect(await ids(query, { keyword: { words: ['order', 'number'], areas: ['chatLine'] } })).toEqual([])
    expect(await ids(query, { keyword: { words: ['broken', 'order'], areas: ['chatLine'] } })).toEqual([])
  })

  it('sorts by the keys, then rtSessionId ascending', async () => {
    const query = archiveOf(
      makeRecord({ ...base, rtSessionId: 3, duration: 10 }),
      makeRecord({ ...base, rtSessionId: 1, duration: 20 }),
      makeRecord({ ...base, rtSessionId: 2, duration: 10 }),
    )
    expect(await ids(query, {}, [{ field: 'duration', direction: 'desc' }])).toEqual(['1', '2', '3'])
    expect(await ids(query, {}, [{ field: 'engagementId', direction: 'desc' }])).toEqual(['3', '2', '1'])
    const page = await query.search({ accountId: ACC }, [], 1, 1)
    expect({ ...page, documents: parseDocuments(page.documents) }).toMatchObject({
      count: 3,
      documents: [{ info: { engagementId: `${ACC}2` } }],
    })
  })
})
