import type { FastifyRequest } from 'fastify'
import type { AgentActor } from '../../core/agents/agents.service.ts'
import { ParleyError } from '../../core/errors.ts'

export { AGENT_COOKIE } from '../../http/auth/resolve-actor.ts'

/**
 * Route config of the Chat Agent API: `Authorization` (bearer or OAuth 1.0a; an unknown bearer is
 * the plain-text `token_rejected` 401), else the legacy-login cookie, which only Parley's own pages
 * and clients outside a browser may use (docs/auth.md). Resolved by the auth hook before the input
 * is validated.
 */
export const AGENT_AUTH = { auth: ['bearer', 'oauth1', 'agentCookie'], authFailure: 'agent' } as const

/** Options every Agent API route spreads into its route options: `{ ...AGENT_ROUTE, schema }`. */
export const AGENT_ROUTE = { config: AGENT_AUTH } as const

/** The caller the auth hook resolved for an `AGENT_ROUTE`; UNAUTHORIZED when there is none. */
export function agentActorOf(request: FastifyRequest): AgentActor {
  const actor = request.actor
  if (actor?.kind === 'user' || actor?.kind === 'apiKey') return actor
  throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
}
