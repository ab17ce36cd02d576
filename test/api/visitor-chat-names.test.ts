import { beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { RoutableAgent } from '../../src/core/chat/agent-directory.ts'
import { nameKey, sameName } from '../../src/core/text/name-key.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { useVisitorChatApp, visitorClient, type VisitorClient } from './visitor-chat-app.ts'

// One name, two spellings: what a configuration tool may store (e + combining acute accent) and
// what a browser sends (the precomposed letter).
const DECOMPOSED = 'Cafe\u0301'
const COMPOSED = 'Caf\u00e9'
const LOGIN_DECOMPOSED = 'jose\u0301'
const LOGIN_COMPOSED = 'JOS\u00c9'

describe('nameKey', () => {
  it('compares names after NFC, trimming and lower-casing', () => {
    expect(DECOMPOSED).not.toBe(COMPOSED)
    expect(nameKey(DECOMPOSED)).toBe(nameKey(COMPOSED))
    expect(nameKey(`  ${COMPOSED.toUpperCase()}\t`)).toBe(nameKey(DECOMPOSED))
    expect(sameName(LOGIN_DECOMPOSED, LOGIN_COMPOSED)).toBe(true)
    expect(sameName('Sales', 'Sale')).toBe(false)
  })
})

describeEachDialect('Names: one rule for V1-V3 and the chat request', (dialect) => {
  const ctx = useVisitorChatApp(dialect)
  let live: LiveAccount
  let visitor: VisitorClient
  let cafeId: number
  let barista: RoutableAgent
  let billing: RoutableAgent
  let jose: RoutableAgent

  const get = async (path: string): Promise<unknown> => {
    const response = await visitor.call('GET', path)
    expect(response.statusCode, `${path}: ${response.body}`).toBe(200)
    return response.json()
  }
  const connect = (...agents: Array<[RoutableAgent, RoutableAgent['availability']]>): void => {
    ctx.directory.agents.set(
      live.accountId,
      agents.map(([agent, availability]) => ({ ...agent, availability })),
    )
  }
  const composed = encodeURIComponent(COMPOSED)

  beforeAll(async () => {
    // The skill is configured with the decomposed spelling.
    live = await createLiveAccount(ctx.services, {
      skills: [DECOMPOSED, 'Billing'],
      agents: [
        { nickname: 'Barista', skills: [DECOMPOSED], maxChats: 2 },
        { nickname: 'Billing', skills: ['Billing'], maxChats: 3 },
      ],
    })
    const [key] = await ctx.services.accounts.listAppKeys(live.accountId)
    visitor = visitorClient(ctx.app, live.accountId, key!.appKey)
    cafeId = live.skills[DECOMPOSED]!
    const user = (
      await ctx.services.accountConfig.users.create(
        SYSTEM_CALLER,
        { accountId: live.accountId },
        {
          loginName: LOGIN_DECOMPOSED,
          password: 'pw-agent-123456',
          nickname: 'José',
          email: 'jose@example.invalid',
          maxChats: 1,
          skillIds: [],
          memberOf: { agentGroupId: live.groupId },
        },
      )
    ).value
    expect(user.loginName).toBe(LOGIN_DECOMPOSED)
    barista = live.agents[0]!
    billing = live.agents[1]!
    jose = { ...barista, userId: user.id, loginName: LOGIN_DECOMPOSED, nickname: 'José', skillIds: [], maxChats: 1 }
  })

  it('V1-V3 find the skill stored decomposed when asked composed, not the unassigned pool', async () => {
    // Only the Billing agent is Online: the unassigned pool has room, the Café skill has nobody.
    connect([barista, 'Away'], [billing, 'Online'])
    expect(await get(`/chat/availability.json?skill=${composed}`)).toEqual({ availability: false })
    expect(await get(`/chat/availability.json?serviceQueue=${composed}`)).toEqual({ availability: false })
    expect(await get(`/chat/availableSlots.json?skill=${composed}`)).toEqual({ availableSlots: 0 })
    expect(await get(`/chat/estimatedWaitTime.json?skill=${composed}`)).toEqual({ estimatedWaitTime: -1 })
    expect(await get(`/chat/availability.json?skill=${composed}&skill=Billing`)).toEqual({
      availability: {
        AvailabilityForSkills: {
          skillAvailability: [
            { skill: COMPOSED, isAvailable: false },
            { skill: 'Billing', isAvailable: true },
          ],
        },
      },
    })
    const xml = await visitor.call('GET', `/chat/availableSlots.xml?skill=${composed}`)
    expect(xml.body).toContain('<availableSlots>0</availableSlots>')

    connect([barista, 'Online'], [billing, 'Online'])
    expect(await get(`/chat/availability.json?skill=${encodeURIComponent(` ${COMPOSED.toUpperCase()} `)}`)).toEqual({
      availability: true,
    })
    expect(await get(`/chat/availableSlots.json?skill=${composed}`)).toEqual({ availableSlots: 2 })
    expect(await get(`/chat/estimatedWaitTime.json?skill=${composed}`)).toEqual({ estimatedWaitTime: 0 })
  })

  it('a chat requested with the composed name waits in the skill V1 answered for, and rings its agent', async () => {
    connect([barista, 'Away'], [billing, 'Online'])
    const key = await visitor.requestChat({ request: { skill: COMPOSED } })
    const chat = await ctx.chat.getChat(live.accountId, key)
    expect(chat.skillId).toBe(cafeId)
    expect(chat.ringingUserId).toBeNull()
    const info = await visitor.call('GET', `/chat/${key}/info.json`)
    expect(info.json().info).toMatchObject({ skillId: cafeId, skillName: DECOMPOSED })

    connect([barista, 'Online'], [billing, 'Online'])
    await ctx.chat.routeAccount(live.accountId)
    expect((await ctx.chat.getChat(live.accountId, key)).ringingUserId).toBe(barista.userId)
    await visitor.call('POST', `/chat/${key}/events.json`, {
      body: { event: { '@type': 'state', state: 'ended' } },
      headers: { 'content-type': 'application/json' },
    })
  })

  it('V1, V2 and the chat request find an agent stored decomposed when asked composed', async () => {
    connect([jose, 'Online'])
    const login = encodeURIComponent(LOGIN_COMPOSED)
    expect(await get(`/chat/availability.json?agent=${login}`)).toEqual({ availability: true })
    expect(await get(`/chat/availableSlots.json?agent=${login}`)).toEqual({ availableSlots: 1 })
    const xml = await visitor.call('GET', `/chat/availability.xml?agent=${login}`)
    expect(xml.body).toContain('<availability>true</availability>')
    const key = await visitor.requestChat({ request: { agent: LOGIN_COMPOSED } })
    const chat = await ctx.chat.getChat(live.accountId, key)
    expect(chat.requestedAgentId).toBe(jose.userId)
    expect(chat.ringingUserId).toBe(jose.userId)
  })

  it('the configuration API refuses a second skill whose name differs only by normalisation', async () => {
    await expect(
      ctx.services.accountConfig.skills.create(SYSTEM_CALLER, { accountId: live.accountId }, { name: ` ${COMPOSED} ` }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
  })
})
