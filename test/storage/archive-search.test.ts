import { beforeAll, describe, expect, it } from 'vitest'
import { TEXT_AREAS, type HistoryFilter, type TextArea } from '../../src/core/history/history-query.types.ts'
import type { SdeEvent } from '../../src/core/history/record.types.ts'
import { searchWords } from '../../src/core/history/text-areas.ts'
import { postgresTsvectorIndex, tsvectorLiteral } from '../../src/storage/search/postgres-tsvector.ts'
import { sqliteFts5Index } from '../../src/storage/search/sqlite-fts5.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount } from '../support/factories.ts'
import { buildRecord } from '../support/archive-records.ts'
import { parseDocuments } from '../../src/core/history/record-sections.ts'

const T0 = Date.UTC(2026, 2, 10, 9, 0, 0)
const DAY = 86_400_000
const RT = 4294967296
const LONG_WORD = `x${'long'.repeat(1500)}`

const sde = (key: string, sdeType: SdeEvent['sdeType'], value: unknown): SdeEvent => ({
  [key]: value,
  serverTimeStamp: '1',
  originalTimeStamp: '1',
  sdeType,
  isAuthenticated: false,
})

/**
 * The keyword table shared by both SearchIndex implementations: what a keyword (as typed by a
 * client) must match, in which areas. Operators and punctuation are just separators.
 */
const KEYWORD_TABLE: [keyword: string, areas: readonly TextArea[], expected: number[]][] = [
  ['ipad', TEXT_AREAS, [1, 3]],
  ['IPAD!', TEXT_AREAS, [1, 3]],
  ['ipads', TEXT_AREAS, [2]],
  ['"order number"', TEXT_AREAS, [2]],
  ['order number', TEXT_AREAS, [2]],
  ['my order number', TEXT_AREAS, []],
  ['"number is"', ['chatLine'], [1]],
  ["o'neil", TEXT_AREAS, [3]],
  ["'", TEXT_AREAS, []],
  ['"', TEXT_AREAS, []],
  ['NEAR(ipad)', TEXT_AREAS, [3]],
  ['NEAR', TEXT_AREAS, [3]],
  ['ip*', TEXT_AREAS, [3]],
  ['*', TEXT_AREAS, []],
  ['a:b', TEXT_AREAS, [3]],
  ['x & y', TEXT_AREAS, [3]],
  ['(ipad', TEXT_AREAS, [1, 3]],
  ['-minus', TEXT_AREAS, [3]],
  ['^caret', TEXT_AREAS, [3]],
  ['AND', TEXT_AREAS, [3]],
  ['OR', TEXT_AREAS, [3]],
  ['NOT', TEXT_AREAS, [3]],
  ['ipad AND', TEXT_AREAS, []],
  ['ipad OR order', TEXT_AREAS, []],
  ['\\ ipad', TEXT_AREAS, [1, 3]],
  ['東京', TEXT_AREAS, [3]],
  ['東京 TOWER', TEXT_AREAS, [3]],
  [LONG_WORD, TEXT_AREAS, [3]],
  [LONG_WORD.slice(0, 3000), TEXT_AREAS, []],
  ['cafe', ['surveyQuestion'], [1]],
  ['CAFÉ', TEXT_AREAS, [1]],
  ['cafe', ['chatLine', 'surveyAnswer'], []],
  ['tres bien', ['surveyAnswer'], [1]],
  ['ok', ['surveyAnswer'], [1]],
  ['tres bien', ['surveyQuestion', 'chatLine'], []],
  ['sao paulo', ['visitorInfo'], [2]],
  ['sao paulo', ['chatLine'], []],
  ['blue widget', ['ea.purchase'], [2]],
  ['ord 77', ['ea.purchase'], [2]],
  ['ord 77', ['ea.lead', 'ea.cartStatus'], []],
  ['upgrade pricing', ['ea.lead'], [3]],
  ['upgrade pricing', TEXT_AREAS, [3]],
  ['secretword', TEXT_AREAS, []],
  // "widget" ends the purchase's product name and "upgrade" begins the lead topic: different fields.
  ['widget upgrade', TEXT_AREAS, []],
]

describe('SearchIndex query text', () => {
  it('quotes every word for FTS5 and restricts to the requested columns', () => {
    expect(sqliteFts5Index.queryText({ words: ['a"b', 'near'], areas: ['chatLine', 'ea.lead'] })).toBe(
      '{chat_line ea_lead} : ("a""b" + "near")',
    )
  })

  it('quotes every lexeme for tsquery, one adjacency chain per area', () => {
    expect(postgresTsvectorIndex.queryText({ words: ["it's", 'x\\y'], areas: ['chatLine', 'visitorInfo'] })).toBe(
      "('0.it''s' <-> '0.x\\\\y') | ('3.it''s' <-> '3.x\\\\y')",
    )
  })

  it('leaves a gap between fields in the tsvector', () => {
    const fields = Object.fromEntries(TEXT_AREAS.map((area) => [area, [] as string[][]])) as Record<
      TextArea,
      string[][]
    >
    fields.chatLine = [['order'], ['number', 'order']]
    expect(tsvectorLiteral(fields)).toBe("'0.order':1,4 '0.number':3")
  })
})

describeEachDialect('archive keyword search', (dialect) => {
  const ctx = useTestApp(dialect)
  let accountId: string

  beforeAll(async () => {
    accountId = (await createAccount(ctx.services)).accountId
    const a = accountId
    const other = (await createAccount(ctx.services)).accountId
    await ctx.services.archive.archiveRecords(
      a,
      [
        buildRecord(a, {
          rt: RT + 1,
          start: T0,
          lines: ['I want an iPad!', 'my order', 'number is 5'],
          surveys: {
            postChat: [{ displayName: 'How was the Café?', value: 'Très bien', values: ['Très bien', 'ok'] }],
          },
        }),
        buildRecord(a, {
          rt: RT + 2,
          start: T0 + DAY,
          lines: ['order number 42 please', 'iPads are great'],
          visitorInfo: { city: 'São Paulo' },
          sdes: [
            sde('purchase', 'PURCHASE', {
              orderId: 'ORD-77',
              total: '10',
              cart: { products: [{ product: { name: 'Blue Widget' } }] },
            }),
            sde('searchContent', 'SEARCH_CONTENT', { keywords: ['secretword'] }),
          ],
        }),
        buildRecord(a, {
          rt: RT + 3,
          start: T0 + 2 * DAY,
          lines: ["o'neil NEAR(ipad) ip* a:b x & y -minus ^caret AND OR NOT", '東京 tower', LONG_WORD],
          sdes: [sde('lead', 'LEAD', { topic: 'upgrade pricing', leadId: 'l1' })],
        }),
        // Outside the window used below.
        buildRecord(a, { rt: RT + 4, start: T0 - 40 * DAY, lines: ['ipad', 'order number'] }),
      ],
      'imported',
    )
    await ctx.services.archive.archiveRecords(
      other,
      [buildRecord(other, { rt: RT + 1, start: T0, lines: ['ipad order number'] })],
      'imported',
    )
  })

  const run = (keyword: string, areas: readonly TextArea[], extra: Partial<HistoryFilter> = {}) =>
    ctx.services.historyQuery.search(
      {
        accountId,
        start: { from: T0 - DAY, to: T0 + 3 * DAY },
        keyword: { words: searchWords(keyword.replace(/^"(.*)"$/, '$1')), areas },
        ...extra,
      },
      [{ field: 'start', direction: 'asc' }],
      0,
      50,
    )

  it('matches whole words and phrases inside one field of the requested areas, escaping everything', async () => {
    for (const [keyword, areas, expected] of KEYWORD_TABLE) {
      const page = await run(keyword, areas)
      expect({
        keyword: keyword.slice(0, 40),
        areas,
        ids: parseDocuments(page.documents).map((r) => r.info.engagementId),
      }).toEqual({
        keyword: keyword.slice(0, 40),
        areas,
        ids: expected.map((n) => `${accountId}${RT + n}`),
      })
      expect(page.count).toBe(expected.length)
    }
  })

  it('never lets raw engine syntax through, even in words that searchWords would not produce', async () => {
    for (const word of [
      '"',
      '""',
      "'",
      '*',
      ':',
      '&',
      '(',
      ')',
      'NEAR',
      'AND',
      '-',
      '^',
      '\\',
      '{chat_line}',
      '<->',
      '!',
    ]) {
      const page = await ctx.services.historyQuery.search(
        {
          accountId,
          start: { from: T0 - DAY, to: T0 + 3 * DAY },
          keyword: { words: [word, 'ipad'], areas: TEXT_AREAS },
        },
        [],
        0,
        10,
      )
      expect(page.count).toBeGreaterThanOrEqual(0)
    }
  })

  it('applies the time window and other filters together with the keyword', async () => {
    expect((await run('order number', TEXT_AREAS, { start: { from: T0 - 50 * DAY, to: T0 + 3 * DAY } })).count).toBe(2)
    expect((await run('ipad', TEXT_AREAS, { skillIds: [11], duration: { from: 0, to: 100 } })).count).toBe(2)
    expect((await run('ipad', TEXT_AREAS, { skillIds: [12] })).count).toBe(0)
    const lookup = await run('ipad', ['chatLine'], { start: undefined, visitor: `visitor-${RT + 4}` })
    expect(parseDocuments(lookup.documents).map((r) => r.info.engagementId)).toEqual([`${accountId}${RT + 4}`])
  })

  it('matches nothing without words or without areas', async () => {
    expect((await run('ipad', [])).count).toBe(0)
    expect((await run('?!', TEXT_AREAS)).count).toBe(0)
  })
})
