import { expect, it } from 'vitest'
import type { VisitorInfo } from '../../src/core/history/record.types.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp, type TestContext } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { writeGeoLiteStyleDatabases } from '../support/geoip-fixtures.ts'
import { searchWithBearer } from '../support/history-api.ts'
import { archivedRecord, createLiveAccount, type LiveAccount } from '../support/live-chat.ts'

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1'
const WINDOWS_EDGE =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91'

interface ChatRequestOptions {
  body?: Record<string, unknown>
  headers?: Record<string, string>
  remoteAddress?: string
}

/** An account with one agent (Natalie, Sales) whose agent session is started; `admin` can search history. */
async function liveAccount(ctx: TestContext): Promise<LiveAccount & { appKey: string; adminBearer: string }> {
  const live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
  const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
  const natalie = await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')
  await agentClient(ctx.app, live.accountId, `Bearer ${natalie.bearer}`).start()
  const admin = await login(ctx.app, live.accountId, 'admin', 'pw-admin-123456')
  return { ...live, appKey: appKey!.appKey, adminBearer: admin.bearer }
}

/** V7 over HTTP; answers the response and the new chat's key. */
async function requestChat(
  ctx: TestContext,
  account: { accountId: string; appKey: string },
  options: ChatRequestOptions,
) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/account/${account.accountId}/chat/request.json?v=1`,
    headers: {
      authorization: `LivePerson appKey=${account.appKey}`,
      'content-type': 'application/json',
      ...options.headers,
    },
    payload: JSON.stringify({ request: { skill: 'Sales', ...options.body } }),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  })
  expect(response.statusCode).toBe(201)
  return { response, key: String(response.headers.location).split('/').pop()! }
}

/** Runs a chat to its end (accepted by Natalie, ended by her) and answers its archived visitorInfo. */
async function endedChatVisitorInfo(
  ctx: TestContext,
  account: LiveAccount & { appKey: string },
  options: ChatRequestOptions,
): Promise<{ visitorInfo: VisitorInfo; rtSessionId: number }> {
  const { key } = await requestChat(ctx, account, options)
  const natalie = account.agents[0]!.userId
  await ctx.services.chat.acceptChat(account.accountId, natalie)
  const chat = await ctx.services.chat.getChat(account.accountId, key)
  await ctx.services.chat.endByAgent(account.accountId, natalie, key)
  const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
  return { visitorInfo: record!.visitorInfo, rtSessionId: chat.rtSessionId }
}

const DAY = 86_400_000
const startWindow = (ctx: TestContext) => ({ from: ctx.clock.now() - DAY, to: ctx.clock.now() + DAY })

function searchVisitorInfo(ctx: TestContext, account: { accountId: string; adminBearer: string }, keyword: string) {
  return searchWithBearer(ctx, account.accountId, account.adminBearer, {
    start: startWindow(ctx),
    keyword,
    keyword_search_area: { types: ['visitorInfo'] },
  })
}

const rtSessionIdsOf = (body: string, accountId: string): string[] =>
  (
    JSON.parse(body) as { interactionHistoryRecords: Array<{ info: { engagementId: string } }> }
  ).interactionHistoryRecords.map((record) => record.info.engagementId.slice(accountId.length))

describeEachDialect('visitor info from the bundled geo-IP database', (dialect) => {
  // The geo fields come from the geo-IP configuration of whichever process archives the chat: no
  // other test file's app (another configuration) may archive it first.
  const ctx = useTestApp(dialect, { privateDatabase: true })

  it('archives geo and user-agent fields of an API-driven chat, searchable through the visitorInfo area', async () => {
    const account = await liveAccount(ctx)
    const { visitorInfo, rtSessionId } = await endedChatVisitorInfo(ctx, account, {
      body: { visitorIp: '81.2.69.142' },
      headers: { 'user-agent': IPHONE_SAFARI },
    })
    expect(visitorInfo).toEqual({
      country: 'United Kingdom',
      countryCode: 'GB',
      state: 'England',
      city: 'London',
      isp: '',
      org: '',
      device: 'MOBILE',
      ipAddress: '81.2.69.142',
      browser: 'Safari 17.1.2',
      operatingSystem: 'IOS',
      browserType: 'SAFARI',
    })
    const other = await endedChatVisitorInfo(ctx, account, {
      body: { visitorIp: '8.8.8.8', userAgent: WINDOWS_EDGE },
      headers: { 'user-agent': IPHONE_SAFARI },
    })
    expect(other.visitorInfo).toMatchObject({
      countryCode: 'US',
      city: 'Mountain View',
      browser: 'Edge 120.0.2210.91',
      browserType: 'EDGE',
      operatingSystem: 'WINDOWS',
      device: 'DESKTOP',
    })

    const london = String(rtSessionId)
    const mountainView = String(other.rtSessionId)
    for (const [keyword, expected] of [
      ['london', [london]],
      ['"United Kingdom"', [london]],
      ['GB', [london]],
      ['England', [london]],
      ['safari', [london]],
      ['ios', [london]],
      ['MOBILE', [london]],
      ['"Mountain View"', [mountainView]],
      ['edge', [mountainView]],
      ['windows', [mountainView]],
      ['81.2.69.142', [london]],
      ['Paris', []],
    ] as const) {
      const response = await searchVisitorInfo(ctx, account, keyword)
      expect(response.statusCode, keyword).toBe(200)
      expect(rtSessionIdsOf(response.body, account.accountId), keyword).toEqual(expected)
    }
    const lines = await searchWithBearer(ctx, account.accountId, account.adminBearer, {
      start: startWindow(ctx),
      keyword: 'london',
      keyword_search_area: { types: ['chatLine'] },
    })
    expect(rtSessionIdsOf(lines.body, account.accountId)).toEqual([])
  })

  it('uses the client address and User-Agent header when the request names none, and ignores a visitorIp that is no IP', async () => {
    const account = await liveAccount(ctx)
    // Billing: no agent serves it, so this chat stays waiting and Natalie's next accept takes the next one.
    const { key } = await requestChat(ctx, account, {
      body: { skill: 'Billing', visitorIp: 'not-an-ip' },
      headers: { 'user-agent': WINDOWS_EDGE },
      remoteAddress: '::ffff:193.0.6.139',
    })
    expect((await ctx.services.chat.getChat(account.accountId, key)).request).toMatchObject({
      visitorIp: '193.0.6.139',
      userAgent: WINDOWS_EDGE,
    })
    const { visitorInfo } = await endedChatVisitorInfo(ctx, account, { body: { visitorIp: '10.1.2.3' } })
    expect(visitorInfo).toMatchObject({ ipAddress: '10.1.2.3', country: '', countryCode: '', city: '', device: 'NA' })
  })

  it('reads visitorIp and userAgent from an XML chat request', async () => {
    const account = await liveAccount(ctx)
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/chat/request?v=1`,
      headers: { authorization: `LivePerson appKey=${account.appKey}`, 'content-type': 'application/xml' },
      payload: `<request><skill>Billing</skill><visitorIp>193.0.6.139</visitorIp><userAgent>${WINDOWS_EDGE}</userAgent></request>`,
    })
    expect(response.statusCode).toBe(201)
    expect(response.body).toBe('')
    const key = String(response.headers.location).split('/').pop()!
    expect((await ctx.services.chat.getChat(account.accountId, key)).request).toMatchObject({
      visitorIp: '193.0.6.139',
      userAgent: WINDOWS_EDGE,
    })
  })

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const account = await liveAccount(ctx)
    const { key } = await requestChat(ctx, account, {
      headers: { 'x-forwarded-for': '8.8.8.8' },
      remoteAddress: '193.0.6.139',
    })
    expect((await ctx.services.chat.getChat(account.accountId, key)).request.visitorIp).toBe('193.0.6.139')
  })
})

describeEachDialect('visitor info behind trusted proxies, with configured geo-IP databases', (dialect) => {
  const files = writeGeoLiteStyleDatabases()
  const ctx = useTestApp(dialect, {
    env: {
      PARLEY_TRUSTED_PROXIES: '10.0.0.0/8, fd00::1',
      PARLEY_GEOIP_CITY_DB: files.city,
      PARLEY_GEOIP_ASN_DB: files.asn,
    },
    privateDatabase: true,
  })

  it('takes the client address a trusted proxy forwards, and looks it up in the configured databases', async () => {
    const account = await liveAccount(ctx)
    const { visitorInfo, rtSessionId } = await endedChatVisitorInfo(ctx, account, {
      headers: { 'x-forwarded-for': '81.2.69.142', 'user-agent': WINDOWS_EDGE },
      remoteAddress: '10.0.0.5',
    })
    expect(visitorInfo).toEqual({
      country: 'United Kingdom',
      countryCode: 'GB',
      state: 'England',
      city: 'London',
      isp: 'Andrews & Arnold Ltd',
      org: 'Andrews & Arnold Ltd',
      device: 'DESKTOP',
      ipAddress: '81.2.69.142',
      browser: 'Edge 120.0.2210.91',
      operatingSystem: 'WINDOWS',
      browserType: 'EDGE',
    })
    for (const keyword of ['london', '"Andrews & Arnold"', 'edge']) {
      const response = await searchVisitorInfo(ctx, account, keyword)
      expect(response.statusCode, keyword).toBe(200)
      expect(rtSessionIdsOf(response.body, account.accountId), keyword).toEqual([String(rtSessionId)])
    }
  })

  it('walks a chain of trusted proxies to the first untrusted address', async () => {
    const account = await liveAccount(ctx)
    const { key } = await requestChat(ctx, account, {
      // Spoofed by the client, then appended by two trusted proxies.
      headers: { 'x-forwarded-for': '1.1.1.1, 81.2.69.142, 10.9.9.9' },
      remoteAddress: 'fd00::1',
    })
    expect((await ctx.services.chat.getChat(account.accountId, key)).request.visitorIp).toBe('81.2.69.142')
  })

  it('ignores X-Forwarded-* headers spoofed by a client that is not a trusted proxy', async () => {
    const account = await liveAccount(ctx)
    const { key, response } = await requestChat(ctx, account, {
      headers: {
        'x-forwarded-for': '81.2.69.142',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'spoofed.example.com',
        host: 'parley.test',
      },
      remoteAddress: '8.8.8.8',
    })
    expect((await ctx.services.chat.getChat(account.accountId, key)).request.visitorIp).toBe('8.8.8.8')
    expect(String(response.headers.location)).toMatch(/^http:\/\/parley\.test\//)
  })

  it('builds links from the X-Forwarded-Proto and -Host of a trusted proxy', async () => {
    const account = await liveAccount(ctx)
    const { response } = await requestChat(ctx, account, {
      headers: {
        'x-forwarded-for': '81.2.69.142',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'chat.example.com',
        host: 'parley.internal:8080',
      },
      remoteAddress: '10.0.0.5',
    })
    expect(String(response.headers.location)).toMatch(/^https:\/\/chat\.example\.com\/api\/account\//)
  })

  it('prefers a valid visitorIp in the request over the forwarded address', async () => {
    const account = await liveAccount(ctx)
    const { visitorInfo } = await endedChatVisitorInfo(ctx, account, {
      body: { visitorIp: '8.8.8.8' },
      headers: { 'x-forwarded-for': '81.2.69.142' },
      remoteAddress: '10.0.0.5',
    })
    expect(visitorInfo).toMatchObject({ ipAddress: '8.8.8.8', countryCode: 'US', org: 'GOOGLE', city: '' })
  })
})
