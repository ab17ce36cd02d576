export type ChatAvailability = 'Online' | 'Occupied' | 'Away' | 'Offline'

/** An agent as routing sees it (agent sessions and availability live in src/core/agents). */
export interface RoutableAgent {
  userId: number
  loginName: string
  nickname: string
  fullName: string
  skillIds: number[]
  maxChats: number /* -1 unlimited */
  memberGroupId: number | null
  availability: ChatAvailability
  /** ms since epoch when the agent last had no chat (for "idle longest"). */
  idleSince: number
}

/** The port through which the chat engine finds agents; implemented by the agent-session service. */
export interface AgentDirectory {
  /**
   * Agents of the account that are there: a live agent session that made a request within the
   * presence time (`PARLEY_AGENT_PRESENCE_MS`). Routing, transfers and V1-V3 see only these.
   */
  connectedAgents(accountId: string): Promise<RoutableAgent[]>
  /** Decision D8: the agent let a ringing chat time out. */
  markAway(accountId: string, userId: number): Promise<void>
}

/** A directory with no agents: the default until agent sessions are wired in (chats then wait). */
export const noAgentDirectory: AgentDirectory = {
  connectedAgents: async () => [],
  markAway: async () => {},
}
