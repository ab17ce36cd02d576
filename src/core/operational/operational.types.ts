import type { ChatAvailability } from '../chat/agent-directory.ts'

/** One engagement (agent segment) of a live or recently ended chat: its queue wait and its agent. */
export interface EngagementSpan {
  chatKey: string
  sequence: number
  rtSessionId: number
  skillId: number
  /** Entered the queue (request, transfer or requeue). */
  startedAt: number
  acceptedAt: number | null
  endedAt: number | null
  endReason: string | null
  agentUserId: number | null
  agentGroupId: number | null
}

/** A user's availability from `at` on (Offline: no live agent session). */
export interface StateChange {
  userId: number
  state: ChatAvailability
  reasonId: string | null
  at: number
}

export interface OperationalUser {
  id: number
  loginName: string
  nickname: string
  maxChats: number
  memberGroupId: number
  deleted: boolean
  skillIds: number[]
}

export interface OperationalSkill {
  id: number
  name: string
  createdAt: number
}

/** Archived engagements ended in one interval, of one skill, agent, group and interactivity. */
export interface ActivityAggregate {
  /** Interval index, newest first (0 without intervals). */
  interval: number
  skillId: number
  /** null: never accepted. */
  agentId: number | null
  agentGroupId: number
  interactive: boolean
  chats: number
  /** Sum of `info.duration` (seconds). */
  duration: number
}

export interface WaitingChat {
  skillId: number
  /** When it entered the queue. */
  since: number
}

/** Queue Health metrics object `M` (operational-realtime.md §4.2); times in seconds. */
export interface QueueMetrics {
  enteredQEng: number
  connectedEng: number
  abandonedEng: number
  totalTimeToAnswer: number
  avgTimeToAnswer: number
  totalTimeToAbandon: number
  avgTimeToAbandon: number
  abandonmentRate: number
  maxQueueSize: number
  minQueueSize: number
  averageQueueSize: number
  queueSizeSum: number
  queueSizeCount: number
  maxAvailableSlots: number
  minAvailableSlots: number
  averageAvailableSlots: number
  availableSlotsSum: number
  availableSlotsCount: number
  currentQueueSize: number
  currentAvailableSlots: number
}

/** Engagement Activity metrics object `E` (§5.2); times in seconds. */
export interface EngagementMetrics {
  totalInteractiveChats: number
  totalNonInteractiveChats: number
  totalHandlingTime: number
  nonInteractiveTotalHandlingTime: number
  connectedEngagements: number
}

/** Seconds in one agent state (§8.2). */
export interface StateTime {
  total: number
  chatting: number
  notChatting: number
  chattingInMaxConcurrency: number
}

/** One agent's four state objects, in wire order: Online, Back in 5, Away (with reasons), Logged in. */
export interface AgentStates {
  online: StateTime
  occupied: StateTime
  away: StateTime
  awayReasons: Array<{ id: string; value: StateTime }>
  loggedIn: StateTime
}

/** `currentQueueSize` / `currentAvailableSlots` of one skill; -1 without data. */
export interface QueueState {
  currentQueueSize: number
  currentAvailableSlots: number
  /** v >= 2: the oldest waiting chat's wait (ms), 0 when none. */
  currentMaxWaitTime: number
}

export interface SlaBucket {
  bound: number
  chats: number
  percentageFromTotal: number
  accumulated: number
}
