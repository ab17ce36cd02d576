import { describe, expect, it } from 'vitest'
import type { RoutableAgent } from '../../core/chat/agent-directory.ts'
import {
  agentAvailable,
  agentSlots,
  availableSlots,
  estimatedWaitTime,
  isAvailable,
  WAIT_ALL_BUSY,
  type AgentSnapshot,
} from './visitor-availability.ts'

const SALES = 10
const BILLING = 20

const agent = (userId: number, fields: Partial<RoutableAgent> = {}): RoutableAgent => ({
  userId,
  loginName: `agent${userId}`,
  nickname: `Agent ${userId}`,
  fullName: `Agent ${userId}`,
  skillIds: [SALES],
  maxChats: 2,
  memberGroupId: null,
  availability: 'Online',
  idleSince: 0,
  ...fields,
})

const snapshot = (agents: RoutableAgent[], load: Record<number, number> = {}): AgentSnapshot => ({
  agents,
  load: new Map(Object.entries(load).map(([id, count]) => [Number(id), count])),
})

describe('visitor availability (chat-api.md §5)', () => {
  it('counts only Online agents serving the skill; everyone serves -1', () => {
    const state = snapshot([agent(1), agent(2, { availability: 'Occupied', skillIds: [BILLING] })])
    expect(isAvailable(state, SALES, undefined, WAIT_ALL_BUSY)).toBe(true)
    expect(isAvailable(state, BILLING, undefined, WAIT_ALL_BUSY)).toBe(false)
    expect(isAvailable(state, -1, undefined, WAIT_ALL_BUSY)).toBe(true)
    expect(availableSlots(state, -1)).toBe(2)
    expect(availableSlots(state, BILLING)).toBe(0)
  })

  it('sums free slots, never below zero per agent, and -1 for an unlimited agent', () => {
    expect(availableSlots(snapshot([agent(1), agent(2)], { 1: 1, 2: 5 }), SALES)).toBe(1)
    expect(availableSlots(snapshot([agent(1), agent(2, { maxChats: -1 })], { 2: 40 }), undefined)).toBe(-1)
  })

  it('estimates 0 with a free slot, -1 with nobody online, else the busy wait', () => {
    const full = snapshot([agent(1)], { 1: 2 })
    expect(estimatedWaitTime(snapshot([agent(1)]), SALES, 45)).toBe(0)
    expect(estimatedWaitTime(snapshot([agent(1, { availability: 'Away' })]), SALES, 45)).toBe(-1)
    expect(estimatedWaitTime(full, SALES, 45)).toBe(45)
    expect(estimatedWaitTime(full, SALES, WAIT_ALL_BUSY)).toBe(-2)
  })

  it('applies maxWaitTime: 0 needs a free slot, N accepts -2 and waits up to N seconds', () => {
    const full = snapshot([agent(1)], { 1: 2 })
    expect(isAvailable(full, SALES, 0, 45)).toBe(false)
    expect(isAvailable(full, SALES, 60, 45)).toBe(true)
    expect(isAvailable(full, SALES, 30, 45)).toBe(false)
    expect(isAvailable(full, SALES, 30, WAIT_ALL_BUSY)).toBe(true)
    expect(isAvailable(snapshot([]), SALES, 30, WAIT_ALL_BUSY)).toBe(false)
  })

  it('answers for one agent: Online with a free slot; slots 0 when not Online', () => {
    const away = agent(3, { availability: 'Away' })
    const state = snapshot([agent(1), away], { 1: 2 })
    expect(agentAvailable(state, state.agents[0])).toBe(false)
    expect(agentAvailable(snapshot([agent(1)]), agent(1))).toBe(true)
    expect(agentAvailable(state, undefined)).toBe(false)
    expect(agentSlots(state, away)).toBe(0)
    expect(agentSlots(state, undefined)).toBe(0)
    expect(agentSlots(snapshot([agent(4, { maxChats: -1 })]), agent(4, { maxChats: -1 }))).toBe(-1)
  })
})
