import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { AgentActor } from '../../core/agents/agents.service.ts'
import type { Clock } from '../../core/clock.ts'
import { ParleyError } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { sendWire } from '../../http/reply.ts'
import { renderJson, type WireNode } from '../../http/wire/codec.ts'
import { AGENT_AUTH, AGENT_COOKIE, AGENT_ROUTE, agentActorOf } from './agent-auth.ts'
import {
  presentAgentInfo,
  presentAgentSession,
  presentAgentSessionLocation,
  presentAvailability,
  presentAvailableAgents,
  presentAvailableSlots,
} from './agent-session.presenter.ts'
import {
  AccountParams,
  AvailabilityBody,
  AvailableAgentsQuery,
  AvailableSlotsQuery,
  SessionParams,
  SessionQuery,
  StartSessionQuery,
} from './agent-session.schemas.ts'

/**
 * Chat Agent API: agent session, availability, agent info, available agents and slots, end of
 * session (agent-api.md A1-A7, A27). Bearer or OAuth 1.0a key bound to a user; JSON or XML (D1).
 */
export function registerAgentSessionRoutes(app: ParleyApp, deps: { config: Config; clock: Clock }): void {
  const base = (request: FastifyRequest, accountId: string): string =>
    `${linkOrigin(request, deps.config)}/api/account/${encodeURIComponent(accountId)}/agentSession`
  const sessionUrl = (request: FastifyRequest, accountId: string, id: string | number): string =>
    `${base(request, accountId)}/${id}`

  const agentActor = async (request: FastifyRequest): Promise<AgentActor> => agentActorOf(request)

  const sendEmpty = (reply: FastifyReply): FastifyReply => reply.code(200).send()

  // A1 also takes legacy `loginData` credentials in the body when the request carries none.
  const legacyLogin = { config: { ...AGENT_AUTH, authOptional: true } } as const
  app.post(
    '/api/account/:accountId/agentSession',
    { ...legacyLogin, schema: { params: AccountParams, querystring: StartSessionQuery } },
    async (request, reply) => {
      const { accountId } = request.params
      const actor = request.actor === null ? undefined : agentActorOf(request)
      const options = { availability: request.query.availability }
      let sessionId: number
      if (actor) {
        sessionId = (await app.services.agents.startSession(actor, accountId, options)).id
      } else {
        const credentials = legacyCredentials(request.body)
        if (!credentials) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
        const started = await app.services.agents.startSessionWithCredentials(
          accountId,
          credentials,
          request.ip,
          options,
        )
        sessionId = started.session.id
        reply.setCookie(AGENT_COOKIE, started.bearer, {
          path: `/api/account/${accountId}/agentSession`,
          httpOnly: true,
          secure: request.protocol === 'https',
          sameSite: 'lax',
        })
      }
      const location = sessionUrl(request, accountId, sessionId)
      reply.code(201).header('location', location)
      return sendWire(request, reply, presentAgentSessionLocation(location))
    },
  )

  const sessionPath = '/api/account/:accountId/agentSession/:agentSessionId'

  app.get(
    sessionPath,
    { ...AGENT_ROUTE, schema: { params: SessionParams, querystring: SessionQuery } },
    async (request, reply) => {
      const { accountId, agentSessionId } = request.params
      const actor = await agentActor(request)
      const withChats = request.query.cs === '1' || request.query.cs?.toLowerCase() === 'true'
      const { session, chats } = await app.services.agents.getSession(actor, accountId, agentSessionId, { withChats })
      const document = presentAgentSession(sessionUrl(request, accountId, session.id), chats)
      if (request.wire.format === 'xml' || chats === undefined) return sendWire(request, reply, document)
      // `@`-style links collapse, but A10's `chatSession` list is always an array (wire-conventions.md §7).
      const node = document.agentSession as WireNode
      const links = JSON.parse(renderJson({ agentSession: { link: node.link } })) as { agentSession: object }
      const list = JSON.parse(renderJson({ chatSessions: node.chatSessions }, { singletons: 'keep' })) as object
      return reply
        .type('application/json; charset=UTF-8')
        .send(JSON.stringify({ agentSession: { ...links.agentSession, ...list } }))
    },
  )

  app.delete(sessionPath, { ...AGENT_ROUTE, schema: { params: SessionParams } }, async (request, reply) => {
    const { accountId, agentSessionId } = request.params
    await app.services.agents.endSession(await agentActor(request), accountId, agentSessionId)
    return sendEmpty(reply)
  })

  app.get(
    `${sessionPath}/availability`,
    { ...AGENT_ROUTE, schema: { params: SessionParams } },
    async (request, reply) => {
      const { accountId, agentSessionId } = request.params
      const availability = await app.services.agents.getAvailability(
        await agentActor(request),
        accountId,
        agentSessionId,
      )
      return sendWire(request, reply, presentAvailability(availability))
    },
  )

  app.put(
    `${sessionPath}/availability`,
    { ...AGENT_ROUTE, schema: { params: SessionParams, body: AvailabilityBody } },
    async (request, reply) => {
      const { accountId, agentSessionId } = request.params
      const actor = await agentActor(request)
      const availability = await app.services.agents.setAvailability(
        actor,
        accountId,
        agentSessionId,
        request.body.availability,
      )
      return sendWire(request, reply, presentAvailability(availability))
    },
  )

  app.get(`${sessionPath}/info`, { ...AGENT_ROUTE, schema: { params: SessionParams } }, async (request, reply) => {
    const { accountId, agentSessionId } = request.params
    const info = await app.services.agents.getInfo(await agentActor(request), accountId, agentSessionId)
    return sendWire(request, reply, presentAgentInfo(sessionUrl(request, accountId, info.session.id), info))
  })

  app.get(
    `${sessionPath}/availableAgents`,
    { ...AGENT_ROUTE, schema: { params: SessionParams, querystring: AvailableAgentsQuery } },
    async (request, reply) => {
      const { accountId, agentSessionId } = request.params
      const actor = await agentActor(request)
      const { skill, chatState, voiceState, chatReasonId } = request.query
      const filter = { skill, chatState, voiceState, chatReasonId }
      const agents = await app.services.agents.availableAgents(actor, accountId, agentSessionId, filter)
      const next = new URLSearchParams()
      for (const [name, value] of Object.entries(filter)) if (value !== undefined) next.append(name, value)
      next.append('timeStamp', String(deps.clock.now()))
      const nextHref = `${sessionUrl(request, accountId, agentSessionId)}/availableAgents?${next.toString()}`
      return sendWire(request, reply, presentAvailableAgents(agents, nextHref))
    },
  )

  app.get(
    `${sessionPath}/chat/availableSlots`,
    { ...AGENT_ROUTE, schema: { params: SessionParams, querystring: AvailableSlotsQuery } },
    async (request, reply) => {
      const { accountId, agentSessionId } = request.params
      const actor = await agentActor(request)
      const { skill, agent } = request.query
      const slots = await app.services.agents.availableSlots(actor, accountId, agentSessionId, { skill, agent })
      return sendWire(request, reply, presentAvailableSlots(slots))
    },
  )
}

/** A1 legacy body `{"loginData": {"userName": "...", "password": "..."}}` (also from XML); else undefined. */
function legacyCredentials(body: unknown): { userName: string; password: string } | undefined {
  if (!body || typeof body !== 'object') return undefined
  const loginData = (body as { loginData?: unknown }).loginData
  if (!loginData || typeof loginData !== 'object') return undefined
  const { userName, password } = loginData as { userName?: unknown; password?: unknown }
  if (typeof userName !== 'string' || typeof password !== 'string' || userName === '') return undefined
  return { userName, password }
}
