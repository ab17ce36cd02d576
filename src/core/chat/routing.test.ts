import { describe, expect, it } from 'vitest'
import type { RoutableAgent } from './agent-directory.ts'
import { chooseAgent, planRouting, type RoutingChat } from './routing.ts'

const agent = (userId: number, overrides: Partial<RoutableAgent> = {}): RoutableAgent => ({
  userId,
  loginName: `a${userId}`,
  nickname: `A${userId}`,
  fullName: `Agent ${userId}`,
  skillIds: [10],
  maxChats: 2,
  memberGroupId: null,
  availability: 'Online',
  idleSince: 1000 + userId,
  ...overrides,
})

const chat = (key: string, overrides: Partial<RoutingChat> = {}): RoutingChat => ({
  key,
  skillId: 10,
  requestedAgentId: null,
  targetAgentId: null,
  ringSkipped: [],
  ringingUserId: null,
  ...overrides,
})

const load = (entries: Array<[number, number]> = []): Map<number, number> => new Map(entries)

describe('chooseAgent (agent-api.md §4.1, D8)', () => {
  it('picks the Online agent serving the skill with the fewest chats, then the one idle longest', () => {
    const agents = [agent(1, { idleSince: 5 }), agent(2, { idleSince: 3 }), agent(3, { idleSince: 1 })]
    expect(chooseAgent(chat('c'), agents, load([[3, 1]]))?.userId).toBe(2)
    expect(chooseAgent(chat('c'), agents, load())?.userId).toBe(3)
  })

  it('skips agents who are Away, Occupied, Offline, without the skill, or full (ringing chats count)', () => {
    const agents = [
      agent(1, { availability: 'Away' }),
      agent(2, { availability: 'Occupied' }),
      agent(3, { availability: 'Offline' }),
      agent(4, { skillIds: [11] }),
      agent(5, { maxChats: 1 }),
    ]
    expect(chooseAgent(chat('c'), agents, load([[5, 1]]))).toBeUndefined()
    expect(chooseAgent(chat('c'), agents, load())?.userId).toBe(5)
  })

  it('lets every agent serve the unassigned skill -1 and treats maxChats -1 as unlimited', () => {
    const agents = [agent(1, { skillIds: [], maxChats: -1 })]
    expect(chooseAgent(chat('c', { skillId: -1 }), agents, load([[1, 500]]))?.userId).toBe(1)
    expect(chooseAgent(chat('c', { skillId: 10 }), agents, load())).toBeUndefined()
  })

  it('rings only the requested agent, who must be Online', () => {
    const agents = [agent(1), agent(2, { idleSince: 0 })]
    expect(chooseAgent(chat('c', { requestedAgentId: 1 }), agents, load())?.userId).toBe(1)
    expect(chooseAgent(chat('c', { requestedAgentId: 9 }), agents, load())).toBeUndefined()
    const occupied = [agent(1, { availability: 'Occupied' })]
    expect(chooseAgent(chat('c', { requestedAgentId: 1 }), occupied, load())).toBeUndefined()
  })

  it('rings the target of an agent transfer even when Occupied or without the skill, never when Away', () => {
    const target = chat('c', { targetAgentId: 2 })
    expect(chooseAgent(target, [agent(1), agent(2, { availability: 'Occupied', skillIds: [] })], load())?.userId).toBe(
      2,
    )
    expect(chooseAgent(target, [agent(2, { availability: 'Away' })], load())).toBeUndefined()
    expect(chooseAgent(target, [agent(2, { maxChats: 1 })], load([[2, 1]]))).toBeUndefined()
  })

  it('skips agents who let the chat ring out while another is eligible (D8)', () => {
    const agents = [agent(1, { idleSince: 0 }), agent(2)]
    expect(chooseAgent(chat('c', { ringSkipped: [1] }), agents, load())?.userId).toBe(2)
    expect(chooseAgent(chat('c', { ringSkipped: [1, 2] }), agents, load())?.userId).toBe(1)
    expect(chooseAgent(chat('c', { ringSkipped: [1] }), [agent(1)], load())?.userId).toBe(1)
  })
})

describe('planRouting', () => {
  it('serves the oldest chat first and counts each ring against capacity', () => {
    const agents = [agent(1, { maxChats: 1, idleSince: 0 }), agent(2, { maxChats: 1 })]
    const plan = planRouting([chat('old'), chat('mid'), chat('new')], agents, load())
    expect(plan).toEqual([
      { chatKey: 'old', userId: 1 },
      { chatKey: 'mid', userId: 2 },
    ])
  })

  it('leaves chats that already ring alone and balances by load', () => {
    const agents = [agent(1, { maxChats: 3, idleSince: 0 }), agent(2, { maxChats: 3 })]
    const plan = planRouting([chat('a', { ringingUserId: 1 }), chat('b'), chat('c'), chat('d')], agents, load([[1, 1]]))
    expect(plan).toEqual([
      { chatKey: 'b', userId: 2 },
      { chatKey: 'c', userId: 1 },
      { chatKey: 'd', userId: 2 },
    ])
  })
})
