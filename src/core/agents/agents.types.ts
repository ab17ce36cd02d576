import type { ChatAvailability } from '../chat/agent-directory.ts'

/** Why an agent session ended (stored for diagnostics; never on the wire). */
export type AgentSessionEndReason = 'deleted' | 'logout' | 'expired' | 'idle' | 'user-disabled' | 'key-revoked'

/** A Chat Agent API session of one user. `id` is random, unguessable and below 2^53 (docs/agent-sessions.md). */
export interface AgentSession {
  id: number
  accountId: string
  userId: number
  /** The login session (bearer) that created it; null when created with an API key. */
  loginSessionId: number | null
  /** The OAuth 1.0a API key that created it; null when created with a bearer. */
  apiKeyId: number | null
  createdAt: number
  lastActivityAt: number
}

/** A user's chat availability, shared by all of their agent sessions. */
export interface UserAvailability {
  chat: ChatAvailability
  /** Opaque reason the client set with `Away`/`Occupied` (A4), echoed in A3, A5 and A6. */
  chatReasonId: string | null
  /** When `chat` last changed (epoch ms). */
  changedAt: number
}

/** A live agent session that the sweep must end, and why. */
export interface StaleAgentSession {
  id: number
  accountId: string
  userId: number
  reason: AgentSessionEndReason
}
