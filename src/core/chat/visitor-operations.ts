import { invalid, ParleyError } from '../errors.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import { notInChat, chatNotFound } from './chat-reads.ts'
import type { ChatEngineParts } from './chat-engine-parts.ts'
import { createChatRequest } from './chat-request.ts'
import type { ChatService } from './chat-service.types.ts'
import type { ChatEvent } from './chat.types.ts'
import { END_REASON } from './engagement-reasons.ts'
import { idempotencyScopes } from './idempotency.ts'
import { mergeCustomVariables, parseCustomVariables } from './request-fields.ts'
import { answeredSurvey } from './survey-items.ts'
import { surveyAnswersOf } from './survey-submission.ts'
import { SYSTEM_MESSAGE } from './system-messages.ts'
import { visibleEvents } from './visibility.ts'

/** The visitor's side of the engine (chat-api.md): ChatService's visitor operations. */
export type VisitorOperations = Pick<
  ChatService,
  | 'requestChat'
  | 'getChat'
  | 'visitorEvents'
  | 'visitorEvent'
  | 'addVisitorLine'
  | 'endByVisitor'
  | 'setVisitorName'
  | 'setVisitorTyping'
  | 'setCustomVariables'
  | 'submitExitSurvey'
  | 'touchVisitor'
  | 'flushVisitorActivity'
  | 'pollVisitor'
>

export function createVisitorOperations(parts: ChatEngineParts): VisitorOperations {
  const { db, clock, reads, transitions, sections, routing, activity, activityWriter } = parts
  const { loadChat, eventsFrom } = reads

  return {
    requestChat: createChatRequest(parts),

    getChat: (accountId, chatKey) => loadChat(accountId, chatKey, 'cache'),

    async visitorEvents(accountId, chatKey, from = 0) {
      return visibleEvents(await eventsFrom(await loadChat(accountId, chatKey, 'cache'), from), 'visitor')
    },

    async visitorEvent(accountId, chatKey, eventId) {
      await loadChat(accountId, chatKey, 'cache')
      const event = await chatsRepository.findEvent(db, chatKey, eventId)
      if (!event || visibleEvents([event], 'visitor').length === 0) throw chatNotFound()
      return event
    },

    async addVisitorLine(accountId, chatKey, text, idempotency) {
      if (typeof text !== 'string' || text.trim() === '') throw invalid('text', 'must not be empty')
      // The scope names the chat (and the account): only a caller who could post there stored the key.
      const keyId = idempotency && { accountId, scope: idempotencyScopes.visitorLine(chatKey), key: idempotency.key }
      return transitions.idempotent(
        keyId,
        (claim) =>
          sections.mutateChat(chatKey, async () => {
            const chat = await loadChat(accountId, chatKey)
            if (chat.state !== 'chatting') throw notInChat()
            const [event] = await transitions.append(
              chat,
              [
                {
                  type: 'line',
                  source: 'visitor',
                  by: chat.visitorName ?? 'You',
                  textType: 'plain',
                  text,
                  subType: 'REGULAR',
                },
              ],
              { visitorTyping: false },
              { touch: true, ...(claim ? { extra: (tx, events) => claim(tx, String(events[0]!.id)) } : {}) },
            )
            return event as ChatEvent
          }),
        (ref) => reads.storedEvent(chatKey, ref),
      )
    },

    async endByVisitor(accountId, chatKey) {
      return sections.mutate(accountId, async (ended) => {
        const chat = await loadChat(accountId, chatKey)
        if (chat.state === 'ended') return reads.endedEvent(chat)
        const event = await transitions.endChat(
          chat,
          {
            systemMessageId: chat.state === 'chatting' ? SYSTEM_MESSAGE.thankYou : null,
            endReason: END_REASON.visitorEnded,
          },
          { touch: true },
        )
        ended.push({ key: chat.key, sequence: chat.sequence })
        await routing.routeSafely(accountId)
        return event
      })
    },

    async setVisitorName(accountId, chatKey, name) {
      if (typeof name !== 'string') throw invalid('visitorName', 'must be a string')
      await sections.mutateChat(chatKey, async () => {
        const chat = await loadChat(accountId, chatKey)
        await transitions.append(chat, [], { visitorName: name }, { touch: true })
      })
    },

    async setVisitorTyping(accountId, chatKey, typing) {
      await sections.mutateChat(chatKey, async () => {
        const chat = await loadChat(accountId, chatKey)
        if (chat.state === 'ended')
          throw new ParleyError('CHAT_ENDED', "Cannot set visitor's typing status. Chat was ended")
        await transitions.append(chat, [], { visitorTyping: typing }, { touch: true })
      })
    },

    async setCustomVariables(accountId, chatKey, body) {
      const wrapped =
        typeof body === 'object' && body !== null && 'customVariables' in body ? body.customVariables : body
      const updates = parseCustomVariables(wrapped)
      await sections.mutateChat(chatKey, async () => {
        const chat = await loadChat(accountId, chatKey)
        await transitions.append(
          chat,
          [],
          { customVariables: mergeCustomVariables(chat.customVariables, updates) },
          { touch: true },
        )
      })
    },

    async submitExitSurvey(accountId, chatKey, body) {
      const parsed = await surveyAnswersOf(db, accountId, body, 'exit')
      const chat = await sections.mutateChat(chatKey, async () => {
        const current = await loadChat(accountId, chatKey)
        await chatsRepository.replaceSurveyAnswers(
          db,
          chatKey,
          answeredSurvey('exit', -1, parsed.survey, parsed.answers, null, clock.now()),
        )
        return current
      })
      if (chat.state === 'ended') await parts.archiveNow(chat.key, chat.sequence)
    },

    async touchVisitor(accountId, chatKey) {
      // Usually no statement at all (activity is coalesced); the read only explains a miss.
      if (!(await activityWriter.record(accountId, chatKey, clock.now()))) await loadChat(accountId, chatKey, 'cache')
    },

    async flushVisitorActivity() {
      await activityWriter.write(activity.pending())
    },

    async pollVisitor(accountId, chatKey, from = 0) {
      await activityWriter.record(accountId, chatKey, clock.now())
      const chat = await loadChat(accountId, chatKey, 'cache')
      const events = visibleEvents(await eventsFrom(chat, from), 'visitor')
      return { chat, events }
    },
  }
}
