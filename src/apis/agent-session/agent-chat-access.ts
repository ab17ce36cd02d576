import type { FastifyRequest } from 'fastify'
import { AGENT_AUTH, agentActorOf } from './agent-auth.ts'

export type { AgentContext } from '../../http/parley-app.ts'

/**
 * Resolves the Chat Agent API caller once per request, into `request.agent`: the caller the auth
 * hook resolved (`AGENT_AUTH`: bearer, OAuth 1.0a or the legacy-login cookie) and the agent session
 * of the path, which must belong to the caller's user: another user's session, an ended one or an
 * unknown id is RESOURCE_NOT_FOUND (404). It runs as a preHandler, after the input is validated,
 * so a bad body on another user's session is still 400, as it always was.
 */
export async function resolveAgentSession(request: FastifyRequest): Promise<void> {
  const { accountId, agentSessionId } = request.params as { accountId: string; agentSessionId: string }
  const actor = agentActorOf(request)
  const session = await request.server.services.agents.requireSession(actor, accountId, agentSessionId)
  request.agent = { actor, session }
}

/**
 * Options of every Agent API route under `/agentSession/:agentSessionId` that works as the
 * session's user: `{ ...AGENT_CHAT_ROUTE, schema }`; the handler reads `request.agent`.
 */
export const AGENT_CHAT_ROUTE = { config: AGENT_AUTH, preHandler: resolveAgentSession } as const
