import type { Clock } from '../clock.ts'
import type { LiveBus } from '../ports/live-bus.ts'
import type { ChatLocks } from '../ports/locks.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import {
  idempotencyKeysRepository,
  type IdempotencyKeyId,
} from '../../storage/repositories/idempotency-keys.repository.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import { allocateEvents, stateEvent, systemLine, type EventSpec } from './chat-events.ts'
import { changedConcurrently, currentEngagement } from './chat-reads.ts'
import type { Chat, ChatEvent, Engagement } from './chat.types.ts'
import type { EndReason, StartReason } from './engagement-reasons.ts'
import { IDEMPOTENCY_TTL_MS, IdempotentReplay } from './idempotency.ts'
import type { SystemMessageId } from './system-messages.ts'
import type { VisitorActivity } from './visitor-activity.ts'

/** Typing flags an end resets even if a typing change raced it (it appends no event the guard sees). */
const TYPING_COLUMNS = ['visitor_typing', 'agent_typing'] as const

/** How an engagement ends. */
export interface EndPlan {
  systemMessageId: SystemMessageId | null
  endReason: EndReason
}

/** What a `commit` checks and takes besides the event counter. */
export interface CommitOptions {
  guard?: { state?: Chat['state']; ringingUserId?: number | null }
  resetTyping?: boolean
  /**
   * The database lock taken first in the transaction: `account` for what routing depends on
   * (state, ringing, agent), `chat` for changes of one chat only. Default `account`.
   */
  lock?: 'account' | 'chat'
}

export interface ChatTransitionsDeps {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  bus: LiveBus
  locks: ChatLocks
  activity: VisitorActivity
}

/** The engagement a chat starts in (its `sequence`, `rtSessionId` and `skillId`), not yet accepted. */
export const startedEngagement = (chat: Chat, startReason: StartReason, now: number): Engagement => ({
  chatKey: chat.key,
  sequence: chat.sequence,
  accountId: chat.accountId,
  rtSessionId: chat.rtSessionId,
  skillId: chat.skillId,
  startReason,
  startedAt: now,
  acceptedAt: null,
  agentUserId: null,
  agentGroupId: null,
  endReason: null,
  endedAt: null,
  archivedAt: null,
})

/** A claim of an idempotency key, called in the transaction that writes the result. */
export type IdempotencyClaim = (tx: Executor, ref: string) => Promise<void>

/** The engine's writes of a chat: each one transaction, published on the live bus after commit. */
export interface ChatTransitions {
  /**
   * Commits a transition: the compare-and-set update of the chat (guarded by the event counter
   * read before, plus `guard`), its new events, and `extra` engagement writes, in one transaction.
   */
  commit(
    before: Chat,
    after: Chat,
    events: readonly ChatEvent[],
    options?: CommitOptions,
    extra?: (tx: Executor) => Promise<void>,
  ): Promise<void>
  /** Appends `specs` to the chat as-is (no state change besides `patch`), under the chat's lock. */
  append(
    before: Chat,
    specs: readonly EventSpec[],
    patch: Partial<Chat>,
    options?: { touch?: boolean; extra?: (tx: Executor, events: readonly ChatEvent[]) => Promise<void> },
  ): Promise<ChatEvent[]>
  /** Ends the chat (chat-api.md §12.2): optional system line, then state `ended`; ends the engagement. */
  endChat(before: Chat, plan: EndPlan, options?: { touch?: boolean }): Promise<ChatEvent>
  /**
   * Ends the current engagement and starts the next one waiting in the same chat (Decision D6):
   * `specs` are appended in the old segment, then the chat gets a new rtSessionId and sequence.
   */
  restartWaiting(
    before: Chat,
    specs: readonly EventSpec[],
    endReason: EndReason,
    startReason: StartReason,
    next: { skillId: number; targetAgentId: number | null },
  ): Promise<void>
  /**
   * Runs `create` once per idempotency key (idempotency.ts): without a key it just runs; a key
   * with a stored result answers `replay(ref)` and writes nothing; otherwise `create` gets a
   * `claim(tx, ref)` to call in the transaction that writes its result. The transaction that
   * loses a race for the key rolls back and answers the winner's result.
   */
  idempotent<T>(
    id: IdempotencyKeyId | undefined,
    create: (claim: IdempotencyClaim | undefined) => Promise<T>,
    replay: (ref: string) => Promise<T>,
  ): Promise<T>
  /** Tells every process (this one included) that the chat changed, once `db`'s transaction commits. */
  announce(db: Executor, chat: Chat): void
}

export function createChatTransitions(deps: ChatTransitionsDeps): ChatTransitions {
  const { db, uow, clock, bus, locks } = deps

  const announce = (executor: Executor, chat: Chat): void =>
    bus.publish(executor, { kind: 'chat', accountId: chat.accountId, chatKey: chat.key, nextEventId: chat.nextEventId })

  const lock = (tx: Executor, chat: Chat, scope: 'account' | 'chat'): Promise<void> =>
    scope === 'account' ? locks.lockAccount(tx, chat.accountId) : locks.lockChat(tx, chat.key)

  const transitions: ChatTransitions = {
    announce,

    async commit(before, after, events, options = {}, extra) {
      await uow.withTransaction(async (tx) => {
        await lock(tx, before, options.lock ?? 'account')
        const updated = await chatsRepository.updateChat(
          tx,
          before,
          after,
          { nextEventId: before.nextEventId, ...options.guard },
          options.resetTyping ? TYPING_COLUMNS : [],
        )
        if (!updated) throw changedConcurrently()
        await chatsRepository.insertEvents(tx, after.key, events)
        if (extra) await extra(tx)
        announce(tx, after)
      })
    },

    async append(before, specs, patch, options = {}) {
      const now = clock.now()
      const { events, nextEventId } = allocateEvents(before, specs, now)
      const after: Chat = { ...before, ...patch, nextEventId, ...(options.touch ? { lastUpdate: now } : {}) }
      const extra = options.extra
      await transitions.commit(
        before,
        after,
        events,
        { guard: { state: before.state }, lock: 'chat' },
        extra && ((tx) => extra(tx, events)),
      )
      return events
    },

    async endChat(before, plan, options = {}) {
      const now = clock.now()
      const specs = [
        ...(plan.systemMessageId === null ? [] : [systemLine(before, plan.systemMessageId)]),
        stateEvent('ended'),
      ]
      const { events, nextEventId } = allocateEvents(before, specs, now)
      const ended = events[events.length - 1] as ChatEvent
      const after: Chat = {
        ...before,
        state: 'ended',
        nextEventId,
        endedAt: now,
        endEventId: ended.id,
        visitorTyping: false,
        agentTyping: false,
        ringingUserId: null,
        ringStartedAt: null,
        waitingSince: null,
        ...(options.touch ? { lastUpdate: now } : {}),
      }
      await transitions.commit(
        before,
        after,
        events,
        { guard: { state: before.state }, resetTyping: true },
        async (tx) => {
          const engagement = await currentEngagement(tx, before)
          await chatsRepository.updateEngagement(tx, { ...engagement, endReason: plan.endReason, endedAt: now })
        },
      )
      deps.activity.forget(before.key)
      return ended
    },

    async restartWaiting(before, specs, endReason, startReason, next) {
      const now = clock.now()
      const { events, nextEventId } = allocateEvents(before, [...specs, stateEvent('waiting')], now)
      await uow.withTransaction(async (tx) => {
        await lock(tx, before, 'account')
        const rtSessionId = await chatsRepository.nextRtSessionId(tx, before.accountId)
        const after: Chat = {
          ...before,
          state: 'waiting',
          nextEventId,
          skillId: next.skillId,
          targetAgentId: next.targetAgentId,
          requestedAgentId: null,
          agentUserId: null,
          agentNickname: null,
          agentTyping: false,
          ringingUserId: null,
          ringStartedAt: null,
          ringSkipped: [],
          sequence: before.sequence + 1,
          rtSessionId,
          waitingSince: now,
        }
        const updated = await chatsRepository.updateChat(
          tx,
          before,
          after,
          { nextEventId: before.nextEventId, state: 'chatting' },
          ['agent_typing'],
        )
        if (!updated) throw changedConcurrently()
        await chatsRepository.insertEvents(tx, before.key, events)
        const engagement = await currentEngagement(tx, before)
        await chatsRepository.updateEngagement(tx, { ...engagement, endReason, endedAt: now })
        await chatsRepository.insertEngagement(tx, startedEngagement(after, startReason, now))
        announce(tx, after)
      })
    },

    async idempotent(id, create, replay) {
      if (!id) return create(undefined)
      const since = (): number => clock.now() - IDEMPOTENCY_TTL_MS
      const stored = await idempotencyKeysRepository.find(db, id, since())
      if (stored) return replay(stored.ref)
      const claim = async (tx: Executor, ref: string): Promise<void> => {
        if (!(await idempotencyKeysRepository.claim(tx, id, { status: 201, ref }, clock.now(), since())))
          throw new IdempotentReplay()
      }
      try {
        return await create(claim)
      } catch (error) {
        if (!(error instanceof IdempotentReplay)) throw error
        const winner = await idempotencyKeysRepository.find(db, id, since())
        if (!winner) throw error
        return replay(winner.ref)
      }
    },
  }
  return transitions
}
