import type { RoutableAgent } from '../../core/chat/agent-directory.ts'

/** One entry of A20. */
export interface TransferSkill {
  id: number
  name: string
  /** Online agents of the skill other than the chat's current agent. */
  onlineAgents: number
}

/**
 * A20 (agent-api.md §7): the account's skills with at least one `Online` agent who is not the
 * chat's current agent, in the order given. The unassigned skill -1 is not a configured skill and
 * is never listed.
 */
export function transferSkills(
  skills: ReadonlyArray<{ id: number; name: string; deleted?: boolean }>,
  agents: readonly RoutableAgent[],
  currentAgentId: number | null,
): TransferSkill[] {
  const online = agents.filter((agent) => agent.availability === 'Online' && agent.userId !== currentAgentId)
  const result: TransferSkill[] = []
  for (const skill of skills) {
    if (skill.deleted === true || skill.id === -1) continue
    const count = online.filter((agent) => agent.skillIds.includes(skill.id)).length
    if (count > 0) result.push({ id: skill.id, name: skill.name, onlineAgents: count })
  }
  return result
}
