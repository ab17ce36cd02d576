import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import { SYSTEM_CALLER } from '../../core/account-config/account-config.types.ts'
import type { Chat } from '../../core/chat/chat.types.ts'
import { invalid, isParleyError, ParleyError } from '../../core/errors.ts'
import { nameKey } from '../../core/text/name-key.ts'
import { parseIdempotencyKey } from '../../core/chat/idempotency.ts'
import type { Actor } from '../../core/actor.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { hasVisitPrivilege, VISITOR_ROUTE } from '../../http/auth/visitor-auth.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { sendWire } from '../../http/reply.ts'
import { sendPresented, visitorChatUrl } from './chat-links.ts'
import { toChatInfoView, toChatView, toEventView, UNASSIGNED_SKILL_NAME } from './chat-view.mapper.ts'
import type { LinkBase } from './chat-views.ts'
import {
  presentAgentTyping,
  presentVisitorChat,
  presentVisitorEvent,
  presentVisitorEvents,
  presentVisitorInfo,
  presentVisitorName,
  presentVisitorTyping,
} from './chat.presenter.ts'
import {
  agentAvailable,
  agentSlots,
  availableSlots,
  estimatedWaitTime,
  isAvailable,
  WAIT_ALL_BUSY,
  type AgentSnapshot,
} from './visitor-availability.ts'
import {
  AccountParams,
  AvailabilityQuery,
  AvailableSlotsQuery,
  ChatParams,
  ChatQuery,
  ChatRequestBody,
  CustomVariablesBody,
  EventBody,
  EventParams,
  first,
  VisitorNameBody,
  VisitorTypingBody,
  WaitTimeQuery,
} from './visitor-chat.schemas.ts'
import { parseWait } from './long-poll.ts'

const CHAT = '/api/account/:accountId/chat/:chatId'

/**
 * Visitor Server Chat API, the chat itself (chat-api.md V7-V16, V21): chat request, chat
 * resource, events (list, one event, post a line or the end), info and its sub-resources, custom
 * variables. Visitor app key (header or query) or OAuth 1.0a with the `visitor` permission; JSON or
 * XML (D1). Every request on a chat key first moves the chat's `lastUpdate` (§12.3), so a visitor
 * who keeps polling never times out, whatever the request asks for.
 */
export function registerVisitorChatRoutes(app: ParleyApp, deps: { config: Config }): void {
  const chat = () => app.services.chat

  const linkBase = (request: FastifyRequest, accountId: string): LinkBase => ({
    origin: linkOrigin(request, deps.config),
    accountId,
  })
  const timeZoneOf = async (accountId: string): Promise<string> =>
    (await app.services.accounts.requireAccount(accountId)).timeZone
  const skillNameOf = async (found: Chat): Promise<string> => {
    if (found.skillId === -1) return UNASSIGNED_SKILL_NAME
    try {
      const skill = await app.services.accountConfig.skills.get(
        SYSTEM_CALLER,
        { accountId: found.accountId },
        found.skillId,
      )
      return skill.value.name
    } catch (error) {
      if (isParleyError(error) && error.code === 'RESOURCE_NOT_FOUND') return UNASSIGNED_SKILL_NAME
      throw error
    }
  }
  /** Records the visitor's request on the chat (CHAT_NOT_FOUND for a key of another account), then reads it. */
  const touchedChat = async (accountId: string, chatId: string): Promise<Chat> => {
    await chat().touchVisitor(accountId, chatId)
    return chat().getChat(accountId, chatId)
  }
  const emptyOk = (reply: FastifyReply): FastifyReply => reply.code(200).send()
  /** D2: `{}` in JSON mode, an empty body in XML mode. */
  const emptyObject = (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    request.wire.format === 'json' ? reply.code(200).type('application/json; charset=UTF-8').send('{}') : emptyOk(reply)

  // V7: 201, empty body, Location = chat URL (Decision D2).
  app.post(
    '/api/account/:accountId/chat/request',
    { schema: { params: AccountParams, body: ChatRequestBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId } = request.params
      const idempotency = parseIdempotencyKey(request.headers['idempotency-key'])
      const created = await chat().requestChat(
        accountId,
        request.body,
        { visitorIp: request.ip, userAgent: request.headers['user-agent'] ?? '' },
        idempotency && { ...idempotency, credential: visitorCredential(request.actor) },
      )
      return reply
        .code(201)
        .header('location', visitorChatUrl(linkBase(request, accountId), created.key))
        .send()
    },
  )

  /**
   * Records the visitor's request, then with `wait` (Decision D10) holds it until an event with
   * id >= `from` the visitor may see exists; the engine counts a held poll as visitor activity.
   */
  const touchAndWait = async (accountId: string, chatId: string, from: number, wait: string | undefined) => {
    await chat().touchVisitor(accountId, chatId)
    const waitMs = parseWait(wait) * 1000
    if (waitMs > 0) await chat().waitForEvents(accountId, chatId, from, waitMs, { kind: 'visitor' })
  }

  // V8: links, events from `from`, info; `visit-session` last for keys with the Visit API privilege.
  app.get(
    CHAT,
    { schema: { params: ChatParams, querystring: ChatQuery }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      const from = parseFrom(first(request.query.from))
      await touchAndWait(accountId, chatId, from, first(request.query.wait))
      const [{ chat: found, events }, timeZone] = await Promise.all([
        chat().pollVisitor(accountId, chatId, from),
        timeZoneOf(accountId),
      ])
      const view = toChatView(found, await skillNameOf(found), events, from)
      return sendPresented(
        request,
        reply,
        presentVisitorChat(view, {
          base: linkBase(request, accountId),
          timeZone,
          visitSession: hasVisitPrivilege(request.actor),
        }),
      )
    },
  )

  // V9: links `self`, `next`, events from `from`.
  app.get(
    `${CHAT}/events`,
    { schema: { params: ChatParams, querystring: ChatQuery }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      const from = parseFrom(first(request.query.from))
      await touchAndWait(accountId, chatId, from, first(request.query.wait))
      const [{ events }, timeZone] = await Promise.all([
        chat().pollVisitor(accountId, chatId, from),
        timeZoneOf(accountId),
      ])
      return sendPresented(
        request,
        reply,
        presentVisitorEvents(chatId, events.map(toEventView), from, { base: linkBase(request, accountId), timeZone }),
      )
    },
  )

  // V10: a line or `state=ended`; 201, empty body, Location of the new (or existing `ended`) event.
  app.post(
    `${CHAT}/events`,
    { schema: { params: ChatParams, body: EventBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      const event = request.body.event ?? request.body
      const type = event['@type'] ?? event.type
      await chat().touchVisitor(accountId, chatId)
      let id: number
      if (type === 'line') {
        if (event.text === undefined || event.text.trim() === '') throw invalid('event.text', 'must not be empty')
        const idempotency = parseIdempotencyKey(request.headers['idempotency-key'])
        id = (await chat().addVisitorLine(accountId, chatId, event.text, idempotency)).id
      } else if (type === 'state') {
        if (event.state !== 'ended') throw invalid('event.state', 'only ended may be posted')
        id = (await chat().endByVisitor(accountId, chatId)).id
      } else {
        throw invalid('event.@type', 'must be line or state')
      }
      const location = `${visitorChatUrl(linkBase(request, accountId), chatId)}/events/${id}`
      return reply.code(201).header('location', location).send()
    },
  )

  // The Location of a posted event: `{"event": {...}}`.
  app.get(`${CHAT}/events/:eventId`, { schema: { params: EventParams }, ...VISITOR_ROUTE }, async (request, reply) => {
    const { accountId, chatId, eventId } = request.params
    await chat().touchVisitor(accountId, chatId)
    if (!/^\d{1,15}$/.test(eventId)) throw new ParleyError('CHAT_NOT_FOUND', 'Resource not found')
    const [event, timeZone] = await Promise.all([
      chat().visitorEvent(accountId, chatId, Number(eventId)),
      timeZoneOf(accountId),
    ])
    const presented = presentVisitorEvent(toEventView(event), { timeZone })
    if (!presented) throw new ParleyError('CHAT_NOT_FOUND', 'Resource not found')
    return sendPresented(request, reply, presented)
  })

  // V11: stand-alone info (`href`/`rel`, lists always arrays).
  app.get(`${CHAT}/info`, { schema: { params: ChatParams }, ...VISITOR_ROUTE }, async (request, reply) => {
    const { accountId, chatId } = request.params
    const found = await touchedChat(accountId, chatId)
    const [skillName, timeZone] = await Promise.all([skillNameOf(found), timeZoneOf(accountId)])
    return sendPresented(
      request,
      reply,
      presentVisitorInfo(toChatInfoView(found, skillName), { base: linkBase(request, accountId), timeZone }),
    )
  })

  // V12-V16: the sub-resources never show the skill, so it is not looked up.
  app.get(`${CHAT}/info/visitorName`, { schema: { params: ChatParams }, ...VISITOR_ROUTE }, async (request, reply) => {
    const { accountId, chatId } = request.params
    const found = await touchedChat(accountId, chatId)
    return sendPresented(request, reply, presentVisitorName(toChatInfoView(found, '')))
  })

  app.put(
    `${CHAT}/info/visitorName`,
    { schema: { params: ChatParams, body: VisitorNameBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      const name = request.body.visitorName.trim()
      await chat().touchVisitor(accountId, chatId)
      if (name === '') throw invalid('visitorName', 'must not be empty')
      await chat().setVisitorName(accountId, chatId, name)
      return emptyOk(reply)
    },
  )

  app.get(
    `${CHAT}/info/visitorTyping`,
    { schema: { params: ChatParams }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      const found = await touchedChat(accountId, chatId)
      return sendPresented(request, reply, presentVisitorTyping(toChatInfoView(found, '')))
    },
  )

  app.put(
    `${CHAT}/info/visitorTyping`,
    { schema: { params: ChatParams, body: VisitorTypingBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      await chat().touchVisitor(accountId, chatId)
      await chat().setVisitorTyping(accountId, chatId, request.body.visitorTyping === 'typing')
      return emptyOk(reply)
    },
  )

  app.get(`${CHAT}/info/agentTyping`, { schema: { params: ChatParams }, ...VISITOR_ROUTE }, async (request, reply) => {
    const { accountId, chatId } = request.params
    const found = await touchedChat(accountId, chatId)
    return sendPresented(request, reply, presentAgentTyping(toChatInfoView(found, '')))
  })

  // V21: merged by name; `{}` (JSON) or an empty body (XML).
  app.put(
    `${CHAT}/customVariables`,
    { schema: { params: ChatParams, body: CustomVariablesBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      await chat().touchVisitor(accountId, chatId)
      await chat().setCustomVariables(accountId, chatId, request.body)
      return emptyObject(request, reply)
    },
  )

  registerAvailabilityRoutes(app)
}

/** V1-V3 (chat-api.md §5) from the connected agents and the engine's chat load. */
function registerAvailabilityRoutes(app: ParleyApp): void {
  const snapshotOf = async (accountId: string): Promise<AgentSnapshot> => {
    const [agents, load] = await Promise.all([
      app.services.agents.connectedAgents(accountId),
      app.services.chat.chatLoad(accountId),
    ])
    return { agents, load }
  }
  /**
   * Skill ids by name, compared as routing and the chat request compare them (`nameKey`); a name
   * the account does not have is the unassigned skill -1.
   */
  const skillResolver = async (accountId: string): Promise<(name: string) => number> => {
    const skills = (await app.services.accountConfig.skills.list(SYSTEM_CALLER, { accountId })).value
    const byName = new Map(skills.map((skill) => [nameKey(skill.name), skill.id]))
    return (name) => byName.get(nameKey(name)) ?? -1
  }
  const agentByLogin = (snapshot: AgentSnapshot, login: string) => {
    const key = nameKey(login)
    return snapshot.agents.find((agent) => nameKey(agent.loginName) === key)
  }

  app.get(
    '/api/account/:accountId/chat/availability',
    { schema: { params: AccountParams, querystring: AvailabilityQuery }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId } = request.params
      const { maxWaitTime } = request.query
      const agent = first(request.query.agent)
      const snapshot = await snapshotOf(accountId)
      if (agent !== undefined) {
        return sendWire(request, reply, { availability: agentAvailable(snapshot, agentByLogin(snapshot, agent)) })
      }
      const serviceQueue = first(request.query.serviceQueue)
      const names = request.query.skill ?? (serviceQueue === undefined ? [] : [serviceQueue])
      const skillIdOf = names.length === 0 ? () => -1 : await skillResolver(accountId)
      const available = (skillId: number | undefined): boolean =>
        isAvailable(snapshot, skillId, maxWaitTime, WAIT_ALL_BUSY)
      if (names.length <= 1) {
        const name = names[0]
        return sendWire(request, reply, { availability: available(name === undefined ? undefined : skillIdOf(name)) })
      }
      const skillAvailability = names.map((name) => ({ skill: name, isAvailable: available(skillIdOf(name)) }))
      return sendWire(request, reply, { availability: { AvailabilityForSkills: { skillAvailability } } })
    },
  )

  app.get(
    '/api/account/:accountId/chat/availableSlots',
    { schema: { params: AccountParams, querystring: AvailableSlotsQuery }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId } = request.params
      const agent = first(request.query.agent)
      const snapshot = await snapshotOf(accountId)
      if (agent !== undefined) {
        return sendWire(request, reply, { availableSlots: agentSlots(snapshot, agentByLogin(snapshot, agent)) })
      }
      const name = first(request.query.skill) ?? first(request.query.serviceQueue)
      const skillId = name === undefined ? undefined : (await skillResolver(accountId))(name)
      return sendWire(request, reply, { availableSlots: availableSlots(snapshot, skillId) })
    },
  )

  app.get(
    '/api/account/:accountId/chat/estimatedWaitTime',
    { schema: { params: AccountParams, querystring: WaitTimeQuery }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId } = request.params
      const snapshot = await snapshotOf(accountId)
      const name = first(request.query.skill) ?? first(request.query.serviceQueue)
      const skillId = name === undefined ? undefined : (await skillResolver(accountId))(name)
      // All agents busy: the mean wait of recent accepts (or -2 without enough of them).
      const busyWait = () => app.services.chat.recentWaitTime(accountId, skillId)
      const wait = estimatedWaitTime(snapshot, skillId, WAIT_ALL_BUSY)
      return sendWire(request, reply, { estimatedWaitTime: wait === WAIT_ALL_BUSY ? await busyWait() : wait })
    },
  )
}

/** The visitor credential an `Idempotency-Key` of a chat request belongs to. */
function visitorCredential(actor: Actor | null): string {
  if (actor?.kind === 'visitorApp') return `app-key:${actor.appKeyId}`
  if (actor?.kind === 'apiKey') return `api-key:${actor.apiKeyId}`
  return 'anonymous'
}

/** `from`: decimal digits, else 0 (chat-api.md §9.1: non-numeric or negative → 0). */
export function parseFrom(value: string | undefined): number {
  if (value === undefined || !/^\d+$/.test(value.trim())) return 0
  const parsed = Number(value.trim())
  return Number.isSafeInteger(parsed) ? parsed : Number.MAX_SAFE_INTEGER
}
