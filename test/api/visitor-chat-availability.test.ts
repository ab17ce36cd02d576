import { beforeAll, describe, expect, it } from 'vitest'
import type { RoutableAgent } from '../../src/core/chat/agent-directory.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { liveVisitor, useVisitorChatApp, visitorClient, type VisitorClient } from './visitor-chat-app.ts'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

describeEachDialect('Visitor Server Chat API: availability, slots, wait time (V1-V3)', (dialect) => {
  const ctx = useVisitorChatApp(dialect)
  let live: LiveAccount
  let visitor: VisitorClient
  let natalie: RoutableAgent
  let bob: RoutableAgent

  const get = async (path: string): Promise<unknown> => {
    const response = await visitor.call('GET', path)
    expect(response.statusCode, `${path}: ${response.body}`).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=UTF-8')
    return response.json()
  }
  /** Which agents are connected, and their availability. */
  const connect = (...agents: Array<[RoutableAgent, RoutableAgent['availability']]>): void => {
    ctx.directory.agents.set(
      live.accountId,
      agents.map(([agent, availability]) => ({ ...agent, availability })),
    )
  }

  beforeAll(async () => {
    ;({ live, visitor } = await liveVisitor(ctx, [
      { nickname: 'Natalie', skills: ['Sales'], maxChats: 2 },
      { nickname: 'Bob', skills: ['Sales', 'Billing'], maxChats: -1 },
    ]))
    natalie = live.agents[0]!
    bob = live.agents[1]!
  })

  describe('nobody online', () => {
    beforeAll(() => connect([bob, 'Away']))

    it('is unavailable, with no slots and wait time -1', async () => {
      expect(await get('/chat/availability.json?v=1')).toEqual({ availability: false })
      expect(await get('/chat/availability.json?v=1&skill=Sales')).toEqual({ availability: false })
      expect(await get('/chat/availableSlots.json?v=1&skill=Sales')).toEqual({ availableSlots: 0 })
      expect(await get('/chat/estimatedWaitTime.json?v=1&skill=Sales')).toEqual({ estimatedWaitTime: -1 })
    })
  })

  describe('one Online agent with free slots', () => {
    beforeAll(() => connect([natalie, 'Online'], [bob, 'Occupied']))

    it('answers per skill; Occupied agents do not count', async () => {
      expect(await get('/chat/availability.json')).toEqual({ availability: true })
      expect(await get('/chat/availability.json?skill=sales')).toEqual({ availability: true })
      expect(await get('/chat/availability.json?skill=Billing')).toEqual({ availability: false })
      expect(await get('/chat/availability.json?serviceQueue=Billing')).toEqual({ availability: false })
      expect(await get('/chat/availability.json?skill=Sales&serviceQueue=Billing')).toEqual({ availability: true })
      expect(await get('/chat/availableSlots.json?skill=Sales')).toEqual({ availableSlots: 2 })
      expect(await get('/chat/availableSlots.json?skill=Billing')).toEqual({ availableSlots: 0 })
      expect(await get('/chat/estimatedWaitTime.json?skill=Sales')).toEqual({ estimatedWaitTime: 0 })
      expect(await get('/chat/estimatedWaitTime.json?skill=Billing')).toEqual({ estimatedWaitTime: -1 })
    })

    it('treats an unknown skill name as the unassigned skill, which every agent serves', async () => {
      expect(await get('/chat/availability.json?skill=NoSuchSkill')).toEqual({ availability: true })
      expect(await get('/chat/availableSlots.json?skill=NoSuchSkill')).toEqual({ availableSlots: 2 })
    })

    it('answers one entry per skill when skill repeats, in JSON and XML', async () => {
      expect(await get('/chat/availability.json?skill=Sales&skill=Billing&v=1')).toEqual({
        availability: {
          AvailabilityForSkills: {
            skillAvailability: [
              { skill: 'Sales', isAvailable: true },
              { skill: 'Billing', isAvailable: false },
            ],
          },
        },
      })
      const xml = await visitor.call('GET', '/chat/availability?skill=Sales&skill=Billing')
      expect(xml.body).toBe(
        `${XML_DECLARATION}<availability><AvailabilityForSkills><skillAvailability><skill>Sales</skill><isAvailable>true</isAvailable></skillAvailability><skillAvailability><skill>Billing</skill><isAvailable>false</isAvailable></skillAvailability></AvailabilityForSkills></availability>`,
      )
    })

    it('renders the scalar answers in XML', async () => {
      const cases: Array<[string, string]> = [
        ['/chat/availability?skill=Sales', '<availability>true</availability>'],
        ['/chat/availableSlots.xml?skill=Sales', '<availableSlots>2</availableSlots>'],
        ['/chat/estimatedWaitTime?skill=Billing', '<estimatedWaitTime>-1</estimatedWaitTime>'],
      ]
      for (const [path, body] of cases) {
        const response = await visitor.call('GET', path)
        expect(response.headers['content-type']).toBe('application/xml; charset=UTF-8')
        expect(response.body).toBe(`${XML_DECLARATION}${body}`)
      }
    })

    it('answers for one agent by login name; other parameters are then ignored', async () => {
      expect(await get('/chat/availability.json?agent=natalie&skill=Billing')).toEqual({ availability: true })
      expect(await get('/chat/availableSlots.json?agent=natalie')).toEqual({ availableSlots: 2 })
      expect(await get('/chat/availability.json?agent=bob')).toEqual({ availability: false })
      expect(await get('/chat/availableSlots.json?agent=bob')).toEqual({ availableSlots: 0 })
      expect(await get('/chat/availability.json?agent=nobody')).toEqual({ availability: false })
      expect(await get('/chat/availableSlots.json?agent=nobody')).toEqual({ availableSlots: 0 })
    })
  })

  describe('the only Online agent is full', () => {
    beforeAll(async () => {
      connect([natalie, 'Online'])
      // Two Sales chats ring Natalie (maxChats 2): ringing chats count as load.
      await visitor.requestChat({ request: { skill: 'Sales' } })
      await visitor.requestChat({ request: { skill: 'Sales' } })
      expect(await ctx.chat.ringingChats(live.accountId, natalie.userId)).toHaveLength(2)
    })

    it('has no slots and wait time -2 (not enough accepted chats to estimate)', async () => {
      expect(await get('/chat/availableSlots.json?skill=Sales')).toEqual({ availableSlots: 0 })
      expect(await get('/chat/estimatedWaitTime.json?skill=Sales')).toEqual({ estimatedWaitTime: -2 })
      expect(await get('/chat/estimatedWaitTime.json')).toEqual({ estimatedWaitTime: -2 })
    })

    it('applies maxWaitTime: 0 needs a free slot now, N > 0 accepts -2', async () => {
      expect(await get('/chat/availability.json?skill=Sales')).toEqual({ availability: true })
      expect(await get('/chat/availability.json?skill=Sales&maxWaitTime=0')).toEqual({ availability: false })
      expect(await get('/chat/availability.json?skill=Sales&maxWaitTime=30')).toEqual({ availability: true })
      expect(await get('/chat/availability.json?maxWaitTime=0')).toEqual({ availability: false })
      expect(await get('/chat/availability.json?agent=natalie')).toEqual({ availability: false })
    })

    it('sums to -1 when an Online agent has unlimited chats', async () => {
      connect([natalie, 'Online'], [bob, 'Online'])
      expect(await get('/chat/availableSlots.json?skill=Sales')).toEqual({ availableSlots: -1 })
      expect(await get('/chat/availableSlots.json?agent=bob')).toEqual({ availableSlots: -1 })
      expect(await get('/chat/estimatedWaitTime.json?skill=Sales')).toEqual({ estimatedWaitTime: 0 })
      connect([natalie, 'Online'])
    })
  })

  describe('bad input and authentication', () => {
    it('answers 400 for maxWaitTime outside 0..86400 or not a number', async () => {
      for (const value of ['86401', '-1', 'abc']) {
        const response = await visitor.call('GET', `/chat/availability.json?skill=Sales&maxWaitTime=${value}`)
        expect(response.statusCode, value).toBe(400)
        expect(response.json().error.internalCode).toBe(5)
      }
      const slots = await visitor.call('GET', '/chat/availableSlots.json?maxWaitTime=86401')
      expect(slots.statusCode).toBe(400)
    })

    it('uses the first skill on V2 and V3 when skill repeats', async () => {
      connect([natalie, 'Online'])
      expect(await get('/chat/availableSlots.json?skill=Billing&skill=Sales')).toEqual({ availableSlots: 0 })
      expect(await get('/chat/estimatedWaitTime.json?skill=Billing&skill=Sales')).toEqual({ estimatedWaitTime: -1 })
    })

    it('ignores unknown parameters and cache busters', async () => {
      expect(await get('/chat/availability.json?v=1&NC=true&__d=123&foo=bar')).toMatchObject({
        availability: expect.any(Boolean),
      })
    })

    it('needs a visitor app key', async () => {
      const response = await ctx.app.inject({ method: 'GET', url: `/api/account/${live.accountId}/chat/availability` })
      expect(response.statusCode).toBe(401)
      const rejected = await visitorClient(ctx.app, live.accountId, 'ffffffffffffffffffffffffffffffff').call(
        'GET',
        '/chat/availableSlots',
      )
      expect(rejected.statusCode).toBe(401)
      expect(rejected.body).toMatch(/^lp_problem=consumer_key_rejected/)
    })
  })
})

describeEachDialect('Visitor availability with real agent sessions', (dialect) => {
  const ctx = useTestApp(dialect)

  it('follows agents logging in and changing availability', async () => {
    const live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    const availability = async (): Promise<unknown> =>
      (await visitor.call('GET', '/chat/availability.json?skill=Sales')).json()
    expect(await availability()).toEqual({ availability: false })

    const { bearer } = await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')
    const agent = agentClient(ctx.app, live.accountId, `Bearer ${bearer}`)
    const sessionId = await agent.start()
    expect(await availability()).toEqual({ availability: true })
    expect((await visitor.call('GET', '/chat/availableSlots.json?skill=Sales')).json()).toEqual({ availableSlots: 4 })

    const away = await agent.request('PUT', `/${sessionId}/availability.json`, {
      body: { availability: { chat: 'Away' } },
      headers: { 'content-type': 'application/json' },
    })
    expect(away.statusCode, away.body).toBe(200)
    expect(await availability()).toEqual({ availability: false })
    expect((await visitor.call('GET', '/chat/estimatedWaitTime.json?skill=Sales')).json()).toEqual({
      estimatedWaitTime: -1,
    })
  })
})
