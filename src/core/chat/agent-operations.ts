import { invalid, ParleyError } from '../errors.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import { allocateEvents, stateEvent, systemLine, type EventSpec } from './chat-events.ts'
import type { ChatEngineParts } from './chat-engine-parts.ts'
import { currentEngagement, notInChat } from './chat-reads.ts'
import type { ChatService, HeldChat } from './chat-service.types.ts'
import type { Chat, ChatEvent, ChatTextType, LineSubType } from './chat.types.ts'
import { END_REASON, START_REASON, type EndReason, type StartReason } from './engagement-reasons.ts'
import { idempotencyScopes } from './idempotency.ts'
import { hasFreeSlot, servesSkill } from './routing.ts'
import { answeredSurvey } from './survey-items.ts'
import { surveyAnswersOf } from './survey-submission.ts'
import { SYSTEM_MESSAGE, type SystemMessageId } from './system-messages.ts'
import { visibleEvents } from './visibility.ts'

/** estimatedWaitTime: the mean of this many latest accepts, once at least the minimum exist. */
const RECENT_WAIT_SAMPLE = 20
const RECENT_WAIT_MINIMUM = 5
const TEXT_TYPES: readonly ChatTextType[] = ['plain', 'html', 'rich-content']
const SUB_TYPES: readonly LineSubType[] = ['REGULAR', 'ONLY_TO_REP']

/** The agent's side of the engine (agent-api.md): ChatService's agent and routing operations. */
export type AgentOperations = Pick<
  ChatService,
  | 'ringingChats'
  | 'ringingCount'
  | 'acceptChat'
  | 'heldChats'
  | 'agentChat'
  | 'agentEvents'
  | 'addAgentLine'
  | 'submitAgentSurvey'
  | 'setAgentTyping'
  | 'endByAgent'
  | 'transfer'
  | 'requeueAgentChats'
  | 'recentWaitTime'
  | 'chatLoad'
  | 'chatSessions'
  | 'routeAccount'
  | 'requeueStranded'
>

export interface AgentOperationsDeps extends ChatEngineParts {
  /** Applies agent-api.md A14's HTML rules to agent `html` lines before they are stored. */
  sanitizeHtml(html: string): string
}

export function createAgentOperations(parts: AgentOperationsDeps): AgentOperations {
  const { db, clock, reads, transitions, sections, routing } = parts
  const { agentAccess } = reads

  const ops: AgentOperations = {
    async ringingChats(accountId, userId) {
      return (await chatsRepository.listByAgent(db, accountId, userId)).filter(
        (chat) => chat.state === 'waiting' && chat.ringingUserId === userId,
      )
    },

    ringingCount: (accountId, userId) => chatsRepository.countRinging(db, accountId, userId),

    async acceptChat(accountId, userId) {
      return sections.mutate(accountId, async () => {
        const [chat] = await ops.ringingChats(accountId, userId)
        if (!chat) throw new ParleyError('RESOURCE_NOT_FOUND', 'No chat is ringing for this agent')
        const user = await usersRepository.findById(db, accountId, userId)
        const nickname = user?.nickname ?? ''
        const now = clock.now()
        const { events, nextEventId } = allocateEvents(
          chat,
          [stateEvent('chatting'), systemLine(chat, SYSTEM_MESSAGE.agentJoined, nickname)],
          now,
        )
        const after: Chat = {
          ...chat,
          state: 'chatting',
          nextEventId,
          agentUserId: userId,
          agentNickname: nickname,
          agentTyping: false,
          ringingUserId: null,
          ringStartedAt: null,
          ringSkipped: [],
          targetAgentId: null,
          waitingSince: null,
        }
        const guard = { state: 'waiting', ringingUserId: userId } as const
        await transitions.commit(chat, after, events, { guard }, async (tx) => {
          const engagement = await currentEngagement(tx, chat)
          await chatsRepository.updateEngagement(tx, {
            ...engagement,
            acceptedAt: now,
            agentUserId: userId,
            agentGroupId: user?.memberOf.agentGroupId ?? -1,
          })
        })
        return after
      })
    },

    async heldChats(accountId, userId) {
      const chats = (await chatsRepository.listByAgent(db, accountId, userId)).filter(
        (chat) => chat.state === 'chatting' && chat.agentUserId === userId,
      )
      const held: HeldChat[] = []
      for (const chat of chats) {
        const engagement = await chatsRepository.findEngagement(db, chat.key, chat.sequence)
        held.push({ chat, acceptedAt: engagement?.acceptedAt ?? chat.requestedAt })
      }
      return held
    },

    agentChat: (accountId, userId, chatKey) => agentAccess(accountId, userId, chatKey, 'cache'),

    async agentEvents(accountId, userId, chatKey, from = 0) {
      const chat = await agentAccess(accountId, userId, chatKey, 'cache')
      return visibleEvents(await reads.eventsFrom(chat, from), 'agent')
    },

    async addAgentLine(accountId, userId, chatKey, input, idempotency) {
      const textType = (input.textType ?? 'plain') as ChatTextType
      if (!TEXT_TYPES.includes(textType)) throw invalid('textType', 'must be plain, html or rich-content')
      const subType = (input.subType ?? 'REGULAR') as LineSubType
      if (!SUB_TYPES.includes(subType)) throw invalid('subType', 'must be REGULAR or ONLY_TO_REP')
      let body: { text: string } | { json: unknown }
      if (textType === 'rich-content') {
        const json = input.json
        if (typeof json !== 'object' || json === null || Array.isArray(json) || !('type' in json))
          throw invalid('json', 'rich-content needs an object with a type')
        body = { json }
      } else {
        if (typeof input.text !== 'string' || input.text.trim() === '') throw invalid('text', 'must not be empty')
        body = { text: textType === 'html' ? parts.sanitizeHtml(input.text) : input.text }
      }
      const keyId = idempotency && {
        accountId,
        scope: idempotencyScopes.agentLine(chatKey, userId),
        key: idempotency.key,
      }
      return transitions.idempotent(
        keyId,
        (claim) =>
          sections.mutateChat(chatKey, async () => {
            const chat = await agentAccess(accountId, userId, chatKey)
            if (chat.state !== 'chatting') throw notInChat()
            const line: EventSpec = {
              type: 'line',
              source: 'agent',
              by: chat.agentNickname ?? '',
              textType,
              ...body,
              subType,
              agentUserId: userId,
            }
            const [event] = await transitions.append(
              chat,
              [line],
              { agentTyping: false },
              claim ? { extra: (tx, events) => claim(tx, String(events[0]!.id)) } : {},
            )
            return event as ChatEvent
          }),
        (ref) => reads.storedEvent(chatKey, ref),
      )
    },

    async submitAgentSurvey(accountId, userId, chatKey, body) {
      const parsed = await surveyAnswersOf(db, accountId, body, 'agent')
      const chat = await sections.mutateChat(chatKey, async () => {
        const current = await agentAccess(accountId, userId, chatKey)
        await chatsRepository.replaceSurveyAnswers(
          db,
          chatKey,
          answeredSurvey('agent', current.sequence, parsed.survey, parsed.answers, userId, clock.now()),
        )
        return current
      })
      if (chat.state === 'ended') await parts.archiveNow(chat.key, chat.sequence)
    },

    async setAgentTyping(accountId, userId, chatKey, typing) {
      await sections.mutateChat(chatKey, async () => {
        const chat = await agentAccess(accountId, userId, chatKey)
        if (chat.state === 'ended')
          throw new ParleyError('CHAT_ENDED', "Cannot set agent's typing status. Chat was ended")
        await transitions.append(chat, [], { agentTyping: typing })
      })
    },

    async endByAgent(accountId, userId, chatKey) {
      return sections.mutate(accountId, async (ended) => {
        const chat = await agentAccess(accountId, userId, chatKey)
        if (chat.state === 'ended') return reads.endedEvent(chat)
        const event = await transitions.endChat(chat, {
          systemMessageId: SYSTEM_MESSAGE.thankYou,
          endReason: END_REASON.agentEnded,
        })
        ended.push({ key: chat.key, sequence: chat.sequence })
        await routing.routeSafely(accountId)
        return event
      })
    },

    async transfer(accountId, userId, chatKey, input) {
      await sections.mutate(accountId, async (ended) => {
        const chat = await agentAccess(accountId, userId, chatKey)
        if (chat.state !== 'chatting') throw new ParleyError('CHAT_NOT_IN_CHAT', 'Cannot transfer while not in chat')
        const agents = await parts.agents.connectedAgents(accountId)
        let next: { skillId: number; targetAgentId: number | null }
        let systemId: SystemMessageId
        let reasons: [EndReason, StartReason]
        if (input.agentId !== undefined) {
          if (input.agentId === userId) throw invalid('transfer', 'cannot transfer a chat to its own agent')
          const user = await usersRepository.findById(db, accountId, input.agentId)
          if (!user || user.deleted) throw invalid('transfer', `unknown agent ${input.agentId}`)
          const target = agents.find((agent) => agent.userId === input.agentId)
          if (!target || (target.availability !== 'Online' && target.availability !== 'Occupied'))
            throw invalid('transfer', `agent ${input.agentId} is not available`)
          // A full target would leave the chat waiting for them indefinitely: refuse instead.
          if (!hasFreeSlot(target, await chatsRepository.userLoad(db, accountId, target.userId)))
            throw invalid('transfer', `agent ${input.agentId} has no free slot`)
          next = { skillId: chat.skillId, targetAgentId: target.userId }
          systemId = SYSTEM_MESSAGE.transferToAgent
          reasons = [END_REASON.transferToAgent, START_REASON.transfer]
        } else if (input.skillId !== undefined) {
          const skillId = input.skillId
          const skill = skillId === -1 ? undefined : await skillsRepository.findById(db, accountId, skillId)
          if (skillId !== -1 && (!skill || skill.deleted)) throw invalid('transfer', `unknown skill ${skillId}`)
          const online = agents.some(
            (agent) => agent.userId !== userId && agent.availability === 'Online' && servesSkill(agent, skillId),
          )
          if (!online) throw invalid('transfer', `no agent of skill ${skillId} is online`)
          next = { skillId, targetAgentId: null }
          systemId = SYSTEM_MESSAGE.transferToSkill
          reasons = [END_REASON.transferToSkill, START_REASON.skillReassign]
        } else {
          throw invalid('transfer', 'needs a skill or an agent')
        }
        const note = input.text?.trim()
        const specs: EventSpec[] = [
          ...(note
            ? [
                {
                  type: 'line' as const,
                  source: 'agent' as const,
                  by: chat.agentNickname ?? '',
                  textType: 'plain' as const,
                  text: note,
                  subType: 'ONLY_TO_REP' as const,
                  agentUserId: userId,
                },
              ]
            : []),
          systemLine(chat, systemId),
        ]
        await transitions.restartWaiting(chat, specs, reasons[0], reasons[1], next)
        ended.push({ key: chat.key, sequence: chat.sequence })
        await routing.routeSafely(accountId)
      })
    },

    async requeueAgentChats(accountId, userId) {
      await sections.mutate(accountId, async (ended) => {
        for (const chat of await chatsRepository.listByAgent(db, accountId, userId)) {
          if (chat.state === 'chatting' && chat.agentUserId === userId) {
            const specs = [systemLine(chat, SYSTEM_MESSAGE.returnedToQueue)]
            await transitions.restartWaiting(chat, specs, END_REASON.agentDisconnected, START_REASON.acdAttempt, {
              skillId: chat.skillId,
              targetAgentId: null,
            })
            ended.push({ key: chat.key, sequence: chat.sequence })
          } else if (chat.state === 'waiting' && chat.ringingUserId === userId) {
            const after = { ...chat, ringingUserId: null, ringStartedAt: null, targetAgentId: null }
            await transitions.commit(chat, after, [], { guard: { state: 'waiting', ringingUserId: userId } })
          }
        }
        await routing.routeSafely(accountId)
      })
    },

    chatLoad: (accountId) => chatsRepository.chatLoad(db, accountId),

    async recentWaitTime(accountId, skillId) {
      const since = clock.now() - 24 * 60 * 60 * 1000
      const waits = await chatsRepository.recentAcceptWaits(db, accountId, skillId, since, RECENT_WAIT_SAMPLE)
      if (waits.length < RECENT_WAIT_MINIMUM) return -2
      return Math.max(1, Math.round(waits.reduce((sum, wait) => sum + wait, 0) / waits.length / 1000))
    },

    async chatSessions(accountId, userId) {
      return (await ops.heldChats(accountId, userId))
        .map((held) => ({ chatId: held.chat.key, startTime: held.acceptedAt }))
        .sort((a, b) => a.startTime - b.startTime)
    },

    async routeAccount(accountId) {
      await sections.withAccount(accountId, () => routing.route(accountId))
    },

    async requeueStranded(accountId, options = {}) {
      return sections.withAccount(accountId, async () => {
        const changed = await routing.requeueStranded(accountId, options.unservedSkills ?? false)
        if (changed > 0) await routing.routeSafely(accountId)
        return changed
      })
    },
  }
  return ops
}
