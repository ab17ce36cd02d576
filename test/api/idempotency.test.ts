import type { LightMyRequestResponse } from 'fastify'
import { beforeEach, expect, it } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { buildApp } from '../../src/http/app.ts'
import { idempotencyKeysRepository } from '../../src/storage/repositories/idempotency-keys.repository.ts'
import { agentClient, type AgentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { visitorClient, type VisitorClient } from './visitor-chat-app.ts'

const json = { 'content-type': 'application/json' }
const xml = { 'content-type': 'application/xml' }

describeEachDialect('Idempotency-Key on chat requests and lines', (dialect) => {
  const ctx = useTestApp(dialect)
  let live: LiveAccount
  let visitor: VisitorClient
  let appKey: string
  let agent: AgentClient
  let sessionId: string

  /** V7 with optional extra headers; the raw response. */
  const request = (headers: Record<string, string> = {}, client = visitor): Promise<LightMyRequestResponse> =>
    client.call('POST', '/chat/request.json?v=1', {
      body: { request: { skill: 'Sales' } },
      headers: { ...json, ...headers },
    })
  const keyOf = (response: LightMyRequestResponse): string => String(response.headers.location).split('/').pop()!
  /** A chat the agent accepted (chatting). */
  const chatting = async (): Promise<string> => {
    const created = await request()
    expect(created.statusCode, created.body).toBe(201)
    const accepted = await agent.request('POST', `/${sessionId}/incomingRequests.json`)
    expect(accepted.statusCode, accepted.body).toBe(201)
    return keyOf(created)
  }
  const visitorLine = (chatKey: string, text: string, headers: Record<string, string> = {}) =>
    visitor.call('POST', `/chat/${chatKey}/events.json?v=1`, {
      body: { event: { '@type': 'line', text } },
      headers: { ...json, ...headers },
    })
  const agentLine = (chatKey: string, text: string, headers: Record<string, string> = {}) =>
    agent.request('POST', `/${sessionId}/chat/${chatKey}/events.json?v=1`, {
      body: { event: { '@type': 'line', text } },
      headers: { ...json, ...headers },
    })
  /** How many lines with this text the chat holds (agent view: every line). */
  const linesWith = async (chatKey: string, text: string): Promise<number> =>
    (await ctx.services.chat.agentEvents(live.accountId, live.agents[0]!.userId, chatKey)).filter(
      (event) => event.type === 'line' && event.text === text,
    ).length

  beforeEach(async () => {
    live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'], maxChats: -1 }] })
    const [key] = await ctx.services.accounts.listAppKeys(live.accountId)
    appKey = key!.appKey
    visitor = visitorClient(ctx.app, live.accountId, appKey)
    const { bearer } = await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')
    agent = agentClient(ctx.app, live.accountId, `Bearer ${bearer}`)
    sessionId = await agent.start()
  })

  it('stores a visitor line once for the same key and answers the same status and Location', async () => {
    const chatKey = await chatting()
    const first = await visitorLine(chatKey, 'Where is my order?', { 'idempotency-key': 'k-1' })
    const again = await visitorLine(chatKey, 'Where is my order?', { 'idempotency-key': 'k-1' })
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.headers.location).toBe(first.headers.location)
    expect(again.body).toBe(first.body)
    expect(await linesWith(chatKey, 'Where is my order?')).toBe(1)
    // The Location is the stored line.
    const path = new URL(String(first.headers.location)).pathname.split(live.accountId)[1]!
    const event = await visitor.call('GET', `${path}.json`)
    expect(event.json().event).toMatchObject({ '@type': 'line', text: 'Where is my order?', source: 'visitor' })
  })

  it('does the same for an XML line', async () => {
    const chatKey = await chatting()
    const body = '<event type="line"><text>In XML</text></event>'
    const post = () =>
      visitor.call('POST', `/chat/${chatKey}/events?v=1`, { body, headers: { ...xml, 'idempotency-key': 'x-1' } })
    const first = await post()
    const again = await post()
    expect(first.statusCode, first.body).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.headers.location).toBe(first.headers.location)
    expect(await linesWith(chatKey, 'In XML')).toBe(1)
  })

  it('stores two lines for two keys, and for calls without a key (as today)', async () => {
    const chatKey = await chatting()
    const a = await visitorLine(chatKey, 'twice', { 'idempotency-key': 'a' })
    const b = await visitorLine(chatKey, 'twice', { 'idempotency-key': 'b' })
    expect(b.headers.location).not.toBe(a.headers.location)
    expect(await linesWith(chatKey, 'twice')).toBe(2)
    await visitorLine(chatKey, 'no key')
    await visitorLine(chatKey, 'no key')
    expect(await linesWith(chatKey, 'no key')).toBe(2)
  })

  it('stores one line for concurrent calls with the same key', async () => {
    const chatKey = await chatting()
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => visitorLine(chatKey, 'concurrent', { 'idempotency-key': 'same' })),
    )
    expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(201))
    expect(new Set(responses.map((response) => response.headers.location)).size).toBe(1)
    expect(await linesWith(chatKey, 'concurrent')).toBe(1)
    const agentResponses = await Promise.all(
      Array.from({ length: 8 }, () => agentLine(chatKey, 'agent concurrent', { 'idempotency-key': 'same' })),
    )
    expect(agentResponses.map((response) => response.statusCode)).toEqual(Array(8).fill(201))
    expect(new Set(agentResponses.map((response) => response.headers.location)).size).toBe(1)
    expect(await linesWith(chatKey, 'agent concurrent')).toBe(1)
  })

  it('never lets a key collide across chats or between the visitor and the agent', async () => {
    const one = await chatting()
    const two = await chatting()
    const first = await visitorLine(one, 'shared key', { 'idempotency-key': 'shared' })
    const second = await visitorLine(two, 'shared key', { 'idempotency-key': 'shared' })
    expect(second.headers.location).toContain(two)
    expect(await linesWith(one, 'shared key')).toBe(1)
    expect(await linesWith(two, 'shared key')).toBe(1)
    const byAgent = await agentLine(one, 'agent, shared key', { 'idempotency-key': 'shared' })
    expect(byAgent.statusCode).toBe(201)
    expect(byAgent.headers.location).not.toBe(first.headers.location)
    expect(await linesWith(one, 'agent, shared key')).toBe(1)
  })

  it('stores an agent line once and answers the same status, Location and body, in JSON and XML', async () => {
    const chatKey = await chatting()
    const first = await agentLine(chatKey, 'Hello!', { 'idempotency-key': 'agent-1' })
    const again = await agentLine(chatKey, 'Hello!', { 'idempotency-key': 'agent-1' })
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.headers.location).toBe(first.headers.location)
    expect(again.body).toBe(first.body)
    const xmlPost = () =>
      agent.request('POST', `/${sessionId}/chat/${chatKey}/events?v=1`, {
        body: '<event type="line"><text>Hello in XML</text></event>',
        headers: { ...xml, 'idempotency-key': 'agent-2' },
      })
    const x1 = await xmlPost()
    const x2 = await xmlPost()
    expect(x1.statusCode, x1.body).toBe(201)
    expect(x2.headers.location).toBe(x1.headers.location)
    expect(x2.body).toBe(x1.body)
    expect(x1.headers['content-type']).toMatch(/xml/)
    expect(await linesWith(chatKey, 'Hello!')).toBe(1)
    expect(await linesWith(chatKey, 'Hello in XML')).toBe(1)
  })

  it('creates one chat per key on V7, per visitor credential, also when concurrent', async () => {
    const first = await request({ 'idempotency-key': 'req-1' })
    const again = await request({ 'idempotency-key': 'req-1' })
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.headers.location).toBe(first.headers.location)
    expect(again.body).toBe(first.body)
    const concurrent = await Promise.all(Array.from({ length: 6 }, () => request({ 'idempotency-key': 'req-2' })))
    expect(new Set(concurrent.map((response) => response.headers.location)).size).toBe(1)
    const other = await request({ 'idempotency-key': 'req-3' })
    expect(other.headers.location).not.toBe(first.headers.location)
    // Another credential of the account: its keys are its own.
    const secondKey = await ctx.services.accounts.createAppKey(live.accountId)
    const otherApp = visitorClient(ctx.app, live.accountId, secondKey.appKey)
    const elsewhere = await request({ 'idempotency-key': 'req-1' }, otherApp)
    expect(elsewhere.statusCode).toBe(201)
    expect(elsewhere.headers.location).not.toBe(first.headers.location)
    // Chats of the account: req-1, req-2, req-3 and the other credential's req-1.
    const waiting = await ctx.services.chat.ringingChats(live.accountId, live.agents[0]!.userId)
    expect(waiting).toHaveLength(4)
  })

  it('answers a key for 24 h; the timer then purges it and the key creates anew', async () => {
    const first = await request({ 'idempotency-key': 'day' })
    ctx.clock.advance(24 * 60 * 60 * 1000 - 1000)
    expect((await request({ 'idempotency-key': 'day' })).headers.location).toBe(first.headers.location)
    ctx.clock.advance(2000)
    await ctx.services.chat.runTimers()
    const rows = await ctx.storage.db
      .selectFrom('idempotency_keys')
      .select('idempotency_key')
      .where('account_id', '=', live.accountId)
      .execute()
    expect(rows).toEqual([])
    const later = await request({ 'idempotency-key': 'day' })
    expect(later.statusCode).toBe(201)
    expect(later.headers.location).not.toBe(first.headers.location)
  })

  it('answers a retry after a restart: the key was committed with the line', async () => {
    const chatKey = await chatting()
    const first = await visitorLine(chatKey, 'before the crash', { 'idempotency-key': 'crash-1' })
    expect(first.statusCode).toBe(201)
    // A new server process on the same database (nothing kept in memory), as after a kill -9.
    const services = createServices({ storage: ctx.storage, config: ctx.config, clock: ctx.clock })
    const app = await buildApp({ config: ctx.config, services, clock: ctx.clock })
    await app.ready()
    try {
      const retried = await visitorClient(app, live.accountId, appKey).call(
        'POST',
        `/chat/${chatKey}/events.json?v=1`,
        {
          body: { event: { '@type': 'line', text: 'before the crash' } },
          headers: { ...json, 'idempotency-key': 'crash-1' },
        },
      )
      expect(retried.statusCode).toBe(201)
      expect(retried.headers.location).toBe(first.headers.location)
      expect(await linesWith(chatKey, 'before the crash')).toBe(1)
    } finally {
      await app.close()
      await services.close()
    }
  })

  it('purges a backlog of expired keys in batches, oldest first', async () => {
    const db = ctx.storage.db
    const id = (key: string) => ({ accountId: live.accountId, scope: 'test-scope', key })
    for (let i = 0; i < 7; i++)
      expect(
        await idempotencyKeysRepository.claim(db, id(`old-${i}`), { status: 201, ref: String(i) }, 1000 + i, 0),
      ).toBe(true)
    expect(await idempotencyKeysRepository.claim(db, id('old-0'), { status: 201, ref: 'again' }, 2000, 0)).toBe(false)
    expect(await idempotencyKeysRepository.claim(db, id('fresh'), { status: 201, ref: 'x' }, 5000, 0)).toBe(true)
    const left = async () =>
      (
        await db
          .selectFrom('idempotency_keys')
          .select('idempotency_key')
          .where('account_id', '=', live.accountId)
          .orderBy('created_at')
          .execute()
      ).map((row) => row.idempotency_key)
    expect(await idempotencyKeysRepository.purge(db, 4000, 3)).toBe(4)
    expect(await left()).toEqual(['old-4', 'old-5', 'old-6', 'fresh'])
    expect(await idempotencyKeysRepository.purge(db, 4000, 3)).toBe(3)
    expect(await idempotencyKeysRepository.purge(db, 4000, 3)).toBe(0)
    expect(await left()).toEqual(['fresh'])
    // An expired row of the key is replaced by a new claim.
    expect(await idempotencyKeysRepository.claim(db, id('fresh'), { status: 201, ref: 'new' }, 90_000, 10_000)).toBe(
      true,
    )
    expect(await idempotencyKeysRepository.find(db, id('fresh'), 10_000)).toEqual({ status: 201, ref: 'new' })
  })

  it('rejects a malformed key with 400 naming the header, in JSON and XML, and writes nothing', async () => {
    const chatKey = await chatting()
    for (const key of ['has space', 'x'.repeat(256), 'caf\u00e9']) {
      const response = await visitorLine(chatKey, 'bad key', { 'idempotency-key': key })
      expect(response.statusCode, key).toBe(400)
      expect(response.json().error).toMatchObject({ internalCode: 5 })
      expect(response.json().error.message).toContain('Idempotency-Key')
    }
    const asXml = await visitor.call('POST', `/chat/${chatKey}/events?v=1`, {
      body: '<event type="line"><text>bad key</text></event>',
      headers: { ...xml, 'idempotency-key': 'has space' },
    })
    expect(asXml.statusCode).toBe(400)
    expect(asXml.body).toContain('Idempotency-Key')
    expect((await request({ 'idempotency-key': '' })).statusCode).toBe(400)
    expect((await agentLine(chatKey, 'bad key', { 'idempotency-key': 'has space' })).statusCode).toBe(400)
    expect(await linesWith(chatKey, 'bad key')).toBe(0)
  })
})
