import { Type } from '@fastify/type-provider-typebox'
import type { Config } from '../../config/config.ts'
import { notFound } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { agentSessionUrl, sendPresented } from '../chat/chat-links.ts'
import { AGENT_CHAT_ROUTE, type AgentContext } from './agent-chat-access.ts'
import { presentAgentVisit, presentAgentVisitCustomVariables } from './agent-visit.presenter.ts'

const AgentVisitParams = Type.Object({
  accountId: Type.String(),
  agentSessionId: Type.String(),
  visitId: Type.String(),
})

/**
 * A25 (agent-api.md A25, §5.1): the visit resource of a chat, addressed by its visit id (the chat
 * key without its secret part, wire-conventions.md §11), for the agent who may use the chat; 404
 * otherwise. JSON or XML (Decision D1). The visitor's V22 is in apis/chat/visit.routes.ts.
 */
export function registerAgentVisitRoutes(app: ParleyApp, deps: { config: Config }): void {
  const agentVisitChat = async (params: { visitId: string }, context: AgentContext) => {
    const { accountId, userId } = context.session
    const key = await app.services.visits.chatKeyOf(accountId, params.visitId)
    try {
      return await app.services.chat.agentChat(accountId, userId, key)
    } catch {
      // A chat this agent may not use is no visit of theirs: the same 404 as an unknown visit id.
      throw notFound()
    }
  }
  const visitUrl = (origin: string, context: AgentContext, visitId: string): string =>
    `${agentSessionUrl({ origin, accountId: context.session.accountId }, context.session.id)}/visits/visit/${visitId}`

  app.get(
    '/api/account/:accountId/agentSession/:agentSessionId/visits/visit/:visitId',
    { ...AGENT_CHAT_ROUTE, schema: { params: AgentVisitParams } },
    async (request, reply) => {
      const chat = await agentVisitChat(request.params, request.agent)
      const url = visitUrl(linkOrigin(request, deps.config), request.agent, request.params.visitId)
      return sendPresented(request, reply, presentAgentVisit(chat, url))
    },
  )

  app.get(
    '/api/account/:accountId/agentSession/:agentSessionId/visits/visit/:visitId/customVariables',
    { ...AGENT_CHAT_ROUTE, schema: { params: AgentVisitParams } },
    async (request, reply) => {
      const chat = await agentVisitChat(request.params, request.agent)
      return sendPresented(request, reply, presentAgentVisitCustomVariables(chat))
    },
  )
}
