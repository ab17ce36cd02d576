import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { Clock } from '../../core/clock.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { agentChatUrl, sendPresented } from '../chat/chat-links.ts'
import { AGENT_CHAT_ROUTE, type AgentContext } from './agent-chat-access.ts'
import { ChatParams } from './agent-chat.schemas.ts'
import { coBrowseSessionsUrl, presentCoBrowseSession, presentCoBrowseSessions } from './cobrowse.presenter.ts'
import { CoBrowseChangeBody, CoBrowseSessionParams } from './cobrowse.schemas.ts'

/**
 * Co-browse records, a Parley extension of the Chat Agent API (docs/cobrowse.md), under the agent
 * chat URL: `{agent chat URL}/coBrowseSessions` (GET lists, POST starts: 201 + Location) and
 * `/coBrowseSessions/{sessionId}` (GET; PUT, or POST with `X-HTTP-Method-Override: PUT`, makes it
 * interactive and/or ends it with a reason). Same authentication and chat access as A12-A24.
 */
export function registerCoBrowseRoutes(app: ParleyApp, deps: { config: Config; clock: Clock }): void {
  const sessions = '/api/account/:accountId/agentSession/:agentSessionId/chat/:chatId/coBrowseSessions'

  const chatUrlOf = (request: FastifyRequest, context: AgentContext, chatId: string): string =>
    agentChatUrl(
      { origin: linkOrigin(request, deps.config), accountId: context.session.accountId },
      context.session.id,
      chatId,
    )

  app.get(sessions, { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } }, async (request, reply) => {
    const context = request.agent
    const { accountId, userId } = context.session
    const list = await app.services.coBrowse.list(accountId, userId, request.params.chatId)
    return sendPresented(
      request,
      reply,
      presentCoBrowseSessions(list, chatUrlOf(request, context, request.params.chatId)),
    )
  })

  // The body (none, `{}` or a `coBrowseSession` object) carries nothing: a session starts view-only.
  app.post(sessions, { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } }, async (request, reply) => {
    const context = request.agent
    const { accountId, userId } = context.session
    const session = await app.services.coBrowse.start(accountId, userId, request.params.chatId)
    const chatUrl = chatUrlOf(request, context, request.params.chatId)
    reply.code(201).header('location', `${coBrowseSessionsUrl(chatUrl)}/${session.sessionId}`)
    return sendPresented(request, reply, presentCoBrowseSession(session, chatUrl))
  })

  app.get(
    `${sessions}/:sessionId`,
    { ...AGENT_CHAT_ROUTE, schema: { params: CoBrowseSessionParams } },
    async (request, reply) => {
      const context = request.agent
      const { accountId, userId } = context.session
      const { chatId, sessionId } = request.params
      const session = await app.services.coBrowse.get(accountId, userId, chatId, sessionId)
      return sendPresented(request, reply, presentCoBrowseSession(session, chatUrlOf(request, context, chatId)))
    },
  )

  app.put(
    `${sessions}/:sessionId`,
    { ...AGENT_CHAT_ROUTE, schema: { params: CoBrowseSessionParams, body: CoBrowseChangeBody } },
    async (request, reply) => {
      const context = request.agent
      const { accountId, userId } = context.session
      const { chatId, sessionId } = request.params
      const session = await app.services.coBrowse.update(
        accountId,
        userId,
        chatId,
        sessionId,
        request.body.coBrowseSession,
      )
      return sendPresented(request, reply, presentCoBrowseSession(session, chatUrlOf(request, context, chatId)))
    },
  )
}
