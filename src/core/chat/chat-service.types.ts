import type { Invalidation } from '../cache/invalidation.ts'
import type { Clock } from '../clock.ts'
import type { GeoIpSource } from '../enrichment/geo-ip.ts'
import type { ArchiveService } from '../history/archive.service.ts'
import type { IdGenerator } from '../ids.ts'
import type { LiveBus } from '../ports/live-bus.ts'
import type { ChatLocks } from '../ports/locks.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { AgentDirectory } from './agent-directory.ts'
import type { Chat, ChatEvent } from './chat.types.ts'
import type { IdempotencyRequest } from './idempotency.ts'

/** Decision D8: a ringing chat moves on after this long. */
export const RING_TIMEOUT_MS = 20_000
/** How often timers (inactivity, maxWaitTime, ringing, routing, archive retries) are checked. */
export const TIMER_INTERVAL_MS = 1_000
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
  /** What tells the chat-row cache that a chat changed, on any process; without it nothing is cached. */
  invalidation?: Invalidation
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
  /**
   * The live bus (core/ports/live-bus.ts): every chat change is published on it after commit, and
   * held long polls and the chat-row cache follow the changes of every process. `uow` must settle
   * a given bus (compose.ts builds it so); without one the engine settles an in-process bus itself.
   */
  bus?: LiveBus
  /**
   * Database locks for the account- and chat-level critical sections (core/ports/locks.ts), so
   * they hold across processes. Default: none beyond this process's mutex (one process).
   */
  locks?: ChatLocks
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
 * retried by the timers). Mutations are serialised per account (or chat) in this process, by
 * database locks across processes (`ChatServiceDeps.locks`), and guarded by compare-and-set
 * updates in the database (docs/live-chat.md).
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
