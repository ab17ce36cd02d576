import type { Config } from './config/config.ts'
import { createAccountConfigService, type AccountConfigService } from './core/account-config/account-config.service.ts'
import { afterWrites } from './core/account-config/after-writes.ts'
import { createAccountsService, type AccountsService } from './core/accounts/accounts.service.ts'
import { createCredentialsService, type CredentialsService } from './core/accounts/credentials.service.ts'
import { createLoginService, type LoginService } from './core/accounts/login.service.ts'
import type { AgentChatHooks } from './core/agents/agent-chat-hooks.ts'
import { createAgentsService, type AgentsService } from './core/agents/agents.service.ts'
import { createLoginLimiter, type LoginLimiter } from './core/auth/login-limiter.ts'
import { createChatService, intervalScheduler, type ChatService } from './core/chat/chat.service.ts'
import { createVisitsService, type VisitsService } from './core/chat/visits.service.ts'
import { createCoBrowseService, type CoBrowseService } from './core/cobrowse/cobrowse.service.ts'
import { systemClock, type Clock } from './core/clock.ts'
import { ParleyError } from './core/errors.ts'
import type { GeoIpSource } from './core/enrichment/geo-ip.ts'
import { createMmdbGeoIpSource } from './core/enrichment/mmdb-geo-ip.ts'
import { createArchiveService, type ArchiveService } from './core/history/archive.service.ts'
import type { HistoryQuery } from './core/history/history-query.types.ts'
import { cryptoIds, type IdGenerator } from './core/ids.ts'
import { createMailQueue, type MailDeliveryEvent, type MailQueueService } from './core/mail/mail-queue.ts'
import {
  createOperationalRealtimeService,
  type OperationalRealtimeService,
} from './core/operational/operational-realtime.service.ts'
import { createOutboxTransport, createSmtpTransport } from './core/mail/mail-transports.ts'
import { createTranscriptService, type TranscriptService } from './core/mail/transcript.service.ts'
import { sanitizeAgentHtml } from './core/text/sanitize-agent-html.ts'
import type { MailQueue } from './core/mail/mail.types.ts'
import { createVisitorContextService, type VisitorContextService } from './core/chat/visitor-context.ts'
import { createRingingPreviewService, type RingingPreviewService } from './core/chat/ringing-preview.ts'
import { createSurveysService, type SurveysService } from './core/surveys/surveys.service.ts'
import {
  createEngagementHistoryService,
  type EngagementHistoryService,
} from './core/history/engagement-history.service.ts'
import { createArchiveStore } from './storage/archive/archive-store.ts'
import { createHistoryWorkerPool } from './storage/archive/history-worker-pool.ts'
import { createInlineHistoryQuery } from './storage/archive/inline-history-query.ts'
import type { Storage } from './storage/db.ts'
import { createUnitOfWork } from './storage/unit-of-work.ts'
import type { LiveBus } from './core/ports/live-bus.ts'
import { leaderOnly, soleLeadership, type Leadership } from './core/ports/leadership.ts'
import { createInProcessBus } from './storage/bus/in-process-bus.ts'
import { createInvalidation, type Invalidation } from './core/cache/invalidation.ts'
import { attachInvalidation } from './storage/invalidation.ts'
import { createPartStore, type PartStore } from './core/browser/js2rest-parts.service.ts'
import { databaseLocks } from './storage/locks/database-locks.ts'
import {
  createEngagementAttributesService,
  type EngagementAttributesService,
} from './core/sdes/engagement-attributes.service.ts'

/** Every service the HTTP layer and the CLI use, wired once. */
export interface Services {
  accounts: AccountsService
  credentials: CredentialsService
  login: LoginService
  /** Failed-login counters: reserved by every login, listed and cleared by admins (docs/auth.md). */
  loginLimiter: LoginLimiter
  /** Chat Agent API sessions and availability; also the chat engine's AgentDirectory. */
  agents: AgentsService
  /**
   * The live chat engine (docs/live-chat.md): visitor and agent operations, routing, timers and
   * archival. `server.ts` calls `chat.start()`; the CLI never does, so it runs no timers.
   */
  chat: ChatService
  /** Visit ids (V22, A25) to chat keys. */
  visits: VisitsService
  /** Co-browse records of live chats, a Parley agent-API extension (docs/cobrowse.md). */
  coBrowse: CoBrowseService
  /** Account configuration API: skills, agent groups, users, campaigns, surveys, ... */
  accountConfig: AccountConfigService
  /** Engagement History search (access rules, D4 validation) over `historyQuery`. */
  engagementHistory: EngagementHistoryService
  /** Operational Realtime API (`leDataReporting`): queue, engagement and agent figures of the last 24 hours. */
  operationalRealtime: OperationalRealtimeService
  /** Engagement archive: batched idempotent upserts and paged export. */
  archive: ArchiveService
  /** Storage-backed Engagement History search, off the main thread (BUSY when its queue is full). */
  historyQuery: HistoryQuery
  /** Engagement attributes (SDEs): monitoring API reports, their chats and participant info. */
  engagementAttributes: EngagementAttributesService
  /**
   * The durable outgoing-mail queue (docs/transcripts.md): SMTP or the outbox folder. `server.ts`
   * calls `mail.start()`; the CLI never does, so it sends nothing.
   */
  mail: MailQueueService
  /** V19/V20: transcripts by mail, through `mail`. */
  transcripts: TranscriptService
  /** Survey selection for the visitor and agent APIs, offline messages and their notification mail. */
  surveys: SurveysService
  /** The console's side panel of a live chat (Parley extension, docs/console.md). */
  visitorContext: VisitorContextService
  /** The chats ringing an agent with skill, wait and first answers (Parley extension, docs/console.md). */
  ringingPreview: RingingPreviewService
  /**
   * The live bus (issue 14, core/ports/live-bus.ts): changes every process must see. In-process
   * unless `ServiceDeps.bus` gives another adapter.
   */
  bus: LiveBus
  /**
   * What the caches check, kept current by `bus`; repository writes through `storage.db` feed it
   * (storage/invalidation.ts). The chat engine's chat-row cache takes it too (`createChatCache`).
   */
  invalidation: Invalidation
  /** Partial multi-part js2rest requests, held in the database for every process (docs/browser-transports.md). */
  js2restParts: PartStore
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>
  /** Stops background resources (history workers); the storage is closed by its owner. */
  close(): Promise<void>
}

export interface ServiceDeps {
  storage: Storage
  config: Config
  clock?: Clock
  ids?: IdGenerator
  /** What agent sessions ask of the chat engine (tests); default: the chat engine (`chat`). */
  agentChatHooks?: AgentChatHooks
  /** Failures of background work (chat timers, routing, archiving), which is retried; for logging. */
  onBackgroundError?: (error: unknown, task: string) => void
  /** The durable outgoing-mail queue (offline-message notifications); without it nothing is mailed. */
  mail?: MailQueue
  /** Mail delivery news (failing, recovered, given up, each failed attempt); for logging. */
  onMailEvent?: (event: MailDeliveryEvent) => void
  /** Geo-IP databases for visitor info; default: those of `config.geoIp`, read on first use. */
  geoIp?: GeoIpSource
  /** The live bus; default: in-process (one process). Its owner closes it. */
  bus?: LiveBus
  /**
   * Which process runs the background tasks (chat timers, agent sweeps, mail, purges); default:
   * this one (one process). Its owner closes it (docs/deployment.md).
   */
  leadership?: Leadership
}

/** The one place that wires repositories into services. */
export function createServices(deps: ServiceDeps): Services {
  const { storage, config } = deps
  const clock = deps.clock ?? systemClock
  const ids = deps.ids ?? cryptoIds
  const db = storage.db
  const bus = deps.bus ?? createInProcessBus()
  const leadership = deps.leadership ?? soleLeadership
  // Every background task runs only in the process that leads (core/ports/leadership.ts).
  const background = (task: string) => leaderOnly(leadership, task, intervalScheduler)
  const uow = createUnitOfWork(db, bus)
  // --- live bus: caches of these services follow every process's writes (issue 14) ---
  const invalidation = createInvalidation(bus)
  const detachInvalidation = attachInvalidation(db, invalidation)
  // --- end live bus ---
  const history = createHistoryQuery(storage, config)
  const loginLimiter = createLoginLimiter({
    db,
    clock,
    limits: {
      maxFailuresPerLogin: config.loginMaxFailures,
      maxFailuresPerIp: config.loginMaxFailuresPerIp,
      windowMs: config.loginFailureWindowMs,
    },
  })
  const baseLogin = createLoginService({
    db,
    clock,
    ids,
    limiter: loginLimiter,
    sessionTtlMs: config.sessionTtlMs,
    invalidation,
  })
  const archive = createArchiveService({ store: createArchiveStore(storage) })
  const geoIp =
    deps.geoIp ??
    createMmdbGeoIpSource(config.geoIp, { onError: (error) => deps.onBackgroundError?.(error, 'geo-IP database') })
  // The engine finds agents through the agents service, which calls back into the engine (hooks);
  // the directory is only used at call time, after both exist.
  const chat = createChatService({
    db,
    uow,
    clock,
    invalidation,
    ids,
    archive,
    agents: {
      connectedAgents: (accountId) => agents.connectedAgents(accountId),
      markAway: (accountId, userId) => agents.markAway(accountId, userId),
    },
    sanitizeHtml: sanitizeAgentHtml,
    bus,
    locks: databaseLocks(storage.ops.name),
    groupActivityWrites: storage.ops.name === 'sqlite',
    scheduler: background('chat-timers'),
    ...(deps.onBackgroundError ? { onError: deps.onBackgroundError } : {}),
    geoIp,
  })
  const agents = createAgentsService({
    db,
    uow,
    clock,
    ids,
    invalidation,
    login: baseLogin,
    hooks: deps.agentChatHooks ?? chat,
    idleTimeoutMs: config.agentSessionIdleMs,
    presenceMs: config.agentPresenceMs,
  })
  // Logout ends the agent sessions it created at once (D6); expiry and idleness are swept.
  const login: LoginService = {
    ...baseLogin,
    logout: async (accountId, lookup) => {
      await baseLogin.logout(accountId, lookup)
      await agents.sweep(accountId)
    },
  }
  const agentSweeper = background('agent-sweep').every(AGENT_SWEEP_INTERVAL_MS, () => {
    // A failed sweep (database unavailable) is retried by the next one.
    agents.sweep().catch(() => undefined)
  })
  // The chat timers write the visitor activity this process coalesced (visitor-activity.ts); where
  // they do not run, it is written here, at the same pace, for the leader's inactivity timer to read.
  const activityWriter = intervalScheduler.every(FOLLOWER_ACTIVITY_FLUSH_MS, () => {
    if (!leadership.isLeader('chat-timers'))
      chat.flushVisitorActivity().catch((error: unknown) => deps.onBackgroundError?.(error, 'visitor activity'))
  })
  const baseConfig = createAccountConfigService({ db, uow, clock })
  // A change of skills or users may leave waiting chats with no possible agent: requeue them now
  // (the chat timers catch changes made by other processes within a tick).
  const requeueStranded = async (accountId: string): Promise<void> => {
    try {
      await chat.requeueStranded(accountId, { unservedSkills: true })
    } catch (error) {
      deps.onBackgroundError?.(error, 'requeueStranded')
    }
  }
  const accountConfig: AccountConfigService = {
    ...baseConfig,
    skills: afterWrites(baseConfig.skills, requeueStranded),
    users: afterWrites(baseConfig.users, requeueStranded),
  }
  const operationalRealtime = createOperationalRealtimeService({
    db,
    clock,
    connectedAgents: (accountId) => agents.connectedAgents(accountId),
    chatLoad: (accountId) => chat.chatLoad(accountId),
    recentWaitTime: (accountId, skillId) => chat.recentWaitTime(accountId, skillId),
  })
  // Agent state changes older than the API's reach go every few minutes (each user's latest stays).
  const historyPruner = background('operational-prune').every(OPERATIONAL_PRUNE_INTERVAL_MS, () => {
    operationalRealtime.pruneHistory().catch(() => undefined)
  })
  const mail = createMailQueue({
    db,
    clock,
    transport: config.smtpUrl ? createSmtpTransport(config.smtpUrl) : createOutboxTransport(config.mailOutboxDir),
    from: config.mailFrom,
    scheduler: background('mail'),
    ...(deps.onBackgroundError ? { onError: deps.onBackgroundError } : {}),
    ...(deps.onMailEvent ? { onEvent: deps.onMailEvent } : {}),
  })
  return {
    accounts: createAccountsService({ db, uow, clock, ids, invalidation, dialect: storage.ops.name }),
    credentials: createCredentialsService({
      db,
      clock,
      invalidation,
      acceptDefaultAppKey: config.acceptDefaultAppKey,
      visitAppKeys: config.visitAppKeys,
    }),
    login,
    loginLimiter,
    agents,
    chat,
    visits: createVisitsService({ db }),
    coBrowse: createCoBrowseService({ db, clock, ids, agentChat: (...args) => chat.agentChat(...args) }),
    accountConfig,
    engagementHistory: createEngagementHistoryService({ db, historyQuery: history.query }),
    operationalRealtime,
    archive,
    historyQuery: history.query,
    engagementAttributes: createEngagementAttributesService({ db, clock }),
    visitorContext: createVisitorContextService({ db, chat, geoIp }),
    ringingPreview: createRingingPreviewService({ db, clock, chat }),
    mail,
    transcripts: createTranscriptService({ chat, mail, sanitizeHtml: sanitizeAgentHtml }),
    surveys: createSurveysService({ db, clock, mail: deps.mail ?? mail, onError: deps.onBackgroundError }),
    bus,
    invalidation,
    js2restParts: createPartStore({ db, uow, clock }),
    ping: () => storage.ping(),
    close: async () => {
      agentSweeper.stop()
      activityWriter.stop()
      historyPruner.stop()
      await chat.close()
      await mail.close()
      await history.close()
      detachInvalidation()
      invalidation.close()
    },
  }
}

/** How often a process that runs no chat timers writes its coalesced visitor activity (ACTIVITY_WRITE_INTERVAL_MS). */
const FOLLOWER_ACTIVITY_FLUSH_MS = 5_000

/** How often old agent state changes are pruned. */
const OPERATIONAL_PRUNE_INTERVAL_MS = 10 * 60_000

/** How often agent sessions of expired logins, disabled users and idle clients are ended. */
const AGENT_SWEEP_INTERVAL_MS = 5_000

/** Max history searches waiting for a worker before BUSY (429). */
const HISTORY_QUEUE_LIMIT = 64

// An in-memory SQLite database exists only on this connection, so its searches run inline.
function createHistoryQuery(storage: Storage, config: Config): { query: HistoryQuery; close(): Promise<void> } {
  const database = config.database
  if (config.historyWorkers === 0 || (database.kind === 'sqlite' && database.path === ':memory:'))
    return { query: createInlineHistoryQuery(storage.db, storage.ops.name), close: async () => {} }
  const pool = createHistoryWorkerPool({
    database,
    size: config.historyWorkers,
    maxQueue: HISTORY_QUEUE_LIMIT,
    busyError: (message) => new ParleyError('BUSY', message),
  })
  return { query: pool, close: () => pool.close() }
}
