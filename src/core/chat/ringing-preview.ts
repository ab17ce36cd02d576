import type { Clock } from '../clock.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import type { ChatService } from './chat.service.ts'
import { preChatItems } from './chat-archiver.ts'

/** First lines shown per ringing chat, and the longest text kept of each. */
const FIRST_LINES = 3
const LINE_CHARS = 500

/**
 * One chat ringing an agent, as the agent workspace shows it before accepting (Parley extension
 * `{agent session}/parley/ringingChats`, docs/console.md). No chat key: the chat is not the
 * agent's until A9 accepts it (A9 takes the oldest, the first of the list).
 */
export interface RingingChatPreview {
  skillId: number
  /** `Unassigned` for skill -1 or a deleted skill. */
  skillName: string
  visitorName: string
  /** Epoch ms of the chat request. */
  requestTime: number
  /** Seconds the visitor has waited in the current wait (request, transfer or requeue). */
  waitTime: number
  /** Seconds this chat has rung this agent. */
  ringTime: number
  /** True after a transfer or requeue (the chat had an agent before). */
  transferred: boolean
  preChatSurvey: Array<{ question: string; answer: string }>
  /** The request's pre-chat lines and the visitor's first lines, oldest first, at most three. */
  firstLines: string[]
}

export interface RingingPreviewService {
  /** The chats ringing this user, oldest request first (the order A9 accepts them in). */
  forAgent(accountId: string, userId: number): Promise<RingingChatPreview[]>
}

export function createRingingPreviewService(deps: {
  db: Executor
  clock: Clock
  chat: Pick<ChatService, 'ringingChats'>
}): RingingPreviewService {
  const { db, clock } = deps
  const seconds = (since: number | null, now: number) =>
    since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000))
  return {
    async forAgent(accountId, userId) {
      const now = clock.now()
      const ringing = await deps.chat.ringingChats(accountId, userId)
      const names = new Map<number, string>()
      const previews: RingingChatPreview[] = []
      for (const chat of ringing) {
        if (!names.has(chat.skillId)) {
          const skill = chat.skillId === -1 ? undefined : await skillsRepository.findById(db, accountId, chat.skillId)
          names.set(chat.skillId, skill && !skill.deleted ? skill.name : 'Unassigned')
        }
        // Pre-chat lines are system lines with message id 0 (chat-api.md §13); then the visitor's own.
        const lines = (await chatsRepository.listSegmentLines(db, chat.key, 0)).flatMap((event) =>
          event.type === 'line' &&
          event.text !== undefined &&
          (event.source === 'visitor' || (event.source === 'system' && event.systemMessageId === 0))
            ? [event.text.slice(0, LINE_CHARS)]
            : [],
        )
        const items = await preChatItems(db, chat)
        previews.push({
          skillId: chat.skillId,
          skillName: names.get(chat.skillId) ?? 'Unassigned',
          visitorName: chat.visitorName ?? 'visitor',
          requestTime: chat.requestedAt,
          waitTime: seconds(chat.waitingSince ?? chat.requestedAt, now),
          ringTime: seconds(chat.ringStartedAt, now),
          transferred: chat.sequence > 0,
          preChatSurvey: items.map((item) => ({ question: item.displayName, answer: item.value })),
          firstLines: lines.slice(0, FIRST_LINES),
        })
      }
      return previews
    },
  }
}
