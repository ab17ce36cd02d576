import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { rtIdsOf, searchPath, searchWithBearer, useHistoryArchive } from '../support/history-api.ts'
import { makeRecord, sdeEvent, specRecordFor } from '../support/eh-search-records.ts'
import { specExampleRecord } from '../support/history-fixtures.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const T0 = Date.UTC(2026, 5, 1, 12, 0)
const RT = 4294967300
const start = { from: T0, to: T0 + 7 * DAY }

describeEachDialect('Engagement History search', (dialect) => {
  const context = useTestApp(dialect)
  const history = useHistoryArchive(context)
  let account: TestAccount
  let bearer: string
  const rt = (n: number) => String(RT + n)
  const search = (body: unknown, query = '') => searchWithBearer(context, account.accountId, bearer, body, query)
  const ids = async (body: unknown, query = 'sort=start:asc') => {
    const response = await search(body, query)
    expect(response.statusCode, response.body).toBe(200)
    return rtIdsOf(response, account.accountId)
  }
  const rts = (...ns: number[]) => ns.map(rt)

  beforeAll(async () => {
    account = await createAccount(context.services)
    ;({ bearer } = await login(context.app, account.accountId, account.adminLogin, account.adminPassword))
    const accountId = account.accountId
    const at = (n: number) => T0 + n * MINUTE
    await history.archive(accountId, [
      makeRecord({
        accountId,
        rtSessionId: RT + 1,
        startTimeL: at(1),
        duration: 30,
        visitorId: 'alice',
        agentId: '109',
        skillId: 14,
        agentGroupId: 5,
        chatMCS: 60,
        lines: [
          { text: 'Hello, my iPad is broken!', source: 'visitor' },
          { text: 'What is your order number?', source: 'agent' },
        ],
      }),
      makeRecord({
        accountId,
        rtSessionId: RT + 2,
        startTimeL: at(2),
        duration: 180,
        visitorId: 'bob',
        agentId: '169',
        skillId: 17,
        agentGroupId: 6,
        chatMCS: -50,
        isInteractive: false,
        channel: 2,
        lines: [{ text: 'I want two iPads from the café', source: 'visitor' }],
        surveyAnswers: [{ question: 'Was the agent helpful?', answer: "o'neil said NEAR(ipad) & more" }],
      }),
      makeRecord({
        accountId,
        rtSessionId: RT + 3,
        startTimeL: at(3),
        duration: 181,
        visitorId: 'carol',
        agentId: '-1',
        skillId: -1,
        chatMCS: null,
        lines: [{ textType: 'rich-content', json: { type: 'vertical' }, text: undefined, source: 'agent' }],
        coBrowse: [{ duration: 90_000, interactive: true }],
        visitorInfo: { city: 'Zürich' },
      }),
      makeRecord({
        accountId,
        rtSessionId: RT + 4,
        startTimeL: at(4),
        duration: 0,
        visitorId: 'alice',
        agentId: '109',
        skillId: 18,
        agentGroupId: 5,
        chatMCS: 20,
        coBrowse: [{ duration: 30_000, interactive: false }],
        sdes: [
          sdeEvent('purchase', { orderId: 'DRV1534XC', total: '77.0' }),
          sdeEvent('lead', { topic: 'order number 42' }),
        ],
      }),
      makeRecord({
        accountId,
        rtSessionId: RT + 5,
        startTimeL: T0 + 10 * DAY,
        visitorId: 'alice',
        lines: [{ text: 'much later ipad' }],
      }),
    ])
  })

  it('returns the §8 record exactly as documented', async () => {
    await history.archive(account.accountId, [specRecordFor(account.accountId)])
    const from = 1485969119916 - DAY
    const response = await search({ start: { from, to: from + 2 * DAY } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=UTF-8')
    const expected = specRecordFor(account.accountId)
    expect(response.json()).toEqual({
      _metadata: {
        count: 1,
        self: {
          rel: 'self',
          href: `http://localhost:80${searchPath(account.accountId)}?limit=50&offset=0`,
        },
        shardsStatusResult: { failureShards: 0, totalShards: 1, partialResult: false },
      },
      interactionHistoryRecords: [expected],
    })
    expect(JSON.stringify(response.json().interactionHistoryRecords[0])).toBe(JSON.stringify(expected))
    expect(Object.keys(specExampleRecord())).toEqual(Object.keys(response.json().interactionHistoryRecords[0]))
  })

  it('filters on the start window and sorts by start:desc by default', async () => {
    expect(rtIdsOf(await search({ start }), account.accountId)).toEqual(rts(4, 3, 2, 1))
    expect(await ids({ start: { from: T0 + 2 * MINUTE, to: T0 + 3 * MINUTE } })).toEqual(rts(1, 2, 3, 4))
    expect(await ids({ start: { from: T0 + 10 * MINUTE, to: T0 + 20 * MINUTE } })).toEqual([])
  })

  it('rounds from down and to up to 10 minutes', async () => {
    // from 12:09 rounds to 12:00 (includes 12:01..12:04); to 11:51 rounds up to 12:00 (excludes 12:01).
    expect(await ids({ start: { from: T0 + 9 * MINUTE, to: T0 + 10 * MINUTE } })).toEqual(rts(1, 2, 3, 4))
    expect(await ids({ start: { from: T0 - DAY, to: T0 - 9 * MINUTE } })).toEqual([])
  })

  it('caps the window at 31 days after rounding', async () => {
    expect((await search({ start: { from: T0, to: T0 + 31 * DAY } })).statusCode).toBe(200)
    const tooLong = await search({ start: { from: T0 - 1, to: T0 + 31 * DAY } })
    expect(tooLong.statusCode).toBe(400)
    expect(tooLong.json().error.message).toMatch(/^start: .*31 days/)
  })

  it('looks up by visitor and engagementId ignoring every time limit', async () => {
    expect(await ids({ visitor: 'alice', start: { from: 0, to: 1 } })).toEqual(rts(1, 4, 5))
    expect(await ids({ engagementId: `${account.accountId}${rt(5)}` })).toEqual(rts(5))
    expect(await ids({ engagementId: 'unknown' })).toEqual([])
  })

  it('applies every list, range and switch filter, with numbers and booleans as strings', async () => {
    expect(await ids({ start, skillIds: ['14', 17] })).toEqual(rts(1, 2))
    expect(await ids({ start, skillIds: [] })).toEqual(rts(1, 2, 3, 4))
    expect(await ids({ start, agentIds: ['109', '-1'] })).toEqual(rts(1, 3, 4))
    expect(await ids({ start, agentGroupIds: ['6'] })).toEqual(rts(2))
    expect(await ids({ start, skillIds: [14, 18], agentIds: [109], agentGroupIds: [5] })).toEqual(rts(1, 4))
    expect(await ids({ start, duration: { from: '0', to: '180' } })).toEqual(rts(1, 2, 4))
    expect(await ids({ start, chatMCS: { from: '30', to: '60' } })).toEqual(rts(1))
    expect(await ids({ start, chatMCS: { from: -100 } })).toEqual(rts(1, 2, 4))
    expect(await ids({ start, alertedMcsValues: ['1', '-1'] })).toEqual(rts(1, 2))
    expect(await ids({ start, mcs: 0, keyword_search_area: { types: ['mcs'] } })).toEqual(rts(4))
    expect(await ids({ start, mcs: 0 })).toEqual(rts(1, 2, 3, 4))
    expect(await ids({ start, interactive: 'true', ended: true })).toEqual(rts(1, 3, 4))
    expect(await ids({ start, interactive: false })).toEqual(rts(1, 2, 3, 4))
    expect(await ids({ start, channel: '2' })).toEqual(rts(2))
    expect(await ids({ start, hasInteractiveCoBrowse: 'true' })).toEqual(rts(3))
    expect(await ids({ start, coBrowseDuration: { from: '20', to: 30 } })).toEqual(rts(4))
    expect(await ids({ start, lineContentTypes: ['RICH_CONTENT'] })).toEqual(rts(3))
  })

  it('sorts on every documented key, ties by rtSessionId ascending', async () => {
    expect(await ids({ start }, 'sort=duration:desc')).toEqual(rts(3, 2, 1, 4))
    expect(await ids({ start }, 'sort=end:asc')).toEqual(rts(1, 4, 2, 3))
    expect(await ids({ start }, 'sort=visitor:asc,start:des')).toEqual(rts(4, 1, 2, 3))
    expect(await ids({ start }, 'sort=engagementId:desc')).toEqual(rts(4, 3, 2, 1))
    expect(await ids({ start }, 'sort=interactive:asc')).toEqual(rts(2, 1, 3, 4))
    expect(await ids({ start }, 'sort=agentId:desc')).toEqual(rts(2, 1, 4, 3))
    expect(await ids({ start }, 'sort=skillId')).toEqual(rts(3, 1, 2, 4))
  })

  it('searches keywords as whole words, case- and accent-insensitive, in the listed areas', async () => {
    expect(await ids({ start, keyword: 'IPAD' })).toEqual(rts(1, 2))
    expect(await ids({ start, keyword: 'IPAD', keyword_search_area: { types: ['chatLine'] } })).toEqual(rts(1))
    expect(await ids({ start, keyword: 'ipads' })).toEqual(rts(2))
    expect(await ids({ start, keyword: 'cafe' })).toEqual(rts(2))
    expect(await ids({ start, keyword: 'zurich' })).toEqual(rts(3))
    expect(await ids({ start, keyword: 'zurich', keyword_search_area: { types: ['chatLine'] } })).toEqual([])
    expect(await ids({ start, keyword: '"order number"' })).toEqual(rts(1, 4))
    expect(await ids({ start, keyword: '"order number"', keyword_search_area: { types: ['chatLine'] } })).toEqual(
      rts(1),
    )
    expect(await ids({ start, keyword: 'number order' })).toEqual([])
    expect(await ids({ start, keyword: 'DRV1534XC', keyword_search_area: { types: ['ea.purchase'] } })).toEqual(rts(4))
    expect(await ids({ start, keyword: 'drv1534xc', keyword_search_area: { types: ['ea.lead'] } })).toEqual([])
    expect(await ids({ start, keyword: 'helpful', keyword_search_area: { types: ['surveyQuestion'] } })).toEqual(rts(2))
    expect(await ids({ start, keyword: 'helpful', keyword_search_area: { types: ['surveyAnswer'] } })).toEqual([])
    expect(await ids({ start, keyword: 'ipad', keyword_search_area: { types: ['mcs'] } })).toEqual(rts(1, 2))
  })

  it.each([
    '"',
    '*',
    ':',
    '&',
    '(',
    'NEAR',
    "'",
    'ipad AND',
    'ip*',
    'NEAR(ipad)',
    "o'neil",
    'a:b',
    '-ipad',
    '^ipad',
    '"ipad',
    '{ipad}',
    '\\',
    '%_',
    'OR',
    'ipad !',
    '!!',
    ' ',
  ])('never fails on the keyword %j', async (keyword) => {
    const response = await search({ start, keyword })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()._metadata.count).toBeGreaterThanOrEqual(0)
  })

  it('treats operators as words and a keyword without words as no match', async () => {
    expect(await ids({ start, keyword: "o'neil" })).toEqual(rts(2))
    expect(await ids({ start, keyword: 'NEAR(ipad)' })).toEqual(rts(2))
    expect(await ids({ start, keyword: 'ipad AND' })).toEqual([])
    expect(await ids({ start, keyword: 'ip*' })).toEqual([])
    expect(await ids({ start, keyword: '"*"' })).toEqual([])
  })

  it('answers 400 naming the field for invalid input', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{}, '', /^start: /],
      [{ start: { from: T0 } }, '', /^start\.to: /],
      [{ start: { from: T0 + 1, to: T0 } }, '', /^start: /],
      [{ start, duration: { from: 1 } }, '', /^duration\.to: /],
      [{ start, duration: { from: 'abc', to: 2 } }, '', /^duration\.from: /],
      [{ start, coBrowseDuration: { to: 2 } }, '', /^coBrowseDuration\.from: /],
      [{ start, keyword: 'x', keyword_search_area: { types: ['chat'] } }, '', /^keyword_search_area\.types\[0\]: /],
      [{ start, keyword: '"a" "b"' }, '', /^keyword: /],
      [{ start, lineContentTypes: ['TEXT'] }, '', /^lineContentTypes\[0\]: /],
      [{ start }, 'sort=startTime:asc', /^sort: /],
      [{ start }, 'sort=start:up', /^sort: /],
      [{ start }, 'limit=0', /^limit: /],
      [{ start }, 'limit=-5', /^limit: /],
      [{ start }, 'limit=ten', /^limit: /],
      [{ start }, 'offset=-1', /^offset: /],
      [{ start }, 'offset=x', /^offset: /],
      [{ start, skillIds: Array.from({ length: 1001 }, (_, i) => i) }, '', /^skillIds: at most 1000/],
      // Numbers no column can hold are refused by the edge rule before the search validates (issue 11).
      [{ start: { from: 1e20, to: 1e20 } }, '', /^body\.start\.(from|to): is out of range/],
      [{ start, agentIds: ['1e300'] }, '', /^agentIds\[0\]: is out of range/],
      [{ engagementId: 'a\u0000b' }, '', /^body\.engagementId: contains a character that cannot be stored/],
    ]
    for (const [body, query, message] of cases) {
      const response = await search(body, query)
      expect(response.statusCode, `${JSON.stringify(body)} ${query}`).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.json().error.message).toMatch(message)
    }
  })

  it('answers 400 for malformed JSON and accepts a body without Content-Type', async () => {
    const url = searchPath(account.accountId)
    const headers = { authorization: `Bearer ${bearer}` }
    const malformed = await context.app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"start": {',
    })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().error.message).toMatch(/^body: /)
    const bare = await context.app.inject({ method: 'POST', url, headers, payload: JSON.stringify({ start }) })
    expect(bare.statusCode).toBe(200)
    expect(bare.json()._metadata.count).toBe(4)
  })

  it('pages with exact counts and links whose next is the next page’s self', async () => {
    const first = await search({ start }, 'limit=3&offset=0&sort=start:asc&source=ACME Sync&v=1')
    const meta = first.json()._metadata
    const base = `http://localhost:80${searchPath(account.accountId)}`
    expect(Object.keys(meta)).toEqual(['count', 'next', 'last', 'self', 'shardsStatusResult'])
    expect(meta).toEqual({
      count: 4,
      next: { rel: 'next', href: `${base}?limit=3&offset=3&sort=start:asc&source=ACME%20Sync` },
      last: { rel: 'last', href: `${base}?limit=3&offset=3&sort=start:asc&source=ACME%20Sync` },
      self: { rel: 'self', href: `${base}?limit=3&offset=0&sort=start:asc&source=ACME%20Sync` },
      shardsStatusResult: { failureShards: 0, totalShards: 1, partialResult: false },
    })
    const nextQuery = new URL(meta.next.href).search.slice(1)
    const second = await search({ start }, nextQuery)
    const secondMeta = second.json()._metadata
    expect(secondMeta.self.href).toBe(meta.next.href)
    expect(secondMeta.prev.href).toBe(meta.self.href)
    expect(Object.keys(secondMeta)).toEqual(['count', 'prev', 'last', 'self', 'shardsStatusResult'])
    expect(rtIdsOf(first, account.accountId)).toEqual(rts(1, 2, 3))
    expect(rtIdsOf(second, account.accountId)).toEqual(rts(4))
  })

  it('orders links as the spec example and keeps sort literal', async () => {
    const middle = await search({ start }, 'limit=1&offset=1&sort=start:desc,duration:asc')
    const meta = middle.json()._metadata
    expect(Object.keys(meta)).toEqual(['count', 'next', 'prev', 'last', 'self', 'shardsStatusResult'])
    expect(meta.last.href).toMatch(/\?limit=1&offset=3&sort=start:desc,duration:asc$/)
    expect(meta.prev.href).toMatch(/\?limit=1&offset=0&sort=start:desc,duration:asc$/)
  })

  it('clamps limit to 100 in the links and answers 200 with an empty page past the end', async () => {
    const clamped = await search({ start }, 'limit=500')
    expect(clamped.json()._metadata.self.href).toMatch(/\?limit=100&offset=0$/)
    const past = await search({ start }, 'offset=4&limit=2')
    expect(past.statusCode).toBe(200)
    expect(past.json().interactionHistoryRecords).toEqual([])
    expect(past.json()._metadata.count).toBe(4)
    const empty = await search({ start, keyword: 'nothingmatchesthis' })
    expect(empty.json()).toEqual({
      _metadata: {
        count: 0,
        self: { rel: 'self', href: `http://localhost:80${searchPath(account.accountId)}?limit=50&offset=0` },
        shardsStatusResult: { failureShards: 0, totalShards: 1, partialResult: false },
      },
      interactionHistoryRecords: [],
    })
  })

  it('uses the public URL for links and accepts the path without /interaction_history', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/interactions/search?limit=2`,
      headers: { authorization: `Bearer ${bearer}`, host: 'eh.example.com', 'x-forwarded-proto': 'https' },
      payload: { start },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()._metadata.self.href).toBe(
      `http://eh.example.com${searchPath(account.accountId)}?limit=2&offset=0`,
    )
  })

  it('looks up one engagement on the interaction/search path', async () => {
    const url = `/interaction_history/api/account/${account.accountId}/interaction/search`
    const headers = { authorization: `Bearer ${bearer}` }
    const found = await context.app.inject({
      method: 'POST',
      url,
      headers,
      payload: { engagementId: `${account.accountId}${rt(2)}` },
    })
    expect(found.statusCode).toBe(200)
    expect(rtIdsOf(found, account.accountId)).toEqual(rts(2))
    const missing = await context.app.inject({ method: 'POST', url, headers, payload: {} })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error.message).toMatch(/^engagementId: /)
  })
})
