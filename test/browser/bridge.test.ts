import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type Request as PlaywrightRequest,
} from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/config.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { startServer, type RunningServer } from '../../src/server.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'
import { pollUntil } from '../support/poll-until.ts'

/** Debian's chromium package (installed by .ci/run); playwright-core never downloads a browser. */
const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** What CUSTOMER_PAGE exposes as `window.bridge`. */
interface PageBridge {
  jsonp(src: string, callback: string): Promise<Json>
  load(url: string): Promise<void>
  send(message: Json): Promise<{ reply: Json; raw: string }>
}

/** A customer's page: frames the bridge and talks to it the way LivePerson's SDK does (JSON strings, callIds). */
const CUSTOMER_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>customer</title></head><body>
<script>
window.bridge = (function () {
  var frame = null, bridgeOrigin = null, pending = {}, counter = 0
  window.addEventListener('message', function (event) {
    // As the SDK does: only replies from the bridge's own origin count.
    if (event.origin !== bridgeOrigin || typeof event.data !== 'string') return
    var reply = JSON.parse(event.data)
    var resolve = pending[reply.callId]
    if (resolve) { delete pending[reply.callId]; resolve({ reply: reply, raw: typeof event.data }) }
  })
  return {
    jsonp: function (src, callback) {
      return new Promise(function (resolve) {
        window[callback] = function (answer) { resolve(answer) }
        var script = document.createElement('script')
        script.src = src
        script.onerror = function () { resolve({ scriptError: true }) }
        document.head.appendChild(script)
      })
    },
    load: function (url) {
      return new Promise(function (resolve) {
        bridgeOrigin = new URL(url).origin
        frame = document.createElement('iframe')
        frame.style.display = 'none'
        frame.onload = function () { resolve() }
        frame.src = url
        document.body.appendChild(frame)
      })
    },
    send: function (message) {
      return new Promise(function (resolve) {
        var callId = 'call-' + (++counter)
        message.callId = callId
        pending[callId] = resolve
        frame.contentWindow.postMessage(JSON.stringify(message), bridgeOrigin)
      })
    },
  }
})()
</script></body></html>`

// As with PostgreSQL (test/support/global-setup.ts): skipped on a machine without the browser, never in CI.
const chromiumInstalled = existsSync(CHROMIUM)
if (!chromiumInstalled && process.env.CI) throw new Error(`CI is set but ${CHROMIUM} is missing (.ci/run installs it)`)
const describeWithBrowser = chromiumInstalled
  ? describeEachDialect
  : (title: string) => describe.skip(`${title} (needs ${CHROMIUM}: apt-get install chromium)`, () => {})

let browser: Browser
beforeAll(async () => {
  if (chromiumInstalled) browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
})
afterAll(async () => {
  await browser?.close()
})

describeWithBrowser('postMessage bridge in headless Chromium', (dialect) => {
  let server: RunningServer
  let customerSite: Server
  let context: BrowserContext
  let page: Page
  let parley: string
  let customer: string
  let account: TestAccount
  const agentPassword = 'agent-pass-123'

  beforeAll(async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', PARLEY_HISTORY_WORKERS: '0' },
      { database: database.kind === 'sqlite' ? database.path : database.url, port: '0', host: '127.0.0.1' },
    )
    server = await startServer(config)
    parley = server.httpUrl
    account = await createAccount(server.services)
    const scope = { accountId: account.accountId }
    const sales = (await server.services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    await server.services.accountConfig.users.create(SYSTEM_CALLER, scope, {
      loginName: 'nat',
      password: agentPassword,
      nickname: 'Natalie',
      fullName: 'Natalie Full',
      email: 'nat@example.com',
      maxChats: 4,
      skillIds: [sales],
    })

    // The customer's web site: another origin (same host, another port).
    customerSite = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end(CUSTOMER_PAGE)
    })
    await new Promise<void>((resolve) => customerSite.listen(0, '127.0.0.1', resolve))
    customer = `http://127.0.0.1:${(customerSite.address() as AddressInfo).port}`
    expect(new URL(customer).origin).not.toBe(new URL(parley).origin)

    context = await browser.newContext()
    page = await context.newPage()
    await page.goto(`${customer}/shop.html`)
    await page.evaluate(
      (url) => (globalThis as unknown as { bridge: PageBridge }).bridge.load(url),
      `${parley}/hcp/html/postmessage.min.html?bust=${Date.now()}`,
    )
  })
  afterAll(async () => {
    await context?.close()
    await new Promise<void>((resolve) => (customerSite ? customerSite.close(() => resolve()) : resolve()))
    await server?.close()
  })

  /** One call through the bridge, as the SDK posts it; returns the bridge's reply. */
  const viaBridge = async (message: Json): Promise<Json> => {
    const { reply, raw } = (await page.evaluate(
      (m) => (globalThis as unknown as { bridge: PageBridge }).bridge.send(m),
      message,
    )) as Json
    expect(raw).toBe('string')
    return reply as Json
  }
  const visitorHeaders = (): Json => ({
    AUTHORIZATION: `LivePerson appKey=${account.appKey}`,
    'LP-URL': `${customer}/shop.html`,
  })

  /** The agent's side, straight to the Chat Agent API. */
  const agentCall = async (method: string, url: string, bearer: string, body?: unknown): Promise<Json> => {
    const response = await fetch(url.startsWith('http') ? url : `${parley}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return {
      status: response.status,
      location: response.headers.get('location') ?? '',
      json: text ? JSON.parse(text) : undefined,
    }
  }
  const login = async (): Promise<Json> => {
    const response = await fetch(`${parley}/api/account/${account.accountId}/login?v=1.3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nat', password: agentPassword }),
    })
    expect(response.status).toBe(200)
    return { ...((await response.json()) as Json), cookie: response.headers.get('set-cookie') ?? '' }
  }
  const asList = (value: unknown): Json[] =>
    Array.isArray(value) ? (value as Json[]) : value === undefined ? [] : [value as Json]

  it('answers the validation message with completeLoad 200 and empty defaults', async () => {
    const reply = await viaBridge({ validation: true, returnDomain: customer })
    expect(reply).toEqual({
      callId: expect.stringMatching(/^call-/),
      responseType: 'completeLoad',
      responseCode: 200,
      info: { defaults: {} },
    })
  })

  it('carries a whole chat: request, lines, visitor name, events and end, with the agent on the Agent API', async () => {
    const { bearer } = await login()
    const session = await agentCall('POST', `/api/account/${account.accountId}/agentSession?v=1&NC=true`, bearer, {
      loginData: '',
    })
    expect(session.status).toBe(201)

    const requested = await viaBridge({
      url: `${parley}/api/account/${account.accountId}/chat/request.json?v=1&NC=true`,
      method: 'POST',
      headers: visitorHeaders(),
      data: { request: { skill: 'Sales' } },
      returnDomain: customer,
    })
    expect(requested).toMatchObject({ responseType: 'completeLoad', responseCode: 201 })
    const chatUrl = String(requested.headers.Location)
    expect(chatUrl).toMatch(new RegExp(`^${parley}/api/account/${account.accountId}/chat/[^/?.]+$`))
    expect(Object.keys(requested.headers)).toEqual(['Location'])

    const accepted = await agentCall('POST', `${session.location}/incomingRequests?v=1`, bearer, {})
    expect(accepted.status).toBe(201)
    const agentChatUrl = accepted.location

    const line = await viaBridge({
      url: `${chatUrl}/events.json?v=1&NC=true`,
      method: 'POST',
      headers: visitorHeaders(),
      data: { event: { '@type': 'line', text: 'Hello from the shop' } },
    })
    expect(line).toMatchObject({ responseType: 'completeLoad', responseCode: 201 })
    expect(String(line.headers.Location)).toMatch(new RegExp(`^${chatUrl}/events/\\d+$`))

    const named = await viaBridge({
      url: `${chatUrl}/info/visitorName.json?v=1&NC=true`,
      method: 'POST',
      headers: { ...visitorHeaders(), 'X-HTTP-Method-Override': 'PUT' },
      data: { visitorName: 'Ada' },
    })
    expect(named).toMatchObject({ responseType: 'completeLoad', responseCode: 200 })
    const agentInfo = await agentCall('GET', `${agentChatUrl}/info?v=1`, bearer)
    expect(agentInfo.json.info.visitorName).toBe('Ada')

    const reply = await agentCall('POST', `${agentChatUrl}/events?v=1`, bearer, {
      event: { '@type': 'line', text: 'Hi Ada, how can I help?', textType: 'plain' },
    })
    expect(reply.status).toBe(201)

    const events = await viaBridge({
      url: `${chatUrl}/events.json?v=1&NC=true&from=0`,
      method: 'GET',
      headers: visitorHeaders(),
    })
    expect(events).toMatchObject({ responseType: 'completeLoad', responseCode: 200 })
    const lines = asList(events.body.events.event).filter(
      (event) => event['@type'] === 'line' && event.source !== 'system',
    )
    expect(lines.map((event): unknown[] => [event.source, event.text])).toEqual([
      ['visitor', 'Hello from the shop'],
      ['agent', 'Hi Ada, how can I help?'],
    ])

    const ended = await viaBridge({
      url: `${chatUrl}/events.json?v=1&NC=true`,
      method: 'POST',
      headers: visitorHeaders(),
      data: { event: { '@type': 'state', state: 'ended' } },
    })
    expect(ended).toMatchObject({ responseType: 'completeLoad', responseCode: 201 })
    await pollUntil(async () => {
      const agentEvents = await agentCall('GET', `${agentChatUrl}/events?v=1&from=0`, bearer)
      return asList(agentEvents.json.events.event).some((event) => event.state === 'ended')
    })
  })

  it('answers errorLoad with the status and error body for a 4xx', async () => {
    const reply = await viaBridge({
      url: `${parley}/api/account/${account.accountId}/chat/request.json?v=1&NC=true`,
      method: 'POST',
      headers: { AUTHORIZATION: 'LivePerson appKey=not-a-key' },
      data: { request: { skill: 'Sales' } },
    })
    expect(reply).toMatchObject({ responseType: 'errorLoad', responseCode: 401, headers: {} })
    expect(reply.body).toMatch(/^lp_problem=consumer_key_rejected/)
    const missing = await viaBridge({
      url: `${parley}/api/account/${account.accountId}/chat/H1-nope-K1.json?v=1`,
      method: 'GET',
      headers: visitorHeaders(),
    })
    expect(missing).toMatchObject({
      responseType: 'errorLoad',
      responseCode: 404,
      body: { error: { internalCode: 28 } },
    })
  })

  it('refuses other origins and paths outside /api/ with errorLoad, without calling them', async () => {
    let customerSiteCalls = 0
    customerSite.on('request', () => customerSiteCalls++)
    for (const url of [
      `${customer}/api/account/${account.accountId}/chat/availability.json?v=1`,
      `https://example.com/api/account/${account.accountId}/chat/availability.json`,
      `${parley}/hcp/html/postmessage.min.html`,
      `${parley}/api/../hcp/html/postmessage.min.html`,
      `${parley}/api/%2e%2e/hcp/html/postmessage.min.html`,
      `${parley}/api%2Faccount/${account.accountId}/chat/availability.json`,
      `${parley}/healthz`,
      `//example.com/api/account/x`,
      `javascript:alert(1)`,
    ]) {
      const reply = await viaBridge({ url, method: 'GET', headers: visitorHeaders() })
      expect(reply.responseType, url).toBe('errorLoad')
    }
    expect(customerSiteCalls).toBe(0)
    const relative = await viaBridge({
      url: `/api/account/${account.accountId}/chat/availability.json?v=1`,
      method: 'GET',
      headers: visitorHeaders(),
    })
    expect(relative).toMatchObject({ responseType: 'completeLoad', responseCode: 200 })
  })

  it('forwards only Authorization, Content-Type and X-HTTP-Method-Override, and no Referer', async () => {
    const seen: Array<Promise<Record<string, string>>> = []
    const record = (request: PlaywrightRequest): void => {
      // allHeaders() includes what the network stack adds (cookies), not only what the page set.
      if (request.url().includes('/chat/availability')) seen.push(request.allHeaders())
    }
    context.on('request', record)
    const reply = await viaBridge({
      url: `${parley}/api/account/${account.accountId}/chat/availability.json?v=1`,
      method: 'POST',
      headers: {
        ...visitorHeaders(),
        'X-HTTP-Method-Override': 'GET',
        'X-Custom': 'nope',
        Cookie: 'Session_id=forged',
        Accept: 'text/html',
      },
      data: { ignored: true },
    })
    context.off('request', record)
    expect(reply.responseCode).toBe(405)
    expect(seen).toHaveLength(1)
    const headers = await seen[0]!
    expect(headers.authorization).toBe(`LivePerson appKey=${account.appKey}`)
    expect(headers['x-http-method-override']).toBe('GET')
    expect(headers['content-type']).toBe('application/json')
    for (const absent of ['lp-url', 'x-custom', 'cookie']) expect(headers[absent], absent).toBeUndefined()
    expect(headers.referer ?? '').toBe('')
  })

  it('answers errorLoad with responseCode 0 when the request fails on the network', async () => {
    const pattern = `${parley}/api/account/${account.accountId}/chat/estimatedWaitTime*`
    await context.route(pattern, (route) => route.abort('connectionreset'))
    try {
      const reply = await viaBridge({
        url: `${parley}/api/account/${account.accountId}/chat/estimatedWaitTime.json?v=1`,
        method: 'GET',
        headers: visitorHeaders(),
      })
      expect(reply).toMatchObject({ responseType: 'errorLoad', responseCode: 0, headers: {} })
    } finally {
      await context.unroute(pattern)
    }
  })

  it('serves JSONP a page can load with script tags: baseURI.lpCsds and the js2rest tunnel', async () => {
    const jsonp = (src: string, callback: string): Promise<Json> =>
      page.evaluate(
        ([url, name]) => (globalThis as unknown as { bridge: PageBridge }).bridge.jsonp(url!, name!),
        [src, callback],
      )
    const host = new URL(parley).host
    const csds = await jsonp(
      `${parley}/csdr/account/${account.accountId}/service/adminArea/baseURI.lpCsds?version=1.0&cb=lpCsdsCb`,
      'lpCsdsCb',
    )
    expect(csds).toEqual({ ResultSet: { lpData: [{ lpServer: host }] } })

    const lpB = encodeURIComponent(
      JSON.stringify({
        u: `https://${host}/api/account/${account.accountId}/chat/request?v=1&NC=true`,
        m: 'POST',
        b: { request: { skill: 'Sales' } },
        h: { Authorization: `LivePerson appKey=${account.appKey}` },
      }),
    )
    const answer = await jsonp(
      `${parley}/api/account/${account.accountId}/js2rest/chat?lpV=1&lpjson=1&lpB=${lpB}&cb=lpTunnelCb`,
      'lpTunnelCb',
    )
    expect(answer).toEqual({
      responseCode: 201,
      headers: { Location: expect.stringMatching(new RegExp(`^${parley}/api/account/${account.accountId}/chat/`)) },
    })
  })

  it('ignores the tunnel-origin header on requests from a socket', async () => {
    const response = await fetch(`${parley}/api/account/${account.accountId}/chat/request.json?v=1`, {
      method: 'POST',
      headers: {
        authorization: `LivePerson appKey=${account.appKey}`,
        'content-type': 'application/json',
        'x-parley-tunnel-origin': 'https://evil.example',
      },
      body: JSON.stringify({ request: { skill: 'Sales' } }),
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('location')).toMatch(new RegExp(`^${parley}/`))
  })

  it('sends no cookies: a Session_id cookie set for Parley never reaches the server', async () => {
    // Refresh finds the session by cookie first, else by the CSRF value alone (login.service.ts): with
    // session A's cookie and session B's CSRF it fails, without the cookie it succeeds.
    const a = await login()
    const b = await login()
    const cookieA = /Session_id=([^;]+)/.exec(String(a.cookie))?.[1]
    expect(cookieA).toBeDefined()
    const refresh = (cookie: string | undefined): Promise<Response> =>
      fetch(`${parley}/api/account/${account.accountId}/refresh?v=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie: `Session_id=${cookie}` } : {}) },
        body: JSON.stringify({ csrf: b.csrf }),
      })
    expect((await refresh(cookieA)).status).toBe(401)

    await context.addCookies([{ name: 'Session_id', value: cookieA!, url: parley }])
    expect((await context.cookies(parley)).map((cookie) => cookie.name)).toContain('Session_id')
    const reply = await viaBridge({
      url: `${parley}/api/account/${account.accountId}/refresh.json?v=1`,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      data: { csrf: b.csrf },
    })
    expect(reply).toMatchObject({ responseType: 'completeLoad', responseCode: 200 })
  })
})
