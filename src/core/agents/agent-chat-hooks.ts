/** One open chat of an agent, as A10 `chatSessions` (and A2 with `cs=1`) lists it. */
export interface AgentChatSession {
  /** The chat key (`chatSessionKey`, also the `{chatId}` of agent chat URLs). */
  chatId: string
  /** When the agent accepted the chat (epoch ms). */
  startTime: number
}

/**
 * What the agent-session service needs FROM the chat engine. The chat engine (`services.chat`)
 * implements it; until it is wired, compose passes `idleAgentChatHooks`.
 */
export interface AgentChatHooks {
  /** Chats held plus ringing, per user id, for slots and agent info. */
  chatLoad(accountId: string): Promise<Map<number, number>>
  /** The user's last agent session ended (DELETE, logout, expiry): requeue their chats (D6). */
  requeueAgentChats(accountId: string, userId: number): Promise<void>
  /** An agent became able to take chats (Online, new session): route waiting chats now. */
  routeAccount(accountId: string): Promise<void>
  /** The user's open chats, oldest accepted first (A2 with `cs=1`; the same content as A10). */
  chatSessions(accountId: string, userId: number): Promise<AgentChatSession[]>
}

/** Hooks for a server without a chat engine: nobody holds chats, nothing to requeue or route. */
export const idleAgentChatHooks: AgentChatHooks = {
  chatLoad: async () => new Map(),
  requeueAgentChats: async () => {},
  routeAccount: async () => {},
  chatSessions: async () => [],
}

/**
 * Hooks that call whatever `get()` returns at call time: the chat engine needs the agent service as
 * its `AgentDirectory` and the agent service needs the chat engine, so compose creates one first
 * and binds the other through this.
 */
export function lazyAgentChatHooks(get: () => AgentChatHooks): AgentChatHooks {
  return {
    chatLoad: (accountId) => get().chatLoad(accountId),
    requeueAgentChats: (accountId, userId) => get().requeueAgentChats(accountId, userId),
    routeAccount: (accountId) => get().routeAccount(accountId),
    chatSessions: (accountId, userId) => get().chatSessions(accountId, userId),
  }
}
