import { expect, it } from 'vitest'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { archivedRecord, createLiveAccount } from '../support/live-chat.ts'
import { visitorClient } from './visitor-chat-app.ts'

const JSON_BODY = { 'content-type': 'application/json' }

interface EventJson {
  '@id': string
  '@type': string
  text?: string
  source?: string
  by?: string
  state?: string
}

describeEachDialect('Visitor Server Chat API on the composed server', (dialect) => {
  const ctx = useTestApp(dialect)

  it('runs a chat from request to Engagement History: agent session, ring, accept, lines both ways, end', async () => {
    const live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const natalie = live.agents[0]!.userId
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    const { bearer } = await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')
    await agentClient(ctx.app, live.accountId, `Bearer ${bearer}`).start()

    const key = await visitor.requestChat({
      request: { skill: 'Sales', chatReferrer: 'https://shop.example.com/cart', LETagVisitorId: 'vis-1' },
    })
    const ringing = await ctx.services.chat.ringingChats(live.accountId, natalie)
    expect(ringing.map((chat) => chat.key)).toEqual([key])
    await ctx.services.chat.acceptChat(live.accountId, natalie)

    const line = await visitor.call('POST', `/chat/${key}/events.json?v=1`, {
      body: { event: { '@type': 'line', text: 'Where is my order?' } },
      headers: JSON_BODY,
    })
    expect(line.statusCode).toBe(201)
    await ctx.services.chat.addAgentLine(live.accountId, natalie, key, { text: 'Let me check.' })

    const chat = (await visitor.call('GET', `/chat/${key}.json?from=2`)).json<{
      chat: { events: { event: EventJson[] }; info: { state: string; agentName: string; rtSessionId: number } }
    }>().chat
    expect(chat.info).toMatchObject({ state: 'chatting', agentName: 'Natalie' })
    expect(chat.events.event.map((event) => [event['@type'], event.source ?? event.state, event.text])).toEqual([
      ['state', 'chatting', undefined],
      ['line', 'system', 'You are now chatting with Natalie.'],
      ['line', 'visitor', 'Where is my order?'],
      ['line', 'agent', 'Let me check.'],
    ])

    const end = await visitor.call('POST', `/chat/${key}/events`, {
      body: '<event type="state"><state>ended</state></event>',
      headers: { 'content-type': 'application/xml' },
    })
    expect(end.statusCode).toBe(201)

    const records = await archivedRecord(ctx.services, live.accountId, `${live.accountId}${chat.info.rtSessionId}`)
    expect(records).toHaveLength(1)
    const record = records[0]!
    expect(record.info).toMatchObject({
      endReason: '210',
      agentId: String(natalie),
      skillName: 'Sales',
      visitorId: 'vis-1',
      chatStartUrl: 'https://shop.example.com/cart',
    })
    expect(record.transcript.lines.map((transcriptLine) => transcriptLine.text)).toEqual(
      expect.arrayContaining(['Where is my order?', 'Let me check.']),
    )
  })

  it('requeues the chat of an agent who logs out (D6): system 23, archived 202/3, then another agent takes it', async () => {
    const live = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'] },
        { nickname: 'Bob', skills: ['Sales'] },
      ],
    })
    const [natalie, bob] = live.agents.map((agent) => agent.userId) as [number, number]
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    const natLogin = await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')
    await agentClient(ctx.app, live.accountId, `Bearer ${natLogin.bearer}`).start()

    const key = await visitor.requestChat({ request: { skill: 'Sales', agent: 'natalie' } })
    await ctx.services.chat.acceptChat(live.accountId, natalie)
    const first = await ctx.services.chat.getChat(live.accountId, key)

    const logout = await ctx.app.inject({
      method: 'POST',
      url: `/api/account/${live.accountId}/logout`,
      headers: { authorization: `Bearer ${natLogin.bearer}` },
      payload: { csrf: natLogin.csrf },
    })
    expect(logout.statusCode).toBe(200)

    const events = (await visitor.call('GET', `/chat/${key}/events.json?from=4`)).json<{
      events: { event: EventJson | EventJson[] }
    }>().events.event
    expect([events].flat().map((event) => [event['@type'], event.text ?? event.state])).toEqual([
      ['line', 'Your chat has been returned to the queue. An agent will be with you shortly.'],
      ['state', 'waiting'],
    ])
    const [archived] = await archivedRecord(ctx.services, live.accountId, `${live.accountId}${first.rtSessionId}`)
    expect(archived?.info).toMatchObject({ endReason: '202', agentId: String(natalie), engagementSequence: 0 })

    const bobLogin = await login(ctx.app, live.accountId, 'bob', 'pw-agent-123456')
    await agentClient(ctx.app, live.accountId, `Bearer ${bobLogin.bearer}`).start()
    await ctx.services.chat.routeAccount(live.accountId)
    expect((await ctx.services.chat.ringingChats(live.accountId, bob)).map((chat) => chat.key)).toEqual([key])
    await ctx.services.chat.acceptChat(live.accountId, bob)
    const second = await ctx.services.chat.getChat(live.accountId, key)
    expect(second.rtSessionId).not.toBe(first.rtSessionId)
    await ctx.services.chat.endByAgent(live.accountId, bob, key)
    const [next] = await archivedRecord(ctx.services, live.accountId, `${live.accountId}${second.rtSessionId}`)
    expect(next?.info).toMatchObject({
      startReason: '3',
      endReason: '201',
      agentId: String(bob),
      engagementSequence: 1,
    })
  })

  it('keeps a chat waiting while no agent is online, and ends it when the visitor leaves', async () => {
    const live = await createLiveAccount(ctx.services)
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    const key = await visitor.requestChat({ request: { skill: 'Billing' } })
    const info = (await visitor.call('GET', `/chat/${key}/info.json`)).json<{ info: Record<string, unknown> }>().info
    expect(info).toMatchObject({ state: 'waiting', skillName: 'Billing' })
    expect(info).not.toHaveProperty('agentName')
    const end = await visitor.call('POST', `/chat/${key}/events.json`, {
      body: { event: { '@type': 'state', state: 'ended' } },
      headers: JSON_BODY,
    })
    expect(end.statusCode).toBe(201)
    const events = (await visitor.call('GET', `/chat/${key}/events.json?from=2`)).json<{
      events: { event: EventJson }
    }>().events
    // Ended while waiting: no system 5, just the state (chat-api.md §12.2).
    expect(events.event).toMatchObject({ '@id': '2', '@type': 'state', state: 'ended' })
  })
})
