import { Type } from '@fastify/type-provider-typebox'
import type { Config } from '../../config/config.ts'
import type { Clock } from '../../core/clock.ts'
import { notFound } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { hasVisitPrivilege, VISITOR_ROUTE } from '../../http/auth/visitor-auth.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { AGENT_ROUTE } from '../agent-session/agent-auth.ts'
import { agentContextResolver } from '../agent-session/agent-chat-access.ts'
import { presentAgentVisit, presentAgentVisitCustomVariables } from './agent-visit.presenter.ts'
import { agentSessionUrl, sendPresented } from './chat-links.ts'
import { presentVisit } from './chat.presenter.ts'

const VisitParams = Type.Object({ accountId: Type.String(), visitId: Type.String() })
const AgentVisitParams = Type.Object({
  accountId: Type.String(),
  agentSessionId: Type.String(),
  visitId: Type.String(),
})

/**
 * The visit resources of a chat, addressed by its visit id (the chat key without its secret part,
 * wire-conventions.md §11): V22 for visitor app keys with the Visit API privilege (chat-api.md
 * §11.4; 404 without it, as if the path did not exist), and A25 for the agent who may use the
 * chat (agent-api.md A25, §5.1; 404 otherwise). JSON or XML (Decision D1).
 */
export function registerVisitRoutes(app: ParleyApp, deps: { config: Config; clock: Clock }): void {
  const agentContext = agentContextResolver(app)

  // V22
  app.get(
    '/api/account/:accountId/visit/:visitId',
    { schema: { params: VisitParams }, ...VISITOR_ROUTE },
    async (request, reply) => {
      if (!hasVisitPrivilege(request.actor)) throw notFound()
      const { accountId, visitId } = request.params
      const chat = await app.services.chat.getChat(accountId, await app.services.visits.chatKeyOf(accountId, visitId))
      const base = { origin: linkOrigin(request, deps.config), accountId }
      return sendPresented(
        request,
        reply,
        presentVisit(
          { chatSessionKey: chat.key, visitorId: chat.visitorId, customVariables: chat.customVariables },
          { base },
        ),
      )
    },
  )

  const agentVisitChat = async (params: { visitId: string }, context: Awaited<ReturnType<typeof agentContext>>) => {
    const { accountId, userId } = context.session
    const key = await app.services.visits.chatKeyOf(accountId, params.visitId)
    try {
      return await app.services.chat.agentChat(accountId, userId, key)
    } catch {
      // A chat this agent may not use is no visit of theirs: the same 404 as an unknown visit id.
      throw notFound()
    }
  }
  const visitUrl = (origin: string, context: Awaited<ReturnType<typeof agentContext>>, visitId: string): string =>
    `${agentSessionUrl({ origin, accountId: context.session.accountId }, context.session.id)}/visits/visit/${visitId}`

  // A25
  app.get(
    '/api/account/:accountId/agentSession/:agentSessionId/visits/visit/:visitId',
    { ...AGENT_ROUTE, schema: { params: AgentVisitParams } },
    async (request, reply) => {
      const context = await agentContext(request)
      const chat = await agentVisitChat(request.params, context)
      const url = visitUrl(linkOrigin(request, deps.config), context, request.params.visitId)
      return sendPresented(request, reply, presentAgentVisit(chat, url))
    },
  )

  app.get(
    '/api/account/:accountId/agentSession/:agentSessionId/visits/visit/:visitId/customVariables',
    { ...AGENT_ROUTE, schema: { params: AgentVisitParams } },
    async (request, reply) => {
      const chat = await agentVisitChat(request.params, await agentContext(request))
      return sendPresented(request, reply, presentAgentVisitCustomVariables(chat))
    },
  )
}
