import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PART_LIMITS } from '../../src/core/browser/js2rest-parts.service.ts'
import { describeEachDialect } from '../support/dialects.ts'
import type { LiveAccount } from '../support/live-chat.ts'
import { liveVisitor, useVisitorChatApp } from './visitor-chat-app.ts'

const ORIGIN = 'http://localhost:80'
type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** Evaluates a JSONP answer `cb(<json>);` the way a browser would, returning what `cb` received. */
function callbackArgument(body: string, callback = 'lpCb1'): Json {
  const prefix = `${callback}(`
  expect(body.startsWith(prefix)).toBe(true)
  expect(body.endsWith(');')).toBe(true)
  return JSON.parse(body.slice(prefix.length, -2)) as Json
}

describeEachDialect('js2rest JSONP tunnel', (dialect) => {
  const ctx = useVisitorChatApp(dialect)
  let live: LiveAccount
  let appKey: string
  let auth: Record<string, string>

  /** A fresh account whose only agent, Natalie, is rung by the next chat request. */
  const freshAccount = async (): Promise<void> => {
    ;({ live, appKey } = await liveVisitor(ctx))
    auth = { Authorization: `LivePerson appKey=${appKey}` }
  }
  beforeAll(freshAccount)

  const lpB = (call: Json): string => encodeURIComponent(JSON.stringify(call))
  const tunnel = (
    query: string,
    path = '/chat',
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> =>
    ctx.app.inject({ method: 'GET', url: `/api/account/${live.accountId}/js2rest${path}?${query}`, headers })
  const call = async (inner: Json, path = '/chat'): Promise<Json> => {
    const response = await tunnel(`lpV=1&lpjson=1&lpB=${lpB(inner)}&cb=lpCb1`, path)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/javascript; charset=UTF-8')
    return callbackArgument(response.body)
  }
  const chatBase = `https://chat.example/api/account`
  const requestChat = async (): Promise<string> => {
    const answer = await call({
      u: `${chatBase}/${live.accountId}/chat/request?v=1&NC=true`,
      m: 'POST',
      b: { request: { skill: 'Sales' } },
      h: auth,
    })
    expect(answer.responseCode).toBe(201)
    return String(answer.headers.Location)
  }

  it('tunnels a chat request: 201 with the chat URL under Location and no body', async () => {
    const answer = await call({
      u: `${chatBase}/${live.accountId}/chat/request?v=1&NC=true`,
      m: 'POST',
      b: { request: { skill: 'Sales' } },
      h: auth,
    })
    expect(answer).toEqual({
      responseCode: 201,
      headers: {
        Location: expect.stringMatching(new RegExp(`^${ORIGIN}/api/account/${live.accountId}/chat/[^/?.]+$`)),
      },
    })
  })

  it('answers exactly cb({...}); as application/javascript, not cacheable', async () => {
    const response = await tunnel(
      `lpV=1&lpjson=1&lpB=${lpB({ u: `/api/account/${live.accountId}/chat/availability?v=1`, m: 'GET', b: {}, h: auth })}&cb=lpCb_9$`,
    )
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.body).toBe('lpCb_9$({"responseCode":200,"headers":{},"body":{"availability":true}});')
  })

  it('tunnels a GET in JSON whatever the suffix and Accept, ignoring b on GET', async () => {
    const location = await requestChat()
    for (const suffix of ['', '.json', '.xml']) {
      const response = await tunnel(
        `lpB=${lpB({ u: `${location}${suffix}?v=1&NC=true`, m: 'GET', b: { ignored: true }, h: auth })}&cb=lpCb1`,
        '/chat',
        { accept: 'application/xml' },
      )
      const answer = callbackArgument(response.body)
      expect(answer.responseCode, suffix).toBe(200)
      expect(answer.body.chat.info.state).toBe('waiting')
      expect(answer.body.chat.link[0]['@href']).toBe(location)
    }
  })

  it('applies X-HTTP-Method-Override from h on a POST (PUT visitorName answers 200)', async () => {
    const location = await requestChat()
    const answer = await call({
      u: `${location}/info/visitorName?v=1&NC=true`,
      m: 'POST',
      b: { visitorName: 'Ada' },
      h: { ...auth, 'X-HTTP-Method-Override': 'PUT', 'Content-Type': 'application/json' },
    })
    expect(answer.responseCode).toBe(200)
    const name = await call({ u: `${location}/info/visitorName?v=1`, m: 'GET', h: auth })
    expect(name.body).toEqual({ visitorName: 'Ada' })
  })

  it('forwards Idempotency-Key from h: a retried chat request answers the first chat', async () => {
    const inner = {
      u: `/api/account/${live.accountId}/chat/request?v=1`,
      m: 'POST',
      b: { request: { skill: 'Sales' } },
      h: { ...auth, 'Idempotency-Key': 'jsonp-retry-1' },
    }
    const first = await call(inner)
    const again = await call(inner)
    expect(first.responseCode).toBe(201)
    expect(again).toEqual(first)
  })

  it('reports the inner error status and envelope inside the callback', async () => {
    const location = await requestChat()
    const notInChat = await call({
      u: `${location}/events?v=1`,
      m: 'POST',
      b: { event: { '@type': 'line', text: 'too early' } },
      h: auth,
    })
    expect(notInChat).toEqual({
      responseCode: 400,
      headers: {},
      body: { error: { time: expect.any(String), message: 'Cannot add line while not in chat', internalCode: 5 } },
    })
    const unknownKey = await call({
      u: `/api/account/${live.accountId}/chat/request?v=1`,
      m: 'POST',
      b: {},
      h: { Authorization: 'LivePerson appKey=nope' },
    })
    expect(unknownKey.responseCode).toBe(401)
    expect(unknownKey.body).toMatch(/^lp_problem=consumer_key_rejected/)
  })

  it('does not forward cookies or headers outside the allowed set', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${live.accountId}/js2rest/chat?cb=lpCb1&lpB=${lpB({
        u: `/api/account/${live.accountId}/chat/availability?v=1`,
        h: { 'X-Other': 'x', appKey },
      })}`,
      headers: { cookie: `appKey=${appKey}`, authorization: `LivePerson appKey=${appKey}` },
    })
    expect(callbackArgument(response.body).responseCode).toBe(401)
  })

  it('joins a multi-part body from still-encoded chunks and answers the last part', async () => {
    await freshAccount()
    const location = await requestChat()
    await ctx.chat.acceptChat(live.accountId, live.agents[0]!.userId)
    const text = `long line ${'é&=+%/'.repeat(300)}`
    const encoded = lpB({
      u: `${location}/events?v=1&NC=true`,
      m: 'POST',
      b: { event: { '@type': 'line', text } },
      h: auth,
    })
    // Split inside percent escapes on purpose: chunks are only decoded once joined.
    const cut1 = encoded.indexOf('%', 900) + 1
    const cut2 = encoded.indexOf('%', cut1 + 900) + 2
    const chunks = [encoded.slice(0, cut1), encoded.slice(cut1, cut2), encoded.slice(cut2)]
    expect(chunks[0]).toMatch(/%$/)
    expect(chunks[1]).toMatch(/%[0-9A-F]$/)

    const firstAnswer = callbackArgument((await tunnel(`lpP=1&lpO=3&lpCallId=7&lpB=${chunks[0]}&cb=lpCb1`)).body)
    expect(firstAnswer).toEqual({ responseCode: 200, lpMeta: { lpS: expect.stringMatching(/^[0-9a-f]{32}$/) } })
    const id = String(firstAnswer.lpMeta.lpS)
    const second = callbackArgument((await tunnel(`lpP=2&lpO=3&lpS=${id}&lpCallId=7&lpB=${chunks[1]}&cb=lpCb1`)).body)
    expect(second).toEqual({ responseCode: 200, lpMeta: { lpS: id } })
    const last = callbackArgument((await tunnel(`lpP=3&lpO=3&lpS=${id}&lpCallId=7&lpB=${chunks[2]}&cb=lpCb1`)).body)
    expect(last.responseCode).toBe(201)
    expect(last.headers.Location).toMatch(new RegExp(`^${location}/events/\\d+$`))

    const line = await call({ u: `${last.headers.Location as string}?v=1`, m: 'GET', h: auth })
    expect(line.body.event.text).toBe(text)
    // The request is gone once complete.
    const again = callbackArgument((await tunnel(`lpP=3&lpO=3&lpS=${id}&lpB=${chunks[2]}&cb=lpCb1`)).body)
    expect(again.responseCode).toBe(404)
  })

  it('answers 200 or 201 for success: 201 only where the inner API answers 201', async () => {
    await freshAccount()
    const location = await requestChat()
    await ctx.chat.acceptChat(live.accountId, live.agents[0]!.userId)
    const added = await call({
      u: `${location}/events?v=1`,
      m: 'POST',
      b: { event: { '@type': 'line', text: 'hi' } },
      h: auth,
    })
    expect(added.responseCode).toBe(201)
    const typing = await call({
      u: `${location}/info/visitorTyping?v=1`,
      m: 'POST',
      b: { visitorTyping: 'typing' },
      h: { ...auth, 'X-HTTP-Method-Override': 'PUT' },
    })
    expect(typing.responseCode).toBe(200)
    const events = await call({ u: `${location}/events?v=1&from=0`, m: 'GET', h: auth })
    expect(events.responseCode).toBe(200)
  })

  it('rejects a callback that is not a JavaScript identifier with 400, outside any callback', async () => {
    const inner = lpB({ u: `/api/account/${live.accountId}/chat/availability`, h: auth })
    for (const cb of ['alert(1)//', 'a.b', 'if', '1abc', '', 'x'.repeat(129), 'caf%C3%A9']) {
      const response = await tunnel(`lpB=${inner}&cb=${cb}`, '/chat', { accept: 'application/xml' })
      expect(response.statusCode, cb).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.json().error).toMatchObject({ internalCode: 5, message: expect.stringContaining('cb') })
    }
    const missing = await tunnel(`lpB=${inner}`)
    expect(missing.statusCode).toBe(400)
    const longest = await tunnel(`lpB=${inner}&cb=${'x'.repeat(128)}`)
    expect(longest.statusCode).toBe(200)
  })

  it('refuses inner URLs outside the account’s own /api/ paths', async () => {
    for (const u of [
      `/api/account/other/chat/availability`,
      `/hcp/html/postmessage.min.html`,
      `/api/account/${live.accountId}/../other/chat/availability`,
      `/api/account/${live.accountId}/%2e%2e/other/chat`,
      `/api/account/${live.accountId}/chat%2Favailability`,
      `/api/account/${live.accountId}/js2rest/chat`,
      `/api/account/${live.accountId}x/chat/availability`,
    ]) {
      const answer = await call({ u, m: 'GET', h: auth })
      expect(answer.responseCode, u).toBe(403)
    }
  })

  it('answers malformed lpB and bad part numbers through the callback with 400', async () => {
    for (const query of [
      'lpB=%7Bnot-json',
      'lpB=%E0%A4%A',
      `lpB=${lpB({ m: 'GET' })}`,
      `lpB=${lpB({ u: '/api/x', m: 'PATCH' })}`,
      `lpB=${lpB({ u: '/api/x', h: { Authorization: 'a\r\nb' } })}`,
      '',
      'lpP=0&lpO=2&lpB=x',
      'lpP=2&lpO=2&lpB=x',
      'lpP=1&lpO=x&lpB=x',
    ]) {
      const answer = callbackArgument((await tunnel(`${query}&cb=lpCb1`)).body)
      expect(answer.responseCode, query).toBe(400)
      expect(answer.body.error.internalCode).toBe(5)
    }
  })

  it('answers 404 through the callback for an account Parley does not host', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/nobody42/js2rest/chat?cb=lpCb1&lpB=${lpB({ u: '/api/account/nobody42/chat/availability' })}`,
    })
    expect(response.statusCode).toBe(200)
    expect(callbackArgument(response.body)).toMatchObject({ responseCode: 404, body: { error: { internalCode: 28 } } })
  })

  it('serves every js2rest sub-path the SDK uses', async () => {
    for (const path of ['', '/chat', '/agentSession', '/visit', '/configuration']) {
      const answer = await call({ u: `/api/account/${live.accountId}/chat/availability`, h: auth }, path)
      expect(answer.responseCode, path).toBe(200)
    }
  })

  describe('partial multi-part state', () => {
    it('drops a partial request after the idle timeout', async () => {
      const first = callbackArgument((await tunnel('lpP=1&lpO=2&lpB=%7B&cb=lpCb1')).body)
      const id = String(first.lpMeta.lpS)
      ctx.clock.advance(DEFAULT_PART_LIMITS.idleMs)
      const late = callbackArgument((await tunnel(`lpP=2&lpO=2&lpS=${id}&lpB=%7D&cb=lpCb1`)).body)
      expect(late.responseCode).toBe(404)
      expect(late.body.error.message).toBe('lpS: unknown or expired multi-part request')
    })

    it('refuses more parts than the limit with 413', async () => {
      const answer = callbackArgument(
        (await tunnel(`lpP=1&lpO=${DEFAULT_PART_LIMITS.maxParts + 1}&lpB=x&cb=lpCb1`)).body,
      )
      expect(answer.responseCode).toBe(413)
    })

    it('refuses a client more partial requests than the per-client limit with 429', async () => {
      const headers = { 'x-forwarded-for': '203.0.113.9' }
      const answers: number[] = []
      for (let i = 0; i <= DEFAULT_PART_LIMITS.maxPendingPerClient; i++) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `/api/account/${live.accountId}/js2rest?lpP=1&lpO=2&lpB=x&cb=lpCb1`,
          headers,
          remoteAddress: '203.0.113.9',
        })
        answers.push(callbackArgument(response.body).responseCode as number)
      }
      expect(answers.slice(0, -1).every((code) => code === 200)).toBe(true)
      expect(answers.at(-1)).toBe(429)
      ctx.clock.advance(DEFAULT_PART_LIMITS.idleMs)
    })
  })
})

describeEachDialect('js2rest JSONP tunnel behind a trusted proxy', (dialect) => {
  const ctx = useVisitorChatApp(dialect, { env: { PARLEY_TRUST_PROXY: 'true' } })

  it('gives inner answers the links of the outer request’s origin', async () => {
    const { live, appKey } = await liveVisitor(ctx)
    const lpB = encodeURIComponent(
      JSON.stringify({
        u: `https://chat.example/api/account/${live.accountId}/chat/request?v=1`,
        m: 'POST',
        b: { request: { skill: 'Sales' } },
        h: { Authorization: `LivePerson appKey=${appKey}` },
      }),
    )
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${live.accountId}/js2rest/chat?lpB=${lpB}&cb=lpCb1`,
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example' },
    })
    expect(callbackArgument(response.body).headers.Location).toMatch(
      new RegExp(`^https://chat\\.example/api/account/${live.accountId}/chat/[^/?.]+$`),
    )
  })
})
