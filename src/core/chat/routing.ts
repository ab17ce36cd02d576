import type { RoutableAgent } from './agent-directory.ts'

/** What routing reads of a waiting chat. */
export interface RoutingChat {
  key: string
  /** -1 = unassigned: every agent serves it. */
  skillId: number
  /** The request's `agent`: ring only that agent (Online). */
  requestedAgentId: number | null
  /** An agent-targeted transfer: ring only that agent, who may also be Occupied. */
  targetAgentId: number | null
  /** Agents who let this chat ring out (Decision D8): skipped while others are eligible. */
  ringSkipped: readonly number[]
  /** The agent it rings now, if any. */
  ringingUserId: number | null
}

/** `freeSlots` of an agent without a limit (`maxChats` -1), as the APIs report it. */
export const UNLIMITED_SLOTS = -1

/**
 * How many more chats the agent may hold or ring: `maxChats` minus its open chats (held plus
 * ringing), never negative; `UNLIMITED_SLOTS` when `maxChats` is -1. The one slot arithmetic of
 * routing, transfers, the agents service (A7) and visitor availability (V2).
 */
export const freeSlots = (agent: { maxChats: number }, load: number): number =>
  agent.maxChats < 0 ? UNLIMITED_SLOTS : Math.max(0, agent.maxChats - load)

export const hasFreeSlot = (agent: { maxChats: number }, load: number): boolean => freeSlots(agent, load) !== 0

export const servesSkill = (agent: RoutableAgent, skillId: number): boolean =>
  skillId === -1 || agent.skillIds.includes(skillId)

/** Agents who may ring for `chat` now (agent-api.md §4.1), ignoring the skip list. */
export function eligibleAgents(
  chat: RoutingChat,
  agents: readonly RoutableAgent[],
  load: ReadonlyMap<number, number>,
): RoutableAgent[] {
  const free = (agent: RoutableAgent): boolean => hasFreeSlot(agent, load.get(agent.userId) ?? 0)
  if (chat.targetAgentId !== null)
    return agents.filter(
      (agent) =>
        agent.userId === chat.targetAgentId &&
        (agent.availability === 'Online' || agent.availability === 'Occupied') &&
        free(agent),
    )
  if (chat.requestedAgentId !== null)
    return agents.filter(
      (agent) => agent.userId === chat.requestedAgentId && agent.availability === 'Online' && free(agent),
    )
  return agents.filter((agent) => agent.availability === 'Online' && servesSkill(agent, chat.skillId) && free(agent))
}

/**
 * The agent `chat` should ring (agent-api.md §4.1, Decision D8): among eligible agents not on the
 * chat's skip list (the skip list only when nobody else is eligible), the one with the fewest
 * current chats (held plus ringing), then the one idle longest, then the lowest user id.
 */
export function chooseAgent(
  chat: RoutingChat,
  agents: readonly RoutableAgent[],
  load: ReadonlyMap<number, number>,
): RoutableAgent | undefined {
  const eligible = eligibleAgents(chat, agents, load)
  const fresh = eligible.filter((agent) => !chat.ringSkipped.includes(agent.userId))
  const pool = fresh.length > 0 ? fresh : eligible
  return [...pool].sort(
    (a, b) => (load.get(a.userId) ?? 0) - (load.get(b.userId) ?? 0) || a.idleSince - b.idleSince || a.userId - b.userId,
  )[0]
}

export interface RingAssignment {
  chatKey: string
  userId: number
}

/**
 * Plans one routing pass: waiting chats oldest first (`chats` must already be in that order),
 * each not yet ringing gets `chooseAgent`, and every ring counts against the agent's capacity
 * for the chats after it. Pure: the caller applies the plan with conditional updates.
 */
export function planRouting(
  chats: readonly RoutingChat[],
  agents: readonly RoutableAgent[],
  load: ReadonlyMap<number, number>,
): RingAssignment[] {
  const running = new Map(load)
  const plan: RingAssignment[] = []
  for (const chat of chats) {
    if (chat.ringingUserId !== null) continue
    const agent = chooseAgent(chat, agents, running)
    if (!agent) continue
    plan.push({ chatKey: chat.key, userId: agent.userId })
    running.set(agent.userId, (running.get(agent.userId) ?? 0) + 1)
  }
  return plan
}
