import type { FastifyReply } from 'fastify'
import type { RawParams } from '../../core/operational/operational-request.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import {
  presentAgentActivity,
  presentDashboard,
  presentEngagementActivity,
  presentQueueHealth,
  presentQueueState,
  presentSla,
} from './operational-realtime.presenter.ts'
import { AccountParams, AgentActivityBody } from './operational-realtime.schemas.ts'

const BASE = '/operations/api/account/:accountId'

/**
 * Operational Realtime API (`leDataReporting`, docs/operational-realtime.md): JSON only, OAuth 1.0a
 * API keys with `operationalRealtime` or bearers of Admins and Agent Managers. Query parameters are
 * validated by the service (after authentication), so no querystring schema strips or coerces them.
 */
export function registerOperationalRealtimeRoutes(app: ParleyApp): void {
  const options = { schema: { params: AccountParams }, config: { auth: ['oauth1', 'bearer'] as const } }
  const send = (reply: FastifyReply, body: unknown) => reply.type('application/json; charset=UTF-8').send(body)
  const query = (raw: unknown): RawParams => (raw ?? {}) as RawParams
  const { operationalRealtime: service } = app.services

  app.get(`${BASE}/queuehealth`, options, async (request, reply) =>
    send(
      reply,
      presentQueueHealth(await service.queueHealth(request.actor, request.params.accountId, query(request.query))),
    ),
  )
  app.get(`${BASE}/engactivity`, options, async (request, reply) =>
    send(
      reply,
      presentEngagementActivity(
        await service.engagementActivity(request.actor, request.params.accountId, query(request.query)),
      ),
    ),
  )
  app.get(`${BASE}/agentactivity`, options, async (request, reply) =>
    send(
      reply,
      presentAgentActivity(await service.agentActivity(request.actor, request.params.accountId, query(request.query))),
    ),
  )
  // POST carries long agent lists in a JSON body; body values win over query values (§8.1).
  app.post(
    `${BASE}/agentactivity`,
    { ...options, schema: { ...options.schema, body: AgentActivityBody } },
    async (request, reply) => {
      const merged = { ...query(request.query), ...withoutNulls(request.body ?? {}) }
      return send(
        reply,
        presentAgentActivity(await service.agentActivity(request.actor, request.params.accountId, merged)),
      )
    },
  )
  app.get(`${BASE}/queuestate`, options, async (request, reply) =>
    send(
      reply,
      presentQueueState(await service.queueState(request.actor, request.params.accountId, query(request.query))),
    ),
  )
  app.get(`${BASE}/sla`, options, async (request, reply) =>
    send(reply, presentSla(await service.sla(request.actor, request.params.accountId, query(request.query)))),
  )
  // Parley extension for live dashboards (docs/operational-realtime.md, "Parley extension").
  app.get(`${BASE}/parley/dashboard`, options, async (request, reply) =>
    send(
      reply,
      presentDashboard(await service.dashboard(request.actor, request.params.accountId, query(request.query))),
    ),
  )
}

/** The Python wrapper sends `"interval": null` for "not given". */
const withoutNulls = (body: RawParams): RawParams =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null))
