import type { Clock } from '../clock.ts'
import type { GeoIpSource } from '../enrichment/geo-ip.ts'
import { invalid, ParleyError } from '../errors.ts'
import type { ArchiveService } from '../history/archive.service.ts'
import type { IdGenerator } from '../ids.ts'
import { accountsRepository } from '../../storage/repositories/accounts.repository.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { surveysRepository } from '../../storage/repositories/surveys.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import { validateSurveyAnswers } from '../surveys/survey-answers.ts'
import { checkPreChatAnswers, rememberVisitorAnswers } from '../surveys/surveys.service.ts'
import type { AgentDirectory, RoutableAgent } from './agent-directory.ts'
import { createChatArchiver } from './chat-archiver.ts'
import { allocateEvents, preChatLine, stateEvent, systemLine, type EventSpec } from './chat-events.ts'
import type { Chat, ChatEvent, ChatTextType, Engagement, LineSubType } from './chat.types.ts'
import { createKeyedMutex } from './keyed-mutex.ts'
import { IDEMPOTENCY_TTL_MS, IdempotentReplay, idempotencyScopes, type IdempotencyRequest } from './idempotency.ts'
import {
  idempotencyKeysRepository,
  type IdempotencyKeyId,
} from '../../storage/repositories/idempotency-keys.repository.ts'
import { mergeCustomVariables, parseChatRequest, parseCustomVariables, parseSurveyAnswers } from './request-fields.ts'
import { hasFreeSlot, planRouting, servesSkill } from './routing.ts'
import type { SystemMessageId } from './system-messages.ts'
import { visibleEvents } from './visibility.ts'
import { answeredSurvey } from './survey-items.ts'
import { newChatKey, newVisitorId } from './chat-keys.ts'
import { createVisitorActivity } from './visitor-activity.ts'
import { createChatCache } from '../cache/chat-cache.ts'
import { nameKey } from '../text/name-key.ts'

/** Where a chat is read from: the read-only calls' cache or the database (changes). */
type ChatSource = 'cache' | 'database'

/**
 * Coalesced visitor activity written per transaction when writes are grouped: small enough that
 * a batch (synchronous SQLite statements) holds the event loop for a few milliseconds only.
 */
const ACTIVITY_BATCH = 50

/** Decision D8: a ringing chat moves on after this long. */
export const RING_TIMEOUT_MS = 20_000
/** How often timers (inactivity, maxWaitTime, ringing, routing, archive retries) are checked. */
export const TIMER_INTERVAL_MS = 1_000
const TIMER_BATCH = 500
/** Expired idempotency keys deleted per timer tick at most (about). */
const IDEMPOTENCY_PURGE_BATCH = 5_000
/** estimatedWaitTime: the mean of this many latest accepts, once at least the minimum exist. */
const RECENT_WAIT_SAMPLE = 20
const RECENT_WAIT_MINIMUM = 5
export const DEFAULT_ENDED_CHAT_RETENTION_MS = 24 * 60 * 60 * 1000

/** Runs a task periodically; injected so tests drive timers with `runTimers()` instead. */
export interface Scheduler {
  every(ms: number, task: () => void): { stop(): void }
}

export const intervalScheduler: Scheduler = {
  every(ms, task) {
    const timer = setInterval(task, ms)
    timer.unref()
    return { stop: () => clearInterval(timer) }
  },
}

/** Never fires: timers run only when `runTimers()` is called. */
export const manualScheduler: Scheduler = { every: () => ({ stop: () => {} }) }

export interface ChatServiceDeps {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  ids: IdGenerator
  archive: ArchiveService
  agents: AgentDirectory
  /** Applies agent-api.md A14's HTML rules to agent `html` lines before they are stored. */
  sanitizeHtml(html: string): string
  scheduler?: Scheduler
  /** How long an ended chat stays readable (chat-api.md §12.4); afterwards it is CHAT_NOT_FOUND. Default 24 h. */
  endedChatRetentionMs?: number
  /** Failures of background work (routing, archiving, timers); they are retried on the next tick. */
  onError?: (error: unknown, task: string) => void
  /** Geo-IP databases for archived `visitorInfo` (docs/visitor-info.md); none: geo fields stay "". */
  geoIp?: GeoIpSource
  /**
   * Write coalesced visitor activity of many chats in one transaction (one commit instead of
   * one per chat). Right for SQLite (one connection, commits dominate); on PostgreSQL separate
   * statements keep the row locks of a batch from ever waiting in a cycle with a request's.
   */
  groupActivityWrites?: boolean
}

/** Where a chat request came from (defaults for `visitorIp` and `userAgent`). */
export interface RequestContext {
  visitorIp: string
  userAgent: string
}

/** An agent line (agent-api.md A14). */
export interface AgentLineInput {
  text?: string | undefined
  /** Default `plain`. */
  textType?: string | undefined
  /** Default `REGULAR`. */
  subType?: string | undefined
  /** Rich content: an object with a `type` member. */
  json?: unknown
}

/** Transfer target (agent-api.md A21): the agent wins when both are given. */
export interface TransferInput {
  skillId?: number | undefined
  agentId?: number | undefined
  /** Optional note, stored as an `ONLY_TO_REP` agent line the receiving agent sees. */
  text?: string | undefined
}

/** A chat an agent holds, with the time they accepted it (A10 `startTime`). */
export interface HeldChat {
  chat: Chat
  acceptedAt: number
}

/**
 * The live chat engine: the visitor's and the agent's operations, routing (ACD) and timers.
 * Every call that appends events resolves only after they are committed; a call that ends an
 * engagement resolves after its Engagement History record is archived (a failed archive is
 * retried by the timers). Mutations are serialised per account in this process and guarded by
 * compare-and-set updates in the database (single node, docs/live-chat.md).
 */
export interface ChatService {
  // Visitor side (chat-api.md).
  /**
   * V7: creates a waiting chat with events 0..n (§12.2) and routes it. VALIDATION_FAILED for a
   * bad `maxWaitTime`, ACCOUNT_NOT_FOUND for an unknown account.
   */
  requestChat(
    accountId: string,
    body: unknown,
    context: RequestContext,
    idempotency?: IdempotencyRequest & { credential: string },
  ): Promise<Chat>
  /** The chat of the account with this key; CHAT_NOT_FOUND otherwise. */
  getChat(accountId: string, chatKey: string): Promise<Chat>
  /** Events with id >= `from` the visitor may see (no `ONLY_TO_REP`). */
  visitorEvents(accountId: string, chatKey: string, from?: number): Promise<ChatEvent[]>
  /** One event as the visitor sees it; CHAT_NOT_FOUND when absent or hidden. */
  visitorEvent(accountId: string, chatKey: string, eventId: number): Promise<ChatEvent>
  /**
   * A plain-text visitor line; CHAT_NOT_IN_CHAT unless `chatting`, VALIDATION_FAILED for empty
   * text. With `idempotency`, a key already used on this chat's visitor side within 24 h answers
   * the line it created and writes nothing (idempotency.ts); so does `requestChat` per visitor
   * credential and `addAgentLine` per agent user and chat.
   */
  addVisitorLine(accountId: string, chatKey: string, text: string, idempotency?: IdempotencyRequest): Promise<ChatEvent>
  /** Visitor ends the chat (endReason 210); returns the `ended` state event (the existing one when already ended). */
  endByVisitor(accountId: string, chatKey: string): Promise<ChatEvent>
  /** V13: allowed in every state; later visitor lines carry the name. */
  setVisitorName(accountId: string, chatKey: string, name: string): Promise<void>
  /** V15: CHAT_ENDED after the end. */
  setVisitorTyping(accountId: string, chatKey: string, typing: boolean): Promise<void>
  /** V21: merged by name. */
  setCustomVariables(accountId: string, chatKey: string, body: unknown): Promise<void>
  /**
   * V18: stores the visitor's exit-survey answers (`{"survey": {"id", "question"}}`), replacing an
   * earlier submission; allowed in every state. They are archived with the chat's last engagement
   * (re-archived when the chat already ended). VALIDATION_FAILED for an unknown exit survey.
   */
  submitExitSurvey(accountId: string, chatKey: string, body: unknown): Promise<void>
  /**
   * A visitor request touched the chat: moves `lastUpdate` (chat-api.md §12.3). The move is kept in
   * memory and written to the database at most every few seconds per chat (visitor-activity.ts).
   */
  touchVisitor(accountId: string, chatKey: string): Promise<void>
  /** Writes the visitor activity still held in memory (before a graceful shutdown). */
  flushVisitorActivity(): Promise<void>
  /**
   * The visitor's poll in two statements: touches the chat (`lastUpdate`) and returns it with the
   * events from `from` the visitor may see. Same errors as `getChat`.
   */
  pollVisitor(accountId: string, chatKey: string, from?: number): Promise<{ chat: Chat; events: ChatEvent[] }>
  /**
   * Long poll (Decision D10): resolves `true` as soon as an event with id >= `from` that `viewer`
   * may see exists, `false` when `waitMs` passes first or the engine closes. A visitor's held
   * poll counts as activity for its whole duration (no inactivity timeout while it is held).
   * CHAT_NOT_FOUND for an unknown chat; agents must be allowed to use the chat (pass `agentUserId`).
   */
  waitForEvents(
    accountId: string,
    chatKey: string,
    from: number,
    waitMs: number,
    viewer: { kind: 'visitor' } | { kind: 'agent'; userId: number },
  ): Promise<boolean>

  // Agent side (agent-api.md).
  /** Chats ringing this agent, oldest request first. */
  ringingChats(accountId: string, userId: number): Promise<Chat[]>
  /** How many chats ring this agent (A8 `ringingCount`), without reading them. */
  ringingCount(accountId: string, userId: number): Promise<number>
  /** A9: accepts the oldest chat ringing the agent; RESOURCE_NOT_FOUND when none rings. */
  acceptChat(accountId: string, userId: number): Promise<Chat>
  /** Chats the user holds (`chatting`), oldest request first (A10). */
  heldChats(accountId: string, userId: number): Promise<HeldChat[]>
  /** The chat if this agent may use it (§5.1: current agent, or last agent after the end); CHAT_NOT_FOUND otherwise. */
  agentChat(accountId: string, userId: number, chatKey: string): Promise<Chat>
  /** Every event with id >= `from`, `ONLY_TO_REP` included, for an agent who may use the chat. */
  agentEvents(accountId: string, userId: number, chatKey: string, from?: number): Promise<ChatEvent[]>
  /** A14 line: `plain`, `html` (sanitised) or `rich-content`; CHAT_NOT_IN_CHAT unless `chatting`. */
  addAgentLine(
    accountId: string,
    userId: number,
    chatKey: string,
    input: AgentLineInput,
    idempotency?: IdempotencyRequest,
  ): Promise<ChatEvent>
  /**
   * A23: stores an agent survey for the engagement this agent handles (or handled last, after the
   * end); re-archives it when it already ended. VALIDATION_FAILED for an unknown agent survey.
   */
  submitAgentSurvey(accountId: string, userId: number, chatKey: string, body: unknown): Promise<void>
  /** A19: CHAT_ENDED after the end. */
  setAgentTyping(accountId: string, userId: number, chatKey: string, typing: boolean): Promise<void>
  /** Agent ends the chat (endReason 201); returns the `ended` state event. */
  endByAgent(accountId: string, userId: number, chatKey: string): Promise<ChatEvent>
  /** A21 (Decision D6): ends the engagement, starts the next one waiting for the target. */
  transfer(accountId: string, userId: number, chatKey: string, input: TransferInput): Promise<void>
  /** D6: the user's last agent session ended; their chats go back to the queue (system 23). */
  requeueAgentChats(accountId: string, userId: number): Promise<void>
  /**
   * V3's wait for a skill whose agents are all busy (chat-api.md §5): the mean time from request
   * (or transfer/requeue) to accept of the last 20 engagements of the skill (of the account
   * without `skillId`) accepted in the last 24 h, in whole seconds (at least 1); -2 when fewer
   * than 5 were accepted in that time.
   */
  recentWaitTime(accountId: string, skillId?: number): Promise<number>
  /** Chats held plus ringing, per user id. */
  chatLoad(accountId: string): Promise<Map<number, number>>
  /** The user's open chats as A10 lists them, oldest accepted first. */
  chatSessions(accountId: string, userId: number): Promise<Array<{ chatId: string; startTime: number }>>
  /** Routes the account's waiting chats now (an agent became available). */
  routeAccount(accountId: string): Promise<void>
  /**
   * Requeues the account's waiting chats that no agent can take as they are (docs/live-chat.md,
   * "Configuration changes"), then routes: a chat whose skill was deleted becomes unassigned (-1),
   * as a new request naming that skill would; a chat requested for, or transferred to, an agent
   * who was deleted or disabled routes on its skill. Each gets system 23 ("returned to the
   * queue"). With `unservedSkills` (after a change of users), a chat whose skill no enabled user
   * is assigned to any more becomes unassigned too. The timers run it (without `unservedSkills`)
   * for every account with unrouted chats, so a change made by any process is caught within a
   * tick. Returns how many chats it changed.
   */
  requeueStranded(accountId: string, options?: { unservedSkills?: boolean }): Promise<number>

  // Lifecycle.
  /** Archives engagements left unarchived by a crash and starts the timers. */
  start(): Promise<void>
  /** One timer pass: inactivity and maxWaitTime ends, ring timeouts, routing, archive retries, purge of expired ended chats. */
  runTimers(): Promise<void>
  /** Stops the timers and waits for a running pass. */
  close(): Promise<void>
}

const TEXT_TYPES: readonly ChatTextType[] = ['plain', 'html', 'rich-content']
const SUB_TYPES: readonly LineSubType[] = ['REGULAR', 'ONLY_TO_REP']

const chatNotFound = (): ParleyError => new ParleyError('CHAT_NOT_FOUND', 'Resource not found')
const notInChat = (): ParleyError => new ParleyError('CHAT_NOT_IN_CHAT', 'Cannot add line while not in chat')
const changedConcurrently = (): ParleyError => new ParleyError('CONFLICT', 'The chat changed concurrently; try again')
const CONFLICT_ATTEMPTS = 5
/** Typing flags an end resets even if a typing change raced it (it appends no event the guard sees). */
const TYPING_COLUMNS = ['visitor_typing', 'agent_typing'] as const

/** Re-runs `fn` (which re-reads what it changes) when its compare-and-set lost a race. */
async function retryOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (!(error instanceof ParleyError) || error.code !== 'CONFLICT' || attempt >= CONFLICT_ATTEMPTS) throw error
    }
  }
}

/** How an engagement ends and, for transfers and requeues, how the next one starts. */
interface EndPlan {
  systemMessageId: SystemMessageId | null
  endReason: string
}

export function createChatService(deps: ChatServiceDeps): ChatService {
  const { db, uow, clock } = deps
  const lock = createKeyedMutex()
  const scheduler = deps.scheduler ?? intervalScheduler
  const retentionMs = deps.endedChatRetentionMs ?? DEFAULT_ENDED_CHAT_RETENTION_MS
  const reportError = (error: unknown, task: string): void => deps.onError?.(error, task)
  // A record that cannot be archived is retried, then set aside; reported once (task 'archive:set-aside').
  const archiver = createChatArchiver({
    db,
    archive: deps.archive,
    clock,
    geoIp: deps.geoIp,
    onSetAside: (error) => reportError(error, 'archive:set-aside'),
  })
  let ticker: { stop(): void } | undefined
  /** Long polls waiting for new events, by chat key (in-process: the engine is single-node). */
  const waiters = new Map<string, Set<() => void>>()
  /** Visitor long polls being held, by chat key: such chats are active (chat-api.md §12.3). */
  const heldVisitorPolls = new Map<string, number>()
  /** Visitor activity not yet written to `last_update` (coalesced, visitor-activity.ts). */
  const activity = createVisitorActivity()
  /** Chat rows for read-only calls (polls); changes always read the database. */
  const chatCache = createChatCache({ clock })
  let closed = false

  function wake(chatKey: string): void {
    const wakeups = waiters.get(chatKey)
    if (!wakeups) return
    waiters.delete(chatKey)
    for (const wakeup of wakeups) wakeup()
  }
  let running: Promise<void> | undefined

  /**
   * The chat, or CHAT_NOT_FOUND for another account's or a purged one. Read-only calls pass
   * `cache`; changes read the `database`, so they never build on a stale copy.
   */
  async function loadChat(accountId: string, chatKey: string, source: ChatSource = 'database'): Promise<Chat> {
    const chat =
      source === 'cache'
        ? await chatCache.get(chatKey, () => chatsRepository.findChat(db, chatKey))
        : await chatsRepository.findChat(db, chatKey)
    if (!chat || chat.accountId !== accountId) throw chatNotFound()
    if (chat.endedAt !== null && clock.now() - chat.endedAt > retentionMs) throw chatNotFound()
    const latest = chat.state === 'ended' ? undefined : activity.latest(chatKey)
    return latest !== undefined && latest > chat.lastUpdate ? { ...chat, lastUpdate: latest } : chat
  }

  /**
   * The chat's events with id >= `from`. The chat row carries the next event id, committed with
   * the events, so the usual poll (nothing new) needs no second statement.
   */
  async function eventsFrom(chat: Chat, from: number): Promise<ChatEvent[]> {
    if (from >= chat.nextEventId) return []
    return chatsRepository.listEvents(db, chat.key, Math.max(0, from))
  }

  /**
   * Records visitor activity on a live chat of the account: in memory, written to the database at
   * most every few seconds per chat. False when the database has no such live chat.
   */
  async function recordActivity(accountId: string, chatKey: string, now: number): Promise<boolean> {
    if (activity.note(accountId, chatKey, now)) return true
    if (!(await chatsRepository.touch(db, accountId, chatKey, now))) {
      activity.forget(chatKey)
      return false
    }
    written(accountId, chatKey, now)
    return true
  }

  /** The database holds activity `at` for the chat (a touch, which invalidates no cached chat). */
  function written(accountId: string, chatKey: string, at: number): void {
    activity.written(accountId, chatKey, at)
    chatCache.update(chatKey, (chat) => (chat.lastUpdate < at ? { ...chat, lastUpdate: at } : chat))
  }

  /** Writes coalesced visitor activity; entries that fail stay pending for the next tick. */
  async function writeActivity(entries: Array<{ accountId: string; chatKey: string; at: number }>): Promise<void> {
    const batchSize = deps.groupActivityWrites ? ACTIVITY_BATCH : 1
    for (let start = 0; start < entries.length; start += batchSize) {
      // Let waiting requests run between batches.
      if (start > 0) await new Promise((resolve) => setImmediate(resolve))
      const batch = entries.slice(start, start + batchSize)
      try {
        const touched = async (executor: Executor): Promise<boolean[]> => {
          const results: boolean[] = []
          for (const { accountId, chatKey, at } of batch)
            results.push(await chatsRepository.touch(executor, accountId, chatKey, at))
          return results
        }
        const results = batch.length === 1 ? await touched(db) : await uow.withTransaction(touched)
        batch.forEach(({ accountId, chatKey, at }, index) => {
          if (results[index]) written(accountId, chatKey, at)
          else activity.forget(chatKey)
        })
      } catch (error) {
        reportError(error, 'activity')
      }
    }
  }

  /**
   * Commits a transition: the compare-and-set update of the chat (guarded by the event counter
   * read before, plus `guard`), its new events, and `extra` engagement writes, in one transaction.
   */
  async function commit(
    before: Chat,
    after: Chat,
    events: readonly ChatEvent[],
    options: { guard?: { state?: Chat['state']; ringingUserId?: number | null }; resetTyping?: boolean } = {},
    extra?: (tx: Executor) => Promise<void>,
  ): Promise<void> {
    await uow.withTransaction(async (tx) => {
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
    })
    if (events.length > 0) wake(after.key)
  }

  /** Appends `specs` to the chat as-is (no state change besides `patch`). */
  async function append(
    before: Chat,
    specs: readonly EventSpec[],
    patch: Partial<Chat>,
    options: { touch?: boolean; extra?: (tx: Executor, events: readonly ChatEvent[]) => Promise<void> } = {},
  ): Promise<ChatEvent[]> {
    const now = clock.now()
    const { events, nextEventId } = allocateEvents(before, specs, now)
    const after: Chat = { ...before, ...patch, nextEventId, ...(options.touch ? { lastUpdate: now } : {}) }
    const extra = options.extra
    await commit(before, after, events, { guard: { state: before.state } }, extra && ((tx) => extra(tx, events)))
    return events
  }

  /**
   * Runs `create` once per idempotency key (idempotency.ts): without a key it just runs; a key
   * with a stored result answers `replay(ref)` and writes nothing; otherwise `create` gets a
   * `claim(tx, ref)` to call in the transaction that writes its result. The transaction that
   * loses a race for the key rolls back and answers the winner's result.
   */
  async function idempotent<T>(
    id: IdempotencyKeyId | undefined,
    create: (claim: ((tx: Executor, ref: string) => Promise<void>) | undefined) => Promise<T>,
    replay: (ref: string) => Promise<T>,
  ): Promise<T> {
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
  }

  /** The event a replayed line answers. */
  async function storedEvent(chatKey: string, ref: string): Promise<ChatEvent> {
    const event = await chatsRepository.findEvent(db, chatKey, Number(ref))
    if (!event) throw chatNotFound()
    return event
  }

  async function currentEngagement(tx: Executor, chat: Chat): Promise<Engagement> {
    const engagement = await chatsRepository.findEngagement(tx, chat.key, chat.sequence)
    if (!engagement) throw new Error(`chat ${chat.key} has no engagement ${chat.sequence}`)
    return engagement
  }

  /** Ends the chat (chat-api.md §12.2): optional system line, then state `ended`; ends the engagement. */
  async function endChat(before: Chat, plan: EndPlan, options: { touch?: boolean } = {}): Promise<ChatEvent> {
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
    await commit(before, after, events, { guard: { state: before.state }, resetTyping: true }, async (tx) => {
      const engagement = await currentEngagement(tx, before)
      await chatsRepository.updateEngagement(tx, { ...engagement, endReason: plan.endReason, endedAt: now })
    })
    activity.forget(before.key)
    return ended
  }

  /**
   * Ends the current engagement and starts the next one waiting in the same chat (Decision D6):
   * `specs` are appended in the old segment, then the chat gets a new rtSessionId and sequence.
   */
  async function restartWaiting(
    before: Chat,
    specs: readonly EventSpec[],
    endReason: string,
    startReason: string,
    next: { skillId: number; targetAgentId: number | null },
  ): Promise<void> {
    const now = clock.now()
    const { events, nextEventId } = allocateEvents(before, [...specs, stateEvent('waiting')], now)
    await uow.withTransaction(async (tx) => {
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
      await chatsRepository.insertEngagement(tx, {
        chatKey: before.key,
        sequence: after.sequence,
        accountId: before.accountId,
        rtSessionId,
        skillId: next.skillId,
        startReason,
        startedAt: now,
        acceptedAt: null,
        agentUserId: null,
        agentGroupId: null,
        endReason: null,
        endedAt: null,
        archivedAt: null,
      })
    })
    wake(before.key)
  }

  /** Archives an ended engagement now; on failure the timers retry it from the outbox. */
  async function archiveNow(chatKey: string, sequence: number): Promise<void> {
    try {
      await archiver.archive(chatKey, sequence)
    } catch (error) {
      reportError(error, 'archive')
    }
  }

  /** Routing pass for the account; the caller holds the account lock. */
  async function routeLocked(accountId: string): Promise<void> {
    // Cheapest checks first: with nobody able to take a chat, the queue is not read at all.
    const agents = (await deps.agents.connectedAgents(accountId)).filter(
      (agent) => agent.availability === 'Online' || agent.availability === 'Occupied',
    )
    if (agents.length === 0) return
    // The queue before the loads: it is usually empty after an end, and the loads count every open chat.
    const waiting = await chatsRepository.listUnrouted(db, accountId)
    if (waiting.length === 0) return
    const load = await chatsRepository.chatLoad(db, accountId)
    if (!agents.some((agent) => hasFreeSlot(agent, load.get(agent.userId) ?? 0))) return
    const byKey = new Map(waiting.map((chat) => [chat.key, chat]))
    const byId = new Map(agents.map((agent) => [agent.userId, agent]))
    for (const { chatKey, userId } of planRouting(waiting, agents, load)) {
      const chat = byKey.get(chatKey) as Chat
      const agent = byId.get(userId) as RoutableAgent
      await uow.withTransaction(async (tx) => {
        // Capacity is re-checked in the transaction: the plan was computed from an earlier read.
        if (agent.maxChats !== -1 && (await chatsRepository.userLoad(tx, accountId, userId)) >= agent.maxChats) return
        await chatsRepository.updateChat(
          tx,
          chat,
          { ...chat, ringingUserId: userId, ringStartedAt: clock.now() },
          { nextEventId: chat.nextEventId, state: 'waiting', ringingUserId: null },
        )
      })
    }
  }

  /** `requeueStranded` under the account lock. */
  async function requeueStrandedLocked(accountId: string, unservedSkills: boolean): Promise<number> {
    const stranded = await chatsRepository.listStranded(db, accountId, { unservedSkills })
    if (stranded.length === 0) return 0
    const users = (await usersRepository.list(db, accountId, false)).filter((user) => user.isEnabled)
    const activeUsers = new Set(users.map((user) => user.id))
    const servedSkills = new Set(users.flatMap((user) => user.skillIds))
    const liveSkills = new Set((await skillsRepository.list(db, accountId, false)).map((skill) => skill.id))
    let changed = 0
    for (const listed of stranded) {
      changed += await retryOnConflict(async () => {
        // Re-read: the chat may have been accepted, ended or changed since the list was read.
        const chat = await chatsRepository.findChat(db, listed.key)
        if (!chat || chat.state !== 'waiting') return 0
        const skillGone =
          chat.skillId !== -1 && (!liveSkills.has(chat.skillId) || (unservedSkills && !servedSkills.has(chat.skillId)))
        const patch: Partial<Chat> = {
          ...(skillGone ? { skillId: -1 } : {}),
          ...(chat.requestedAgentId !== null && !activeUsers.has(chat.requestedAgentId)
            ? { requestedAgentId: null }
            : {}),
          ...(chat.targetAgentId !== null && !activeUsers.has(chat.targetAgentId) ? { targetAgentId: null } : {}),
        }
        if (Object.keys(patch).length === 0) return 0
        const { events, nextEventId } = allocateEvents(chat, [systemLine(chat, 23)], clock.now())
        await commit(chat, { ...chat, ...patch, nextEventId }, events, { guard: { state: 'waiting' } }, async (tx) => {
          if (!skillGone) return
          // The engagement is archived with the skill it was finally routed on.
          await chatsRepository.updateEngagement(tx, { ...(await currentEngagement(tx, chat)), skillId: -1 })
        })
        return 1
      })
    }
    return changed
  }

  async function routeSafely(accountId: string): Promise<void> {
    try {
      await routeLocked(accountId)
    } catch (error) {
      reportError(error, 'route')
    }
  }

  /** Runs `fn` under the account lock, then archives the engagements it ended. */
  async function mutate<T>(
    accountId: string,
    fn: (ended: Array<{ key: string; sequence: number }>) => Promise<T>,
  ): Promise<T> {
    const ended: Array<{ key: string; sequence: number }> = []
    const result = await lock.run(`account:${accountId}`, () => retryOnConflict(() => fn(ended)))
    for (const engagement of ended) await archiveNow(engagement.key, engagement.sequence)
    return result
  }

  /**
   * Runs an operation that changes one chat and nothing routing depends on (lines, typing,
   * names, custom variables) under that chat's lock, so chats of one account progress in
   * parallel. It can race an account-level operation on the same chat; the loser's
   * compare-and-set fails and it runs again on a fresh read.
   */
  function mutateChat<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    return lock.run(`chat:${chatKey}`, () => retryOnConflict(fn))
  }

  async function agentAccess(
    accountId: string,
    userId: number,
    chatKey: string,
    source: ChatSource = 'database',
  ): Promise<Chat> {
    const chat = await loadChat(accountId, chatKey, source)
    if (chat.agentUserId !== userId || chat.state === 'waiting') throw chatNotFound()
    return chat
  }

  async function endedEvent(chat: Chat): Promise<ChatEvent> {
    const event = chat.endEventId === null ? undefined : await chatsRepository.findEvent(db, chat.key, chat.endEventId)
    if (!event) throw new Error(`chat ${chat.key} has no ended event`)
    return event
  }

  /** Survey answers of a submission body, for an existing survey of `type`. */
  async function surveyAnswersOf(accountId: string, body: unknown, type: 'exit' | 'agent') {
    const wrapped = typeof body === 'object' && body !== null && 'survey' in body ? body.survey : body
    const parsed = parseSurveyAnswers(wrapped)
    if (!parsed) throw invalid('survey', 'needs a numeric id')
    const survey = await surveysRepository.findById(db, accountId, parsed.id)
    if (!survey || survey.deleted || survey.type !== type) throw invalid('survey', `unknown survey ${parsed.id}`)
    validateSurveyAnswers(survey, parsed.answers)
    return { ...parsed, survey }
  }

  async function resolveSkill(accountId: string, name: string | undefined, id: number | undefined): Promise<number> {
    if (name !== undefined) return (await skillsRepository.findActiveIdByName(db, accountId, nameKey(name))) ?? -1
    if (id !== undefined && id !== -1) {
      const skill = await skillsRepository.findById(db, accountId, id)
      return skill && !skill.deleted ? skill.id : -1
    }
    return -1
  }

  async function timeoutChat(accountId: string, chatKey: string, kind: 'inactive' | 'maxWait' | 'ring'): Promise<void> {
    await mutate(accountId, async (ended) => {
      const chat = await chatsRepository.findChat(db, chatKey)
      if (!chat || chat.state === 'ended') return
      const now = clock.now()
      if (kind === 'inactive') {
        if ((heldVisitorPolls.get(chat.key) ?? 0) > 0) {
          if (await chatsRepository.touch(db, chat.accountId, chat.key, now)) written(chat.accountId, chat.key, now)
          return
        }
        // The database may lag behind the activity kept in memory: write it instead of ending.
        const latest = Math.max(chat.lastUpdate, activity.latest(chat.key) ?? 0)
        if (now - latest <= chat.chatTimeout * 1000) {
          if (latest > chat.lastUpdate && (await chatsRepository.touch(db, chat.accountId, chat.key, latest)))
            written(chat.accountId, chat.key, latest)
          return
        }
        await endChat(chat, { systemMessageId: 6, endReason: '208' })
        ended.push({ key: chat.key, sequence: chat.sequence })
      } else if (kind === 'maxWait') {
        if (chat.state !== 'waiting' || chat.maxWaitTime === null || chat.waitingSince === null) return
        if (now < chat.waitingSince + chat.maxWaitTime * 1000) return
        await endChat(chat, { systemMessageId: 2, endReason: '208' })
        ended.push({ key: chat.key, sequence: chat.sequence })
      } else {
        const userId = chat.ringingUserId
        if (chat.state !== 'waiting' || userId === null || chat.ringStartedAt === null) return
        if (now < chat.ringStartedAt + RING_TIMEOUT_MS) return
        const after: Chat = {
          ...chat,
          ringingUserId: null,
          ringStartedAt: null,
          ringSkipped: [...chat.ringSkipped.filter((id) => id !== userId), userId],
          // An agent-targeted transfer falls back to its skill queue (agent-api.md §4.1).
          targetAgentId: null,
        }
        await commit(chat, after, [], { guard: { state: 'waiting', ringingUserId: userId } })
        try {
          await deps.agents.markAway(accountId, userId)
        } catch (error) {
          reportError(error, 'markAway')
        }
      }
      await routeSafely(accountId)
    })
  }

  async function runTimersOnce(): Promise<void> {
    const now = clock.now()
    await writeActivity(activity.due(now))
    activity.prune(now)
    const tasks: Array<[string, string, 'inactive' | 'maxWait' | 'ring']> = [
      ...(await chatsRepository.listExpired(db, now, TIMER_BATCH)).map((c): [string, string, 'inactive'] => [
        c.accountId,
        c.key,
        'inactive',
      ]),
      ...(await chatsRepository.listWaitExceeded(db, now, TIMER_BATCH)).map((c): [string, string, 'maxWait'] => [
        c.accountId,
        c.key,
        'maxWait',
      ]),
      ...(await chatsRepository.listRingExpired(db, now - RING_TIMEOUT_MS, TIMER_BATCH)).map(
        (c): [string, string, 'ring'] => [c.accountId, c.key, 'ring'],
      ),
    ]
    for (const [accountId, key, kind] of tasks) {
      try {
        await timeoutChat(accountId, key, kind)
      } catch (error) {
        reportError(error, `timer:${kind}`)
      }
    }
    for (const accountId of await chatsRepository.accountsWithUnroutedChats(db)) {
      await lock.run(`account:${accountId}`, async () => {
        // A configuration change (here or in another process) may have left chats no agent can take.
        try {
          await requeueStrandedLocked(accountId, false)
        } catch (error) {
          reportError(error, 'requeueStranded')
        }
        await routeSafely(accountId)
      })
    }
    await archiver.archivePending(TIMER_BATCH)
    await idempotencyKeysRepository.purge(db, clock.now() - IDEMPOTENCY_TTL_MS, IDEMPOTENCY_PURGE_BATCH)
    // Chats past their retention answer 404 already; their rows go once they are archived.
    await uow.withTransaction((tx) => chatsRepository.purgeEnded(tx, clock.now() - retentionMs, TIMER_BATCH))
  }

  const service: ChatService = {
    async requestChat(accountId, body, context, idempotency) {
      const parsed = parseChatRequest(body, context)
      const keyId = idempotency && {
        accountId,
        scope: idempotencyScopes.chatRequest(idempotency.credential),
        key: idempotency.key,
      }
      const replay = async (ref: string): Promise<Chat> =>
        (await chatsRepository.findChat(db, ref)) ?? loadChat(accountId, ref)
      if (!(await accountsRepository.findById(db, accountId)))
        throw new ParleyError('ACCOUNT_NOT_FOUND', `Account ${accountId} not found`)
      // A pre-chat answer's skill (runWithRules, docs/surveys.md) wins over the requested skill.
      const preChat = await checkPreChatAnswers(db, accountId, parsed.fields.survey, parsed.runWithRules)
      const ruledSkillId = preChat?.skillId
      const skillId = ruledSkillId ?? (await resolveSkill(accountId, parsed.skillName, parsed.skillId))
      const requestedAgentId =
        parsed.agentLogin === undefined
          ? null
          : ((await usersRepository.findActiveIdByLogin(db, accountId, nameKey(parsed.agentLogin))) ?? null)
      return idempotent(
        keyId,
        (claim) =>
          mutate(accountId, async () => {
            const now = clock.now()
            const key = newChatKey(deps.ids)
            const specs = [
              stateEvent('waiting'),
              systemLine({ language: parsed.language }, 4),
              ...parsed.fields.preChatLines.map(preChatLine),
            ]
            const chat: Chat = await uow.withTransaction(async (tx) => {
              const rtSessionId = await chatsRepository.nextRtSessionId(tx, accountId)
              const draft: Chat = {
                key,
                accountId,
                state: 'waiting',
                skillId,
                requestedAgentId,
                targetAgentId: null,
                language: parsed.language,
                visitorId: parsed.visitorId ?? newVisitorId(deps.ids),
                campaignId: parsed.campaignId,
                campaignEngagementId: parsed.campaignEngagementId,
                maxWaitTime: parsed.maxWaitTime,
                chatTimeout: parsed.chatTimeout,
                request: parsed.fields,
                customVariables: parsed.customVariables,
                visitorName: null,
                visitorTyping: false,
                agentTyping: false,
                agentUserId: null,
                agentNickname: null,
                ringingUserId: null,
                ringStartedAt: null,
                ringSkipped: [],
                sequence: 0,
                rtSessionId,
                waitingSince: now,
                requestedAt: now,
                lastUpdate: now,
                nextEventId: 0,
                endedAt: null,
                endEventId: null,
              }
              const { events, nextEventId } = allocateEvents(draft, specs, now)
              const created = { ...draft, nextEventId }
              await chatsRepository.insertChat(tx, created)
              await chatsRepository.insertEvents(tx, key, events)
              await chatsRepository.insertEngagement(tx, {
                chatKey: key,
                sequence: 0,
                accountId,
                rtSessionId,
                skillId,
                startReason: '0',
                startedAt: now,
                acceptedAt: null,
                agentUserId: null,
                agentGroupId: null,
                endReason: null,
                endedAt: null,
                archivedAt: null,
              })
              if (parsed.fields.survey)
                await rememberVisitorAnswers(tx, accountId, created.visitorId, parsed.fields.survey, now)
              // Archived from this snapshot: a later edit of the survey changes no answer given (issue 11).
              if (preChat)
                await chatsRepository.replaceSurveyAnswers(
                  tx,
                  key,
                  answeredSurvey('preChat', 0, preChat.survey, preChat.answers, null, now),
                )
              await claim?.(tx, key)
              return created
            })
            await routeSafely(accountId)
            return (await chatsRepository.findChat(db, chat.key)) ?? chat
          }),
        replay,
      )
    },

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
      return idempotent(
        keyId,
        (claim) =>
          mutateChat(chatKey, async () => {
            const chat = await loadChat(accountId, chatKey)
            if (chat.state !== 'chatting') throw notInChat()
            const [event] = await append(
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
        (ref) => storedEvent(chatKey, ref),
      )
    },

    async endByVisitor(accountId, chatKey) {
      return mutate(accountId, async (ended) => {
        const chat = await loadChat(accountId, chatKey)
        if (chat.state === 'ended') return endedEvent(chat)
        const event = await endChat(
          chat,
          { systemMessageId: chat.state === 'chatting' ? 5 : null, endReason: '210' },
          { touch: true },
        )
        ended.push({ key: chat.key, sequence: chat.sequence })
        await routeSafely(accountId)
        return event
      })
    },

    async setVisitorName(accountId, chatKey, name) {
      if (typeof name !== 'string') throw invalid('visitorName', 'must be a string')
      await mutateChat(chatKey, async () => {
        const chat = await loadChat(accountId, chatKey)
        await append(chat, [], { visitorName: name }, { touch: true })
      })
    },

    async setVisitorTyping(accountId, chatKey, typing) {
      await mutateChat(chatKey, async () => {
        const chat = await loadChat(accountId, chatKey)
        if (chat.state === 'ended')
          throw new ParleyError('CHAT_ENDED', "Cannot set visitor's typing status. Chat was ended")
        await append(chat, [], { visitorTyping: typing }, { touch: true })
      })
    },

    async setCustomVariables(accountId, chatKey, body) {
      const wrapped =
        typeof body === 'object' && body !== null && 'customVariables' in body ? body.customVariables : body
      const updates = parseCustomVariables(wrapped)
      await mutateChat(chatKey, async () => {
        const chat = await loadChat(accountId, chatKey)
        await append(
          chat,
          [],
          { customVariables: mergeCustomVariables(chat.customVariables, updates) },
          { touch: true },
        )
      })
    },

    async submitExitSurvey(accountId, chatKey, body) {
      const parsed = await surveyAnswersOf(accountId, body, 'exit')
      const chat = await mutateChat(chatKey, async () => {
        const current = await loadChat(accountId, chatKey)
        await chatsRepository.replaceSurveyAnswers(
          db,
          chatKey,
          answeredSurvey('exit', -1, parsed.survey, parsed.answers, null, clock.now()),
        )
        return current
      })
      if (chat.state === 'ended') await archiveNow(chat.key, chat.sequence)
    },

    async touchVisitor(accountId, chatKey) {
      // Usually no statement at all (activity is coalesced); the read only explains a miss.
      if (!(await recordActivity(accountId, chatKey, clock.now()))) await loadChat(accountId, chatKey, 'cache')
    },

    async flushVisitorActivity() {
      await writeActivity(activity.pending())
    },

    async pollVisitor(accountId, chatKey, from = 0) {
      await recordActivity(accountId, chatKey, clock.now())
      const chat = await loadChat(accountId, chatKey, 'cache')
      const events = visibleEvents(await eventsFrom(chat, from), 'visitor')
      return { chat, events }
    },

    async waitForEvents(accountId, chatKey, from, waitMs, viewer) {
      const visible = async (): Promise<boolean> => {
        // Agents see every event and event ids have no gaps: the chat row alone answers.
        if (viewer.kind === 'agent')
          return (await agentAccess(accountId, viewer.userId, chatKey, 'cache')).nextEventId > Math.max(0, from)
        return (await service.visitorEvents(accountId, chatKey, from)).length > 0
      }
      if (waitMs <= 0 || closed) return visible()
      const isVisitor = viewer.kind === 'visitor'
      if (isVisitor) heldVisitorPolls.set(chatKey, (heldVisitorPolls.get(chatKey) ?? 0) + 1)
      let timer: ReturnType<typeof setTimeout> | undefined
      let wakeup: (() => void) | undefined
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs)
        timer.unref()
      })
      try {
        for (;;) {
          // Register before reading, so an event committed in between still wakes this poll.
          const woken = new Promise<void>((resolve) => {
            wakeup = resolve
            const set = waiters.get(chatKey) ?? new Set()
            set.add(resolve)
            waiters.set(chatKey, set)
          })
          if (await visible()) return true
          if (closed) return false
          const outcome = await Promise.race([
            woken.then(() => 'woken' as const),
            expired.then(() => 'expired' as const),
          ])
          if (outcome === 'expired') return visible()
        }
      } finally {
        clearTimeout(timer)
        const set = waiters.get(chatKey)
        if (set && wakeup) {
          set.delete(wakeup)
          if (set.size === 0) waiters.delete(chatKey)
        }
        if (isVisitor) {
          const held = (heldVisitorPolls.get(chatKey) ?? 1) - 1
          if (held > 0) heldVisitorPolls.set(chatKey, held)
          else heldVisitorPolls.delete(chatKey)
          await recordActivity(accountId, chatKey, clock.now())
        }
      }
    },

    async ringingChats(accountId, userId) {
      return (await chatsRepository.listByAgent(db, accountId, userId)).filter(
        (chat) => chat.state === 'waiting' && chat.ringingUserId === userId,
      )
    },

    ringingCount: (accountId, userId) => chatsRepository.countRinging(db, accountId, userId),

    async acceptChat(accountId, userId) {
      return mutate(accountId, async () => {
        const [chat] = await service.ringingChats(accountId, userId)
        if (!chat) throw new ParleyError('RESOURCE_NOT_FOUND', 'No chat is ringing for this agent')
        const user = await usersRepository.findById(db, accountId, userId)
        const nickname = user?.nickname ?? ''
        const now = clock.now()
        const { events, nextEventId } = allocateEvents(
          chat,
          [stateEvent('chatting'), systemLine(chat, 3, nickname)],
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
        await commit(chat, after, events, { guard: { state: 'waiting', ringingUserId: userId } }, async (tx) => {
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
      return visibleEvents(await eventsFrom(await agentAccess(accountId, userId, chatKey, 'cache'), from), 'agent')
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
        body = { text: textType === 'html' ? deps.sanitizeHtml(input.text) : input.text }
      }
      const keyId = idempotency && {
        accountId,
        scope: idempotencyScopes.agentLine(chatKey, userId),
        key: idempotency.key,
      }
      return idempotent(
        keyId,
        (claim) =>
          mutateChat(chatKey, async () => {
            const chat = await agentAccess(accountId, userId, chatKey)
            if (chat.state !== 'chatting') throw notInChat()
            const [event] = await append(
              chat,
              [
                {
                  type: 'line',
                  source: 'agent',
                  by: chat.agentNickname ?? '',
                  textType,
                  ...body,
                  subType,
                  agentUserId: userId,
                },
              ],
              { agentTyping: false },
              claim ? { extra: (tx, events) => claim(tx, String(events[0]!.id)) } : {},
            )
            return event as ChatEvent
          }),
        (ref) => storedEvent(chatKey, ref),
      )
    },

    async submitAgentSurvey(accountId, userId, chatKey, body) {
      const parsed = await surveyAnswersOf(accountId, body, 'agent')
      const chat = await mutateChat(chatKey, async () => {
        const current = await agentAccess(accountId, userId, chatKey)
        await chatsRepository.replaceSurveyAnswers(
          db,
          chatKey,
          answeredSurvey('agent', current.sequence, parsed.survey, parsed.answers, userId, clock.now()),
        )
        return current
      })
      if (chat.state === 'ended') await archiveNow(chat.key, chat.sequence)
    },

    async setAgentTyping(accountId, userId, chatKey, typing) {
      await mutateChat(chatKey, async () => {
        const chat = await agentAccess(accountId, userId, chatKey)
        if (chat.state === 'ended')
          throw new ParleyError('CHAT_ENDED', "Cannot set agent's typing status. Chat was ended")
        await append(chat, [], { agentTyping: typing })
      })
    },

    async endByAgent(accountId, userId, chatKey) {
      return mutate(accountId, async (ended) => {
        const chat = await agentAccess(accountId, userId, chatKey)
        if (chat.state === 'ended') return endedEvent(chat)
        const event = await endChat(chat, { systemMessageId: 5, endReason: '201' })
        ended.push({ key: chat.key, sequence: chat.sequence })
        await routeSafely(accountId)
        return event
      })
    },

    async transfer(accountId, userId, chatKey, input) {
      await mutate(accountId, async (ended) => {
        const chat = await agentAccess(accountId, userId, chatKey)
        if (chat.state !== 'chatting') throw new ParleyError('CHAT_NOT_IN_CHAT', 'Cannot transfer while not in chat')
        const agents = await deps.agents.connectedAgents(accountId)
        let next: { skillId: number; targetAgentId: number | null }
        let systemId: SystemMessageId
        let reasons: [string, string]
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
          systemId = 13
          reasons = ['101', '1']
        } else if (input.skillId !== undefined) {
          const skillId = input.skillId
          const skill = skillId === -1 ? undefined : await skillsRepository.findById(db, accountId, skillId)
          if (skillId !== -1 && (!skill || skill.deleted)) throw invalid('transfer', `unknown skill ${skillId}`)
          const online = agents.some(
            (agent) => agent.userId !== userId && agent.availability === 'Online' && servesSkill(agent, skillId),
          )
          if (!online) throw invalid('transfer', `no agent of skill ${skillId} is online`)
          next = { skillId, targetAgentId: null }
          systemId = 15
          reasons = ['106', '6']
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
        await restartWaiting(chat, specs, reasons[0], reasons[1], next)
        ended.push({ key: chat.key, sequence: chat.sequence })
        await routeSafely(accountId)
      })
    },

    async requeueAgentChats(accountId, userId) {
      await mutate(accountId, async (ended) => {
        for (const chat of await chatsRepository.listByAgent(db, accountId, userId)) {
          if (chat.state === 'chatting' && chat.agentUserId === userId) {
            await restartWaiting(chat, [systemLine(chat, 23)], '202', '3', {
              skillId: chat.skillId,
              targetAgentId: null,
            })
            ended.push({ key: chat.key, sequence: chat.sequence })
          } else if (chat.state === 'waiting' && chat.ringingUserId === userId) {
            await commit(chat, { ...chat, ringingUserId: null, ringStartedAt: null, targetAgentId: null }, [], {
              guard: { state: 'waiting', ringingUserId: userId },
            })
          }
        }
        await routeSafely(accountId)
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
      return (await service.heldChats(accountId, userId))
        .map((held) => ({ chatId: held.chat.key, startTime: held.acceptedAt }))
        .sort((a, b) => a.startTime - b.startTime)
    },

    async routeAccount(accountId) {
      await lock.run(`account:${accountId}`, () => routeLocked(accountId))
    },

    async requeueStranded(accountId, options = {}) {
      return lock.run(`account:${accountId}`, async () => {
        const changed = await requeueStrandedLocked(accountId, options.unservedSkills ?? false)
        if (changed > 0) await routeSafely(accountId)
        return changed
      })
    },

    async start() {
      await archiver.archivePending(TIMER_BATCH, { ignoreBackoff: true })
      ticker ??= scheduler.every(TIMER_INTERVAL_MS, () => {
        if (running) return
        running = runTimersOnce()
          .catch((error: unknown) => reportError(error, 'timers'))
          .finally(() => {
            running = undefined
          })
      })
    },

    runTimers: runTimersOnce,

    async close() {
      closed = true
      for (const chatKey of [...waiters.keys()]) wake(chatKey)
      ticker?.stop()
      ticker = undefined
      await running
      // Coalesced visitor activity is written now: the server calls close() once when shutdown
      // starts and again after the listeners drained, both while the database is open.
      await service.flushVisitorActivity()
    },
  }
  return service
}
