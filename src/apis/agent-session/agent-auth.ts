import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { AgentActor } from '../../core/agents/agents.service.ts'
import type { Clock } from '../../core/clock.ts'
import { ParleyError } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/app.ts'
import { resolveActor } from '../../http/auth/resolve-actor.ts'

/**
 * Carries the bearer of a login made through A1's legacy `loginData` credentials, for clients that
 * never see a bearer; Parley never requires it (wire-conventions.md §14).
 */
export const AGENT_COOKIE = 'parley_agent_bearer'

/**
 * The Chat Agent API caller: `Authorization` (bearer or OAuth 1.0a; an unknown bearer is the
 * plain-text `token_rejected` 401), else the legacy-login cookie; `undefined` without credentials.
 */
export async function authenticateAgent(
  app: ParleyApp,
  deps: { config: Config; clock: Clock },
  request: FastifyRequest,
  accountId: string,
): Promise<AgentActor | undefined> {
  if ((request.headers.authorization ?? '').trim() !== '') {
    const actor = await resolveActor(request, accountId, ['bearer', 'oauth1'], 'agent', {
      services: app.services,
      config: deps.config,
      clock: deps.clock,
    })
    if (actor.kind === 'user' || actor.kind === 'apiKey') return actor
    throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
  }
  const cookieBearer = request.cookies[AGENT_COOKIE]
  if (cookieBearer === undefined || cookieBearer === '') return undefined
  try {
    return await app.services.login.authenticateBearer(accountId, cookieBearer)
  } catch {
    throw new ParleyError('BEARER_REJECTED', 'Bearer rejected')
  }
}
