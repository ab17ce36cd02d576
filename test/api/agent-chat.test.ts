import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { visitIdOf } from '../../src/apis/chat/chat-links.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { agentClient, type AgentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const ORIGIN = 'http://localhost:80'
const PASSWORD = 'agent-pass-123'
const TOKEN_REJECTED =
  'oauth_problem=token_rejected&oauth_problem_advice=the oauth_token is unacceptable to the Service Provider'
const jsonBody = { 'content-type': 'application/json' }
const putOverride = { 'x-http-method-override': 'PUT', 'content-type': 'application/json' }
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/

interface Agent {
  client: AgentClient
  sessionId: string
  userId: number
  /** `{base}/{sessionId}` as links show it. */
  url: string
  get(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachDialect('Chat Agent API: chats (A8-A24)', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  const skills = { sales: 0, billing: 0, empty: 0 }
  const users = { nat: 0, bob: 0, cat: 0, dan: 0, eve: 0 }

  const createUser = async (loginName: string, nickname: string, skillIds: number[], maxChats = 4): Promise<number> =>
    (
      await ctx.services.accountConfig.users.create(
        SYSTEM_CALLER,
        { accountId: account.accountId },
        {
          loginName,
          password: PASSWORD,
          nickname,
          fullName: `${nickname} Full`,
          email: `${loginName}@example.com`,
          maxChats,
          skillIds,
        },
      )
    ).value.id

  const agentOf = async (loginName: string): Promise<Agent> => {
    const { bearer } = await login(ctx.app, account.accountId, loginName, PASSWORD)
    const client = agentClient(ctx.app, account.accountId, `Bearer ${bearer}`)
    const sessionId = await client.start()
    const userId = users[loginName as keyof typeof users]
    return {
      client,
      sessionId,
      userId,
      url: `${ORIGIN}${client.base}/${sessionId}`,
      get: (path, headers) => client.request('GET', `/${sessionId}${path}`, { headers: headers ?? {} }),
      post: (path, body, headers) =>
        client.request('POST', `/${sessionId}${path}`, {
          ...(body === undefined ? {} : { body }),
          headers: headers ?? jsonBody,
        }),
    }
  }

  /** A visitor chat request, aimed at one agent (login name) so routing is deterministic. */
  const requestChat = async (agent: string, skill = 'Sales', extra: Json = {}): Promise<string> =>
    (
      await ctx.services.chat.requestChat(
        account.accountId,
        { request: { skill, agent, ...extra } },
        { visitorIp: '10.0.0.1', userAgent: 'test' },
      )
    ).key

  const accept = async (agent: Agent): Promise<string> => {
    const response = await agent.post('/incomingRequests.json', {})
    expect(response.statusCode, response.body).toBe(201)
    return String(response.headers.location).split('/').pop()!
  }

  const sendLine = async (agent: Agent, chatId: string, event: Json): Promise<LightMyRequestResponse> =>
    agent.post(`/chat/${chatId}/events.json?v=1&NC=true`, { event })

  /** The visitor's side over HTTP (chat-api.md), with the account's app key. */
  const visitor = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<LightMyRequestResponse> =>
    ctx.app.inject({
      method,
      url: `/api/account/${account.accountId}/chat${path}`,
      headers: { authorization: `LivePerson appKey=${account.appKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })

  /** Event ids the visitor's events resource shows. */
  const visitorEventIds = async (chatId: string): Promise<number[]> => {
    const response = await visitor('GET', `/${chatId}/events.json?v=1&NC=true`)
    expect(response.statusCode, response.body).toBe(200)
    const event: unknown = response.json().events.event
    const list = (Array.isArray(event) ? event : event === undefined ? [] : [event]) as Json[]
    return list.map((item) => Number(item['@id']))
  }

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    const skill = async (name: string) =>
      (await ctx.services.accountConfig.skills.create(SYSTEM_CALLER, { accountId: account.accountId }, { name })).value
        .id
    skills.sales = await skill('Sales')
    skills.billing = await skill('Billing')
    skills.empty = await skill('Empty')
    users.nat = await createUser('nat', 'Natalie', [skills.sales])
    users.bob = await createUser('bob', 'Bob', [skills.sales, skills.billing])
    users.cat = await createUser('cat', 'Cat', [skills.billing])
    users.dan = await createUser('dan', 'Dan', [skills.sales], 10)
    users.eve = await createUser('eve', 'Eve', [skills.sales], 10)
  })

  describe('a full chat over HTTP', () => {
    let nat: Agent
    let bob: Agent
    let cat: Agent
    let chatId = ''
    const chatUrl = (agent: Agent) => `${agent.url}/chat/${chatId}`

    beforeAll(async () => {
      nat = await agentOf('nat')
      bob = await agentOf('bob')
      cat = await agentOf('cat')
    })

    it('A8 shows ringingCount "0" and no link while nothing rings; A9 then answers 404', async () => {
      const response = await nat.get('/incomingRequests.json?v=1&NC=true')
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=UTF-8')
      expect(response.body).toBe('{"incomingRequests":{"ringingCount":"0"}}')
      const xml = await nat.get('/incomingRequests')
      expect(xml.body).toBe(`${XML}<incomingRequests><ringingCount>0</ringingCount></incomingRequests>`)

      const none = await nat.post('/incomingRequests.json', {})
      expect(none.statusCode).toBe(404)
      expect(none.json().error).toMatchObject({ internalCode: 28 })
    })

    it('A8 shows a ringing chat with the accept link, in JSON and XML', async () => {
      const requested = await visitor('POST', '/request.json?v=1&NC=true', {
        request: { skill: 'Sales', agent: 'nat', LETagVisitorId: 'shark-1', preChatLines: { line: 'Hello there' } },
      })
      expect(requested.statusCode, requested.body).toBe(201)
      chatId = String(requested.headers.location).split('/').pop()!
      const response = await nat.get('/incomingRequests.json')
      expect(response.json()).toEqual({
        incomingRequests: {
          link: { '@href': `${nat.url}/incomingRequests`, '@rel': 'accept' },
          ringingCount: '1',
        },
      })
      const xml = await nat.get('/incomingRequests.xml')
      expect(xml.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(xml.body).toBe(
        `${XML}<incomingRequests><link href="${nat.url}/incomingRequests" rel="accept"/><ringingCount>1</ringingCount></incomingRequests>`,
      )
      // Another agent sees nothing ringing.
      expect((await bob.get('/incomingRequests.json')).json()).toEqual({ incomingRequests: { ringingCount: '0' } })
    })

    it('A9 accepts with 201, Location and chatLocation; the chat is chatting with system line 3', async () => {
      const response = await nat.post('/incomingRequests.json?v=1&NC=true', { chat: 'start' })
      expect(response.statusCode).toBe(201)
      expect(response.headers.location).toBe(chatUrl(nat))
      expect(response.body).toBe(
        JSON.stringify({ chatLocation: { link: { '@href': chatUrl(nat), '@rel': 'location' } } }),
      )
      expect((await nat.get('/incomingRequests.json')).json()).toEqual({ incomingRequests: { ringingCount: '0' } })
    })

    it('A12 returns the agent chat resource with its links in order, events and info', async () => {
      const response = await nat.get(`/chat/${chatId}.json?v=1&NC=true`)
      expect(response.statusCode).toBe(200)
      const chat = response.json().chat as Json
      const url = chatUrl(nat)
      expect(chat.link).toEqual([
        { '@href': url, '@rel': 'self' },
        { '@href': `${url}/events`, '@rel': 'events' },
        { '@href': `${url}/info`, '@rel': 'info' },
        { '@href': `${url}?from=5`, '@rel': 'next' },
        { '@href': `${url}/collaborationChannels`, '@rel': 'collaboration-channels' },
        { '@href': `${nat.url}/visits/visit/${visitIdOf(chatId)}`, '@rel': 'visit-id' },
        { '@href': `${url}/transfer`, '@rel': 'transfer' },
        { '@href': `${url}/transferAccount`, '@rel': 'transfer-account' },
        { '@href': `${url}/survey`, '@rel': 'agent-survey' },
      ])
      expect(chat.events.link).toEqual([
        { '@href': `${url}/events`, '@rel': 'self' },
        { '@href': `${url}/events?from=5`, '@rel': 'next' },
      ])
      const events = chat.events.event as Json[]
      expect(
        events.map((event): unknown[] => [event['@id'], event['@type'], event.state ?? event.systemMessageId]),
      ).toEqual([
        ['0', 'state', 'waiting'],
        ['1', 'line', 4],
        ['2', 'line', 0],
        ['3', 'state', 'chatting'],
        ['4', 'line', 3],
      ])
      expect(events[4]).toEqual({
        '@id': '4',
        '@type': 'line',
        time: expect.stringMatching(TIME),
        textType: 'plain',
        text: 'You are now chatting with Natalie.',
        by: 'info',
        source: 'system',
        systemMessageId: 3,
        subType: 'REGULAR',
      })
      expect(chat.info.link).toEqual([
        { '@href': `${url}/info`, '@rel': 'self' },
        { '@href': `${url}/info/visitorName`, '@rel': 'visitor-name' },
        { '@href': `${url}/info/visitorTyping`, '@rel': 'visitor-typing' },
        { '@href': `${url}/info/agentTyping`, '@rel': 'agent-typing' },
      ])
      expect(chat.info).toMatchObject({
        state: 'chatting',
        chatSessionKey: chatId,
        skillName: 'Sales',
        skillId: skills.sales,
        agentName: 'Natalie',
        agentId: users.nat,
        duration: 0,
        chatTimeout: 40,
        agentTyping: 'not-typing',
        visitorTyping: 'not-typing',
        visitorName: 'visitor',
        sharkVisitorId: 'shark-1',
        language: 'en-US',
      })
      expect(typeof chat.info.rtSessionId).toBe('number')
      expect(chat.info.startTime).toMatch(TIME)
    })

    it('A12 honours from, and renders XML with attributes', async () => {
      const response = await nat.get(`/chat/${chatId}.json?from=4`)
      const chat = response.json().chat as Json
      expect(chat.events.event).toMatchObject({ '@id': '4', systemMessageId: 3 })
      expect(chat.link[3]).toEqual({ '@href': `${chatUrl(nat)}?from=5`, '@rel': 'next' })
      const none = (await nat.get(`/chat/${chatId}.json?from=99`)).json().chat as Json
      expect(none.events.event).toBeUndefined()
      expect(none.link[3]['@href']).toBe(`${chatUrl(nat)}?from=99`)
      const bad = (await nat.get(`/chat/${chatId}.json?from=abc`)).json().chat as Json
      expect((bad.events.event as Json[]).length).toBe(5)

      const xml = await nat.get(`/chat/${chatId}?from=4`)
      expect(xml.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(xml.body.startsWith(`${XML}<chat><link href="${chatUrl(nat)}" rel="self"/>`)).toBe(true)
      expect(xml.body).toContain('<event id="4" type="line"><time>')
      expect(xml.body).toContain('<systemMessageId>3</systemMessageId><subType>REGULAR</subType></event>')
      expect(xml.body).toContain(`<visitorName>visitor</visitorName>`)
    })

    it('A13 returns events from `from` with self and next links', async () => {
      const response = await nat.get(`/chat/${chatId}/events.json?from=3&v=1&NC=true`)
      expect(response.statusCode).toBe(200)
      const events = response.json().events as Json
      expect(events.link).toEqual([
        { '@href': `${chatUrl(nat)}/events`, '@rel': 'self' },
        { '@href': `${chatUrl(nat)}/events?from=5`, '@rel': 'next' },
      ])
      expect((events.event as Json[]).map((event): unknown => event['@id'])).toEqual(['3', '4'])
      const xml = await nat.get(`/chat/${chatId}/events?from=5`)
      expect(xml.body).toBe(
        `${XML}<events><link href="${chatUrl(nat)}/events" rel="self"/><link href="${chatUrl(nat)}/events?from=5" rel="next"/></events>`,
      )
      const empty = await nat.get(`/chat/${chatId}/events.json?from=5`)
      expect(empty.json()).toEqual({
        events: {
          link: [
            { '@href': `${chatUrl(nat)}/events`, '@rel': 'self' },
            { '@href': `${chatUrl(nat)}/events?from=5`, '@rel': 'next' },
          ],
        },
      })
    })

    it('A14 adds a plain line: 201, Location and chatEventLocation; GET on the Location returns it', async () => {
      const response = await sendLine(nat, chatId, { '@type': 'line', text: 'Hi, how can I help?' })
      expect(response.statusCode).toBe(201)
      const location = `${chatUrl(nat)}/events/5`
      expect(response.headers.location).toBe(location)
      expect(response.body).toBe(
        JSON.stringify({ chatEventLocation: { link: { '@href': location, '@rel': 'location' } } }),
      )
      const event = await nat.get(`/chat/${chatId}/events/5.json`)
      expect(event.json()).toEqual({
        event: {
          '@id': '5',
          '@type': 'line',
          time: expect.stringMatching(TIME),
          textType: 'plain',
          text: 'Hi, how can I help?',
          by: 'Natalie',
          source: 'agent',
          subType: 'REGULAR',
        },
      })
      expect((await nat.get(`/chat/${chatId}/events/99.json`)).statusCode).toBe(404)
    })

    it('A14 sanitises html lines (script, handlers, javascript: links, target)', async () => {
      const text =
        '<div dir=\'ltr\' style=\'direction:ltr;text-align:left;\'>Look <a href="https://example.com" target="_self" onclick="x()">here</a><script>alert(1)</script><a href="javascript:alert(2)">bad</a><iframe src="https://evil"></iframe></div>'
      const response = await sendLine(nat, chatId, { '@type': 'line', textType: 'html', text })
      expect(response.statusCode).toBe(201)
      const event = (await nat.get(`/chat/${chatId}/events/6.json`)).json().event as Json
      expect(event.textType).toBe('html')
      expect(event.text).toContain('Look')
      expect(event.text).toContain('target="_blank"')
      expect(event.text).not.toMatch(/script|onclick|javascript:|iframe|_self/i)
    })

    it('A14 stores a rich-content line with its json and no text', async () => {
      const json = {
        type: 'vertical',
        elements: [
          { type: 'text', text: 'Now on sale!' },
          {
            type: 'button',
            title: 'Add to cart',
            click: { actions: [{ type: 'link', name: 'add to cart', uri: 'https://example.com/cart' }] },
          },
        ],
      }
      const response = await sendLine(nat, chatId, { '@type': 'line', textType: 'rich-content', json })
      expect(response.statusCode).toBe(201)
      const event = (await nat.get(`/chat/${chatId}/events/7.json`)).json().event as Json
      expect(event).toEqual({
        '@id': '7',
        '@type': 'line',
        time: expect.stringMatching(TIME),
        textType: 'rich-content',
        json,
        by: 'Natalie',
        source: 'agent',
        subType: 'REGULAR',
      })
    })

    it('A14 keeps ONLY_TO_REP lines from the visitor and shows them to the agent', async () => {
      const response = await sendLine(nat, chatId, {
        type: 'line',
        text: 'This is a private message, only visible to agents',
        textType: 'plain',
        subType: 'ONLY_TO_REP',
      })
      expect(response.statusCode).toBe(201)
      expect(response.headers.location).toBe(`${chatUrl(nat)}/events/8`)
      const agentEvent = (await nat.get(`/chat/${chatId}/events/8.json`)).json().event as Json
      expect(agentEvent).toMatchObject({ source: 'agent', subType: 'ONLY_TO_REP' })
      expect(await visitorEventIds(chatId)).not.toContain(8)
      expect(await visitorEventIds(chatId)).toContain(7)
    })

    it('A14 accepts an XML body and answers in XML', async () => {
      const response = await nat.post(
        `/chat/${chatId}/events`,
        '<event type="line"><text>From XML &amp; co</text><textType>plain</textType></event>',
        { 'content-type': 'application/xml' },
      )
      expect(response.statusCode).toBe(201)
      const location = `${chatUrl(nat)}/events/9`
      expect(response.headers.location).toBe(location)
      expect(response.body).toBe(
        `${XML}<chatEventLocation><link href="${location}" rel="location"/></chatEventLocation>`,
      )
      const event = (await nat.get(`/chat/${chatId}/events/9.json`)).json().event as Json
      expect(event.text).toBe('From XML & co')
      const rich = await nat.post(
        `/chat/${chatId}/events.xml`,
        `<event type="line"><textType>rich-content</textType><json>{"type":"vertical","elements":[]}</json></event>`,
        { 'content-type': 'application/xml' },
      )
      expect(rich.statusCode, rich.body).toBe(201)
      const richEvent = (await nat.get(`/chat/${chatId}/events/10.json`)).json().event as Json
      expect(richEvent.json).toEqual({ type: 'vertical', elements: [] })
    })

    it('A14 rejects bad line bodies with 400', async () => {
      const bad: unknown[] = [
        {},
        { event: { '@type': 'line', text: '' } },
        { event: { '@type': 'line' } },
        { event: { '@type': 'line', text: 'x', textType: 'markdown' } },
        { event: { '@type': 'line', text: 'x', subType: 'SECRET' } },
        { event: { '@type': 'line', textType: 'rich-content' } },
        { event: { '@type': 'line', textType: 'rich-content', json: { elements: [] } } },
        { event: { '@type': 'state', state: 'chatting' } },
        { event: { '@type': 'url', text: 'x' } },
        { event: { text: 'no type' } },
      ]
      for (const body of bad) {
        const response = await nat.post(`/chat/${chatId}/events.json`, body)
        expect(response.statusCode, JSON.stringify(body)).toBe(400)
        expect(response.json().error.internalCode).toBe(5)
      }
      const malformed = await nat.post(`/chat/${chatId}/events.json`, '{"event":', jsonBody)
      expect(malformed.statusCode).toBe(400)
    })

    it('A13 shows the visitor’s lines to the agent', async () => {
      const posted = await visitor('POST', `/${chatId}/events.json?v=1&NC=true`, {
        event: { '@type': 'line', text: 'I need help' },
      })
      expect(posted.statusCode, posted.body).toBe(201)
      const event = (await nat.get(`/chat/${chatId}/events.json?from=11`)).json().events.event as Json
      expect(event).toMatchObject({ '@id': '11', '@type': 'line', text: 'I need help', by: 'You', source: 'visitor' })
    })

    it('A15 returns the stand-alone info with href/rel and arrays; A16-A18 its values', async () => {
      const response = await nat.get(`/chat/${chatId}/info.json`)
      const info = response.json().info as Json
      const url = `${chatUrl(nat)}/info`
      expect(info.link).toEqual([
        { href: url, rel: 'self' },
        { href: `${url}/visitorName`, rel: 'visitor-name' },
        { href: `${url}/visitorTyping`, rel: 'visitor-typing' },
        { href: `${url}/agentTyping`, rel: 'agent-typing' },
      ])
      expect(info).toMatchObject({
        state: 'chatting',
        skillName: 'Sales',
        agentName: 'Natalie',
        visitorName: 'visitor',
      })
      const xml = await nat.get(`/chat/${chatId}/info.xml`)
      expect(xml.body.startsWith(`${XML}<info><link><href>${url}</href><rel>self</rel></link>`)).toBe(true)

      expect((await nat.get(`/chat/${chatId}/info/visitorName.json`)).body).toBe('{"visitorName":"visitor"}')
      await ctx.services.chat.setVisitorName(account.accountId, chatId, 'Alice')
      expect((await nat.get(`/chat/${chatId}/info/visitorName.json`)).body).toBe('{"visitorName":"Alice"}')
      expect((await nat.get(`/chat/${chatId}/info/visitorName.xml`)).body).toBe(
        `${XML}<visitorName>Alice</visitorName>`,
      )

      expect((await nat.get(`/chat/${chatId}/info/visitorTyping.json`)).body).toBe('{"visitorTyping":"not-typing"}')
      await ctx.services.chat.setVisitorTyping(account.accountId, chatId, true)
      expect((await nat.get(`/chat/${chatId}/info/visitorTyping.json`)).body).toBe('{"visitorTyping":"typing"}')
      expect((await nat.get(`/chat/${chatId}/info/agentTyping.json`)).body).toBe('{"agentTyping":"not-typing"}')
    })

    it('A19 sets agent typing (POST + override and real PUT), 200 with an empty body; bad values 400', async () => {
      const response = await nat.post(`/chat/${chatId}/info/agentTyping.json`, { agentTyping: 'typing' }, putOverride)
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe('')
      expect((await nat.get(`/chat/${chatId}/info/agentTyping.json`)).body).toBe('{"agentTyping":"typing"}')
      // The visitor sees it in info.agentTyping.
      expect((await visitor('GET', `/${chatId}/info/agentTyping.json`)).body).toBe('{"agentTyping":"typing"}')
      const xml = await nat.client.request('PUT', `/${nat.sessionId}/chat/${chatId}/info/agentTyping`, {
        body: '<agentTyping>not-typing</agentTyping>',
        headers: { 'content-type': 'application/xml' },
      })
      expect(xml.statusCode).toBe(200)
      expect((await nat.get(`/chat/${chatId}/info/agentTyping.json`)).body).toBe('{"agentTyping":"not-typing"}')
      const bad = await nat.post(`/chat/${chatId}/info/agentTyping.json`, { agentTyping: 'maybe' }, putOverride)
      expect(bad.statusCode).toBe(400)
      expect((await nat.post(`/chat/${chatId}/info/agentTyping.json`, {}, putOverride)).statusCode).toBe(400)
    })

    it('A10 lists the open chats (always an array, href/rel, epoch-ms startTime)', async () => {
      const response = await nat.get('/chatSessions.json')
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({
        chatSessions: {
          chatSession: [
            {
              link: { href: chatUrl(nat), rel: 'chat-session' },
              chatSessionKey: chatId,
              startTime: expect.any(Number),
            },
          ],
        },
      })
      expect((await bob.get('/chatSessions.json')).json()).toEqual({ chatSessions: { chatSession: [] } })
      const xml = await nat.get('/chatSessions.xml')
      expect(xml.body).toMatch(
        new RegExp(
          `^${escapeRegExp(XML)}<chatSessions><chatSession><link><href>${escapeRegExp(chatUrl(nat))}</href><rel>chat-session</rel></link><chatSessionKey>${chatId}</chatSessionKey><startTime>\\d+</startTime></chatSession></chatSessions>$`,
        ),
      )
    })

    it('A11 returns several chats at once, skipping keys the agent cannot use', async () => {
      const response = await nat.get(`/chat.json?chatSessionKeys=${chatId},unknown-key&fromEventIds=8,0&v=1`)
      expect(response.statusCode).toBe(200)
      const chats = response.json().chats.chat as Json[]
      expect(chats).toHaveLength(1)
      const entry = chats[0] as Json
      expect((entry.link as Json[]).map((item): unknown => item.rel)).toEqual([
        'self',
        'events',
        'info',
        'next',
        'visit-id',
        'transfer',
        'transfer-account',
        'agent-survey',
      ])
      expect((entry.events.event as Json[]).map((event): unknown[] => [event.id, event.type])).toEqual([
        [8, 'line'],
        [9, 'line'],
        [10, 'line'],
        [11, 'line'],
      ])
      expect(entry.info).toMatchObject({ chatSessionKey: chatId, state: 'chatting', visitorName: 'Alice' })
      expect(entry.info.link[0]).toEqual({ href: `${chatUrl(nat)}/info`, rel: 'self' })
      const xml = await nat.get(`/chat.xml?chatSessionKeys=${chatId}&fromEventIds=11`)
      expect(xml.body.startsWith(`${XML}<chats><chat><link><href>${chatUrl(nat)}</href><rel>self</rel></link>`)).toBe(
        true,
      )
      expect(xml.body).toContain('<event><id>11</id><type>line</type>')
      expect((await bob.get(`/chat.json?chatSessionKeys=${chatId}`)).json()).toEqual({ chats: { chat: [] } })
    })

    it('answers 404 for another agent’s chat and for another user’s agent session', async () => {
      for (const path of ['', '/events', '/info', '/info/visitorName', '/transfer', '/collaborationChannels']) {
        const response = await bob.get(`/chat/${chatId}${path}.json`)
        expect(response.statusCode, path).toBe(404)
      }
      expect((await sendLine(bob, chatId, { '@type': 'line', text: 'hijack' })).statusCode).toBe(404)
      // Bob's bearer with Nat's session id.
      const foreign = await bob.client.request('GET', `/${nat.sessionId}/chat/${chatId}.json`)
      expect(foreign.statusCode).toBe(404)
      expect(foreign.json().error.internalCode).toBe(28)
      const foreignRing = await bob.client.request('GET', `/${nat.sessionId}/incomingRequests.json`)
      expect(foreignRing.statusCode).toBe(404)
      const unknownChat = await nat.get('/chat/H123-abcK1.json')
      expect(unknownChat.statusCode).toBe(404)
      const rejected = await ctx.app.inject({
        method: 'GET',
        url: `${nat.client.base}/${nat.sessionId}/chat/${chatId}.json`,
        headers: { authorization: 'Bearer 0000' },
      })
      expect(rejected.statusCode).toBe(401)
      expect(rejected.body).toBe(TOKEN_REJECTED)
    })

    it('A22 answers 400 (not supported); GET is 405; A24 lists no channels', async () => {
      const post = await nat.post(`/chat/${chatId}/transferAccount.json`, {})
      expect(post.statusCode).toBe(400)
      expect(post.json().error).toMatchObject({ message: 'Account transfer is not supported', internalCode: 5 })
      expect((await nat.get(`/chat/${chatId}/transferAccount.json`)).statusCode).toBe(405)

      const channels = await nat.get(`/chat/${chatId}/collaborationChannels.json`)
      expect(channels.json()).toEqual({
        collaborationChannels: { link: { '@href': `${chatUrl(nat)}/collaborationChannels`, '@rel': 'self' } },
      })
      const xml = await nat.get(`/chat/${chatId}/collaborationChannels.xml`)
      expect(xml.body).toBe(
        `${XML}<collaborationChannels><link href="${chatUrl(nat)}/collaborationChannels" rel="self"/></collaborationChannels>`,
      )
      expect((await nat.post(`/chat/${chatId}/collaborationChannels.json`, {})).statusCode).toBe(405)
    })

    it('A20 lists skills with an Online agent other than the current one', async () => {
      const response = await nat.get(`/chat/${chatId}/transfer.json`)
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({
        transfer: {
          skill: [
            { id: String(skills.sales), name: 'Sales', onlineAgents: '1' },
            { id: String(skills.billing), name: 'Billing', onlineAgents: '2' },
          ],
        },
      })
      const xml = await nat.get(`/chat/${chatId}/transfer.xml`)
      expect(xml.body).toBe(
        `${XML}<transfer><skill><id>${skills.sales}</id><name>Sales</name><onlineAgents>1</onlineAgents></skill><skill><id>${skills.billing}</id><name>Billing</name><onlineAgents>2</onlineAgents></skill></transfer>`,
      )
    })

    it('A21 rejects invalid transfers with 400', async () => {
      const bad: unknown[] = [
        { transfer: {} },
        { transfer: { skill: { id: 987654321 } } },
        { transfer: { agent: { id: 987654321 } } },
        { transfer: { agent: { id: users.nat } } },
        { transfer: { skill: { id: 'abc' } } },
        // Nobody serving the skill is online; the target agent has no agent session (Offline).
        { transfer: { skill: { id: skills.empty } } },
        { transfer: { agent: { id: users.dan } } },
        {},
      ]
      for (const body of bad) {
        const response = await nat.post(`/chat/${chatId}/transfer.json`, body)
        expect(response.statusCode, JSON.stringify(body)).toBe(400)
        expect(response.json().error.internalCode).toBe(5)
      }
      expect((await ctx.services.chat.getChat(account.accountId, chatId)).state).toBe('chatting')
    })

    it('A21 transfers to an agent with a note only agents see; the old agent loses access', async () => {
      const response = await nat.post(`/chat/${chatId}/transfer.json`, {
        transfer: { agent: { id: String(users.bob) } },
        text: 'I think this person needs some help from you.',
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.body).toBe('')
      expect((await nat.get(`/chat/${chatId}.json`)).statusCode).toBe(404)
      expect((await bob.get('/incomingRequests.json')).json().incomingRequests.ringingCount).toBe('1')
      expect(await accept(bob)).toBe(chatId)
      const events = (await bob.get(`/chat/${chatId}/events.json?from=12`)).json().events.event as Json[]
      expect(
        events.map((event): unknown[] => [
          event['@id'],
          event.source ?? event['@type'],
          event.subType,
          event.systemMessageId ?? event.state,
        ]),
      ).toEqual([
        ['12', 'agent', 'ONLY_TO_REP', undefined],
        ['13', 'system', 'REGULAR', 13],
        ['14', 'state', undefined, 'waiting'],
        ['15', 'state', undefined, 'chatting'],
        ['16', 'system', 'REGULAR', 3],
      ])
      expect(events[0]?.text).toBe('I think this person needs some help from you.')
      expect(await visitorEventIds(chatId)).not.toContain(12)
      const info = (await bob.get(`/chat/${chatId}/info.json`)).json().info as Json
      expect(info).toMatchObject({ agentName: 'Bob', agentId: users.bob })
    })

    it('A21 transfers to a skill; the chat rings an agent of that skill', async () => {
      // Occupied: Bob receives only transfers aimed at him, so the Billing queue rings Cat.
      const occupied = await bob.post('/availability.json', { availability: { chat: 'Occupied' } }, putOverride)
      expect(occupied.statusCode).toBe(200)
      const response = await bob.post(
        `/chat/${chatId}/transfer.xml`,
        '<transfer><skill id="' + skills.billing + '"/></transfer>',
        {
          'content-type': 'application/xml',
        },
      )
      expect(response.statusCode, response.body).toBe(200)
      expect((await bob.get(`/chat/${chatId}.json`)).statusCode).toBe(404)
      expect(await accept(cat)).toBe(chatId)
      const info = (await cat.get(`/chat/${chatId}/info.json`)).json().info as Json
      expect(info).toMatchObject({ skillName: 'Billing', skillId: skills.billing, agentName: 'Cat', state: 'chatting' })
      const last = (await cat.get(`/chat/${chatId}/events.json?from=17`)).json().events.event as Json[]
      expect(last[0]).toMatchObject({ '@id': '17', source: 'system', systemMessageId: 15 })
    })

    it('A14 ends the chat: 201 + chatEventLocation, system 5 then ended; later lines 400; ending again 201', async () => {
      const response = await sendLine(cat, chatId, { '@type': 'state', state: 'ended' })
      expect(response.statusCode).toBe(201)
      const events = (await cat.get(`/chat/${chatId}/events.json?from=21`)).json().events.event as Json[]
      expect(events.map((event): unknown[] => [event['@id'], event.systemMessageId ?? event.state])).toEqual([
        ['21', 5],
        ['22', 'ended'],
      ])
      const location = `${cat.url}/chat/${chatId}/events/22`
      expect(response.headers.location).toBe(location)
      expect(response.json()).toEqual({ chatEventLocation: { link: { '@href': location, '@rel': 'location' } } })

      const line = await sendLine(cat, chatId, { '@type': 'line', text: 'too late' })
      expect(line.statusCode).toBe(400)
      expect(line.json().error).toMatchObject({ message: 'Cannot add line while not in chat', internalCode: 5 })
      const typing = await cat.post(`/chat/${chatId}/info/agentTyping.json`, { agentTyping: 'typing' }, putOverride)
      expect(typing.statusCode).toBe(400)
      const again = await sendLine(cat, chatId, { '@type': 'state', state: 'ended' })
      expect(again.statusCode).toBe(201)
      expect(again.headers.location).toBe(location)

      // The last agent still reads the ended chat; it is no longer among the open ones.
      const chat = (await cat.get(`/chat/${chatId}.json`)).json().chat as Json
      expect(chat.info.state).toBe('ended')
      expect((await cat.get('/chatSessions.json')).json()).toEqual({ chatSessions: { chatSession: [] } })
    })
  })

  describe('authenticated visitors', () => {
    it('A12 and A15 add participant-info and participant-extended-info last', async () => {
      const nat = await agentOf('nat')
      const chatId = await requestChat('nat', 'Sales', { participantId: 'p-55fc1779' })
      expect(await accept(nat)).toBe(chatId)
      const url = `${nat.url}/chat/${chatId}/info`
      const chat = (await nat.get(`/chat/${chatId}.json`)).json().chat as Json
      expect((chat.info.link as Json[]).slice(4)).toEqual([
        { '@href': `${nat.url}/participantInfo/p-55fc1779`, '@rel': 'participant-info' },
        { '@href': `${nat.url}/participantExtendedInfo/p-55fc1779`, '@rel': 'participant-extended-info' },
      ])
      expect(chat.info.participantId).toBe('p-55fc1779')
      const info = (await nat.get(`/chat/${chatId}/info.json`)).json().info as Json
      expect(info.link[0]).toEqual({ href: url, rel: 'self' })
      expect(info.link[4]).toEqual({ href: `${nat.url}/participantInfo/p-55fc1779`, rel: 'participant-info' })
      expect((await sendLine(nat, chatId, { '@type': 'state', state: 'ended' })).statusCode).toBe(201)
    })
  })

  describe('credentials', () => {
    it('accepts the legacy-login cookie and rejects a request without credentials', async () => {
      const base = `/api/account/${account.accountId}/agentSession`
      const started = await ctx.app.inject({
        method: 'POST',
        url: `${base}.json`,
        payload: { loginData: { userName: 'cat', password: PASSWORD } },
      })
      expect(started.statusCode, started.body).toBe(201)
      const id = String(started.headers.location).split('/').pop()!
      const cookie = started.cookies.find((candidate) => candidate.name === 'parley_agent_bearer')!.value
      const ringing = await ctx.app.inject({
        method: 'GET',
        url: `${base}/${id}/incomingRequests.json`,
        cookies: { parley_agent_bearer: cookie },
      })
      expect(ringing.statusCode).toBe(200)
      expect(ringing.json()).toEqual({ incomingRequests: { ringingCount: '0' } })

      const anonymous = await ctx.app.inject({ method: 'GET', url: `${base}/${id}/incomingRequests.json` })
      expect(anonymous.statusCode).toBe(401)
      expect(anonymous.json().error.internalCode).toBe(10)
      const anonymousXml = await ctx.app.inject({ method: 'POST', url: `${base}/${id}/incomingRequests` })
      expect(anonymousXml.statusCode).toBe(401)
      expect(anonymousXml.body).toMatch(/^<\?xml .*<error>.*<internalCode>10<\/internalCode><\/error>$/)
    })
  })

  describe('long polling (Decision D10)', () => {
    /** A chat `eve` has accepted; its events so far are 0-3 (waiting, system 4, chatting, system 3). */
    const chatting = async (): Promise<{ eve: Agent; chatId: string }> => {
      const eve = await agentOf('eve')
      await requestChat('eve')
      return { eve, chatId: await accept(eve) }
    }
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    it('holds A13 events until the visitor posts a line, then answers with it', async () => {
      const { eve, chatId } = await chatting()
      let answered = false
      const held = eve.get(`/chat/${chatId}/events.json?from=4&wait=20`).then((response) => {
        answered = true
        return response
      })
      await pause(150)
      expect(answered).toBe(false)
      const line = await visitor('POST', `/${chatId}/events.json`, { event: { '@type': 'line', text: 'Still there?' } })
      expect(line.statusCode).toBe(201)
      const response = await held
      expect(response.statusCode).toBe(200)
      expect(response.json().events.event).toMatchObject({ '@id': '4', source: 'visitor', text: 'Still there?' })
    })

    it('holds the A12 chat resource too, and answers at once when events already exist', async () => {
      const { eve, chatId } = await chatting()
      const held = eve.get(`/chat/${chatId}.json?from=4&wait=20`)
      await pause(100)
      await visitor('POST', `/${chatId}/events.json`, { event: { '@type': 'line', text: 'Hello again' } })
      expect((await held).json().chat.events.event).toMatchObject({ '@id': '4', text: 'Hello again' })
      const immediate = await eve.get(`/chat/${chatId}/events.json?from=0&wait=30`)
      expect(immediate.json().events.event).toHaveLength(5)
    })

    it('answers an empty list when the wait ends without a new event', async () => {
      const { eve, chatId } = await chatting()
      const response = await eve.get(`/chat/${chatId}/events.json?from=4&wait=1`)
      expect(response.statusCode).toBe(200)
      expect(response.json().events.event).toBeUndefined()
    })

    it('checks the agent session before holding anything', async () => {
      const { chatId } = await chatting()
      const other = await agentOf('nat')
      const response = await other.get(`/chat/${chatId}/events.json?from=0&wait=30`)
      expect(response.statusCode).toBe(404)
    })
  })

  describe('concurrent accepts', () => {
    it('never gives a chat to two sessions accepting at the same time', async () => {
      const first = await agentOf('dan')
      const second = await agentOf('dan')
      const keys = [await requestChat('dan'), await requestChat('dan'), await requestChat('dan')]
      expect((await first.get('/incomingRequests.json')).json().incomingRequests.ringingCount).toBe('3')
      const attempts = await Promise.all(
        [first, second, first, second, first, second, first, second].map((agent) =>
          agent.post('/incomingRequests.json', {}),
        ),
      )
      const accepted = attempts.filter((response) => response.statusCode === 201)
      expect(accepted).toHaveLength(3)
      expect(attempts.filter((response) => response.statusCode === 404)).toHaveLength(5)
      const acceptedKeys = accepted.map((response) => String(response.headers.location).split('/').pop())
      expect(new Set(acceptedKeys)).toEqual(new Set(keys))
      for (const key of keys) {
        const chat = await ctx.services.chat.getChat(account.accountId, key)
        expect(chat.state).toBe('chatting')
        const events = await ctx.services.chat.agentEvents(account.accountId, users.dan, key)
        expect(events.filter((event) => event.type === 'state' && event.state === 'chatting')).toHaveLength(1)
      }
      const sessions = (await second.get('/chatSessions.json')).json().chatSessions.chatSession as Json[]
      expect(sessions).toHaveLength(3)
      expect(sessions[0]?.link.href).toContain(`/agentSession/${second.sessionId}/chat/`)
    })
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
