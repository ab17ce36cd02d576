import { Type } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { notFound } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { sendPresented } from '../chat/chat-links.ts'
import { AGENT_CHAT_ROUTE } from './agent-chat-access.ts'
import {
  presentChatAttributes,
  presentParticipantInfo,
  presentRingingChats,
  presentVisitorContext,
} from './agent-chat-attributes.presenter.ts'
import { ChatParams } from './agent-chat.schemas.ts'
import { SessionParams } from './agent-session.schemas.ts'

const ParticipantParams = Type.Object({
  accountId: Type.String(),
  agentSessionId: Type.String(),
  participantId: Type.String({ maxLength: 256 }),
})

/**
 * What the agent sees of engagement attributes: A26 participant info (agent-api.md §8) for a chat
 * of this agent whose request carried `participantId`, and Parley's `engagementAttributes`
 * extension on the agent chat resource. JSON or XML (Decision D1).
 */
export function registerAgentChatAttributeRoutes(app: ParleyApp): void {
  const session = '/api/account/:accountId/agentSession/:agentSessionId'

  // A26: the participant's chat among the agent's open chats; none (or no participantId) is 404.
  const participantInfo = async (request: FastifyRequest, reply: FastifyReply) => {
    const context = request.agent
    const { participantId } = request.params as { participantId: string }
    const held = await app.services.chat.heldChats(context.session.accountId, context.session.userId)
    const chat = held.map((entry) => entry.chat).find((candidate) => candidate.request.participantId === participantId)
    if (!chat) throw notFound()
    const info = await app.services.engagementAttributes.participantInfo(chat, participantId)
    return sendPresented(request, reply, presentParticipantInfo(info, request.wire.format))
  }
  app.get(
    `${session}/participantInfo/:participantId`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ParticipantParams } },
    participantInfo,
  )
  app.get(
    `${session}/participantExtendedInfo/:participantId`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ParticipantParams } },
    participantInfo,
  )

  app.get(
    `${session}/chat/:chatId/engagementAttributes`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } },
    async (request, reply) => {
      const context = request.agent
      const chat = await app.services.chat.agentChat(
        context.session.accountId,
        context.session.userId,
        request.params.chatId,
      )
      return sendPresented(
        request,
        reply,
        presentChatAttributes(await app.services.engagementAttributes.chatEvents(chat)),
      )
    },
  )

  // Parley extension for the console's side panel (docs/console.md): pre-chat answers, visitor
  // info, referrer and MCS of a chat this agent may use; 404 otherwise, like every agent chat URL.
  app.get(
    `${session}/chat/:chatId/visitorContext`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } },
    async (request, reply) => {
      const context = request.agent
      const found = await app.services.visitorContext.forAgent(
        context.session.accountId,
        context.session.userId,
        request.params.chatId,
      )
      return sendPresented(request, reply, presentVisitorContext(found))
    },
  )

  // Parley extension for the console's ringing list (docs/console.md): what A8 only counts, for
  // the chats ringing this session's user and no other, oldest first.
  app.get(
    `${session}/parley/ringingChats`,
    { ...AGENT_CHAT_ROUTE, schema: { params: SessionParams } },
    async (request, reply) => {
      const context = request.agent
      const chats = await app.services.ringingPreview.forAgent(context.session.accountId, context.session.userId)
      return sendPresented(request, reply, presentRingingChats(chats))
    },
  )
}
