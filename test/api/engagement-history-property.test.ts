import { beforeAll, expect, it } from 'vitest'
import { SORT_FIELDS, TEXT_AREAS } from '../../src/core/history/history-query.types.ts'
import { createInMemoryHistoryQuery } from '../../src/core/history/in-memory-history-query.ts'
import type { EngagementRecord, TranscriptLine } from '../../src/core/history/record.types.ts'
import { parseSearchRequest } from '../../src/core/history/search-request.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { makeRecord, sdeEvent, seededRandom } from '../support/eh-search-records.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { rtIdsOf, searchWithBearer, useHistoryArchive } from '../support/history-api.ts'
import { parseDocuments } from '../../src/core/history/record-sections.ts'

const SEED = 20261125
const RECORDS = 300
const QUERIES = 150
const MINUTE = 60_000
const T0 = Date.UTC(2026, 2, 1)
const SPAN_MS = 20 * 24 * 60 * MINUTE
const RT = 4294967296

const WORDS = [
  'order',
  'Order',
  'número',
  'numero',
  'café',
  'iPad',
  'ipads',
  'refund',
  'delivery',
  'Zürich',
  "o'neil",
  'NEAR',
  'and',
  'the',
  'late',
  'broken',
  'screen',
  'A-1234',
  'price',
  'upgrade',
]

type Random = () => number

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!
const chance = (random: Random, p: number): boolean => random() < p
const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
const sentence = (random: Random): string =>
  Array.from({ length: int(random, 1, 6) }, () => pick(random, WORDS)).join(pick(random, [' ', ', ', ' - ', '! ']))
/** Randomly sends a number or boolean as a string, as clients do (Decision D4). */
const loose = (random: Random, value: number | boolean): number | boolean | string =>
  chance(random, 0.5) ? String(value) : value

function randomRecord(random: Random, accountId: string, index: number): EngagementRecord {
  const interactive = chance(random, 0.8)
  const lines: Array<Partial<TranscriptLine>> = Array.from({ length: int(random, 1, 4) }, () =>
    chance(random, 0.1)
      ? { textType: 'rich-content', json: { type: 'text', text: sentence(random) }, text: undefined, source: 'agent' }
      : { text: sentence(random), source: pick(random, ['visitor', 'agent', 'system'] as const) },
  )
  return makeRecord({
    accountId,
    rtSessionId: RT + index,
    startTimeL: T0 + int(random, 0, SPAN_MS / (5 * MINUTE)) * 5 * MINUTE,
    duration: pick(random, [0, 30, 60, 60, 90, 180, 181, 600]),
    visitorId: `v${int(random, 10, 29)}`,
    agentId: pick(random, ['-1', '101', '102', '250']),
    skillId: pick(random, [-1, 11, 12, 13]),
    agentGroupId: pick(random, [-1, 5, 6]),
    isInteractive: interactive,
    channel: pick(random, [1, 1, 1, 2, -1]),
    chatMCS: interactive ? int(random, -100, 100) : null,
    lines,
    surveyAnswers: chance(random, 0.3) ? [{ question: sentence(random), answer: sentence(random) }] : [],
    visitorInfo: { city: chance(random, 0.3) ? pick(random, WORDS) : '' },
    sdes: [
      ...(chance(random, 0.2) ? [sdeEvent('purchase', { orderId: sentence(random), total: '10.0' })] : []),
      ...(chance(random, 0.2) ? [sdeEvent('lead', { topic: sentence(random) })] : []),
    ],
    coBrowse: chance(random, 0.3)
      ? Array.from({ length: int(random, 1, 2) }, () => ({
          duration: int(random, 0, 300) * 1000,
          interactive: chance(random, 0.5),
        }))
      : [],
  })
}

function randomBody(random: Random, accountId: string): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  if (chance(random, 0.08)) body.visitor = `v${int(random, 10, 29)}`
  else if (chance(random, 0.05)) body.engagementId = `${accountId}${RT + int(random, 0, RECORDS)}`
  const from = T0 + int(random, -2, SPAN_MS / MINUTE) * MINUTE + int(random, 0, 59_999)
  body.start = { from: loose(random, from), to: loose(random, from + int(random, 0, SPAN_MS / MINUTE) * MINUTE) }
  if (chance(random, 0.25))
    body.skillIds = [pick(random, [-1, 11, 12, 13]), pick(random, [11, 12])].map((id) => loose(random, id))
  if (chance(random, 0.25)) body.agentIds = [loose(random, pick(random, [-1, 101, 102, 250]))]
  if (chance(random, 0.2)) body.agentGroupIds = [loose(random, pick(random, [-1, 5, 6]))]
  if (chance(random, 0.2)) {
    const low = pick(random, [0, 30, 60, 100])
    body.duration = { from: loose(random, low), to: loose(random, low + pick(random, [0, 60, 200, 1000])) }
  }
  if (chance(random, 0.2))
    body.chatMCS = chance(random, 0.5) ? { from: int(random, -100, 0) } : { from: -50, to: int(random, -50, 100) }
  if (chance(random, 0.15)) body.alertedMcsValues = [String(pick(random, [-1, 0, 1]))]
  if (chance(random, 0.1)) {
    body.mcs = loose(random, pick(random, [-1, 0, 1]))
    body.keyword_search_area = { types: ['mcs'] }
  }
  if (chance(random, 0.2)) body.interactive = loose(random, chance(random, 0.7))
  if (chance(random, 0.1)) body.channel = loose(random, pick(random, [1, 2, -1]))
  if (chance(random, 0.1)) body.hasInteractiveCoBrowse = loose(random, true)
  if (chance(random, 0.1)) body.coBrowseDuration = { from: int(random, 0, 100), to: int(random, 100, 300) }
  if (chance(random, 0.1)) body.lineContentTypes = ['RICH_CONTENT']
  if (chance(random, 0.45)) {
    const phrase = Array.from({ length: chance(random, 0.7) ? 1 : 2 }, () => pick(random, WORDS)).join(' ')
    body.keyword = chance(random, 0.3) ? `"${phrase}"` : phrase
    if (chance(random, 0.5)) {
      const types = Array.from({ length: int(random, 1, 3) }, () => pick(random, TEXT_AREAS))
      const existing = (body.keyword_search_area as { types: string[] } | undefined)?.types ?? []
      body.keyword_search_area = { types: [...existing, ...types] }
    }
  }
  return body
}

function randomQuery(random: Random): string {
  const params = [
    `limit=${int(random, 1, 40)}`,
    `offset=${pick(random, [0, 0, 0, int(random, 0, 30), int(random, 0, 320)])}`,
  ]
  if (chance(random, 0.8)) {
    const keys = Array.from({ length: int(random, 1, 3) }, () => {
      const field = pick(random, SORT_FIELDS)
      return chance(random, 0.2) ? field : `${field}:${pick(random, ['asc', 'desc', 'des'])}`
    })
    params.push(`sort=${keys.join(',')}`)
  }
  return params.join('&')
}

describeEachDialect('Engagement History agrees with the in-memory reference', (dialect) => {
  const context = useTestApp(dialect)
  const history = useHistoryArchive(context)
  const reference = createInMemoryHistoryQuery()
  let account: TestAccount
  let bearer: string

  beforeAll(async () => {
    account = await createAccount(context.services)
    ;({ bearer } = await login(context.app, account.accountId, account.adminLogin, account.adminPassword))
    const random = seededRandom(SEED)
    const records = Array.from({ length: RECORDS }, (_, index) => randomRecord(random, account.accountId, index))
    // Archive in a shuffled order so storage order never stands in for the sort.
    const shuffled = [...records].sort(() => random() - 0.5)
    await history.archive(account.accountId, shuffled)
    reference.archiveRecords(account.accountId, shuffled)
  })

  it(`returns the same count and ids for ${QUERIES} random searches (seed ${SEED})`, async () => {
    const random = seededRandom(SEED + 1)
    let nonEmpty = 0
    for (let i = 0; i < QUERIES; i++) {
      const body = randomBody(random, account.accountId)
      const query = randomQuery(random)
      const request = parseSearchRequest(account.accountId, Object.fromEntries(new URLSearchParams(query)), body)
      const expected = request.matchesNothing
        ? { count: 0, documents: [] }
        : await reference.search(request.filter, request.sort, request.offset, request.limit)
      const response = await searchWithBearer(context, account.accountId, bearer, body, query)
      const label = `query ${i}: ${query} ${JSON.stringify(body)}`
      expect(response.statusCode, `${label}\n${response.body}`).toBe(200)
      expect(response.json()._metadata.count, label).toBe(expected.count)
      expect(rtIdsOf(response, account.accountId), label).toEqual(
        parseDocuments(expected.documents).map((record) => record.info.engagementId.slice(account.accountId.length)),
      )
      if (expected.documents.length > 0) nonEmpty++
      if (!request.matchesNothing && chance(random, 0.3)) {
        // Agent-manager visibility is not reachable with an Admin bearer: compare the query port directly.
        const visible = { ...request.filter, visibleAgentGroupIds: [pick(random, [-1, 5, 6]), pick(random, [5, 7])] }
        const direct = await context.services.historyQuery.search(visible, request.sort, request.offset, request.limit)
        const oracle = await reference.search(visible, request.sort, request.offset, request.limit)
        expect(direct.count, `${label} visible`).toBe(oracle.count)
        expect(parseDocuments(direct.documents).map((record) => record.info.engagementId)).toEqual(
          parseDocuments(oracle.documents).map((record) => record.info.engagementId),
        )
      }
    }
    // The generator must produce enough non-trivial pages for the comparison to mean something.
    expect(nonEmpty).toBeGreaterThan(QUERIES / 3)
  })
})
