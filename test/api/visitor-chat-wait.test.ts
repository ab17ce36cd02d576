import { beforeAll, describe, expect, it } from 'vitest'
import { parseWait } from '../../src/apis/chat/long-poll.ts'
import { describeEachDialect } from '../support/dialects.ts'
import type { LiveAccount } from '../support/live-chat.ts'
import { liveVisitor, useVisitorChatApp, visitorClient, type VisitorClient } from './visitor-chat-app.ts'

const DOCUMENTED_KEY = '721c180b09eb463d9f3191c41762bb68'
const JSON_BODY = { 'content-type': 'application/json' }
const PUBLIC = 'https://chat.example.com'

interface EventsJson {
  events: { link: Array<{ '@href': string }>; event?: { '@id': string; text?: string } | Array<{ '@id': string }> }
}

describe('parseWait', () => {
  it('reads whole seconds, caps them at 60, and treats anything else as 0', () => {
    expect(
      [undefined, '', 'abc', '-1', '1.5', '0', '7', ' 7 ', '60', '61', '99999999999999999999'].map(parseWait),
    ).toEqual([0, 0, 0, 0, 0, 0, 7, 7, 60, 60, 60])
  })
})

describeEachDialect('Visitor Server Chat API: long polling (D10), visit-session link, public URL', (dialect) => {
  const ctx = useVisitorChatApp(dialect, {
    env: { PARLEY_VISIT_APP_KEYS: DOCUMENTED_KEY, PARLEY_PUBLIC_URL: PUBLIC },
  })
  let live: LiveAccount
  let visitor: VisitorClient
  let natalie: number

  /** A fresh account and a chat Natalie has accepted (events 0..3), so lines can flow. */
  const chatting = async (): Promise<string> => {
    ;({ live, visitor } = await liveVisitor(ctx))
    natalie = live.agents[0]!.userId
    const key = await visitor.requestChat({ request: { skill: 'Sales' } })
    await ctx.chat.acceptChat(live.accountId, natalie)
    return key
  }

  describe('wait', () => {
    it('holds GET events until a new event exists, then answers with it', async () => {
      const key = await chatting()
      const started = Date.now()
      const held = visitor.call('GET', `/chat/${key}/events.json?from=4&wait=20&v=1&NC=true`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      await ctx.chat.addAgentLine(live.accountId, natalie, key, { text: 'Here I am' })
      const response = await held
      expect(Date.now() - started).toBeLessThan(5_000)
      const events = response.json<EventsJson>().events
      expect(events.event).toMatchObject({ '@id': '4', text: 'Here I am' })
      expect(events.link[1]!['@href']).toMatch(/events\?from=5$/)
    })

    it('holds the chat resource too, and answers it as an immediate GET after the wait', async () => {
      const key = await chatting()
      const held = visitor.call('GET', `/chat/${key}.json?from=4&wait=20`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const line = await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'line', text: 'my own line wakes me too' } },
        headers: JSON_BODY,
      })
      expect(line.statusCode).toBe(201)
      const chat = (await held).json<{ chat: { events: { event: { text: string } }; info: { state: string } } }>().chat
      expect(chat.events.event.text).toBe('my own line wakes me too')
      expect(chat.info.state).toBe('chatting')
    })

    it('answers at once when an event already exists, and without wait', async () => {
      const key = await chatting()
      const started = Date.now()
      const ready = await visitor.call('GET', `/chat/${key}/events.json?from=2&wait=30`)
      expect(ready.json<EventsJson>().events.event).toHaveLength(2)
      const none = await visitor.call('GET', `/chat/${key}/events.json?from=4&wait=abc`)
      expect(none.json<EventsJson>().events.event).toBeUndefined()
      expect(Date.now() - started).toBeLessThan(1_000)
    })

    it('gives up after wait seconds with no event, repeating from in next', async () => {
      const key = await chatting()
      const started = Date.now()
      const response = await visitor.call('GET', `/chat/${key}/events.json?from=4&wait=1`)
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
      const events = response.json<EventsJson>().events
      expect(events.event).toBeUndefined()
      expect(events.link[1]!['@href']).toMatch(/events\?from=4$/)
    })

    it('is not woken by lines the visitor may not see', async () => {
      const key = await chatting()
      const started = Date.now()
      const held = visitor.call('GET', `/chat/${key}/events.json?from=4&wait=1`)
      await new Promise((resolve) => setTimeout(resolve, 100))
      await ctx.chat.addAgentLine(live.accountId, natalie, key, { text: 'whisper', subType: 'ONLY_TO_REP' })
      const response = await held
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
      expect(response.json<EventsJson>().events.event).toBeUndefined()
    })

    it('keeps the chat alive while a visitor poll is held', async () => {
      const key = await chatting()
      const held = visitor.call('GET', `/chat/${key}/events.json?from=4&wait=2`)
      await new Promise((resolve) => setTimeout(resolve, 200))
      ctx.clock.advance(120_000)
      await ctx.chat.runTimers()
      expect((await ctx.chat.getChat(live.accountId, key)).state).toBe('chatting')
      await held
      expect((await ctx.chat.getChat(live.accountId, key)).lastUpdate).toBe(ctx.clock.now())
    })

    it('still answers 404 for an unknown chat without holding the request', async () => {
      ;({ live, visitor } = await liveVisitor(ctx))
      const started = Date.now()
      const response = await visitor.call('GET', '/chat/AAAAAAAAAAAAAAAAAAAAAAAA/events.json?wait=30')
      expect(response.statusCode).toBe(404)
      expect(Date.now() - started).toBeLessThan(1_000)
    })
  })

  describe('public URL (PARLEY_PUBLIC_URL)', () => {
    it('puts the configured origin in Location and in every link, whatever Host the client used', async () => {
      ;({ live, visitor } = await liveVisitor(ctx))
      const created = await visitor.call('POST', '/chat/request.json', {
        body: { request: { skill: 'Sales' } },
        headers: { ...JSON_BODY, host: 'internal:8080' },
      })
      const location = String(created.headers.location)
      expect(location).toMatch(new RegExp(`^${PUBLIC}/api/account/${live.accountId}/chat/[^/]+$`))
      const key = location.split('/').pop()!
      const posted = await visitor.call('POST', `/chat/${key}/events.json`, {
        body: { event: { '@type': 'state', state: 'ended' } },
        headers: JSON_BODY,
      })
      expect(String(posted.headers.location)).toMatch(new RegExp(`^${location}/events/\\d+$`))
      const chat = (await visitor.call('GET', `/chat/${key}.json`, { headers: { host: 'internal:8080' } })).json<{
        chat: { link: Array<{ '@href': string }> }
      }>().chat
      for (const link of chat.link) expect(link['@href'].startsWith(`${location}`)).toBe(true)
    })
  })

  describe('visit-session link (chat-api.md §11.4)', () => {
    let key: string
    beforeAll(async () => {
      key = await chatting()
    })

    it('comes last, only for an app key with the Visit API privilege', async () => {
      const privileged = visitorClient(ctx.app, live.accountId, DOCUMENTED_KEY)
      const links = (await privileged.call('GET', `/chat/${key}.json`)).json<{
        chat: { link: Array<{ '@href': string; '@rel': string }> }
      }>().chat.link
      expect(links).toHaveLength(9)
      expect(links[8]!['@rel']).toBe('visit-session')
      expect(links[8]!['@href']).toMatch(new RegExp(`^${PUBLIC}/api/account/${live.accountId}/visit/`))
      const ordinary = (await visitor.call('GET', `/chat/${key}.json`)).json<{ chat: { link: unknown[] } }>().chat.link
      expect(ordinary).toHaveLength(8)
    })
  })
})
