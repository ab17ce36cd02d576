import type { FastifyRequest } from 'fastify'
import type { AgentActor } from '../../core/agents/agents.service.ts'
import type { AgentSession } from '../../core/agents/agents.types.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { agentActorOf } from './agent-auth.ts'

/** What a chat route works with: the caller and their live agent session (its user is the agent). */
export interface AgentContext {
  actor: AgentActor
  session: AgentSession
}

/**
 * Takes the caller the auth hook resolved (`AGENT_ROUTE`: bearer, OAuth 1.0a or the legacy-login
 * cookie) and loads the agent session, which must belong to the caller's user: another user's
 * session, an ended one or an unknown id is RESOURCE_NOT_FOUND (404).
 */
export function agentContextResolver(app: ParleyApp): (request: FastifyRequest) => Promise<AgentContext> {
  return async (request) => {
    const { accountId, agentSessionId } = request.params as { accountId: string; agentSessionId: string }
    const actor = agentActorOf(request)
    const session = await app.services.agents.requireSession(actor, accountId, agentSessionId)
    return { actor, session }
  }
}
