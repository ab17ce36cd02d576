import type { ConfigUser } from '../account-config/account-config.types.ts'
import type { PermissionGroup } from '../accounts/accounts.types.ts'
import type { LoginService } from '../accounts/login.service.ts'
import type { Actor } from '../actor.ts'
import { createAccountCache } from '../cache/account-cache.ts'
import type { Invalidation } from '../cache/invalidation.ts'
import type { AgentDirectory, ChatAvailability, RoutableAgent } from '../chat/agent-directory.ts'
import { freeSlots } from '../chat/routing.ts'
import { activeSkillIdByName } from '../chat/skill-lookup.ts'
import type { Clock } from '../clock.ts'
import { ParleyError, notFound } from '../errors.ts'
import type { IdGenerator } from '../ids.ts'
import { agentSessionsRepository } from '../../storage/repositories/agent-sessions.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { AgentChatHooks, AgentChatSession } from './agent-chat-hooks.ts'
import type { AgentSession, UserAvailability } from './agents.types.ts'
import { nameKey } from '../text/name-key.ts'
import { checkStartAvailability, SETTABLE, settable, startAvailability } from './start-availability.ts'

/** The caller of the Chat Agent API: a bearer user, or an OAuth 1.0a API key bound to a user. */
export type AgentActor = Extract<Actor, { kind: 'user' } | { kind: 'apiKey' }>

/** A4 input as the client sent it (values are validated by the service). */
export interface AvailabilityInput {
  chat?: string | undefined
  chatReasonId?: string | undefined
}

/** The user behind a session, as A5 shows it. */
export interface AgentInfo {
  session: AgentSession
  user: ConfigUser
  availability: UserAvailability
  /** The user's non-deleted skills, by id. */
  skills: Array<{ id: number; name: string }>
}

/** A6 filters; every one is optional and they combine with AND. */
export interface AvailableAgentsFilter {
  /** Skill name (case-insensitive); an unknown name matches nobody. */
  skill?: string | undefined
  /** `Online`, `Occupied`, `Away`, `Offline` (case-insensitive); another value matches nobody. */
  chatState?: string | undefined
  /** Voice is always `Offline`. */
  voiceState?: string | undefined
  chatReasonId?: string | undefined
}

/** One A6 entry. `availability.chat` is `Offline` for users without a live agent session. */
export interface AvailableAgent {
  user: ConfigUser
  availability: UserAvailability
  chats: number
  privilegeGroup: 'administrators' | 'agentManagers' | 'campaignManagers' | 'agents'
}

/** A7 query: `agent` (login name) alone, else `skill` (name); `maxWaitTime` is accepted and ignored. */
export interface AvailableSlotsQuery {
  skill?: string | undefined
  agent?: string | undefined
}

/** A1 options: the availability a user's first live session starts with (Parley extension). */
export interface StartOptions {
  /**
   * `Online`, `Away` or `Occupied`, or `byRole` (Away for Admins and Agent Managers, else Online),
   * case-insensitive; anything else VALIDATION_FAILED.
   */
  availability?: string | undefined
}

/**
 * Chat Agent API sessions and availability (agent-api.md §3 and §9), and the `AgentDirectory` the
 * chat engine routes with. Every method that takes an agent session id answers RESOURCE_NOT_FOUND
 * (404) for an unknown or ended session, a session of another account, and a session of another user.
 */
export interface AgentsService extends AgentDirectory {
  /**
   * A1: opens a session for the actor's user. The new session's availability is `Online` unless the
   * user already has a live session, whose availability it then shares. FORBIDDEN for an API key
   * without the `agent` permission or not bound to an enabled user. `availability` (Parley
   * extension, docs/agent-sessions.md) replaces `Online` for the user's first session only.
   */
  startSession(actor: AgentActor, accountId: string, options?: StartOptions): Promise<AgentSession>
  /**
   * A1 legacy `loginData` credentials without an Authorization header: checked exactly like a Login
   * Service login (rate limit included, LOGIN_FAILED otherwise); the session is tied to the login
   * session that creates, whose bearer is returned so the transport can carry it (cookie).
   */
  startSessionWithCredentials(
    accountId: string,
    credentials: { userName: string; password: string },
    clientIp: string,
    options?: StartOptions,
  ): Promise<{ session: AgentSession; bearer: string; sessionKey: string }>
  /** The live session if it belongs to the actor's user; records activity (presence and idle timeout). */
  requireSession(actor: AgentActor, accountId: string, agentSessionId: string): Promise<AgentSession>
  /**
   * Records a request on a session already required, e.g. when a held long poll answers: a client
   * that only long-polls stays present while it holds requests.
   */
  recordActivity(session: AgentSession): Promise<void>
  /** A2: the session and, when asked (`cs=1`), the user's open chats. */
  getSession(
    actor: AgentActor,
    accountId: string,
    agentSessionId: string,
    options: { withChats: boolean },
  ): Promise<{ session: AgentSession; chats: AgentChatSession[] | undefined }>
  /** A3. */
  getAvailability(actor: AgentActor, accountId: string, agentSessionId: string): Promise<UserAvailability>
  /** A4: `Online`, `Away` or `Occupied`, case-insensitive; anything else VALIDATION_FAILED. Shared by all sessions of the user. */
  setAvailability(
    actor: AgentActor,
    accountId: string,
    agentSessionId: string,
    input: AvailabilityInput,
  ): Promise<UserAvailability>
  /** A5. */
  getInfo(actor: AgentActor, accountId: string, agentSessionId: string): Promise<AgentInfo>
  /** A6: enabled, non-deleted users of the account, online or not, ordered by user id. */
  availableAgents(
    actor: AgentActor,
    accountId: string,
    agentSessionId: string,
    filter: AvailableAgentsFilter,
  ): Promise<AvailableAgent[]>
  /** A7: free slots of Online agents (visitor V2 rules); -1 = unlimited. */
  availableSlots(
    actor: AgentActor,
    accountId: string,
    agentSessionId: string,
    query: AvailableSlotsQuery,
  ): Promise<number>
  /** A27: ends the session; the user's last session ending requeues their chats (D6). */
  endSession(actor: AgentActor, accountId: string, agentSessionId: string): Promise<void>
  /**
   * Ends every live session whose login session ended or expired, whose API key was revoked, whose
   * user was disabled or deleted, or that was idle longer than the idle timeout, at the clock's now.
   * Limited to one account when given. Returns how many sessions it ended.
   */
  sweep(accountId?: string): Promise<number>
}

export interface AgentsServiceDeps {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  ids: IdGenerator
  /** What tells the caches that another write (of any process) changed an account. */
  invalidation: Invalidation
  login: Pick<LoginService, 'login' | 'authenticateBearer'>
  hooks: AgentChatHooks
  /** A session no request used for this long ends (agent-api.md §9: 400 s). */
  idleTimeoutMs: number
  /**
   * A user none of whose live sessions made a request for this long is absent: routing, transfers
   * and V1-V3 ignore them until their next request, while the session itself lives until
   * `idleTimeoutMs` (docs/agent-sessions.md, "Presence"). Default 60 s.
   */
  presenceMs?: number
  /** Availability of a user's first session (agent-api.md A1: `Online`). */
  initialAvailability?: ChatAvailability
}

// Activity is written at most this often, so agents polling every 2 s do not write every time
// (and at most a quarter of the presence time, so the coalescing cannot make a polling agent absent).
const TOUCH_INTERVAL_MS = 30_000
export const DEFAULT_AGENT_PRESENCE_MS = 60_000
// Ids are kept below 2^53 so they survive JSON number parsing in JavaScript clients.
const SESSION_ID_DIGITS = 16
const ID_ATTEMPTS = 8

const ALL_STATES: Readonly<Record<string, ChatAvailability>> = { ...SETTABLE, offline: 'Offline' }
const OFFLINE: UserAvailability = { chat: 'Offline', chatReasonId: null, changedAt: 0 }

// Highest first: the A6 `privilegeGroup` is the first of these the user holds.
const PRIVILEGE_ORDER: ReadonlyArray<[PermissionGroup, AvailableAgent['privilegeGroup']]> = [
  ['4', 'administrators'],
  ['2', 'agentManagers'],
  ['3', 'campaignManagers'],
  ['1', 'agents'],
]

const forbidden = (): ParleyError => new ParleyError('FORBIDDEN', 'Unauthorized account access')

/** Creates the agent-session service. */
export function createAgentsService(deps: AgentsServiceDeps): AgentsService {
  const { db, uow, clock, ids, hooks, idleTimeoutMs } = deps
  const initial = deps.initialAvailability ?? 'Online'
  const presenceMs = deps.presenceMs ?? DEFAULT_AGENT_PRESENCE_MS
  const touchIntervalMs = Math.min(TOUCH_INTERVAL_MS, Math.max(1, Math.floor(presenceMs / 4)))
  /** Live agent sessions by id (invalidated when sessions of the account start or end). */
  const liveSessions = createAccountCache<AgentSession>({ clock, invalidation: deps.invalidation })
  /**
   * The routing directory (agents with a live session, their configuration and availability),
   * rebuilt from the database whenever a session, availability, user or skill of the account was
   * written, by any process (the live bus, cache/invalidation.ts), and at least every 10 s (the
   * cached `lastSeenAt` of agents whose touches invalidate nothing); chat loads are not part of it.
   */
  const directory = createAccountCache<Array<RoutableAgent & { lastSeenAt: number }>>({
    clock,
    invalidation: deps.invalidation,
  })

  const activeUser = async (accountId: string, userId: number): Promise<ConfigUser | undefined> => {
    const user = await usersRepository.findById(db, accountId, userId)
    return user && user.isEnabled && !user.deleted ? user : undefined
  }

  const actorUserId = async (actor: AgentActor, accountId: string): Promise<number> => {
    if (actor.accountId !== accountId) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
    if (actor.kind === 'user') return actor.userId
    if (!actor.permissions.includes('agent') || actor.userId === null) throw forbidden()
    if (!(await activeUser(accountId, actor.userId))) throw forbidden()
    return actor.userId
  }

  const newSessionId = (): number => {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt += 1) {
      const candidate = Number(ids.digits(SESSION_ID_DIGITS))
      if (Number.isSafeInteger(candidate)) return candidate
    }
    return Number(ids.digits(SESSION_ID_DIGITS - 1))
  }

  const openSession = async (
    accountId: string,
    userId: number,
    origin: { loginSessionId: number | null; apiKeyId: number | null },
    options: StartOptions = {},
  ): Promise<AgentSession> => {
    const groups = async () => (await usersRepository.findById(db, accountId, userId))?.permissionGroups ?? []
    const start = await startAvailability(options.availability, groups, initial)
    const now = clock.now()
    const { session, becameOnline } = await uow.withTransaction(async (tx) => {
      const shared = (await agentSessionsRepository.countLiveOfUser(tx, accountId, userId)) > 0
      if (!shared) {
        await agentSessionsRepository.saveAvailability(tx, {
          accountId,
          userId,
          chat: start,
          chatReasonId: null,
          now,
        })
      }
      for (let attempt = 0; attempt < ID_ATTEMPTS; attempt += 1) {
        const id = newSessionId()
        if (await agentSessionsRepository.insert(tx, { id, accountId, userId, ...origin, now })) {
          const created: AgentSession = { id, accountId, userId, ...origin, createdAt: now, lastActivityAt: now }
          return { session: created, becameOnline: !shared && start === 'Online' }
        }
      }
      throw new ParleyError('INTERNAL', 'Could not allocate an agent session id')
    })
    if (becameOnline) await notify(() => hooks.routeAccount(accountId))
    return session
  }

  const requireSession = async (actor: AgentActor, accountId: string, rawId: string): Promise<AgentSession> => {
    const userId = await actorUserId(actor, accountId)
    if (!/^\d{1,16}$/.test(rawId)) throw notFound()
    const session = await liveSessions.get(accountId, String(Number(rawId)), () =>
      agentSessionsRepository.findLive(db, accountId, Number(rawId)),
    )
    if (!session || session.userId !== userId) throw notFound()
    return touchSession(session)
  }

  /**
   * Writes the session's activity when the stored value is `touchIntervalMs` old (coalesced: agents
   * poll every few seconds). The database value is what routing reads, in every process.
   */
  const touchSession = async (session: AgentSession): Promise<AgentSession> => {
    const now = clock.now()
    if (now - session.lastActivityAt < touchIntervalMs) return session
    // A session routing may treat as absent already: its return is seen at once, not after the
    // directory cache's lifetime.
    const returning = now - session.lastActivityAt >= presenceMs / 2
    await agentSessionsRepository.touch(db, session, now, returning)
    liveSessions.update(session.accountId, String(session.id), (cached) => ({
      ...cached,
      lastActivityAt: Math.max(cached.lastActivityAt, now),
    }))
    return { ...session, lastActivityAt: now }
  }

  const availabilityOf = async (accountId: string, userId: number): Promise<UserAvailability> =>
    (await agentSessionsRepository.findAvailability(db, accountId, userId)) ?? OFFLINE

  /** After sessions ended: users left without a live session go Offline and their chats are requeued. */
  const afterSessionsEnded = async (ended: ReadonlyArray<{ accountId: string; userId: number }>): Promise<void> => {
    const seen = new Set<string>()
    for (const { accountId, userId } of ended) {
      const key = `${accountId}|${userId}`
      if (seen.has(key)) continue
      seen.add(key)
      if ((await agentSessionsRepository.countLiveOfUser(db, accountId, userId)) > 0) continue
      await agentSessionsRepository.saveAvailability(db, {
        accountId,
        userId,
        chat: 'Offline',
        chatReasonId: null,
        now: clock.now(),
      })
      await hooks.requeueAgentChats(accountId, userId)
    }
  }

  // Routing is triggered again by the chat engine's own events; a failure to route now must not
  // undo a session or availability change that is already committed.
  const notify = async (fn: () => Promise<void>): Promise<void> => {
    try {
      await fn()
    } catch {
      // deliberately ignored, see above
    }
  }

  const accountAgents = async (accountId: string) => {
    const [users, availability, connected] = await Promise.all([
      usersRepository.list(db, accountId, false),
      agentSessionsRepository.listAvailability(db, accountId),
      agentSessionsRepository.connectedUserIds(db, accountId),
    ])
    return users
      .filter((user) => user.isEnabled)
      .map((user) => ({
        user,
        availability: connected.has(user.id) ? (availability.get(user.id) ?? OFFLINE) : OFFLINE,
      }))
  }

  const skillIdByName = (accountId: string, name: string): Promise<number | undefined> =>
    activeSkillIdByName(db, accountId, name)

  const service: AgentsService = {
    async startSession(actor, accountId, options) {
      const userId = await actorUserId(actor, accountId)
      checkStartAvailability(options?.availability)
      return openSession(
        accountId,
        userId,
        {
          loginSessionId: actor.kind === 'user' ? actor.sessionId : null,
          apiKeyId: actor.kind === 'apiKey' ? actor.apiKeyId : null,
        },
        options,
      )
    },

    async startSessionWithCredentials(accountId, credentials, clientIp, options) {
      checkStartAvailability(options?.availability)
      const result = await deps.login.login(
        accountId,
        { kind: 'password', username: credentials.userName, password: credentials.password },
        clientIp,
      )
      const actor = await deps.login.authenticateBearer(accountId, result.bearer)
      const session = await openSession(
        accountId,
        actor.userId,
        { loginSessionId: actor.sessionId, apiKeyId: null },
        options,
      )
      return { session, bearer: result.bearer, sessionKey: result.sessionKey }
    },

    requireSession,

    async recordActivity(session) {
      const cached = await liveSessions.get(session.accountId, String(session.id), () =>
        agentSessionsRepository.findLive(db, session.accountId, session.id),
      )
      if (cached) await touchSession(cached)
    },

    async getSession(actor, accountId, agentSessionId, options) {
      const session = await requireSession(actor, accountId, agentSessionId)
      const chats = options.withChats ? await hooks.chatSessions(accountId, session.userId) : undefined
      return { session, chats }
    },

    async getAvailability(actor, accountId, agentSessionId) {
      const session = await requireSession(actor, accountId, agentSessionId)
      return availabilityOf(accountId, session.userId)
    },

    async setAvailability(actor, accountId, agentSessionId, input) {
      const session = await requireSession(actor, accountId, agentSessionId)
      const chat = settable(input.chat)
      const previous = await availabilityOf(accountId, session.userId)
      const chatReasonId = input.chatReasonId === undefined || input.chatReasonId === '' ? null : input.chatReasonId
      const now = clock.now()
      await agentSessionsRepository.saveAvailability(db, {
        accountId,
        userId: session.userId,
        chat,
        chatReasonId,
        now,
      })
      if (chat === 'Online' && previous.chat !== 'Online') await notify(() => hooks.routeAccount(accountId))
      return { chat, chatReasonId, changedAt: now }
    },

    async getInfo(actor, accountId, agentSessionId) {
      const session = await requireSession(actor, accountId, agentSessionId)
      const user = await usersRepository.findById(db, accountId, session.userId)
      if (!user) throw notFound()
      const skills = await skillsRepository.list(db, accountId, false)
      const own = new Set(user.skillIds)
      return {
        session,
        user,
        availability: await availabilityOf(accountId, session.userId),
        skills: skills.filter((skill) => own.has(skill.id)).map((skill) => ({ id: skill.id, name: skill.name })),
      }
    },

    async availableAgents(actor, accountId, agentSessionId, filter) {
      await requireSession(actor, accountId, agentSessionId)
      let agents = await accountAgents(accountId)
      if (filter.skill !== undefined) {
        const skillId = await skillIdByName(accountId, filter.skill)
        agents = skillId === undefined ? [] : agents.filter(({ user }) => user.skillIds.includes(skillId))
      }
      if (filter.chatState !== undefined) {
        const state = ALL_STATES[filter.chatState.trim().toLowerCase()]
        agents = agents.filter(({ availability }) => availability.chat === state)
      }
      if (filter.voiceState !== undefined && filter.voiceState.trim().toLowerCase() !== 'offline') agents = []
      if (filter.chatReasonId !== undefined) {
        agents = agents.filter(({ availability }) => availability.chatReasonId === filter.chatReasonId)
      }
      const load = agents.length > 0 ? await hooks.chatLoad(accountId) : new Map<number, number>()
      return agents.map(({ user, availability }) => ({
        user,
        availability,
        chats: load.get(user.id) ?? 0,
        privilegeGroup: PRIVILEGE_ORDER.find(([group]) => user.permissionGroups.includes(group))?.[1] ?? 'agents',
      }))
    },

    async availableSlots(actor, accountId, agentSessionId, query) {
      await requireSession(actor, accountId, agentSessionId)
      // As V2: only agents who are there (presence) count.
      const present = new Set((await service.connectedAgents(accountId)).map((agent) => agent.userId))
      const online = (await accountAgents(accountId)).filter(
        ({ user, availability }) => availability.chat === 'Online' && present.has(user.id),
      )
      let serving = online
      if (query.agent !== undefined) {
        const key = nameKey(query.agent)
        serving = online.filter(({ user }) => nameKey(user.loginName) === key)
      } else if (query.skill !== undefined) {
        // An unknown skill name is the unassigned skill -1, which every agent serves (chat-api.md §5).
        const skillId = await skillIdByName(accountId, query.skill)
        if (skillId !== undefined) serving = online.filter(({ user }) => user.skillIds.includes(skillId))
      }
      if (serving.length === 0) return 0
      const load = await hooks.chatLoad(accountId)
      let total = 0
      for (const { user } of serving) {
        const free = freeSlots(user, load.get(user.id) ?? 0)
        if (free < 0) return -1
        total += free
      }
      return total
    },

    async endSession(actor, accountId, agentSessionId) {
      const session = await requireSession(actor, accountId, agentSessionId)
      const ended = await agentSessionsRepository.end(db, [session.id], clock.now(), 'deleted')
      await afterSessionsEnded(ended)
    },

    async sweep(accountId) {
      const now = clock.now()
      const stale = await agentSessionsRepository.findStale(db, now, now - idleTimeoutMs, accountId)
      const ended: Array<{ id: number; accountId: string; userId: number }> = []
      for (const reason of new Set(stale.map((session) => session.reason))) {
        const ids = stale.filter((session) => session.reason === reason).map((session) => session.id)
        ended.push(...(await agentSessionsRepository.end(db, ids, now, reason)))
      }
      await afterSessionsEnded(ended)
      return ended.length
    },

    async connectedAgents(accountId): Promise<RoutableAgent[]> {
      const agents = await directory.get(accountId, '', async () => {
        const users = await agentSessionsRepository.listConnectedUsers(db, accountId)
        return users.map(({ availability, ...user }) => {
          const state = availability ?? { ...OFFLINE, chat: initial }
          return { ...user, availability: state.chat, idleSince: state.changedAt }
        })
      })
      // Presence is decided at every call (the cached list keeps each user's last request time):
      // a client that died without logging out is not offered chats it would let ring out.
      const presentSince = clock.now() - presenceMs
      return (agents ?? [])
        .filter((agent) => agent.lastSeenAt > presentSince)
        .map(({ lastSeenAt: _lastSeenAt, ...agent }) => ({ ...agent }))
    },

    async markAway(accountId, userId) {
      if ((await agentSessionsRepository.countLiveOfUser(db, accountId, userId)) === 0) return
      await agentSessionsRepository.saveAvailability(db, {
        accountId,
        userId,
        chat: 'Away',
        chatReasonId: null,
        now: clock.now(),
      })
    },
  }
  return service
}
