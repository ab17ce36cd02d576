import { beforeEach, expect, it } from 'vitest'
import { createAccountConfigService } from '../../src/core/account-config/account-config.service.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { RoutableAgent } from '../../src/core/chat/agent-directory.ts'
import { chatsRepository } from '../../src/storage/repositories/chats.repository.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { useVisitorChatApp, visitorClient, type VisitorClient } from '../api/visitor-chat-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'

const RETURNED = 'Your chat has been returned to the queue. An agent will be with you shortly.'

describeEachDialect('No chat is stranded by a configuration change', (dialect) => {
  const ctx = useVisitorChatApp(dialect)
  let live: LiveAccount
  let visitor: VisitorClient
  let natalie: RoutableAgent
  let bob: RoutableAgent

  const connect = (...agents: Array<[RoutableAgent, RoutableAgent['availability']]>): void => {
    ctx.directory.agents.set(
      live.accountId,
      agents.map(([agent, availability]) => ({ ...agent, availability })),
    )
  }
  const chatOf = (key: string) => ctx.chat.getChat(live.accountId, key)
  const visitorEvents = async (key: string) => {
    const response = await visitor.call('GET', `/chat/${key}/events.json`)
    expect(response.statusCode).toBe(200)
    const event = response.json().events.event
    return (Array.isArray(event) ? event : [event]) as Array<Record<string, unknown>>
  }
  const userInput = (agent: RoutableAgent, skillIds: number[]) => ({
    loginName: agent.loginName,
    nickname: agent.nickname,
    fullName: agent.fullName,
    email: `${agent.loginName}@example.invalid`,
    maxChats: agent.maxChats,
    skillIds,
    memberOf: { agentGroupId: live.groupId },
  })

  beforeEach(async () => {
    live = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'], maxChats: 3 },
        { nickname: 'Bob', skills: ['Billing'], maxChats: 3 },
      ],
    })
    const [key] = await ctx.services.accounts.listAppKeys(live.accountId)
    visitor = visitorClient(ctx.app, live.accountId, key!.appKey)
    natalie = live.agents[0]!
    bob = live.agents[1]!
  })

  it('requeues chats waiting in a deleted skill as unassigned, with system 23, and rings a free agent', async () => {
    // Bob (Billing) is away; Natalie (Sales) is Online with free slots.
    connect([natalie, 'Online'], [bob, 'Away'])
    const waiting = await visitor.requestChat({ request: { skill: 'Billing' } })
    expect(await chatOf(waiting)).toMatchObject({ skillId: live.skills.Billing, ringingUserId: null })

    await ctx.services.accountConfig.skills.remove(SYSTEM_CALLER, { accountId: live.accountId }, live.skills.Billing!)
    const after = await chatOf(waiting)
    expect(after).toMatchObject({ state: 'waiting', skillId: -1 })
    // Same as a new request naming the deleted skill.
    const fresh = await visitor.requestChat({ request: { skill: 'Billing' } })
    expect((await chatOf(fresh)).skillId).toBe(-1)

    const events = await visitorEvents(waiting)
    expect(events.at(-1)).toMatchObject({ '@type': 'line', source: 'system', systemMessageId: 23, text: RETURNED })
    const engagement = await chatsRepository.findEngagement(ctx.storage.db, waiting, after.sequence)
    expect(engagement?.skillId).toBe(-1)
    const info = await visitor.call('GET', `/chat/${waiting}/info.json`)
    expect(info.json().info).toMatchObject({ skillId: -1, skillName: 'Unassigned' })

    await ctx.chat.routeAccount(live.accountId)
    // The older chat first: it kept its place in the queue.
    expect((await chatOf(waiting)).ringingUserId).toBe(natalie.userId)
  })

  it('catches a deletion made elsewhere (another process) on the next timer tick', async () => {
    connect([natalie, 'Online'], [bob, 'Away'])
    const waiting = await visitor.requestChat({ request: { skill: 'Billing' } })
    // A configuration service without this engine's hook, as in another server process.
    const elsewhere = createAccountConfigService({
      db: ctx.storage.db,
      uow: createUnitOfWork(ctx.storage.db),
      clock: ctx.clock,
    })
    await elsewhere.skills.remove(SYSTEM_CALLER, { accountId: live.accountId }, live.skills.Billing!)
    expect((await chatOf(waiting)).skillId).toBe(live.skills.Billing)
    await ctx.chat.runTimers()
    expect(await chatOf(waiting)).toMatchObject({ skillId: -1, ringingUserId: natalie.userId })
    // Once only: later ticks change nothing.
    const next = (await chatOf(waiting)).nextEventId
    await ctx.chat.runTimers()
    expect((await chatOf(waiting)).nextEventId).toBe(next)
  })

  it('routes a chat requested for an agent who is then deleted on its skill', async () => {
    connect([natalie, 'Online'], [bob, 'Away'])
    const waiting = await visitor.requestChat({ request: { skill: 'Sales', agent: bob.loginName } })
    expect(await chatOf(waiting)).toMatchObject({ requestedAgentId: bob.userId, ringingUserId: null })
    await ctx.services.accountConfig.users.remove(SYSTEM_CALLER, { accountId: live.accountId }, bob.userId)
    expect(await chatOf(waiting)).toMatchObject({ requestedAgentId: null, skillId: live.skills.Sales })
    expect((await visitorEvents(waiting)).at(-1)).toMatchObject({ systemMessageId: 23 })
    await ctx.chat.routeAccount(live.accountId)
    expect((await chatOf(waiting)).ringingUserId).toBe(natalie.userId)
  })

  it('requeues chats of a skill no enabled user is assigned to any more', async () => {
    connect([natalie, 'Online'], [bob, 'Away'])
    const waiting = await visitor.requestChat({ request: { skill: 'Billing' } })
    const scope = { accountId: live.accountId }
    // Bob keeps his account but loses the skill: nobody could ever take the chat.
    await ctx.services.accountConfig.users.update(SYSTEM_CALLER, scope, bob.userId, userInput(bob, []))
    expect((await chatOf(waiting)).skillId).toBe(-1)
    await ctx.chat.routeAccount(live.accountId)
    expect((await chatOf(waiting)).ringingUserId).toBe(natalie.userId)
  })

  it('leaves chats alone while their skill still has an agent, and chats that are not waiting', async () => {
    connect([natalie, 'Online'], [bob, 'Away'])
    const waiting = await visitor.requestChat({ request: { skill: 'Billing' } })
    const chatting = await visitor.requestChat({ request: { skill: 'Sales' } })
    await ctx.chat.acceptChat(live.accountId, natalie.userId)
    const scope = { accountId: live.accountId }
    // Natalie loses Sales and gains Billing: the Billing chat can still be taken (by Bob or her).
    await ctx.services.accountConfig.users.update(
      SYSTEM_CALLER,
      scope,
      natalie.userId,
      userInput(natalie, [live.skills.Billing!]),
    )
    expect((await chatOf(waiting)).skillId).toBe(live.skills.Billing)
    await ctx.services.accountConfig.skills.remove(SYSTEM_CALLER, scope, live.skills.Sales!)
    expect(await chatOf(chatting)).toMatchObject({ state: 'chatting', skillId: live.skills.Sales })
  })
})
