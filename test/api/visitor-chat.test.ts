import { beforeAll, describe, expect, it } from 'vitest'
import type { ApiKey } from '../../src/core/accounts/accounts.types.ts'
import { formatChatTime } from '../../src/core/time.ts'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { createStorage } from '../../src/storage/db.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { liveVisitor, useVisitorChatApp, visitorClient, type Method, type VisitorClient } from './visitor-chat-app.ts'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const ORIGIN = 'http://localhost:80'
const JSON_ACCEPT = { accept: 'application/json' }
const JSON_BODY = { 'content-type': 'application/json', accept: 'application/json' }
const XML_BODY = { 'content-type': 'application/xml' }
const PUT_OVERRIDE = { 'x-http-method-override': 'PUT', 'content-type': 'application/json' }
// wire-conventions.md §12: unknown chats, events and sessions.
const NOT_FOUND = 'Resource not found'
const WELCOME = 'Thank you for choosing to chat with us. An agent will be with you shortly.'

interface Link {
  '@href': string
  '@rel': string
}

describeEachDialect('Visitor Server Chat API: the chat (V7-V16, V21)', (dialect) => {
  const ctx = useVisitorChatApp(dialect)
  let live: LiveAccount
  let visitor: VisitorClient
  let natalie: number

  const time = (ms: number): string => formatChatTime(ms, 'UTC')
  const chatUrl = (key: string): string => `${ORIGIN}/api/account/${live.accountId}/chat/${key}`
  /** Natalie accepts the one chat ringing her. */
  const accept = async (): Promise<void> => {
    await ctx.chat.acceptChat(live.accountId, natalie)
  }
  /** A fresh account whose only agent is Natalie (Sales), so the next chat request rings her. */
  const freshAccount = async (): Promise<void> => {
    ;({ live, visitor } = await liveVisitor(ctx))
    natalie = live.agents[0]!.userId
  }

  beforeAll(freshAccount)

  describe('V7 chat request', () => {
    it('answers 201 with an empty body and the chat URL in Location', async () => {
      const response = await visitor.call('POST', '/chat/request.json?v=1&NC=true', {
        body: { request: { skill: 'Sales', LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(response.statusCode).toBe(201)
      expect(response.body).toBe('')
      const location = String(response.headers.location)
      expect(location).toMatch(new RegExp(`^${ORIGIN}/api/account/${live.accountId}/chat/[^/?.]+$`))
    })

    it('accepts an XML request, an unwrapped body and an empty body', async () => {
      for (const [body, headers] of [
        ['<request><skill>Sales</skill><interactionTimeout>60</interactionTimeout></request>', XML_BODY],
        [{ skill: 'Billing' }, { 'content-type': 'application/json' }],
        ['', {}],
      ] as const) {
        const response = await visitor.call('POST', '/chat/request?v=1', { body, headers })
        expect(response.statusCode, JSON.stringify(body)).toBe(201)
        expect(response.body).toBe('')
      }
    })

    it('issues unguessable keys: 128+ random bits, URL-safe, never repeated', async () => {
      const keys = new Set<string>()
      for (let i = 0; i < 5; i++) keys.add(await visitor.requestChat({ request: { skill: 'Nope' } }))
      expect(keys.size).toBe(5)
      for (const key of keys) {
        expect(key).toMatch(/^[A-Za-z0-9_-]+$/)
        // 24 base64url characters carry 144 bits; a hex key would need 32.
        expect(key.length).toBeGreaterThanOrEqual(24)
      }
    })

    it('answers 400 for an invalid maxWaitTime, in the negotiated format', async () => {
      const response = await visitor.call('POST', '/chat/request.json', {
        body: { request: { maxWaitTime: 90000 } },
        headers: { 'content-type': 'application/json' },
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({
        error: { time: expect.any(String), message: expect.stringContaining('maxWaitTime'), internalCode: 5 },
      })
      const xml = await visitor.call('POST', '/chat/request', {
        body: '<request><maxWaitTime>-1</maxWaitTime></request>',
        headers: XML_BODY,
      })
      expect(xml.statusCode).toBe(400)
      expect(xml.body).toMatch(
        /^<\?xml .*<error><time>.*<\/time><message>maxWaitTime: .*<\/message><internalCode>5<\/internalCode><\/error>$/,
      )
    })

    it('answers 400 for an unparseable body', async () => {
      for (const [body, headers] of [
        ['{"request":', { 'content-type': 'application/json' }],
        ['<request><skill>', XML_BODY],
        ['[1, 2]', { 'content-type': 'application/json' }],
      ] as const) {
        const response = await visitor.call('POST', '/chat/request.json', { body, headers })
        expect(response.statusCode, body).toBe(400)
        expect(response.json().error.internalCode).toBe(5)
      }
    })
  })

  describe('a full visitor flow through HTTP', () => {
    let key: string
    let requestedAt: number

    beforeAll(async () => {
      await freshAccount()
      requestedAt = ctx.clock.now()
      key = await visitor.requestChat({
        request: {
          skill: 'Sales',
          LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
          LETagSessionId: 'rN82d4rATN6EuiA4cJwaPg',
          LETagContextId: '2',
          engagementId: 27469613,
          campaignId: '26948813',
          preChatLines: { line: 'I need help with my order' },
        },
      })
    })

    it('shows the waiting chat with its links in the documented order', async () => {
      const response = await visitor.call('GET', `/chat/${key}.json?v=1&NC=true`)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=UTF-8')
      const chat = response.json().chat
      const url = chatUrl(key)
      expect(chat.link).toEqual([
        { '@href': url, '@rel': 'self' },
        { '@href': `${url}/events`, '@rel': 'events' },
        { '@href': `${url}/info`, '@rel': 'info' },
        { '@href': `${url}?from=3`, '@rel': 'next' },
        { '@href': `${url}/transcriptRequest`, '@rel': 'transcript-request' },
        { '@href': `${url}/transcriptWithSubjectRequest`, '@rel': 'transcript-with-subject-request' },
        { '@href': `${url}/exitSurvey`, '@rel': 'exit-survey' },
        { '@href': `${url}/customVariables`, '@rel': 'custom-variables' },
      ])
      expect(chat.events).toEqual({
        link: [
          { '@href': `${url}/events`, '@rel': 'self' },
          { '@href': `${url}/events?from=3`, '@rel': 'next' },
        ],
        event: [
          { '@id': '0', '@type': 'state', time: time(requestedAt), state: 'waiting' },
          {
            '@id': '1',
            '@type': 'line',
            time: time(requestedAt),
            textType: 'plain',
            text: WELCOME,
            by: 'info',
            source: 'system',
            systemMessageId: 4,
            subType: 'REGULAR',
          },
          {
            '@id': '2',
            '@type': 'line',
            time: time(requestedAt),
            textType: 'plain',
            text: 'I need help with my order',
            by: 'info',
            source: 'system',
            systemMessageId: 0,
            subType: 'REGULAR',
          },
        ],
      })
      expect((chat.info.link as Link[]).map((l) => l['@rel'])).toEqual([
        'self',
        'visitor-name',
        'visitor-typing',
        'agent-typing',
      ])
      expect(JSON.stringify(chat.info)).toBe(
        JSON.stringify({
          link: chat.info.link,
          state: 'waiting',
          chatSessionKey: key,
          skillName: 'Sales',
          skillId: live.skills.Sales,
          startTime: time(requestedAt),
          duration: 0,
          lastUpdate: time(ctx.clock.now()),
          chatTimeout: 40,
          visitorId: chat.info.visitorId,
          agentTyping: 'not-typing',
          visitorTyping: 'not-typing',
          visitorName: 'You',
          rtSessionId: chat.info.rtSessionId,
          sharkVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
          sharkSessionId: 'rN82d4rATN6EuiA4cJwaPg',
          sharkContextId: 2,
          engagementId: 27469613,
          campaignId: 26948813,
          language: 'en-US',
        }),
      )
      expect(typeof chat.info.visitorId).toBe('number')
      expect(chat.info.rtSessionId).toBeGreaterThanOrEqual(2 ** 32)
    })

    it('rejects a line while waiting: 400, internalCode 5, "Cannot add line while not in chat"', async () => {
      const response = await visitor.call('POST', `/chat/${key}/events.json?v=1`, {
        body: { event: { '@type': 'line', text: 'hello?' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({
        error: { time: time(ctx.clock.now()), message: 'Cannot add line while not in chat', internalCode: 5 },
      })
    })

    it('shows the accept from `from` on, with `next` after the last event', async () => {
      ctx.clock.advance(6_500)
      await accept()
      const response = await visitor.call('GET', `/chat/${key}?v=1&from=3`, { headers: JSON_ACCEPT })
      const chat = response.json().chat
      expect(chat.link[3]).toEqual({ '@href': `${chatUrl(key)}?from=5`, '@rel': 'next' })
      expect(chat.events.event).toEqual([
        { '@id': '3', '@type': 'state', time: time(ctx.clock.now()), state: 'chatting' },
        {
          '@id': '4',
          '@type': 'line',
          time: time(ctx.clock.now()),
          textType: 'plain',
          text: 'You are now chatting with Natalie.',
          by: 'info',
          source: 'system',
          systemMessageId: 3,
          subType: 'REGULAR',
        },
      ])
      expect(chat.info).toMatchObject({ state: 'chatting', agentName: 'Natalie', agentId: natalie })
      const keys = Object.keys(chat.info)
      expect(keys.slice(0, 7)).toEqual([
        'link',
        'state',
        'chatSessionKey',
        'skillName',
        'skillId',
        'agentName',
        'agentId',
      ])
    })

    it('repeats `from` in next when no event is new, with no event key', async () => {
      const response = await visitor.call('GET', `/chat/${key}/events.json?from=5&v=1&NC=true`)
      expect(response.json()).toEqual({
        events: {
          link: [
            { '@href': `${chatUrl(key)}/events`, '@rel': 'self' },
            { '@href': `${chatUrl(key)}/events?from=5`, '@rel': 'next' },
          ],
        },
      })
    })

    it('posts a line: 201, empty body, Location of the event, which GET returns as a bare event', async () => {
      ctx.clock.advance(1_000)
      const response = await visitor.call('POST', `/chat/${key}/events.json?v=1&NC=true`, {
        body: { event: { '@type': 'line', text: 'hi <b>there</b>', textType: 'html' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(response.statusCode).toBe(201)
      expect(response.body).toBe('')
      expect(response.headers.location).toBe(`${chatUrl(key)}/events/5`)
      const event = await visitor.call('GET', `/chat/${key}/events/5.json`)
      expect(event.statusCode).toBe(200)
      expect(event.body).toBe(
        JSON.stringify({
          event: {
            '@id': '5',
            '@type': 'line',
            time: time(ctx.clock.now()),
            textType: 'plain',
            text: 'hi <b>there</b>',
            by: 'You',
            source: 'visitor',
            subType: 'REGULAR',
          },
        }),
      )
      const xml = await visitor.call('GET', `/chat/${key}/events/5`)
      expect(xml.body).toBe(
        `${XML_DECLARATION}<event id="5" type="line"><time>${time(ctx.clock.now())}</time><textType>plain</textType><text>hi &lt;b&gt;there&lt;/b&gt;</text><by>You</by><source>visitor</source><subType>REGULAR</subType></event>`,
      )
    })

    it('lists one new event as a bare object, not an array', async () => {
      const response = await visitor.call('GET', `/chat/${key}/events.json?from=5`)
      const events = response.json().events
      expect(events.link[1]).toEqual({ '@href': `${chatUrl(key)}/events?from=6`, '@rel': 'next' })
      expect(events.event).toMatchObject({ '@id': '5', '@type': 'line', text: 'hi <b>there</b>' })
    })

    it('accepts an XML line and `type` without @', async () => {
      const xml = await visitor.call('POST', `/chat/${key}/events?v=1`, {
        body: '<event type="line"><text>from xml &amp; co</text></event>',
        headers: XML_BODY,
      })
      expect(xml.statusCode).toBe(201)
      expect(xml.headers.location).toBe(`${chatUrl(key)}/events/6`)
      const plain = await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { type: 'line', text: 'no at sign' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(plain.headers.location).toBe(`${chatUrl(key)}/events/7`)
      const events = (await visitor.call('GET', `/chat/${key}/events.json?from=6`)).json<{
        events: { event: Array<{ text: string }> }
      }>().events.event
      expect(events.map((e) => e.text)).toEqual(['from xml & co', 'no at sign'])
    })

    it('sets the visitor name (POST + override and real PUT): 200, empty body; later lines carry it', async () => {
      const override = await visitor.call('POST', `/chat/${key}/info/visitorName.json?v=1`, {
        body: { visitorName: 'Natalie R' },
        headers: PUT_OVERRIDE,
      })
      expect(override.statusCode).toBe(200)
      expect(override.body).toBe('')
      const name = await visitor.call('GET', `/chat/${key}/info/visitorName.json`)
      expect(name.body).toBe('{"visitorName":"Natalie R"}')
      const put = await visitor.call('PUT', `/chat/${key}/info/visitorName`, {
        body: '<visitorName>Nat</visitorName>',
        headers: XML_BODY,
      })
      expect(put.statusCode).toBe(200)
      const xml = await visitor.call('GET', `/chat/${key}/info/visitorName`)
      expect(xml.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(xml.body).toBe(`${XML_DECLARATION}<visitorName>Nat</visitorName>`)
      const line = await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'line', text: 'named now' } },
        headers: { 'content-type': 'application/json' },
      })
      const id = String(line.headers.location).split('/').pop()
      const event = (await visitor.call('GET', `/chat/${key}/events/${id}.json`)).json().event
      expect(event.by).toBe('Nat')
    })

    it('sets visitor typing; a line resets it; agent typing shows what the agent set', async () => {
      const set = await visitor.call('POST', `/chat/${key}/info/visitorTyping.json`, {
        body: { visitorTyping: 'typing' },
        headers: PUT_OVERRIDE,
      })
      expect(set.statusCode).toBe(200)
      expect(set.body).toBe('')
      expect((await visitor.call('GET', `/chat/${key}/info/visitorTyping.json`)).body).toBe(
        '{"visitorTyping":"typing"}',
      )
      expect((await visitor.call('GET', `/chat/${key}/info/visitorTyping.xml`)).body).toBe(
        `${XML_DECLARATION}<visitorTyping>typing</visitorTyping>`,
      )
      await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'line', text: 'done typing' } },
        headers: { 'content-type': 'application/json' },
      })
      expect((await visitor.call('GET', `/chat/${key}/info/visitorTyping.json`)).body).toBe(
        '{"visitorTyping":"not-typing"}',
      )
      expect((await visitor.call('GET', `/chat/${key}/info/agentTyping.json`)).body).toBe(
        '{"agentTyping":"not-typing"}',
      )
      await ctx.chat.setAgentTyping(live.accountId, natalie, key, true)
      expect((await visitor.call('GET', `/chat/${key}/info/agentTyping.json`)).body).toBe('{"agentTyping":"typing"}')
      expect((await visitor.call('GET', `/chat/${key}/info/agentTyping`)).body).toBe(
        `${XML_DECLARATION}<agentTyping>typing</agentTyping>`,
      )
    })

    it('rejects an invalid typing value and an empty visitor name with 400', async () => {
      const typing = await visitor.call('PUT', `/chat/${key}/info/visitorTyping.json`, {
        body: { visitorTyping: 'maybe' },
        headers: { 'content-type': 'application/json' },
      })
      expect(typing.statusCode).toBe(400)
      expect(typing.json().error.internalCode).toBe(5)
      const name = await visitor.call('PUT', `/chat/${key}/info/visitorName.json`, {
        body: { visitorName: '  ' },
        headers: { 'content-type': 'application/json' },
      })
      expect(name.statusCode).toBe(400)
      const missing = await visitor.call('PUT', `/chat/${key}/info/visitorName.json`, {
        body: {},
        headers: { 'content-type': 'application/json' },
      })
      expect(missing.statusCode).toBe(400)
    })

    it('stores custom variables merged by name: 200 {} in JSON, an empty body in XML', async () => {
      const first = await visitor.call('POST', `/chat/${key}/customVariables.json?v=1`, {
        body: {
          customVariables: {
            customVariable: [
              { name: 'orderId', value: 'A-17' },
              { name: 'tier', value: 'gold' },
            ],
          },
        },
        headers: PUT_OVERRIDE,
      })
      expect(first.statusCode).toBe(200)
      expect(first.body).toBe('{}')
      const second = await visitor.call('PUT', `/chat/${key}/customVariables`, {
        body: '<customVariables><customVariable><name>orderId</name><value>B-2</value></customVariable></customVariables>',
        headers: XML_BODY,
      })
      expect(second.statusCode).toBe(200)
      expect(second.body).toBe('')
      const stored = await ctx.chat.getChat(live.accountId, key)
      expect(stored.customVariables).toEqual([
        { name: 'orderId', value: 'B-2' },
        { name: 'tier', value: 'gold' },
      ])
      const bad = await visitor.call('PUT', `/chat/${key}/customVariables.json`, {
        body: { customVariables: { customVariable: [{ value: 'nameless' }] } },
        headers: { 'content-type': 'application/json' },
      })
      expect(bad.statusCode).toBe(400)
    })

    it('shows the stand-alone info with href/rel without @, in JSON and XML', async () => {
      const response = await visitor.call('GET', `/chat/${key}/info.json?v=1`)
      const info = response.json().info
      const url = `${chatUrl(key)}/info`
      expect(info.link).toEqual([
        { href: url, rel: 'self' },
        { href: `${url}/visitorName`, rel: 'visitor-name' },
        { href: `${url}/visitorTyping`, rel: 'visitor-typing' },
        { href: `${url}/agentTyping`, rel: 'agent-typing' },
      ])
      expect(info).toMatchObject({
        state: 'chatting',
        chatSessionKey: key,
        skillName: 'Sales',
        agentName: 'Natalie',
        agentTyping: 'typing',
        visitorName: 'Nat',
        lastUpdate: time(ctx.clock.now()),
      })
      const xml = await visitor.call('GET', `/chat/${key}/info`)
      expect(xml.body).toContain(
        `<info><link><href>${url}</href><rel>self</rel></link><link><href>${url}/visitorName</href><rel>visitor-name</rel></link>`,
      )
      expect(xml.body).toContain(
        `<state>chatting</state><chatSessionKey>${key}</chatSessionKey><skillName>Sales</skillName>`,
      )
    })

    it('ends the chat: system 5 then state ended; a second end returns the same event', async () => {
      ctx.clock.advance(2_000)
      const response = await visitor.call('POST', `/chat/${key}/events.json?v=1`, {
        body: { event: { '@type': 'state', state: 'ended' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(response.statusCode).toBe(201)
      expect(response.body).toBe('')
      const location = String(response.headers.location)
      const id = Number(location.split('/').pop())
      const again = await visitor.call('POST', `/chat/${key}/events`, {
        body: '<event type="state"><state>ended</state></event>',
        headers: XML_BODY,
      })
      expect(again.statusCode).toBe(201)
      expect(again.headers.location).toBe(location)
      const events = (await visitor.call('GET', `/chat/${key}/events.json?from=${id - 1}`)).json().events
      expect(events.event).toEqual([
        {
          '@id': String(id - 1),
          '@type': 'line',
          time: time(ctx.clock.now()),
          textType: 'plain',
          text: 'Thank you for chatting with us.',
          by: 'info',
          source: 'system',
          systemMessageId: 5,
          subType: 'REGULAR',
        },
        { '@id': String(id), '@type': 'state', time: time(ctx.clock.now()), state: 'ended' },
      ])
    })

    it('keeps the ended chat readable, and rejects lines and typing after the end', async () => {
      const chat = await visitor.call('GET', `/chat/${key}.json`)
      expect(chat.statusCode).toBe(200)
      expect(chat.json().chat.info.state).toBe('ended')
      const line = await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'line', text: 'still there?' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(line.statusCode).toBe(400)
      expect(line.json().error).toMatchObject({ message: 'Cannot add line while not in chat', internalCode: 5 })
      const typing = await visitor.call('POST', `/chat/${key}/info/visitorTyping`, {
        body: '<visitorTyping>typing</visitorTyping>',
        headers: { ...XML_BODY, 'x-http-method-override': 'PUT' },
      })
      expect(typing.statusCode).toBe(400)
      expect(typing.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(typing.body).toMatch(
        /<error><time>[^<]+<\/time><message>Cannot set visitor&apos;s typing status. Chat was ended<\/message><internalCode>5<\/internalCode><\/error>$/,
      )
      const name = await visitor.call('PUT', `/chat/${key}/info/visitorName.json`, {
        body: { visitorName: 'After' },
        headers: { 'content-type': 'application/json' },
      })
      expect(name.statusCode).toBe(200)
    })
  })

  describe('the chat resource in XML (no Accept, Accept */*, .xml suffix)', () => {
    beforeAll(freshAccount)

    it('renders links as attributes, events and info as child elements', async () => {
      const at = ctx.clock.now()
      const key = await visitor.requestChat({ request: { skill: 'Sales' } })
      const url = chatUrl(key)
      for (const [path, headers] of [
        [`/chat/${key}?v=1&NC=true`, {}],
        [`/chat/${key}`, { accept: '*/*' }],
        [`/chat/${key}.xml`, { accept: 'application/json' }],
      ] as const) {
        const response = await visitor.call('GET', path, { headers })
        expect(response.headers['content-type']).toBe('application/xml; charset=UTF-8')
        expect(response.body).toMatch(
          new RegExp(
            `^${escape(XML_DECLARATION)}<chat><link href="${escape(url)}" rel="self"/><link href="${escape(url)}/events" rel="events"/><link href="${escape(url)}/info" rel="info"/><link href="${escape(url)}\\?from=2" rel="next"/>`,
          ),
        )
        expect(response.body).toContain(
          `<events><link href="${url}/events" rel="self"/><link href="${url}/events?from=2" rel="next"/><event id="0" type="state"><time>${time(at)}</time><state>waiting</state></event><event id="1" type="line"><time>${time(at)}</time><textType>plain</textType><text>${WELCOME}</text><by>info</by><source>system</source><systemMessageId>4</systemMessageId><subType>REGULAR</subType></event></events>`,
        )
        expect(response.body).toContain(
          `<info><link href="${url}/info" rel="self"/><link href="${url}/info/visitorName" rel="visitor-name"/><link href="${url}/info/visitorTyping" rel="visitor-typing"/><link href="${url}/info/agentTyping" rel="agent-typing"/><state>waiting</state><chatSessionKey>${key}</chatSessionKey><skillName>Sales</skillName><skillId>${live.skills.Sales}</skillId><startTime>`,
        )
        expect(response.body).not.toContain('<agentName>')
        expect(response.body.endsWith('<language>en-US</language></info></chat>')).toBe(true)
      }
    })

    it('renders the events resource in XML', async () => {
      const key = await visitor.requestChat({ request: { skill: 'Sales' } })
      const response = await visitor.call('GET', `/chat/${key}/events?from=1`)
      const url = chatUrl(key)
      expect(response.body).toBe(
        `${XML_DECLARATION}<events><link href="${url}/events" rel="self"/><link href="${url}/events?from=2" rel="next"/><event id="1" type="line"><time>${time(ctx.clock.now())}</time><textType>plain</textType><text>${WELCOME}</text><by>info</by><source>system</source><systemMessageId>4</systemMessageId><subType>REGULAR</subType></event></events>`,
      )
    })

    it('shows an unassigned chat (unknown skill name) as Unassigned, -1', async () => {
      const key = await visitor.requestChat({ request: { skill: 'NoSuchSkill' } })
      const info = (await visitor.call('GET', `/chat/${key}/info.json`)).json().info
      expect(info).toMatchObject({ skillName: 'Unassigned', skillId: -1 })
    })
  })

  describe('from and bad events', () => {
    let key: string
    beforeAll(async () => {
      key = await visitor.requestChat({ request: { skill: 'Sales' } })
    })

    it('treats a non-numeric or negative from as 0', async () => {
      for (const from of ['abc', '-3', '']) {
        const events = (await visitor.call('GET', `/chat/${key}/events.json?from=${from}`)).json().events
        expect(events.event[0]['@id'], from).toBe('0')
      }
    })

    it('reads the first value of a repeated from', async () => {
      const events = (await visitor.call('GET', `/chat/${key}/events.json?from=1&from=0`)).json().events
      expect(events.event['@id']).toBe('1')
    })

    it('answers 400 for a bad event: unknown type, other states, empty text, no body, two events', async () => {
      const cases: Array<[unknown, string]> = [
        [{ event: { '@type': 'url', text: 'x' } }, 'application/json'],
        [{ event: { '@type': 'state', state: 'chatting' } }, 'application/json'],
        [{ event: { '@type': 'line', text: '   ' } }, 'application/json'],
        [{ event: { '@type': 'line' } }, 'application/json'],
        [
          {
            event: [
              { '@type': 'line', text: 'a' },
              { '@type': 'line', text: 'b' },
            ],
          },
          'application/json',
        ],
        [{ event: { '@type': 'line', text: { nested: true } } }, 'application/json'],
        ['', 'application/json'],
        ['{"event":', 'application/json'],
        ['<event type="line"><text>', 'application/xml'],
      ]
      for (const [body, type] of cases) {
        const response = await visitor.call('POST', `/chat/${key}/events.json`, {
          body,
          headers: { 'content-type': type },
        })
        expect(response.statusCode, JSON.stringify(body)).toBe(400)
        expect(response.json().error.internalCode, JSON.stringify(body)).toBe(5)
      }
    })

    it('answers 404 for an unknown or non-numeric event id', async () => {
      for (const id of ['999', 'abc', '1'.repeat(40)]) {
        const response = await visitor.call('GET', `/chat/${key}/events/${id}.json`)
        expect(response.statusCode, id).toBe(404)
        expect(response.json().error.internalCode).toBe(28)
      }
    })

    it('answers 405 with Allow for a method the path does not support', async () => {
      const response = await visitor.call('DELETE', `/chat/${key}/events.json`)
      expect(response.statusCode).toBe(405)
      expect(response.headers.allow).toBe('GET, POST')
    })
  })

  describe('authentication and chat key binding', () => {
    let key: string
    let other: LiveAccount
    let otherKey: string
    beforeAll(async () => {
      key = await visitor.requestChat({ request: { skill: 'Sales' } })
      other = await createLiveAccount(ctx.services)
      const [appKey] = await ctx.services.accounts.listAppKeys(other.accountId)
      otherKey = appKey!.appKey
    })

    it('accepts the app key as a query parameter (appKey or appkey)', async () => {
      for (const name of ['appKey', 'appkey']) {
        const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
        const response = await ctx.app.inject({
          method: 'GET',
          url: `/api/account/${live.accountId}/chat/${key}.json?v=1&${name}=${appKey!.appKey}`,
        })
        expect(response.statusCode, name).toBe(200)
      }
    })

    it('answers a missing key or another scheme with the 401 envelope, internalCode 5', async () => {
      for (const authorization of [undefined, 'Bearer abc', 'Basic dXNlcjpwYXNz']) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `/api/account/${live.accountId}/chat/${key}.json`,
          headers: authorization ? { authorization } : {},
        })
        expect(response.statusCode, authorization).toBe(401)
        expect(response.json()).toEqual({
          error: {
            time: expect.any(String),
            message:
              'Bad authorization request. general_problem=unknown_authorization_type&general_problem_advice=unknown authorization type received',
            internalCode: 5,
          },
        })
      }
    })

    it("answers an unknown key, or another account's key, with the plain-text consumer_key_rejected body", async () => {
      for (const appKey of ['0123456789abcdef0123456789abcdef', otherKey]) {
        const response = await visitorClient(ctx.app, live.accountId, appKey).call('GET', `/chat/${key}.json`)
        expect(response.statusCode).toBe(401)
        expect(response.headers['content-type']).toBe('text/plain; charset=UTF-8')
        expect(response.body).toBe(
          'lp_problem=consumer_key_rejected&lp_problem_advice=the appKey is permanently unacceptable to the Service Provider',
        )
      }
    })

    it("answers 404 for a chat key used under another account, with that account's own key", async () => {
      const elsewhere = visitorClient(ctx.app, other.accountId, otherKey)
      for (const [method, path] of [
        ['GET', `/chat/${key}.json`],
        ['GET', `/chat/${key}/events.json`],
        ['GET', `/chat/${key}/info.json`],
        ['GET', `/chat/${key}/info/visitorName.json`],
      ] as const) {
        const response = await elsewhere.call(method, path)
        expect(response.statusCode, path).toBe(404)
        expect(response.json().error).toMatchObject({ message: NOT_FOUND, internalCode: 28 })
      }
      const line = await elsewhere.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'state', state: 'ended' } },
        headers: { 'content-type': 'application/json' },
      })
      expect(line.statusCode).toBe(404)
      expect((await ctx.chat.getChat(live.accountId, key)).state).toBe('waiting')
    })

    it('answers 404 for an unknown chat key on every chat path, in XML too', async () => {
      const unknown = 'AAAAAAAAAAAAAAAAAAAAAAAA'
      const long = await visitor.call('GET', `/chat/${'A'.repeat(90)}.json`)
      expect(long.statusCode).toBe(404)
      for (const path of ['', '/events', '/info', '/info/visitorName', '/info/visitorTyping', '/info/agentTyping']) {
        const response = await visitor.call('GET', `/chat/${unknown}${path}`)
        expect(response.statusCode, path).toBe(404)
        expect(response.body).toMatch(
          /<error><time>[^<]+<\/time><message>(Resource|Chat) not found<\/message><internalCode>28<\/internalCode><\/error>$/,
        )
      }
      const put = await visitor.call('PUT', `/chat/${unknown}/info/visitorName.json`, {
        body: { visitorName: 'x' },
        headers: JSON_BODY,
      })
      expect(put.statusCode).toBe(404)
    })

    it('accepts OAuth 1.0a signed with an API key that has the visitor permission; 403 without it', async () => {
      const sign = (key: ApiKey, method: string, url: string): string =>
        signRequest({
          method,
          url: `http://localhost${url}`,
          consumerKey: key.consumerKey,
          consumerSecret: key.consumerSecret,
          token: key.accessToken,
          tokenSecret: key.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        })
      const visitorKey = await ctx.services.accounts.createApiKey(live.accountId, { permissions: ['visitor'] })
      const requestUrl = `/api/account/${live.accountId}/chat/request.json?v=1&NC=true`
      const created = await ctx.app.inject({
        method: 'POST',
        url: requestUrl,
        headers: {
          host: 'localhost',
          'content-type': 'application/json',
          authorization: sign(visitorKey, 'POST', requestUrl),
        },
        payload: JSON.stringify({ request: { skill: 'Sales' } }),
      })
      expect(created.statusCode, created.body).toBe(201)
      const chatPath = new URL(String(created.headers.location)).pathname
      const read = await ctx.app.inject({
        method: 'GET',
        url: `${chatPath}.json`,
        headers: { host: 'localhost', authorization: sign(visitorKey, 'GET', `${chatPath}.json`) },
      })
      expect(read.statusCode).toBe(200)
      const historyKey = await ctx.services.accounts.createApiKey(live.accountId, {
        permissions: ['engagementHistory'],
      })
      const denied = await ctx.app.inject({
        method: 'GET',
        url: `${chatPath}.json`,
        headers: { host: 'localhost', authorization: sign(historyKey, 'GET', `${chatPath}.json`) },
      })
      expect(denied.statusCode).toBe(403)
      expect(denied.json().error).toMatchObject({ message: 'Unauthorized account access', internalCode: 10 })
    })

    it('answers 404 for an account Parley does not host', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/nosuchaccount/chat/${key}.json?appKey=721c180b09eb463d9f3191c41762bb68`,
      })
      expect(response.statusCode).toBe(404)
      expect(response.json().error).toMatchObject({ message: 'Account nosuchaccount not found', internalCode: 28 })
    })
  })

  describe('visitor inactivity bookkeeping (chat-api.md §12.3)', () => {
    it('moves lastUpdate on every visitor request to the chat, so a polling visitor never times out', async () => {
      const key = await visitor.requestChat({ request: { skill: 'Billing', interactionTimeout: 40 } })
      const paths = ['', '/events', '/info', '/info/visitorName', '/info/visitorTyping', '/info/agentTyping']
      for (const path of paths) {
        ctx.clock.advance(30_000)
        const response = await visitor.call('GET', `/chat/${key}${path}.json`)
        expect(response.statusCode, path).toBe(200)
        await ctx.chat.runTimers()
        const chat = await ctx.chat.getChat(live.accountId, key)
        expect(chat.state, path).toBe('waiting')
        expect(chat.lastUpdate, path).toBe(ctx.clock.now())
      }
      // A rejected request still shows the visitor is there.
      ctx.clock.advance(30_000)
      await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'line', text: 'too early' } },
        headers: { 'content-type': 'application/json' },
      })
      expect((await ctx.chat.getChat(live.accountId, key)).lastUpdate).toBe(ctx.clock.now())
      const info = (await visitor.call('GET', `/chat/${key}/info.json`)).json().info
      expect(info.lastUpdate).toBe(time(ctx.clock.now()))

      ctx.clock.advance(41_000)
      await ctx.chat.runTimers()
      const events = (await visitor.call('GET', `/chat/${key}/events.json?from=2`)).json().events.event
      expect(events).toEqual([
        expect.objectContaining({ '@type': 'line', systemMessageId: 6, text: 'The chat was disconnected.' }),
        expect.objectContaining({ '@type': 'state', state: 'ended' }),
      ])
    })

    it('agent requests do not count as visitor activity', async () => {
      await freshAccount()
      const key = await visitor.requestChat({ request: { skill: 'Sales' } })
      await accept()
      const before = (await ctx.chat.getChat(live.accountId, key)).lastUpdate
      ctx.clock.advance(5_000)
      await ctx.chat.agentEvents(live.accountId, natalie, key, 0)
      await ctx.chat.addAgentLine(live.accountId, natalie, key, { text: 'hello' })
      expect((await ctx.chat.getChat(live.accountId, key)).lastUpdate).toBe(before)
      await ctx.chat.endByAgent(live.accountId, natalie, key)
    })
  })

  describe('malformed bodies on every write route', () => {
    it('never answers 5xx: malformed JSON or XML, non-object JSON, unknown content types', async () => {
      await freshAccount()
      const key = await visitor.requestChat({ request: { skill: 'Sales' } })
      const routes: Array<[Method, string]> = [
        ['POST', '/chat/request'],
        ['POST', `/chat/${key}/events`],
        ['PUT', `/chat/${key}/info/visitorName`],
        ['PUT', `/chat/${key}/info/visitorTyping`],
        ['PUT', `/chat/${key}/customVariables`],
      ]
      const bodies: Array<[string, string]> = [
        ['{"x":', 'application/json'],
        ['<a><b></a>', 'application/xml'],
        ['<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', 'application/xml'],
        ['null', 'application/json'],
        ['123', 'application/json'],
        ['"text"', 'application/json'],
        ['[]', 'application/json'],
        ['hello', 'text/plain'],
      ]
      for (const [method, path] of routes) {
        for (const [body, type] of bodies) {
          const response = await visitor.call(method, `${path}.json`, { body, headers: { 'content-type': type } })
          expect(response.statusCode, `${method} ${path} ${body}`).toBeLessThan(500)
          if (response.statusCode >= 400) expect(response.json().error.message).toEqual(expect.any(String))
        }
      }
      expect((await ctx.chat.getChat(live.accountId, key)).state).toBe('waiting')
    })
  })

  describe('visibility and durability', () => {
    it('never shows ONLY_TO_REP lines to the visitor, and skips their ids', async () => {
      await freshAccount()
      const key = await visitor.requestChat({ request: { skill: 'Sales' } })
      await accept()
      await ctx.chat.addAgentLine(live.accountId, natalie, key, { text: 'whisper', subType: 'ONLY_TO_REP' })
      await ctx.chat.addAgentLine(live.accountId, natalie, key, { text: '<b>hello</b>', textType: 'html' })
      const events = (await visitor.call('GET', `/chat/${key}/events.json?from=4`)).json().events
      expect(events.event).toMatchObject({ '@id': '5', source: 'agent', by: 'Natalie', textType: 'html' })
      expect(events.link[1]['@href']).toMatch(/events\?from=6$/)
      const hidden = await visitor.call('GET', `/chat/${key}/events/4.json`)
      expect(hidden.statusCode).toBe(404)
      await ctx.chat.endByAgent(live.accountId, natalie, key)
    })

    it('has a 201 line in the database when the response arrives (read on another connection)', async () => {
      await freshAccount()
      const key = await visitor.requestChat({ request: { skill: 'Sales' } })
      await accept()
      const reader = createStorage(ctx.config.database, { poolSize: 1 })
      try {
        for (let i = 0; i < 5; i++) {
          const response = await visitor.call('POST', `/chat/${key}/events.json`, {
            body: { event: { '@type': 'line', text: `durable ${i}` } },
            headers: { 'content-type': 'application/json' },
          })
          expect(response.statusCode).toBe(201)
          const id = Number(String(response.headers.location).split('/').pop())
          const row = await reader.db
            .selectFrom('chat_events')
            .select(['text', 'source'])
            .where('chat_id', '=', key)
            .where('id', '=', id)
            .executeTakeFirst()
          expect(row).toEqual({ text: `durable ${i}`, source: 'visitor' })
        }
      } finally {
        await reader.close()
      }
    })
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
