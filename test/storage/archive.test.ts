import { beforeAll, expect, it } from 'vitest'
import type { HistoryFilter, SortKey } from '../../src/core/history/history-query.types.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount } from '../support/factories.ts'
import { buildRecord } from '../support/archive-records.ts'
import { parseDocuments } from '../../src/core/history/record-sections.ts'

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0)
const MIN = 60_000
const RT = 4294967296

async function collect(iterable: AsyncIterable<EngagementRecord>): Promise<EngagementRecord[]> {
  const out: EngagementRecord[] = []
  for await (const record of iterable) out.push(record)
  return out
}

// Export order is by start time; the order of equal start times is unspecified.
const byStart = (list: EngagementRecord[]): EngagementRecord[] =>
  [...list].sort(
    (a, b) => a.info.startTimeL - b.info.startTimeL || (a.info.engagementId < b.info.engagementId ? -1 : 1),
  )

describeEachDialect('archive storage', (dialect) => {
  const ctx = useTestApp(dialect)
  let accountId: string
  let records: EngagementRecord[]
  const ids = (page: { documents: string[] }): string[] =>
    parseDocuments(page.documents).map((record) => record.info.engagementId.slice(accountId.length))
  const search = (filter: Omit<HistoryFilter, 'accountId'>, sort: SortKey[] = [], offset = 0, limit = 100) =>
    ctx.services.historyQuery.search({ accountId, ...filter }, sort, offset, limit)
  const window = { from: T0 - 60 * MIN, to: T0 + 600 * MIN }

  beforeAll(async () => {
    accountId = (await createAccount(ctx.services)).accountId
    const a = accountId
    records = [
      buildRecord(a, {
        rt: RT + 1,
        start: T0,
        info: { duration: 30, skillId: 11, agentId: '101', agentGroupId: 7, chatMCS: 50, alertedMCS: 1, mcs: 1 },
        coBrowse: [{ duration: 1100, interactive: true }],
      }),
      buildRecord(a, {
        rt: RT + 2,
        start: T0 + 10 * MIN,
        info: { duration: 120, skillId: 12, agentId: '102', agentGroupId: 8, chatMCS: -50, alertedMCS: -1, mcs: -1 },
        lines: ['hi', { textType: 'rich-content', text: undefined, json: { type: 'vertical', elements: [] } }],
      }),
      buildRecord(a, {
        rt: RT + 3,
        start: T0 + 10 * MIN,
        info: {
          duration: 0,
          skillId: -1,
          agentId: '-1',
          agentGroupId: -1,
          chatMCS: null,
          alertedMCS: null,
          mcs: null,
          isInteractive: false,
          visitorId: 'visitor-shared',
          channel: 2,
        },
        coBrowse: [{ duration: 5000, interactive: false }],
      }),
      buildRecord(a, {
        rt: RT + 4,
        start: T0 + 20 * MIN,
        info: { duration: 120, skillId: 11, agentId: '102', agentGroupId: 7, chatMCS: 0, visitorId: 'visitor-shared' },
      }),
      buildRecord(a, {
        rt: RT + 5,
        start: T0 + 2 * 24 * 60 * MIN,
        info: { duration: 45, skillId: 13, agentId: '103', agentGroupId: 9, chatMCS: 20 },
      }),
    ]
    // Inserted out of start-time order, in two calls.
    expect(await ctx.services.archive.archiveRecords(a, [records[3]!, records[0]!, records[4]!], 'imported')).toEqual({
      inserted: 3,
      updated: 0,
      rejected: [],
    })
    expect(await ctx.services.archive.archiveRecords(a, [records[2]!, records[1]!], 'imported')).toEqual({
      inserted: 2,
      updated: 0,
      rejected: [],
    })
  })

  it('returns records exactly as archived, with an exact count', async () => {
    const page = await search({ start: window }, [{ field: 'start', direction: 'asc' }])
    expect(page.count).toBe(4)
    expect(parseDocuments(page.documents)).toEqual(records.slice(0, 4))
  })

  it('replaces a record re-archived with the same engagementId, and counts it as updated', async () => {
    const other = (await createAccount(ctx.services)).accountId
    const first = buildRecord(other, { rt: RT + 1, start: T0, lines: ['first words'] })
    const moved = buildRecord(other, { rt: RT + 1, start: T0 + 5 * MIN, lines: ['second words'] })
    expect(await ctx.services.archive.archiveRecords(other, [first], 'imported')).toEqual({
      inserted: 1,
      updated: 0,
      rejected: [],
    })
    expect(await ctx.services.archive.archiveRecords(other, [moved, moved], 'imported')).toEqual({
      inserted: 0,
      updated: 2,
      rejected: [],
    })
    const all = await ctx.services.historyQuery.search({ accountId: other, start: window }, [], 0, 10)
    expect(parseDocuments(all.documents)).toEqual([moved])
    const old = await ctx.services.historyQuery.search(
      { accountId: other, start: window, keyword: { words: ['first'], areas: ['chatLine'] } },
      [],
      0,
      10,
    )
    expect(old.count).toBe(0)
    expect(await collect(ctx.services.archive.exportRecords(other))).toEqual([moved])
  })

  it('keeps accounts apart, even with equal engagement ids', async () => {
    const other = (await createAccount(ctx.services)).accountId
    const foreign = { ...records[0]!, info: { ...records[0]!.info, visitorId: 'someone-else' } }
    expect(await ctx.services.archive.archiveRecords(other, [foreign], 'imported')).toEqual({
      inserted: 1,
      updated: 0,
      rejected: [],
    })
    expect((await search({ start: window })).count).toBe(4)
    expect((await search({ visitor: 'someone-else' })).count).toBe(0)
    const theirs = await ctx.services.historyQuery.search({ accountId: other, visitor: 'someone-else' }, [], 0, 10)
    expect(parseDocuments(theirs.documents)).toEqual([foreign])
  })

  it('exports by start time within an inclusive range, in pages', async () => {
    const all = await collect(ctx.services.archive.exportRecords(accountId))
    expect(all.map((r) => r.info.startTimeL)).toEqual(records.map((r) => r.info.startTimeL))
    expect(byStart(all)).toEqual(records)
    expect(
      byStart(await collect(ctx.services.archive.exportRecords(accountId, { from: T0 + 10 * MIN, to: T0 + 20 * MIN }))),
    ).toEqual(records.slice(1, 4))
    expect(await collect(ctx.services.archive.exportRecords(accountId, { from: T0 + 21 * MIN }))).toEqual([records[4]])
    const many = (await createAccount(ctx.services)).accountId
    const batch = Array.from({ length: 1203 }, (_, i) => buildRecord(many, { rt: RT + i, start: T0 + i }))
    await ctx.services.archive.archiveRecords(many, batch, 'imported')
    const exported = await collect(ctx.services.archive.exportRecords(many))
    expect(exported.map((r) => r.info.engagementId)).toEqual(batch.map((r) => r.info.engagementId))
  })

  it('applies every filter field', async () => {
    const cases: [Omit<HistoryFilter, 'accountId'>, number[]][] = [
      [{ start: { from: T0 + 10 * MIN, to: T0 + 20 * MIN } }, [2, 3, 4]],
      [{ visitor: 'visitor-shared' }, [3, 4]],
      [{ engagementId: `${accountId}${RT + 5}` }, [5]],
      [{ start: window, skillIds: [11, 13] }, [1, 4]],
      [{ start: window, skillIds: [-1] }, [3]],
      [{ start: window, agentIds: [102] }, [2, 4]],
      [{ start: window, agentIds: [-1, 101] }, [1, 3]],
      [{ start: window, agentGroupIds: [7] }, [1, 4]],
      [{ start: window, visibleAgentGroupIds: [8, -1] }, [2, 3]],
      [{ start: window, visibleAgentGroupIds: [] }, []],
      [{ start: window, skillIds: [], agentIds: [], agentGroupIds: [] }, [1, 2, 3, 4]],
      [{ start: window, duration: { from: 30, to: 120 } }, [1, 2, 4]],
      [{ start: window, duration: { from: 0, to: 0 } }, [3]],
      [{ start: window, chatMcs: { from: -100, to: 100 } }, [1, 2, 4]],
      [{ start: window, chatMcs: { from: 0, to: 50 } }, [1, 4]],
      [{ start: window, alertedMcs: [1, -1] }, [1, 2]],
      [{ start: window, alertedMcs: [0] }, [4]],
      [{ start: window, interactiveOnly: true }, [1, 2, 4]],
      [{ start: window, interactiveOnly: false }, [1, 2, 3, 4]],
      [{ start: window, channel: 2 }, [3]],
      [{ start: window, channel: 1.5 }, []],
      [{ start: window, interactiveCoBrowseOnly: true }, [1]],
      [{ start: window, coBrowseDuration: { from: 1.1, to: 1.1 } }, [1]],
      [{ start: window, coBrowseDuration: { from: 1, to: 5 } }, [1, 3]],
      [{ start: window, coBrowseDuration: { from: 5.001, to: 9 } }, []],
      [{ start: window, richContentOnly: true }, [2]],
      [{ start: window, skillIds: [11], duration: { from: 100, to: 200 } }, [4]],
      [{ visitor: 'visitor-shared', start: { from: 0, to: 1 } }, []],
    ]
    for (const [filter, expected] of cases) {
      const page = await search(filter, [{ field: 'engagementId', direction: 'asc' }])
      expect({ filter, ids: ids(page), count: page.count }).toEqual({
        filter,
        ids: expected.map((n) => String(RT + n)),
        count: expected.length,
      })
    }
  })

  it('sorts by every key in both directions, ties broken by rtSessionId ascending', async () => {
    const cases: [SortKey[], number[]][] = [
      [[], [1, 2, 3, 4]],
      [[{ field: 'start', direction: 'asc' }], [1, 2, 3, 4]],
      [[{ field: 'start', direction: 'desc' }], [4, 2, 3, 1]],
      [[{ field: 'end', direction: 'asc' }], [1, 3, 2, 4]],
      [[{ field: 'end', direction: 'desc' }], [4, 2, 3, 1]],
      [[{ field: 'duration', direction: 'asc' }], [3, 1, 2, 4]],
      [[{ field: 'duration', direction: 'desc' }], [2, 4, 1, 3]],
      [[{ field: 'visitor', direction: 'asc' }], [1, 2, 3, 4]],
      [[{ field: 'visitor', direction: 'desc' }], [3, 4, 2, 1]],
      [[{ field: 'engagementId', direction: 'asc' }], [1, 2, 3, 4]],
      [[{ field: 'engagementId', direction: 'desc' }], [4, 3, 2, 1]],
      [[{ field: 'interactive', direction: 'asc' }], [3, 1, 2, 4]],
      [[{ field: 'interactive', direction: 'desc' }], [1, 2, 4, 3]],
      [[{ field: 'agentId', direction: 'asc' }], [3, 1, 2, 4]],
      [[{ field: 'agentId', direction: 'desc' }], [2, 4, 1, 3]],
      [[{ field: 'skillId', direction: 'asc' }], [3, 1, 4, 2]],
      [[{ field: 'skillId', direction: 'desc' }], [2, 1, 4, 3]],
      [
        [
          { field: 'skillId', direction: 'asc' },
          { field: 'start', direction: 'desc' },
        ],
        [3, 4, 1, 2],
      ],
    ]
    for (const [sort, expected] of cases) {
      const page = await search({ start: window }, sort)
      expect({ sort, ids: ids(page) }).toEqual({ sort, ids: expected.map((n) => String(RT + n)) })
    }
  })

  it('pages with offset and limit, keeping the exact count', async () => {
    const sort: SortKey[] = [{ field: 'start', direction: 'asc' }]
    const first = await search({ start: window }, sort, 0, 3)
    const second = await search({ start: window }, sort, 3, 3)
    expect([first.count, second.count]).toEqual([4, 4])
    expect([...ids(first), ...ids(second)]).toEqual([1, 2, 3, 4].map((n) => String(RT + n)))
    expect(await search({ start: window }, sort, 4, 3)).toEqual({ count: 4, documents: [] })
    expect(await search({ start: window }, sort, 400, 3)).toEqual({ count: 4, documents: [] })
  })
})
