import type {
  AgentActivityResult,
  DashboardResult,
  EngagementActivityResult,
  EngagementView,
  QueueHealthResult,
  QueueStateResult,
  SlaResult,
} from '../../core/operational/operational-realtime.service.ts'
import type {
  AgentStates,
  EngagementMetrics,
  QueueMetrics,
  StateTime,
} from '../../core/operational/operational.types.ts'

type Json = Record<string, unknown>

/**
 * `v` absent (every method) and Agent Activity with `v` >= 2 answer `{meta, body}`, as the
 * public Singer tap reads them; `v=1` answers the bare object (operational-realtime.md Q1).
 */
function envelope(body: Json, enveloped: boolean): Json {
  return enveloped ? { meta: { responseCode: 200 }, body } : body
}

const keyed = <T>(map: ReadonlyMap<number, T>, present: (value: T) => unknown): Json =>
  Object.fromEntries([...map].map(([id, value]) => [String(id), present(value)]))

function presentQueueMetrics(m: QueueMetrics): Json {
  return {
    enteredQEng: m.enteredQEng,
    connectedEng: m.connectedEng,
    abandonedEng: m.abandonedEng,
    totalTimeToAnswer: m.totalTimeToAnswer,
    avgTimeToAnswer: m.avgTimeToAnswer,
    totalTimeToAbandon: m.totalTimeToAbandon,
    avgTimeToAbandon: m.avgTimeToAbandon,
    abandonmentRate: m.abandonmentRate,
    maxQueueSize: m.maxQueueSize,
    minQueueSize: m.minQueueSize,
    averageQueueSize: m.averageQueueSize,
    queueSizeSum: m.queueSizeSum,
    queueSizeCount: m.queueSizeCount,
    maxAvailableSlots: m.maxAvailableSlots,
    minAvailableSlots: m.minAvailableSlots,
    averageAvailableSlots: m.averageAvailableSlots,
    availableSlotsSum: m.availableSlotsSum,
    availableSlotsCount: m.availableSlotsCount,
    currentQueueSize: m.currentQueueSize,
    currentAvailableSlots: m.currentAvailableSlots,
  }
}

/** Queue Health (§4.1): `skillsMetrics` only when `skillIds` was given; intervals ascending (Q3). */
export function presentQueueHealth(result: QueueHealthResult): Json {
  const part = (skills: QueueHealthResult['skills'], totals: QueueMetrics): Json => ({
    ...(skills ? { skillsMetrics: keyed(skills, presentQueueMetrics) } : {}),
    metricsTotals: presentQueueMetrics(totals),
  })
  const body: Json = {
    ...(result.intervals
      ? {
          metricsByIntervals: result.intervals.map((interval) => ({
            timestamp: interval.timestamp,
            metricsData: part(interval.skills, interval.totals),
          })),
        }
      : {}),
    ...part(result.skills, result.totals),
  }
  return envelope(body, result.version === undefined)
}

function presentEngagementMetrics(m: EngagementMetrics): Json {
  return {
    totalInteractiveChats: m.totalInteractiveChats,
    totalNonInteractiveChats: m.totalNonInteractiveChats,
    totalHandlingTime: m.totalHandlingTime,
    nonInteractiveTotalHandlingTime: m.nonInteractiveTotalHandlingTime,
    connectedEngagements: m.connectedEngagements,
  }
}

function presentEngagementView(view: EngagementView): Json {
  if (!view.skills && !view.agents) return { metricsTotals: presentEngagementMetrics(view.totals) }
  return {
    ...(view.skills && view.skillTotals
      ? {
          skillsMetricsPerAgent: {
            metricsPerSkill: keyed(view.skills, (skill) => ({
              metricsPerAgent: keyed(skill.agents, presentEngagementMetrics),
              metricsTotals: presentEngagementMetrics(skill.totals),
            })),
            metricsTotals: presentEngagementMetrics(view.skillTotals),
          },
        }
      : {}),
    ...(view.agents && view.agentTotals
      ? {
          agentsMetrics: {
            metricsPerAgent: keyed(view.agents, presentEngagementMetrics),
            metricsTotals: presentEngagementMetrics(view.agentTotals),
          },
        }
      : {}),
  }
}

/** Engagement Activity (§5.1); intervals newest first (Q3). */
export function presentEngagementActivity(result: EngagementActivityResult): Json {
  const body: Json = {
    ...(result.intervals
      ? {
          metricsByIntervals: result.intervals.map((interval) => ({
            timestamp: interval.timestamp,
            metricsData: presentEngagementView(interval.view),
          })),
        }
      : {}),
    ...presentEngagementView(result.view),
  }
  return envelope(body, result.version === undefined)
}

const stateValue = (time: StateTime): Json => ({
  total: time.total,
  chatting: time.chatting,
  notChatting: time.notChatting,
  chattingInMaxConcurrency: time.chattingInMaxConcurrency,
})

/** The four state objects of §8.2, in wire order. */
function presentAgentStates(states: AgentStates): Json[] {
  return [
    { id: 2, name: 'Online', value: stateValue(states.online) },
    { id: 3, name: 'Back in 5', value: stateValue(states.occupied) },
    {
      id: 4,
      name: 'Away',
      value: stateValue(states.away),
      reasons: states.awayReasons.map((reason) => ({ id: reason.id, value: stateValue(reason.value) })),
    },
    { id: -1, name: 'Logged in', value: stateValue(states.loggedIn) },
  ]
}

/** Agent Activity (§8.2): `metricsTotals` is always `[]`; intervals newest first (Q3). */
export function presentAgentActivity(result: AgentActivityResult): Json {
  const agentsMetrics = (agents: AgentActivityResult['agents']): Json => ({
    metricsPerAgent: keyed(agents, presentAgentStates),
    metricsTotals: [],
  })
  const body: Json = {
    ...(result.intervals
      ? {
          metricsByIntervals: result.intervals.map((interval) => ({
            timestamp: interval.timestamp,
            metricsData: { agentsMetrics: agentsMetrics(interval.agents) },
          })),
        }
      : {}),
    agentsMetrics: agentsMetrics(result.agents),
  }
  return envelope(body, result.version === undefined || result.version >= 2)
}

/** Current Queue State (§6.1); `v` >= 2 adds `currentMaxWaitTime` (ms, Q6). */
export function presentQueueState(result: QueueStateResult): Json {
  const withWait = result.version !== undefined && result.version >= 2
  const state = (value: QueueStateResult['totals']): Json => ({
    currentAvailableSlots: value.currentAvailableSlots,
    currentQueueSize: value.currentQueueSize,
    ...(withWait ? { currentMaxWaitTime: value.currentMaxWaitTime } : {}),
  })
  return envelope({ skills: keyed(result.skills, state), totals: state(result.totals) }, result.version === undefined)
}

/** SLA Histogram (§7.1): one member per bucket lower bound, ascending. */
export function presentSla(result: SlaResult): Json {
  const slaDataRange = Object.fromEntries(
    result.buckets.map((bucket) => [
      String(bucket.bound),
      { accumulated: bucket.accumulated, percentageFromTotal: bucket.percentageFromTotal, chats: bucket.chats },
    ]),
  )
  return envelope({ slaDataRange }, result.version === undefined)
}

/** Parley's dashboard extension (docs/operational-realtime.md); always the bare object. */
export function presentDashboard(result: DashboardResult): Json {
  return {
    time: result.time,
    skills: result.skills.map((skill) => ({
      skillId: skill.skillId,
      name: skill.name,
      waitingChats: skill.waitingChats,
      longestWaitSeconds: skill.longestWaitSeconds,
      estimatedWaitSeconds: skill.estimatedWaitSeconds,
      availableSlots: skill.availableSlots,
    })),
    agents: result.agents.map((agent) => ({
      agentId: agent.agentId,
      loginName: agent.loginName,
      nickname: agent.nickname,
      availability: agent.availability,
      chatReasonId: agent.chatReasonId,
      chats: agent.chats,
      maxChats: agent.maxChats,
      load: agent.load,
    })),
    chatsInProgress: result.chatsInProgress.map((chat) => ({
      engagementId: chat.engagementId,
      skillId: chat.skillId,
      agentId: chat.agentId,
      agentNickname: chat.agentNickname,
      startTime: chat.startTime,
      durationSeconds: chat.durationSeconds,
      mcs: chat.mcs,
    })),
    lastHour: {
      endedChats: result.lastHour.endedChats,
      connectedChats: result.lastHour.connectedChats,
      abandonedChats: result.lastHour.abandonedChats,
      averageWaitSeconds: result.lastHour.averageWaitSeconds,
    },
  }
}
