import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import { SYSTEM_CALLER } from '../../core/account-config/account-config.types.ts'
import type { Chat } from '../../core/chat/chat.types.ts'
import type { Clock } from '../../core/clock.ts'
import { invalid, isParleyError, ParleyError } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import {
  presentAgentChat,
  presentAgentChats,
  presentAgentEvent,
  presentAgentEvents,
  presentAgentInfo,
  presentAgentSideAgentTyping,
  presentAgentSideVisitorName,
  presentAgentSideVisitorTyping,
  presentChatEventLocation,
  presentChatSessions,
  type AgentPresentOptions,
} from './agent-chat.presenter.ts'
import { agentChatUrl, agentSessionUrl, sendPresented } from '../chat/chat-links.ts'
import { toChatInfoView, toChatView, toEventView, UNASSIGNED_SKILL_NAME } from '../chat/chat-view.mapper.ts'
import { parseWait } from '../chat/long-poll.ts'
import { parseIdempotencyKey } from '../../core/chat/idempotency.ts'
import { AGENT_CHAT_ROUTE, type AgentContext } from './agent-chat-access.ts'
import { nonNegativeInt } from './agent-chat-query.ts'
import {
  presentChatLocation,
  presentCollaborationChannels,
  presentIncomingRequests,
  presentTransferSkills,
} from './agent-chat-extras.presenter.ts'
import {
  AgentEventBody,
  AgentTypingBody,
  ChatParams,
  EventParams,
  FromQuery,
  MultiChatQuery,
  TransferBody,
} from './agent-chat.schemas.ts'
import { SessionParams } from './agent-session.schemas.ts'
import { transferSkills } from './transfer-skills.ts'

/**
 * Chat Agent API chat routes (agent-api.md A8-A22, A24): ringing and accepting, the agent's chats,
 * the agent chat resource, events, lines and end, info and typing, transfer. `AGENT_CHAT_ROUTE`
 * checks the agent session belongs to the caller; each call works as that session's user; JSON or XML (D1).
 */
export function registerAgentChatRoutes(app: ParleyApp, deps: { config: Config; clock: Clock }): void {
  const session = '/api/account/:accountId/agentSession/:agentSessionId'
  const chat = `${session}/chat/:chatId`

  /** Link base, requesting session and the account's time zone, for every presenter. */
  const presentOptions = async (request: FastifyRequest, context: AgentContext): Promise<AgentPresentOptions> => {
    const account = await app.services.accounts.requireAccount(context.session.accountId)
    return {
      base: { origin: linkOrigin(request, deps.config), accountId: context.session.accountId },
      agentSessionId: context.session.id,
      timeZone: account.timeZone,
    }
  }

  const skillName = async (accountId: string, skillId: number): Promise<string> => {
    if (skillId === -1) return UNASSIGNED_SKILL_NAME
    try {
      return (await app.services.accountConfig.skills.get(SYSTEM_CALLER, { accountId }, skillId)).value.name
    } catch (error) {
      if (isParleyError(error) && error.code === 'RESOURCE_NOT_FOUND') return UNASSIGNED_SKILL_NAME
      throw error
    }
  }

  const heldChat = (context: AgentContext, chatId: string): Promise<Chat> =>
    app.services.chat.agentChat(context.session.accountId, context.session.userId, chatId)

  const sendEmpty = (reply: FastifyReply): FastifyReply => reply.code(200).send()

  // A8: how many chats ring this agent, with the accept link while any does.
  app.get(
    `${session}/incomingRequests`,
    { ...AGENT_CHAT_ROUTE, schema: { params: SessionParams } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      const ringing = await app.services.chat.ringingCount(context.session.accountId, context.session.userId)
      const acceptHref = `${agentSessionUrl(options.base, context.session.id)}/incomingRequests`
      return sendPresented(request, reply, presentIncomingRequests(ringing, acceptHref))
    },
  )

  // A9: the body (`{}`, `{"chat": "start"}` or none) carries nothing; 404 when nothing rings.
  app.post(
    `${session}/incomingRequests`,
    { ...AGENT_CHAT_ROUTE, schema: { params: SessionParams } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      const accepted = await app.services.chat.acceptChat(context.session.accountId, context.session.userId)
      const location = agentChatUrl(options.base, context.session.id, accepted.key)
      reply.code(201).header('location', location)
      return sendPresented(request, reply, presentChatLocation(location))
    },
  )

  // A10: the user's open chats (all of their sessions), linked through the requesting session.
  app.get(
    `${session}/chatSessions`,
    { ...AGENT_CHAT_ROUTE, schema: { params: SessionParams } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      const held = await app.services.chat.heldChats(context.session.accountId, context.session.userId)
      const sessions = held.map(({ chat: heldChat, acceptedAt }) => ({
        chatSessionKey: heldChat.key,
        startTime: acceptedAt,
      }))
      return sendPresented(request, reply, presentChatSessions(sessions, options))
    },
  )

  // A11: several chats at once; keys this agent cannot use are skipped.
  app.get(
    `${session}/chat`,
    { ...AGENT_CHAT_ROUTE, schema: { params: SessionParams, querystring: MultiChatQuery } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      const { accountId, userId } = context.session
      const keys = splitList(request.query.chatSessionKeys)
      const froms = splitList(request.query.fromEventIds)
      const views = []
      for (const [index, key] of keys.entries()) {
        const from = nonNegativeInt(froms[index])
        try {
          const found = await app.services.chat.agentChat(accountId, userId, key)
          const events = await app.services.chat.agentEvents(accountId, userId, key, from)
          views.push(toChatView(found, await skillName(accountId, found.skillId), events, from))
        } catch (error) {
          if (!isParleyError(error) || error.code !== 'CHAT_NOT_FOUND') throw error
        }
      }
      return sendPresented(request, reply, presentAgentChats(views, options))
    },
  )

  /** Decision D10: with `wait`, holds the request until an event with id >= `from` exists for this agent. */
  const waitForAgentEvents = async (context: AgentContext, chatId: string, from: number, wait?: string) => {
    const waitMs = parseWait(wait) * 1000
    if (waitMs <= 0) return
    const { accountId, userId } = context.session
    await app.services.chat.waitForEvents(accountId, chatId, from, waitMs, { kind: 'agent', userId })
    // The agent was there for the whole hold: its answer counts as a request (presence).
    await app.services.agents.recordActivity(context.session)
  }

  // A12: the agent chat resource, every event from `from` (ONLY_TO_REP included).
  app.get(
    chat,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams, querystring: FromQuery } },
    async (request, reply) => {
      const context = request.agent
      const { accountId, userId } = context.session
      const from = nonNegativeInt(request.query.from)
      await waitForAgentEvents(context, request.params.chatId, from, request.query.wait)
      // The polling path: independent reads run together.
      const [options, events, current] = await Promise.all([
        presentOptions(request, context),
        app.services.chat.agentEvents(accountId, userId, request.params.chatId, from),
        heldChat(context, request.params.chatId),
      ])
      const view = toChatView(current, await skillName(accountId, current.skillId), events, from)
      return sendPresented(request, reply, presentAgentChat(view, options))
    },
  )

  // A13: events from `from`.
  app.get(
    `${chat}/events`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams, querystring: FromQuery } },
    async (request, reply) => {
      const context = request.agent
      const from = nonNegativeInt(request.query.from)
      const { chatId } = request.params
      await waitForAgentEvents(context, chatId, from, request.query.wait)
      const [options, events] = await Promise.all([
        presentOptions(request, context),
        app.services.chat.agentEvents(context.session.accountId, context.session.userId, chatId, from),
      ])
      return sendPresented(request, reply, presentAgentEvents(chatId, events.map(toEventView), from, options))
    },
  )

  // The A14 `Location`: one event, ONLY_TO_REP lines included.
  app.get(
    `${chat}/events/:eventId`,
    { ...AGENT_CHAT_ROUTE, schema: { params: EventParams } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      const eventId = /^\d{1,15}$/.test(request.params.eventId) ? Number(request.params.eventId) : -1
      if (eventId < 0) throw new ParleyError('RESOURCE_NOT_FOUND', 'Resource not found')
      const { accountId, userId } = context.session
      const events = await app.services.chat.agentEvents(accountId, userId, request.params.chatId, eventId)
      const [event] = events.filter((candidate) => candidate.id === eventId).map(toEventView)
      if (!event) throw new ParleyError('RESOURCE_NOT_FOUND', 'Resource not found')
      return sendPresented(request, reply, presentAgentEvent(event, options))
    },
  )

  // A14: a line (plain, html sanitised, rich-content) or `state: ended`; 201 + Location + body (D2).
  app.post(
    `${chat}/events`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams, body: AgentEventBody } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      const { accountId, userId } = context.session
      const { chatId } = request.params
      const event = request.body.event
      const type = event['@type'] ?? event.type
      let eventId: number
      if (type === 'line') {
        const idempotency = parseIdempotencyKey(request.headers['idempotency-key'])
        const line = await app.services.chat.addAgentLine(
          accountId,
          userId,
          chatId,
          { text: event.text, textType: event.textType, subType: event.subType, json: richContent(event.json) },
          idempotency,
        )
        eventId = line.id
      } else if (type === 'state') {
        if (event.state !== 'ended') throw invalid('event.state', 'only ended may be posted')
        eventId = (await app.services.chat.endByAgent(accountId, userId, chatId)).id
      } else {
        throw invalid('event.@type', 'must be line or state')
      }
      const location = `${agentChatUrl(options.base, context.session.id, chatId)}/events/${eventId}`
      reply.code(201).header('location', location)
      return sendPresented(request, reply, presentChatEventLocation(chatId, eventId, options))
    },
  )

  // A15: stand-alone info (`href`/`rel` without `@`).
  app.get(`${chat}/info`, { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } }, async (request, reply) => {
    const context = request.agent
    const options = await presentOptions(request, context)
    const current = await heldChat(context, request.params.chatId)
    const info = toChatInfoView(current, await skillName(current.accountId, current.skillId))
    return sendPresented(request, reply, presentAgentInfo(info, options))
  })

  // A16-A18: the sub-resources read no skill name.
  app.get(
    `${chat}/info/visitorName`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } },
    async (request, reply) => {
      const current = await heldChat(request.agent, request.params.chatId)
      return sendPresented(request, reply, presentAgentSideVisitorName(toChatInfoView(current, '')))
    },
  )

  app.get(
    `${chat}/info/visitorTyping`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } },
    async (request, reply) => {
      const current = await heldChat(request.agent, request.params.chatId)
      return sendPresented(request, reply, presentAgentSideVisitorTyping(toChatInfoView(current, '')))
    },
  )

  app.get(
    `${chat}/info/agentTyping`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } },
    async (request, reply) => {
      const current = await heldChat(request.agent, request.params.chatId)
      return sendPresented(request, reply, presentAgentSideAgentTyping(toChatInfoView(current, '')))
    },
  )

  // A19: 200, empty body (D2); other values, or an ended chat, 400.
  app.put(
    `${chat}/info/agentTyping`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams, body: AgentTypingBody } },
    async (request, reply) => {
      const context = request.agent
      const value = request.body.agentTyping
      if (value !== 'typing' && value !== 'not-typing') throw invalid('agentTyping', 'must be typing or not-typing')
      const { accountId, userId } = context.session
      await app.services.chat.setAgentTyping(accountId, userId, request.params.chatId, value === 'typing')
      return sendEmpty(reply)
    },
  )

  // A20: skills with an Online agent other than the chat's current agent.
  app.get(`${chat}/transfer`, { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } }, async (request, reply) => {
    const context = request.agent
    const { accountId } = context.session
    const current = await heldChat(context, request.params.chatId)
    const [skills, agents] = await Promise.all([
      app.services.accountConfig.skills.list(SYSTEM_CALLER, { accountId }),
      app.services.agents.connectedAgents(accountId),
    ])
    return sendPresented(
      request,
      reply,
      presentTransferSkills(transferSkills(skills.value, agents, current.agentUserId)),
    )
  })

  // A21: to an agent (wins when both are given) or a skill, with an optional note; 200, empty body.
  app.post(
    `${chat}/transfer`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams, body: TransferBody } },
    async (request, reply) => {
      const context = request.agent
      const { transfer } = request.body
      const agentId = transfer.agent?.id ?? transfer.agent?.['@id']
      const skillId = transfer.skill?.id ?? transfer.skill?.['@id']
      const { accountId, userId } = context.session
      await app.services.chat.transfer(accountId, userId, request.params.chatId, {
        agentId,
        skillId: agentId === undefined ? skillId : undefined,
        text: transfer.text ?? request.body.text,
      })
      return sendEmpty(reply)
    },
  )

  // A22: the link exists (link order) but Parley transfers within its own account only.
  app.post(`${chat}/transferAccount`, { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } }, async (request) => {
    await heldChat(request.agent, request.params.chatId)
    throw new ParleyError('VALIDATION_FAILED', 'Account transfer is not supported')
  })

  // A24: no collaboration channels; the resource only links to itself.
  app.get(
    `${chat}/collaborationChannels`,
    { ...AGENT_CHAT_ROUTE, schema: { params: ChatParams } },
    async (request, reply) => {
      const context = request.agent
      const options = await presentOptions(request, context)
      await heldChat(context, request.params.chatId)
      const href = `${agentChatUrl(options.base, context.session.id, request.params.chatId)}/collaborationChannels`
      return sendPresented(request, reply, presentCollaborationChannels(href))
    },
  )
}

/** `K1,K2` → `['K1', 'K2']`, blanks dropped. */
function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/** XML carries a rich-content payload as a text node holding the JSON (wire-conventions.md §7). */
function richContent(json: unknown): unknown {
  if (typeof json !== 'string') return json
  try {
    return JSON.parse(json) as unknown
  } catch {
    return json
  }
}
