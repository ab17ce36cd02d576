import type { Clock } from '../clock.ts'
import { ParleyError } from '../errors.ts'
import type { ChatCache } from '../cache/chat-cache.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { Chat, ChatEvent, Engagement } from './chat.types.ts'
import type { VisitorActivity } from './visitor-activity.ts'

/** Where a chat is read from: the read-only calls' cache or the database (changes). */
export type ChatSource = 'cache' | 'database'

export const chatNotFound = (): ParleyError => new ParleyError('CHAT_NOT_FOUND', 'Resource not found')
export const notInChat = (): ParleyError => new ParleyError('CHAT_NOT_IN_CHAT', 'Cannot add line while not in chat')
export const changedConcurrently = (): ParleyError =>
  new ParleyError('CONFLICT', 'The chat changed concurrently; try again')
const CONFLICT_ATTEMPTS = 5

/** Re-runs `fn` (which re-reads what it changes) when its compare-and-set lost a race. */
export async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (!(error instanceof ParleyError) || error.code !== 'CONFLICT' || attempt >= CONFLICT_ATTEMPTS) throw error
    }
  }
}

/** The engagement the chat is in now; its absence is a broken invariant, not a client error. */
export async function currentEngagement(tx: Executor, chat: Chat): Promise<Engagement> {
  const engagement = await chatsRepository.findEngagement(tx, chat.key, chat.sequence)
  if (!engagement) throw new Error(`chat ${chat.key} has no engagement ${chat.sequence}`)
  return engagement
}

export interface ChatReadsDeps {
  db: Executor
  clock: Clock
  /** How long an ended chat stays readable. */
  retentionMs: number
  activity: VisitorActivity
  chatCache: ChatCache
}

/** How the engine reads chats and events, with the account, retention and access checks. */
export interface ChatReads {
  /**
   * The chat, or CHAT_NOT_FOUND for another account's or a purged one. Read-only calls pass
   * `cache`; changes read the `database`, so they never build on a stale copy.
   */
  loadChat: (accountId: string, chatKey: string, source?: ChatSource) => Promise<Chat>
  /** The chat if this agent may use it (current agent, or last agent after the end). */
  agentAccess: (accountId: string, userId: number, chatKey: string, source?: ChatSource) => Promise<Chat>
  /**
   * The chat's events with id >= `from`. The chat row carries the next event id, committed with
   * the events, so the usual poll (nothing new) needs no second statement.
   */
  eventsFrom: (chat: Chat, from: number) => Promise<ChatEvent[]>
  /** The `ended` state event of an ended chat. */
  endedEvent(chat: Chat): Promise<ChatEvent>
  /** The event a replayed (idempotent) line answers. */
  storedEvent(chatKey: string, ref: string): Promise<ChatEvent>
}

export function createChatReads(deps: ChatReadsDeps): ChatReads {
  const { db, clock, activity, chatCache } = deps
  const reads: ChatReads = {
    async loadChat(accountId, chatKey, source = 'database') {
      const chat =
        source === 'cache'
          ? await chatCache.get(chatKey, () => chatsRepository.findChat(db, chatKey))
          : await chatsRepository.findChat(db, chatKey)
      if (!chat || chat.accountId !== accountId) throw chatNotFound()
      if (chat.endedAt !== null && clock.now() - chat.endedAt > deps.retentionMs) throw chatNotFound()
      const latest = chat.state === 'ended' ? undefined : activity.latest(chatKey)
      return latest !== undefined && latest > chat.lastUpdate ? { ...chat, lastUpdate: latest } : chat
    },

    async agentAccess(accountId, userId, chatKey, source = 'database') {
      const chat = await reads.loadChat(accountId, chatKey, source)
      if (chat.agentUserId !== userId || chat.state === 'waiting') throw chatNotFound()
      return chat
    },

    async eventsFrom(chat, from) {
      if (from >= chat.nextEventId) return []
      return chatsRepository.listEvents(db, chat.key, Math.max(0, from))
    },

    async endedEvent(chat) {
      const event =
        chat.endEventId === null ? undefined : await chatsRepository.findEvent(db, chat.key, chat.endEventId)
      if (!event) throw new Error(`chat ${chat.key} has no ended event`)
      return event
    },

    async storedEvent(chatKey, ref) {
      const event = await chatsRepository.findEvent(db, chatKey, Number(ref))
      if (!event) throw chatNotFound()
      return event
    },
  }
  return reads
}
