import type { Config } from './config/config.ts'
import { createAccountConfigService, type AccountConfigService } from './core/account-config/account-config.service.ts'
import { afterWrites } from './core/account-config/after-writes.ts'
import { createAccountsService, type AccountsService } from './core/accounts/accounts.service.ts'
import { createCredentialsService, type CredentialsService } from './core/accounts/credentials.service.ts'
import { createLoginService, type LoginService } from './core/accounts/login.service.ts'
import type { AgentChatHooks } from './core/agents/agent-chat-hooks.ts'
import { createAgentsService, type AgentsService } from './core/agents/agents.service.ts'
import { createLoginLimiter, type LoginLimiter } from './core/auth/login-limiter.ts'
import { createChatService, type ChatService } from './core/chat/chat.service.ts'
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
import { createInProcessBus } from './storage/bus/in-process-bus.ts'
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
  /**
   * The live bus (issue 14, core/ports/live-bus.ts): changes every process must see. In-process
   * unless `ServiceDeps.bus` gives another adapter.
   */
  bus: LiveBus
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
}

/** The one place that wires repositories into services. */
export function createServices(deps: ServiceDeps): Services {
  const { storage, config } = deps
  const clock = deps.clock ?? systemClock
  const ids = deps.ids ?? cryptoIds
  const db = storage.db
  const bus = deps.bus ?? createInProcessBus()
  const uow = createUnitOfWork(db, bus)
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
    ...(deps.onBackgroundError ? { onError: deps.onBackgroundError } : {}),
    geoIp,
  })
  const agents = createAgentsService({
    db,
    uow,
    clock,
    ids,
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
  const agentSweeper = setInterval(() => {
    // A failed sweep (database unavailable) is retried by the next one.
    agents.sweep().catch(() => undefined)
  }, AGENT_SWEEP_INTERVAL_MS)
  agentSweeper.unref()
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
  const historyPruner = setInterval(() => {
    operationalRealtime.pruneHistory().catch(() => undefined)
  }, OPERATIONAL_PRUNE_INTERVAL_MS)
  historyPruner.unref()
  const mail = createMailQueue({
    db,
    clock,
    transport: config.smtpUrl ? createSmtpTransport(config.smtpUrl) : createOutboxTransport(config.mailOutboxDir),
    from: config.mailFrom,
    ...(deps.onBackgroundError ? { onError: deps.onBackgroundError } : {}),
    ...(deps.onMailEvent ? { onEvent: deps.onMailEvent } : {}),
  })
  return {
    accounts: createAccountsService({ db, uow, clock, ids, dialect: storage.ops.name }),
    credentials: createCredentialsService({
      db,
      clock,
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
    mail,
    transcripts: createTranscriptService({ chat, mail, sanitizeHtml: sanitizeAgentHtml }),
    surveys: createSurveysService({ db, clock, mail: deps.mail ?? mail, onError: deps.onBackgroundError }),
    bus,
    ping: () => storage.ping(),
    close: async () => {
      clearInterval(agentSweeper)
      clearInterval(historyPruner)
      await chat.close()
      await mail.close()
      await history.close()
    },
  }
}

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
