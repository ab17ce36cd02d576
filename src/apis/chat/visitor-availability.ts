import type { RoutableAgent } from '../../core/chat/agent-directory.ts'
import { freeSlots, hasFreeSlot, servesSkill } from '../../core/chat/routing.ts'

/**
 * Visitor availability, slots and wait time (chat-api.md §5, V1-V3), computed from a snapshot of
 * the account's connected agents and their chat load (held plus ringing chats). Only `Online`
 * agents count; `Occupied` ones take transfers only. Skill `-1` (unassigned, also every unknown
 * skill name) is served by every agent.
 */
export interface AgentSnapshot {
  agents: readonly RoutableAgent[]
  load: ReadonlyMap<number, number>
}

/** V3 values other than a number of seconds. */
export const WAIT_NOW = 0
export const WAIT_NO_AGENT = -1
export const WAIT_ALL_BUSY = -2

const online = (snapshot: AgentSnapshot, skillId: number | undefined): RoutableAgent[] =>
  snapshot.agents.filter(
    (agent) => agent.availability === 'Online' && (skillId === undefined || servesSkill(agent, skillId)),
  )

const free = (snapshot: AgentSnapshot, agent: RoutableAgent): boolean =>
  hasFreeSlot(agent, snapshot.load.get(agent.userId) ?? 0)

/** Free slots of one agent; -1 = unlimited. */
const slotsOf = (snapshot: AgentSnapshot, agent: RoutableAgent): number =>
  freeSlots(agent, snapshot.load.get(agent.userId) ?? 0)

/** V2: sum of free slots of Online agents serving the skill (all Online agents without one); -1 if any is unlimited. */
export function availableSlots(snapshot: AgentSnapshot, skillId: number | undefined): number {
  let total = 0
  for (const agent of online(snapshot, skillId)) {
    const slots = slotsOf(snapshot, agent)
    if (slots === -1) return -1
    total += slots
  }
  return total
}

/** V2 with `agent`: that agent's free slots, 0 when not connected or not Online, -1 when unlimited. */
export function agentSlots(snapshot: AgentSnapshot, agent: RoutableAgent | undefined): number {
  return agent && agent.availability === 'Online' ? slotsOf(snapshot, agent) : 0
}

/** V1 with `agent`: that agent is Online and has a free slot. */
export const agentAvailable = (snapshot: AgentSnapshot, agent: RoutableAgent | undefined): boolean =>
  agent !== undefined && agent.availability === 'Online' && free(snapshot, agent)

/**
 * V3: 0 when an Online agent serving the skill has a free slot, -1 when none is Online, else
 * `busyWait` (the mean accept time of recent chats in seconds, or -2 without enough history).
 */
export function estimatedWaitTime(snapshot: AgentSnapshot, skillId: number | undefined, busyWait: number): number {
  const agents = online(snapshot, skillId)
  if (agents.length === 0) return WAIT_NO_AGENT
  if (agents.some((agent) => free(snapshot, agent))) return WAIT_NOW
  return busyWait
}

/**
 * V1 for one skill (or the whole account): without `maxWaitTime`, some Online agent serves it;
 * with 0, one of them has a free slot now; with N > 0, the wait time is 0, -2 or at most N.
 */
export function isAvailable(
  snapshot: AgentSnapshot,
  skillId: number | undefined,
  maxWaitTime: number | undefined,
  busyWait: number,
): boolean {
  if (maxWaitTime === undefined) return online(snapshot, skillId).length > 0
  const wait = estimatedWaitTime(snapshot, skillId, busyWait)
  if (maxWaitTime === 0) return wait === WAIT_NOW
  return wait === WAIT_NOW || wait === WAIT_ALL_BUSY || (wait > 0 && wait <= maxWaitTime)
}
