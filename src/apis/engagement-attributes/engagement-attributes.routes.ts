import { Type } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { Clock } from '../../core/clock.ts'
import { ParleyError } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'

const EventsParams = Type.Object({ accountId: Type.String(), visitorId: Type.String() })

/** Largest monitoring request body (a request carries a few attributes of at most 50,000 characters each). */
export const MONITORING_BODY_LIMIT = 1024 * 1024

const EVENTS_PATH = '/api/account/:accountId/monitoring/visitors/:visitorId/visits/current/events'

/** First value of a query parameter that may be repeated. */
function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name]
  const first: unknown = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

/**
 * Engagement Attributes (monitoring) API (engagement-history.md §10): PUT (usually POST with
 * `X-HTTP-Method-Override: PUT`; a plain POST is treated the same) of engagement attributes for a
 * visitor's current visit. JSON only; an unknown account is 422 before authentication, as
 * LivePerson documents for this API; OAuth 1.0a keys need the `monitoring` permission, a bearer may
 * be any user of the account.
 */
export function registerEngagementAttributesRoutes(app: ParleyApp, deps: { config: Config; clock: Clock }): void {
  // Unknown account 422, then OAuth 1.0a (`monitoring` permission) or bearer: the auth hook, before validation.
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { accountId, visitorId } = request.params as { accountId: string; visitorId: string }
    const actor = request.actor
    if (!actor) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
    await app.services.engagementAttributes.report(actor, {
      accountId,
      visitorId,
      sessionId: queryValue(request.query, 'sid'),
      body: request.body,
    })
    return reply.code(200).type('application/json; charset=UTF-8').send('{}')
  }
  const options = {
    schema: { params: EventsParams },
    bodyLimit: Math.min(deps.config.bodyLimit, MONITORING_BODY_LIMIT),
    config: { requireAccount: 'unprocessable', auth: ['oauth1', 'bearer'], apiKeyPermission: 'monitoring' } as const,
  }
  app.put(EVENTS_PATH, options, handler)
  app.post(EVENTS_PATH, options, handler)
}
