import { ADMIN, AGENT_MANAGER } from '../accounts/accounts.types.ts'
import type { Actor } from '../actor.ts'
import type { RoutableAgent } from '../chat/agent-directory.ts'
import type { Clock } from '../clock.ts'
import { ParleyError } from '../errors.ts'
import { withDescendants } from '../history/engagement-history.service.ts'
import { scoreTranscript } from '../scoring/mcs.ts'
import { agentGroupsRepository } from '../../storage/repositories/agent-groups.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { operationalRepository as repo } from '../../storage/repositories/operational.repository.ts'
import {
  accumulateStates,
  addEngagementMetrics,
  emptyEngagementMetrics,
  emptyStates,
  hasActivity,
  queueEvents,
  queueMetrics,
  slaHistogram,
  sumQueueParts,
  toAgentStates,
  type QueueParts,
} from './metrics.ts'
import {
  intervalIndexOf,
  parseHistogram,
  parseIds,
  parseInterval,
  parseTimeframe,
  parseVersion,
  windowOf,
  type IdSelection,
  type RawParams,
  type Window,
} from './operational-request.ts'
import type {
  AgentStates,
  EngagementMetrics,
  EngagementSpan,
  OperationalUser,
  QueueMetrics,
  QueueState,
  SlaBucket,
  StateChange,
} from './operational.types.ts'
import { agentSegments, queueDeltas, sampleSeries, slotDeltas, type AgentSegment, type Delta } from './timelines.ts'

/** Every answer carries the request's `v` (absent: the `{meta, body}` envelope, Q1). */
interface Versioned {
  version: number | undefined
}

/** Queue Health (§4): per-skill maps only when `skillIds` was given. */
export interface QueueHealthResult extends Versioned {
  skills: Map<number, QueueMetrics> | undefined
  totals: QueueMetrics
  intervals:
    Array<{ timestamp: number; skills: Map<number, QueueMetrics> | undefined; totals: QueueMetrics }> | undefined
}

/** Engagement metrics per skill, each with its agents, and per agent (§5.1). */
export interface EngagementView {
  skills: Map<number, { agents: Map<number, EngagementMetrics>; totals: EngagementMetrics }> | undefined
  skillTotals: EngagementMetrics | undefined
  agents: Map<number, EngagementMetrics> | undefined
  agentTotals: EngagementMetrics | undefined
  totals: EngagementMetrics
}

export interface EngagementActivityResult extends Versioned {
  view: EngagementView
  intervals: Array<{ timestamp: number; view: EngagementView }> | undefined
}

export interface AgentActivityResult extends Versioned {
  agents: Map<number, AgentStates>
  intervals: Array<{ timestamp: number; agents: Map<number, AgentStates> }> | undefined
}

export interface QueueStateResult extends Versioned {
  skills: Map<number, QueueState>
  totals: QueueState
}

export interface SlaResult extends Versioned {
  buckets: SlaBucket[]
}

/** Parley's live dashboard extension (docs/operational-realtime.md, "Parley extension"). */
export interface DashboardResult extends Versioned {
  time: number
  skills: Array<{
    skillId: number
    name: string
    waitingChats: number
    longestWaitSeconds: number
    /** chat-api.md V3 semantics: 0 now, -1 no agent online, -2 all busy without history, else seconds. */
    estimatedWaitSeconds: number
    availableSlots: number
  }>
  agents: Array<{
    agentId: number
    loginName: string
    nickname: string
    availability: string
    chatReasonId: string | null
    chats: number
    maxChats: number
    /** chats / maxChats; null with unlimited chats. */
    load: number | null
  }>
  chatsInProgress: Array<{
    engagementId: string
    skillId: number
    agentId: number
    agentNickname: string
    startTime: number
    durationSeconds: number
    mcs: number | null
  }>
  lastHour: { endedChats: number; connectedChats: number; abandonedChats: number; averageWaitSeconds: number }
}

export interface OperationalRealtimeService {
  queueHealth(actor: Actor | null, accountId: string, params: RawParams): Promise<QueueHealthResult>
  engagementActivity(actor: Actor | null, accountId: string, params: RawParams): Promise<EngagementActivityResult>
  agentActivity(actor: Actor | null, accountId: string, params: RawParams): Promise<AgentActivityResult>
  queueState(actor: Actor | null, accountId: string, params: RawParams): Promise<QueueStateResult>
  sla(actor: Actor | null, accountId: string, params: RawParams): Promise<SlaResult>
  dashboard(actor: Actor | null, accountId: string, params: RawParams): Promise<DashboardResult>
  /** Drops agent state changes older than the API's 24 h (plus 5 min) reach; returns how many. */
  pruneHistory(): Promise<number>
}

/** What the caller may see: everything, or the agents and skills of the groups they manage. */
type Scope =
  | { all: true }
  | { all: false; groupIds: ReadonlySet<number>; agentIds: ReadonlySet<number>; skillIds: ReadonlySet<number> }

const HOUR = 3_600_000
/** 24 h of data plus the 5-minute bucket a window may start in (§1, §9). */
const RETENTION_MS = 24 * HOUR + 5 * 60_000
const forbidden = (message = 'Unauthorized account access'): ParleyError => new ParleyError('FORBIDDEN', message)

export function createOperationalRealtimeService(deps: {
  db: Executor
  clock: Clock
  /** Agents with a live agent session (routing's view: availability, skills, maxChats). */
  connectedAgents: (accountId: string) => Promise<RoutableAgent[]>
  /** Chats held plus ringing, per user id. */
  chatLoad: (accountId: string) => Promise<Map<number, number>>
  /** chat-api.md V3's wait when every agent is busy: seconds, or -2 without enough history. */
  recentWaitTime: (accountId: string, skillId?: number) => Promise<number>
}): OperationalRealtimeService {
  const { db, clock } = deps

  /**
   * Access (docs/operational-realtime.md): API keys need `operationalRealtime`; bearers must be
   * Admins (everything) or Agent Managers (the agents of the groups they manage and of every group
   * below them, and those agents' skills).
   */
  async function scopeOf(
    actor: Actor | null,
    accountId: string,
    users: () => Promise<OperationalUser[]>,
  ): Promise<Scope> {
    if (!actor || actor.accountId !== accountId) throw forbidden()
    if (actor.kind === 'apiKey') {
      if (actor.permissions.includes('operationalRealtime')) return { all: true }
      throw forbidden()
    }
    if (actor.kind !== 'user') throw forbidden()
    if (actor.permissionGroups.includes(ADMIN)) return { all: true }
    if (!actor.permissionGroups.includes(AGENT_MANAGER)) throw forbidden()
    const groupIds = new Set(
      actor.managedGroupIds.length === 0
        ? []
        : withDescendants(actor.managedGroupIds, await agentGroupsRepository.list(db, accountId, true)),
    )
    const members = (await users()).filter((user) => groupIds.has(user.memberGroupId))
    const skillIds = new Set(members.flatMap((user) => user.skillIds))
    if (members.length > 0) skillIds.add(-1)
    return { all: false, groupIds, agentIds: new Set(members.map((user) => user.id)), skillIds }
  }

  /** Explicit ids outside the caller's scope are refused; `all` is narrowed to the scope. */
  function requireInScope(selection: IdSelection | undefined, allowed: ReadonlySet<number> | undefined, name: string) {
    if (!allowed || !selection || selection.all) return
    if (selection.ids.some((id) => !allowed.has(id))) throw forbidden(`${name} outside the groups you manage`)
  }

  const memo = <T>(load: () => Promise<T>): (() => Promise<T>) => {
    let promise: Promise<T> | undefined
    return () => (promise ??= load())
  }

  const spansOf = (accountId: string, window: Window) => repo.engagementSpans(db, accountId, window.from, window.now)

  /** State changes by user, each list starting with the state the window begins in. */
  async function statesByUser(accountId: string, window: Window): Promise<Map<number, StateChange[]>> {
    const changes = await repo.stateChanges(db, accountId, window.from, window.now)
    const byUser = new Map<number, StateChange[]>()
    for (const change of changes) {
      const list = byUser.get(change.userId) ?? []
      list.push(change)
      byUser.set(change.userId, list)
    }
    // Users whose last change predates the log (or was pruned with no later one) start in their stored state.
    for (const stored of await repo.storedStates(db, accountId)) {
      const list = byUser.get(stored.userId)
      if (stored.at > window.from) continue
      if (!list) byUser.set(stored.userId, [stored])
      else if (list[0]!.at > window.from) list.unshift(stored)
    }
    return byUser
  }

  function segmentsByUser(
    users: readonly OperationalUser[],
    states: Map<number, StateChange[]>,
    spans: readonly EngagementSpan[],
    window: Window,
  ): Map<number, AgentSegment[]> {
    const chatsOf = new Map<number, EngagementSpan[]>()
    for (const span of spans) {
      if (span.agentUserId === null) continue
      const list = chatsOf.get(span.agentUserId) ?? []
      list.push(span)
      chatsOf.set(span.agentUserId, list)
    }
    const segments = new Map<number, AgentSegment[]>()
    for (const user of users) {
      const changes = states.get(user.id)
      if (!changes) continue
      segments.set(user.id, agentSegments(changes, chatsOf.get(user.id) ?? [], window.from, window.now))
    }
    return segments
  }

  /** The live queue (§6): waiting chats and Online agents' free slots per skill. */
  async function liveQueue(accountId: string) {
    const [waiting, agents, load] = await Promise.all([
      repo.waitingChats(db, accountId),
      deps.connectedAgents(accountId),
      deps.chatLoad(accountId),
    ])
    const stateOf = (skillId: number): QueueState => {
      const chats = waiting.filter((chat) => chat.skillId === skillId)
      let slots = 0
      let unlimited = false
      for (const agent of agents) {
        if (agent.availability !== 'Online' || !(skillId === -1 || agent.skillIds.includes(skillId))) continue
        if (agent.maxChats === -1) unlimited = true
        else slots += Math.max(0, agent.maxChats - (load.get(agent.userId) ?? 0))
      }
      return {
        currentQueueSize: chats.length,
        currentAvailableSlots: unlimited ? 1 : slots,
        currentMaxWaitTime: chats.length === 0 ? 0 : clock.now() - chats[0]!.since,
      }
    }
    return { waiting, agents, load, stateOf }
  }

  return {
    async queueHealth(actor, accountId, params) {
      const users = memo(() => repo.users(db, accountId))
      const scope = await scopeOf(actor, accountId, users)
      const version = parseVersion(params)
      const timeframe = parseTimeframe(params)
      const interval = parseInterval(params, timeframe)
      const selection = parseIds(params, 'skillIds')
      requireInScope(selection, scope.all ? undefined : scope.skillIds, 'skillIds')
      const window = windowOf(clock.now(), timeframe, interval, false)
      const [spans, skills, states, live] = await Promise.all([
        spansOf(accountId, window),
        repo.skills(db, accountId),
        statesByUser(accountId, window),
        liveQueue(accountId),
      ])
      const allUsers = await users()
      const segments = segmentsByUser(allUsers, states, spans, window)
      // Skills with data: existing skills (sampled since their creation), and the unassigned skill
      // or deleted ones when queue events of the window name them.
      const sampledSince = new Map(skills.map((skill) => [skill.id, skill.createdAt]))
      if (spans.some((span) => span.skillId === -1)) sampledSince.set(-1, window.from)
      const withData = new Set([...sampledSince.keys(), ...spans.map((span) => span.skillId)])
      const inScope = (id: number) => scope.all || scope.skillIds.has(id)
      const computed =
        selection && !selection.all ? selection.ids.filter((id) => withData.has(id)) : [...withData].filter(inScope)
      computed.sort((a, b) => a - b)

      const perSkill = new Map<number, { whole: QueueParts; intervals: QueueParts[] }>()
      // Grouped once: a day of a busy account is tens of thousands of engagements.
      const spansBySkill = groupBy(spans, (span) => [span.skillId])
      const usersBySkill = groupBy(allUsers, (user) => user.skillIds)
      for (const skillId of computed) {
        const own = spansBySkill.get(skillId) ?? []
        const events = queueEvents(own, window)
        const since = sampledSince.get(skillId)
        const queue =
          since === undefined ? undefined : sampleSeries([queueDeltas(own)], window, since, ([size]) => size!)
        const servers = skillId === -1 ? allUsers : (usersBySkill.get(skillId) ?? [])
        // Two running totals over the skill's agents: free slots, and Online agents with unlimited chats.
        const freeSlots: Delta[] = []
        const unlimited: Delta[] = []
        for (const user of servers) {
          const deltas = slotDeltas(segments.get(user.id) ?? [], user.maxChats)
          freeSlots.push(...deltas.slots)
          unlimited.push(...deltas.unlimited)
        }
        const slots =
          since === undefined
            ? undefined
            : sampleSeries([freeSlots, unlimited], window, since, ([free, open]) => (open! > 0 ? 1 : free!))
        const current = live.stateOf(skillId)
        perSkill.set(skillId, {
          whole: {
            events: events.whole,
            queue: queue?.whole ?? null,
            slots: slots?.whole ?? null,
            currentQueueSize: since === undefined ? -1 : current.currentQueueSize,
            currentAvailableSlots: since === undefined ? -1 : current.currentAvailableSlots,
          },
          intervals: window.intervals.map((_, index) => ({
            events: events.intervals[index]!,
            queue: queue?.intervals[index] ?? null,
            slots: slots?.intervals[index] ?? null,
            currentQueueSize: -1,
            currentAvailableSlots: -1,
          })),
        })
      }
      const mapOf = (pick: (entry: { whole: QueueParts; intervals: QueueParts[] }) => QueueParts) =>
        selection ? new Map([...perSkill].map(([id, entry]) => [id, queueMetrics(pick(entry))])) : undefined
      const totalsOf = (pick: (entry: { whole: QueueParts; intervals: QueueParts[] }) => QueueParts) =>
        queueMetrics(sumQueueParts([...perSkill.values()].map(pick)))
      const ascending = window.intervals.map((bounds, index) => ({ bounds, index })).reverse()
      return {
        version,
        skills: mapOf((entry) => entry.whole),
        totals: totalsOf((entry) => entry.whole),
        intervals:
          interval === undefined
            ? undefined
            : ascending.map(({ bounds, index }) => ({
                timestamp: bounds.timestamp,
                skills: mapOf((entry) => entry.intervals[index]!),
                totals: totalsOf((entry) => entry.intervals[index]!),
              })),
      }
    },

    async engagementActivity(actor, accountId, params) {
      const users = memo(() => repo.users(db, accountId))
      const scope = await scopeOf(actor, accountId, users)
      const version = parseVersion(params)
      const timeframe = parseTimeframe(params)
      const interval = parseInterval(params, timeframe)
      const skillSelection = parseIds(params, 'skillIds')
      const agentSelection = parseIds(params, 'agentIds', 'agentsIds')
      requireInScope(skillSelection, scope.all ? undefined : scope.skillIds, 'skillIds')
      requireInScope(agentSelection, scope.all ? undefined : scope.agentIds, 'agentIds')
      const window = windowOf(clock.now(), timeframe, interval, false)
      const [aggregates, spans] = await Promise.all([
        repo.archiveActivity(db, accountId, {
          from: window.from,
          to: window.now,
          end: window.end,
          intervalMs: window.intervalMs,
        }),
        spansOf(accountId, window),
      ])
      // Rows: one per (interval, skill, agent) with the metrics object `E` of that combination.
      type Row = { interval: number; skillId: number; agentId: number | null; metrics: EngagementMetrics }
      const rows: Row[] = []
      const visible = (skillId: number, agentId: number | null, groupId: number | null) =>
        scope.all ||
        (agentId === null
          ? scope.skillIds.has(skillId)
          : scope.agentIds.has(agentId) || (groupId !== null && scope.groupIds.has(groupId)))
      for (const aggregate of aggregates) {
        if (!visible(aggregate.skillId, aggregate.agentId, aggregate.agentGroupId)) continue
        const metrics = emptyEngagementMetrics()
        if (aggregate.interactive && aggregate.agentId !== null) {
          metrics.totalInteractiveChats = aggregate.chats
          metrics.totalHandlingTime = aggregate.duration
        } else {
          metrics.totalNonInteractiveChats = aggregate.chats
          metrics.nonInteractiveTotalHandlingTime = aggregate.duration
        }
        rows.push({ interval: aggregate.interval, skillId: aggregate.skillId, agentId: aggregate.agentId, metrics })
      }
      for (const span of spans) {
        if (span.acceptedAt === null || span.acceptedAt < window.from || span.acceptedAt > window.now) continue
        if (!visible(span.skillId, span.agentUserId, span.agentGroupId)) continue
        const metrics = { ...emptyEngagementMetrics(), connectedEngagements: 1 }
        rows.push({
          interval: intervalIndexOf(window, span.acceptedAt),
          skillId: span.skillId,
          agentId: span.agentUserId,
          metrics,
        })
      }
      const viewOf = (subset: readonly Row[]): EngagementView => {
        const totals = emptyEngagementMetrics()
        for (const row of subset) addEngagementMetrics(totals, row.metrics)
        const explicitAgents = agentSelection && !agentSelection.all ? new Set(agentSelection.ids) : undefined
        const explicitSkills = skillSelection && !skillSelection.all ? new Set(skillSelection.ids) : undefined
        let skills: EngagementView['skills']
        let skillTotals: EngagementMetrics | undefined
        if (skillSelection) {
          skills = new Map()
          skillTotals = emptyEngagementMetrics()
          for (const row of subset) {
            if (explicitSkills && !explicitSkills.has(row.skillId)) continue
            if (explicitAgents && (row.agentId === null || !explicitAgents.has(row.agentId))) continue
            const skill = skills.get(row.skillId) ?? {
              agents: new Map<number, EngagementMetrics>(),
              totals: emptyEngagementMetrics(),
            }
            skills.set(row.skillId, skill)
            addEngagementMetrics(skill.totals, row.metrics)
            addEngagementMetrics(skillTotals, row.metrics)
            if (row.agentId === null) continue
            const agent = skill.agents.get(row.agentId) ?? emptyEngagementMetrics()
            addEngagementMetrics(agent, row.metrics)
            skill.agents.set(row.agentId, agent)
          }
          for (const [id, skill] of skills) if (!hasActivity(skill.totals)) skills.delete(id)
        }
        let agents: Map<number, EngagementMetrics> | undefined
        let agentTotals: EngagementMetrics | undefined
        if (agentSelection) {
          agents = new Map()
          agentTotals = emptyEngagementMetrics()
          for (const row of subset) {
            if (row.agentId === null || (explicitAgents && !explicitAgents.has(row.agentId))) continue
            const agent = agents.get(row.agentId) ?? emptyEngagementMetrics()
            addEngagementMetrics(agent, row.metrics)
            addEngagementMetrics(agentTotals, row.metrics)
            agents.set(row.agentId, agent)
          }
        }
        return { skills, skillTotals, agents, agentTotals, totals }
      }
      return {
        version,
        view: viewOf(rows),
        intervals:
          interval === undefined
            ? undefined
            : window.intervals.map((bounds, index) => ({
                timestamp: bounds.timestamp,
                view: viewOf(rows.filter((row) => row.interval === index)),
              })),
      }
    },

    async agentActivity(actor, accountId, params) {
      const users = memo(() => repo.users(db, accountId))
      const scope = await scopeOf(actor, accountId, users)
      const version = parseVersion(params)
      const timeframe = parseTimeframe(params)
      const interval = parseInterval(params, timeframe)
      const selection = parseIds(params, 'agentIds', 'agentsIds')
      if (!selection) throw new ParleyError('VALIDATION_FAILED', 'agentIds: is required', { field: 'agentIds' })
      requireInScope(selection, scope.all ? undefined : scope.agentIds, 'agentIds')
      const window = windowOf(clock.now(), timeframe, interval, true)
      const [spans, states, allUsers] = await Promise.all([
        spansOf(accountId, window),
        statesByUser(accountId, window),
        users(),
      ])
      const wanted = allUsers.filter((user) =>
        selection.all ? scope.all || scope.agentIds.has(user.id) : selection.ids.includes(user.id),
      )
      const segments = segmentsByUser(wanted, states, spans, window)
      const agents = new Map<number, AgentStates>()
      const perInterval = window.intervals.map(() => new Map<number, AgentStates>())
      for (const user of wanted) {
        const whole = emptyStates()
        const intervals = window.intervals.map(() => emptyStates())
        accumulateStates(segments.get(user.id) ?? [], user.maxChats, window, whole, intervals)
        if (whole.loggedIn.total === 0) continue
        agents.set(user.id, toAgentStates(whole))
        intervals.forEach((states, index) => {
          if (states.loggedIn.total > 0) perInterval[index]!.set(user.id, toAgentStates(states))
        })
      }
      return {
        version,
        agents,
        intervals:
          interval === undefined
            ? undefined
            : window.intervals.map((bounds, index) => ({ timestamp: bounds.timestamp, agents: perInterval[index]! })),
      }
    },

    async queueState(actor, accountId, params) {
      const scope = await scopeOf(
        actor,
        accountId,
        memo(() => repo.users(db, accountId)),
      )
      const version = parseVersion(params)
      const selection = parseIds(params, 'skillIds')
      requireInScope(selection, scope.all ? undefined : scope.skillIds, 'skillIds')
      const [skills, live] = await Promise.all([repo.skills(db, accountId), liveQueue(accountId)])
      const known = new Set(skills.map((skill) => skill.id))
      if (live.waiting.some((chat) => chat.skillId === -1)) known.add(-1)
      const ids =
        selection && !selection.all
          ? selection.ids
          : [...known].filter((id) => scope.all || scope.skillIds.has(id)).sort((a, b) => a - b)
      const result = new Map<number, QueueState>()
      const totals: QueueState = { currentQueueSize: 0, currentAvailableSlots: 0, currentMaxWaitTime: 0 }
      for (const id of ids) {
        if (!known.has(id) && id !== -1) {
          result.set(id, { currentQueueSize: -1, currentAvailableSlots: -1, currentMaxWaitTime: -1 })
          continue
        }
        const state = live.stateOf(id)
        result.set(id, state)
        totals.currentQueueSize += state.currentQueueSize
        totals.currentAvailableSlots += state.currentAvailableSlots
        totals.currentMaxWaitTime = Math.max(totals.currentMaxWaitTime, state.currentMaxWaitTime)
      }
      return { version, skills: result, totals }
    },

    async sla(actor, accountId, params) {
      const scope = await scopeOf(
        actor,
        accountId,
        memo(() => repo.users(db, accountId)),
      )
      const version = parseVersion(params)
      const timeframe = parseTimeframe(params)
      const skills = parseIds(params, 'skillIds')
      const groups = parseIds(params, 'groupIds')
      const bounds = parseHistogram(params)
      requireInScope(skills, scope.all ? undefined : scope.skillIds, 'skillIds')
      requireInScope(groups, scope.all ? undefined : scope.groupIds, 'groupIds')
      const window = windowOf(clock.now(), timeframe, undefined, false)
      const spans = await spansOf(accountId, window)
      const skillSet = skills && !skills.all ? new Set(skills.ids) : undefined
      const groupSet = groups && !groups.all ? new Set(groups.ids) : undefined
      const waits = spans
        .filter(
          (span) =>
            span.acceptedAt !== null &&
            span.acceptedAt >= window.from &&
            span.acceptedAt <= window.now &&
            (!skillSet || skillSet.has(span.skillId)) &&
            (!groupSet || (span.agentGroupId !== null && groupSet.has(span.agentGroupId))) &&
            (scope.all ||
              (span.agentGroupId !== null && scope.groupIds.has(span.agentGroupId)) ||
              (span.agentUserId !== null && scope.agentIds.has(span.agentUserId))),
        )
        .map((span) => span.acceptedAt! - span.startedAt)
      return { version, buckets: slaHistogram(waits, bounds) }
    },

    async dashboard(actor, accountId, params) {
      const users = memo(() => repo.users(db, accountId))
      const scope = await scopeOf(actor, accountId, users)
      const version = parseVersion(params)
      const now = clock.now()
      const lastHour = windowOf(now, 60, undefined, true)
      const [skills, live, spans, allUsers] = await Promise.all([
        repo.skills(db, accountId),
        liveQueue(accountId),
        spansOf(accountId, lastHour),
        users(),
      ])
      const visibleSkill = (id: number) => scope.all || scope.skillIds.has(id)
      const visibleAgent = (id: number) => scope.all || scope.agentIds.has(id)
      const skillRows = [{ id: -1, name: 'Unassigned' }, ...skills].filter(
        (skill) => visibleSkill(skill.id) && (skill.id !== -1 || live.waiting.some((chat) => chat.skillId === -1)),
      )
      const dashboardSkills = []
      for (const skill of skillRows) {
        const state = live.stateOf(skill.id)
        const online = live.agents.filter(
          (agent) => agent.availability === 'Online' && (skill.id === -1 || agent.skillIds.includes(skill.id)),
        )
        const free = online.some(
          (agent) => agent.maxChats === -1 || (live.load.get(agent.userId) ?? 0) < agent.maxChats,
        )
        const estimated = online.length === 0 ? -1 : free ? 0 : await deps.recentWaitTime(accountId, skill.id)
        dashboardSkills.push({
          skillId: skill.id,
          name: skill.name,
          waitingChats: state.currentQueueSize,
          longestWaitSeconds: Math.floor(state.currentMaxWaitTime / 1000),
          estimatedWaitSeconds: estimated,
          availableSlots: state.currentAvailableSlots,
        })
      }
      const names = new Map(allUsers.map((user) => [user.id, user]))
      const held = new Map<number, number>()
      const inProgress = spans.filter(
        (span) => span.acceptedAt !== null && span.endedAt === null && span.agentUserId !== null,
      )
      for (const span of inProgress) held.set(span.agentUserId!, (held.get(span.agentUserId!) ?? 0) + 1)
      const dashboardAgents = live.agents
        .filter((agent) => visibleAgent(agent.userId))
        .map((agent) => {
          const chats = held.get(agent.userId) ?? 0
          return {
            agentId: agent.userId,
            loginName: agent.loginName,
            nickname: agent.nickname,
            availability: agent.availability,
            chatReasonId: null as string | null,
            chats,
            maxChats: agent.maxChats,
            load:
              agent.maxChats === -1
                ? null
                : agent.maxChats === 0
                  ? chats > 0
                    ? 1
                    : 0
                  : Math.round((chats / agent.maxChats) * 100) / 100,
          }
        })
      const reasons = await repo.storedStates(db, accountId)
      for (const agent of dashboardAgents)
        agent.chatReasonId = reasons.find((state) => state.userId === agent.agentId)?.reasonId ?? null
      const shownChats = inProgress.filter((span) => visibleAgent(span.agentUserId!))
      const lines = await repo.visitorLines(db, [...new Set(shownChats.map((span) => span.chatKey))])
      const chatsInProgress = shownChats
        .sort((a, b) => a.acceptedAt! - b.acceptedAt!)
        .map((span) => ({
          engagementId: `${accountId}${span.rtSessionId}`,
          skillId: span.skillId,
          agentId: span.agentUserId!,
          agentNickname: names.get(span.agentUserId!)?.nickname ?? '',
          startTime: span.acceptedAt!,
          durationSeconds: Math.floor((now - span.acceptedAt!) / 1000),
          mcs: scoreTranscript(
            (lines.get(span.chatKey) ?? []).map((text, lineSeq) => ({
              lineSeq: String(lineSeq),
              source: 'visitor' as const,
              text,
            })),
          ).chatMCS,
        }))
      // Chats (not transfer legs) that ended in the last hour, and the waits of accepts in it.
      const lastOfChat = new Map<string, EngagementSpan>()
      for (const span of spans) {
        const seen = lastOfChat.get(span.chatKey)
        if (!seen || seen.sequence < span.sequence) lastOfChat.set(span.chatKey, span)
      }
      const visibleSpan = (span: EngagementSpan) =>
        span.agentUserId === null ? visibleSkill(span.skillId) : visibleAgent(span.agentUserId)
      const inHour = (time: number | null): time is number => time !== null && time >= lastHour.from && time <= now
      const ended = [...lastOfChat.values()].filter((span) => inHour(span.endedAt) && visibleSpan(span))
      const accepted = spans.filter((span) => inHour(span.acceptedAt) && visibleSpan(span))
      const abandoned = spans.filter((span) => span.acceptedAt === null && inHour(span.endedAt) && visibleSpan(span))
      const waitMs = accepted.reduce((sum, span) => sum + span.acceptedAt! - span.startedAt, 0)
      return {
        version,
        time: now,
        skills: dashboardSkills,
        agents: dashboardAgents,
        chatsInProgress,
        lastHour: {
          endedChats: ended.length,
          connectedChats: accepted.length,
          abandonedChats: abandoned.length,
          averageWaitSeconds: accepted.length === 0 ? 0 : Math.floor(waitMs / accepted.length / 1000 + 0.5),
        },
      }
    },

    async pruneHistory() {
      return repo.pruneStateChanges(db, clock.now() - RETENTION_MS)
    },
  }
}

/** Items by each of their keys. */
function groupBy<T>(items: readonly T[], keys: (item: T) => readonly number[]): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const item of items) {
    for (const key of keys(item)) {
      const group = groups.get(key)
      if (group) group.push(item)
      else groups.set(key, [item])
    }
  }
  return groups
}
