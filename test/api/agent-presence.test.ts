import { expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { agentClient, type AgentClient } from '../support/agent-api.ts'
import { useTestApp, type TestContext } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { visitorClient, type VisitorClient } from './visitor-chat-app.ts'

interface Setup {
  live: LiveAccount
  visitor: VisitorClient
  natalie: AgentClient
  natalieSession: string
}

/** An account whose agent Natalie (Sales) has one live agent session, Online. */
async function setUp(ctx: TestContext): Promise<Setup> {
  const live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
  const [key] = await ctx.services.accounts.listAppKeys(live.accountId)
  const visitor = visitorClient(ctx.app, live.accountId, key!.appKey)
  const { bearer } = await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')
  const natalie = agentClient(ctx.app, live.accountId, `Bearer ${bearer}`)
  const natalieSession = await natalie.start()
  return { live, visitor, natalie, natalieSession }
}

const ringingUser = async (services: Services, accountId: string, key: string): Promise<number | null> =>
  (await services.chat.getChat(accountId, key)).ringingUserId

describeEachDialect('Presence: chats ring only agents who are there', (dialect) => {
  const ctx = useTestApp(dialect)

  it('offers no new chat to a session silent for 60 s, which still lives until the idle timeout', async () => {
    const { live, visitor, natalie, natalieSession } = await setUp(ctx)
    const natalieId = live.agents[0]!.userId
    // Present: a chat rings her at once.
    const first = await visitor.requestChat()
    expect(await ringingUser(ctx.services, live.accountId, first)).toBe(natalieId)
    const accepted = await natalie.request('POST', `/${natalieSession}/incomingRequests.json`)
    expect(accepted.statusCode, accepted.body).toBe(201)

    // Her client dies without logging out: 61 s without a request.
    ctx.clock.advance(61_000)
    const second = await visitor.requestChat()
    await ctx.services.chat.runTimers()
    expect(await ringingUser(ctx.services, live.accountId, second)).toBeNull()
    expect((await visitor.call('GET', '/chat/availability.json?skill=Sales')).json()).toEqual({ availability: false })
    expect((await visitor.call('GET', '/chat/availableSlots.json?skill=Sales')).json()).toEqual({ availableSlots: 0 })
    expect((await visitor.call('GET', '/chat/estimatedWaitTime.json?skill=Sales')).json()).toEqual({
      estimatedWaitTime: -1,
    })
    // The session itself is not ended by presence: only the idle timeout (400 s) ends it.
    expect(await ctx.services.agents.sweep(live.accountId)).toBe(0)

    // Her next request (A8) makes her present again; the waiting chat rings her on the next pass.
    const poll = await natalie.request('GET', `/${natalieSession}/incomingRequests.json`)
    expect(poll.statusCode).toBe(200)
    await ctx.services.chat.runTimers()
    expect(await ringingUser(ctx.services, live.accountId, second)).toBe(natalieId)
  })

  it('refuses a transfer to an agent who is absent', async () => {
    const live = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'] },
        { nickname: 'Bob', skills: ['Sales'] },
      ],
    })
    const [key] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, key!.appKey)
    const natalie = agentClient(
      ctx.app,
      live.accountId,
      `Bearer ${(await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')).bearer}`,
    )
    const natalieSession = await natalie.start()
    const bob = agentClient(
      ctx.app,
      live.accountId,
      `Bearer ${(await login(ctx.app, live.accountId, 'bob', 'pw-agent-123456')).bearer}`,
    )
    await bob.start()
    const chatKey = await visitor.requestChat()
    expect(await ringingUser(ctx.services, live.accountId, chatKey)).toBe(live.agents[0]!.userId)
    expect((await natalie.request('POST', `/${natalieSession}/incomingRequests.json`)).statusCode).toBe(201)
    // Bob goes silent; Natalie keeps polling.
    ctx.clock.advance(40_000)
    expect((await natalie.request('GET', `/${natalieSession}.json`)).statusCode).toBe(200)
    ctx.clock.advance(21_000)
    // A7 counts only agents who are there, as V2 does.
    const slots = await natalie.request('GET', `/${natalieSession}/chat/availableSlots.json?agent=bob`)
    expect(slots.json()).toEqual({ availableSlots: 0 })
    await expect(
      ctx.services.chat.transfer(live.accountId, live.agents[0]!.userId, chatKey, { agentId: live.agents[1]!.userId }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('not available') })
  })

  it('decides with the database value, so a request made through another process counts', async () => {
    const { live, natalie, natalieSession } = await setUp(ctx)
    const natalieId = live.agents[0]!.userId
    // A second server process on the same database, with its own caches.
    const other = createServices({ storage: ctx.storage, config: ctx.config, clock: ctx.clock })
    try {
      const otherChat = (accountId: string) =>
        other.chat.requestChat(accountId, { request: { skill: 'Sales' } }, { visitorIp: '127.0.0.1', userAgent: 't' })
      // The other process builds its directory now (Natalie present, request just made).
      expect(await other.agents.connectedAgents(live.accountId)).toHaveLength(1)
      // Natalie keeps polling through this process only.
      for (let second = 0; second < 90; second += 5) {
        ctx.clock.advance(5_000)
        expect((await natalie.request('GET', `/${natalieSession}/incomingRequests.json`)).statusCode).toBe(200)
      }
      const chat = await otherChat(live.accountId)
      expect(chat.ringingUserId).toBe(natalieId)
      // She stops: after 61 s the other process does not ring her either.
      ctx.clock.advance(61_000)
      const later = await otherChat(live.accountId)
      expect(later.ringingUserId).toBeNull()
      expect(await other.agents.connectedAgents(live.accountId)).toEqual([])
    } finally {
      await other.close()
    }
  })
})

describeEachDialect('Presence: PARLEY_AGENT_PRESENCE_MS', (dialect) => {
  const ctx = useTestApp(dialect, { env: { PARLEY_AGENT_PRESENCE_MS: '150000' } })

  it('takes the configured time', async () => {
    const { live, visitor } = await setUp(ctx)
    ctx.clock.advance(120_000)
    const key = await visitor.requestChat()
    expect(await ringingUser(ctx.services, live.accountId, key)).toBe(live.agents[0]!.userId)
    ctx.clock.advance(31_000)
    expect((await visitor.call('GET', '/chat/availability.json?skill=Sales')).json()).toEqual({ availability: false })
  })
})
