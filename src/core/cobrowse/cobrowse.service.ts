import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import { coBrowseSessionsRepository } from '../../storage/repositories/cobrowse-sessions.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { Chat } from '../chat/chat.types.ts'
import type { Clock } from '../clock.ts'
import { invalid, notFound, ParleyError } from '../errors.ts'
import type { IdGenerator } from '../ids.ts'
import { CO_BROWSE_END_REASONS, type CoBrowseEndReason, type CoBrowseSessionState } from './cobrowse.types.ts'

/** A change to one co-browse session (docs/cobrowse.md): becoming interactive, ending, or both. */
export interface CoBrowseChange {
  /** `true` makes the session interactive; `false` is accepted only while it is not. */
  interactive?: boolean | undefined
  /** Only `ended`. */
  state?: string | undefined
  /** With `state: ended`; default `AGENT`. */
  endReason?: string | undefined
}

/**
 * Co-browse records of live chats, a Parley extension of the Chat Agent API (docs/cobrowse.md).
 * Only the agent holding the chat (as `agentChat` decides: CHAT_NOT_FOUND otherwise) starts,
 * changes and lists its sessions; sessions belong to the engagement active when they started and
 * are archived with it (`coBrowseRecordSessions`).
 */
export interface CoBrowseService {
  /** Starts a view-only session; CHAT_ENDED after the chat's end. */
  start(accountId: string, userId: number, chatKey: string): Promise<CoBrowseSessionState>
  /** Every session of the chat, oldest first (earlier engagements included). */
  list(accountId: string, userId: number, chatKey: string): Promise<CoBrowseSessionState[]>
  /** One session of the chat; RESOURCE_NOT_FOUND for an unknown id. */
  get(accountId: string, userId: number, chatKey: string, sessionId: string): Promise<CoBrowseSessionState>
  /**
   * Applies `change`: VALIDATION_FAILED for an unknown state or end reason, a session that has
   * already ended (or belongs to an earlier engagement) or an interactive session set back to
   * `false`; CHAT_ENDED after the chat's end.
   */
  update(
    accountId: string,
    userId: number,
    chatKey: string,
    sessionId: string,
    change: CoBrowseChange,
  ): Promise<CoBrowseSessionState>
}

export interface CoBrowseServiceDeps {
  db: Executor
  clock: Clock
  ids: IdGenerator
  /** The chat engine's access rule for agents (agent-api.md): the chat this agent holds, else CHAT_NOT_FOUND. */
  agentChat(accountId: string, userId: number, chatKey: string): Promise<Chat>
}

const chatEnded = (): ParleyError => new ParleyError('CHAT_ENDED', 'Cannot change co-browse sessions. Chat was ended')
const alreadyEnded = (): ParleyError => invalid('coBrowseSession', 'the session has already ended')

function endReasonOf(value: string | undefined): CoBrowseEndReason {
  if (value === undefined) return 'AGENT'
  const reason = CO_BROWSE_END_REASONS.find((candidate) => candidate === value)
  if (!reason) throw invalid('coBrowseSession.endReason', `must be one of ${CO_BROWSE_END_REASONS.join(', ')}`)
  return reason
}

export function createCoBrowseService(deps: CoBrowseServiceDeps): CoBrowseService {
  const { db, clock } = deps

  /** The held chat, which must still be in its chatting state. */
  async function liveChat(accountId: string, userId: number, chatKey: string): Promise<Chat> {
    const chat = await deps.agentChat(accountId, userId, chatKey)
    if (chat.state === 'ended') throw chatEnded()
    if (chat.state !== 'chatting') throw new ParleyError('CHAT_NOT_IN_CHAT', 'Chat is not in progress')
    return chat
  }

  /** True when the engagement ended meanwhile (its archive closes open sessions, so late writes must not land). */
  async function engagementEnded(chatKey: string, sequence: number): Promise<boolean> {
    const engagement = await chatsRepository.findEngagement(db, chatKey, sequence)
    return !engagement || engagement.endedAt !== null
  }

  async function existing(chatKey: string, sessionId: string): Promise<CoBrowseSessionState> {
    const session = await coBrowseSessionsRepository.find(db, chatKey, sessionId)
    if (!session) throw notFound()
    return session
  }

  return {
    async start(accountId, userId, chatKey) {
      const chat = await liveChat(accountId, userId, chatKey)
      const session: CoBrowseSessionState = {
        sessionId: deps.ids.hex(12),
        accountId: chat.accountId,
        chatKey: chat.key,
        sequence: chat.sequence,
        agentUserId: userId,
        startedAt: clock.now(),
        interactiveAt: null,
        endedAt: null,
        endReason: null,
      }
      await coBrowseSessionsRepository.insert(db, session)
      // The engagement may have ended (and been archived) between the read and the insert.
      if (await engagementEnded(chat.key, chat.sequence)) {
        await coBrowseSessionsRepository.delete(db, session.sessionId)
        throw chatEnded()
      }
      return session
    },

    async list(accountId, userId, chatKey) {
      const chat = await deps.agentChat(accountId, userId, chatKey)
      return coBrowseSessionsRepository.list(db, chat.key)
    },

    async get(accountId, userId, chatKey, sessionId) {
      const chat = await deps.agentChat(accountId, userId, chatKey)
      return existing(chat.key, sessionId)
    },

    async update(accountId, userId, chatKey, sessionId, change) {
      if (change.state !== undefined && change.state !== 'ended')
        throw invalid('coBrowseSession.state', 'must be ended')
      if (change.endReason !== undefined && change.state !== 'ended')
        throw invalid('coBrowseSession.endReason', 'needs state ended')
      const ending = change.state === 'ended'
      const reason = ending ? endReasonOf(change.endReason) : undefined
      const chat = await liveChat(accountId, userId, chatKey)
      const session = await existing(chat.key, sessionId)
      if (session.endedAt !== null || session.sequence !== chat.sequence) throw alreadyEnded()
      if (change.interactive === false && session.interactiveAt !== null)
        throw invalid('coBrowseSession.interactive', 'an interactive session stays interactive')
      const now = clock.now()
      if (change.interactive === true && session.interactiveAt === null) {
        // False when it ended meanwhile, or another call made it interactive first.
        const marked = await coBrowseSessionsRepository.markInteractive(db, sessionId, now)
        if (!marked && (await existing(chat.key, sessionId)).endedAt !== null) throw alreadyEnded()
      }
      if (reason !== undefined && !(await coBrowseSessionsRepository.end(db, sessionId, now, reason)))
        throw alreadyEnded()
      return existing(chat.key, sessionId)
    },
  }
}
