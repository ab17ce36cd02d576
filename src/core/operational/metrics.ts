import { hasFreeSlot } from '../chat/routing.ts'
import type { Window } from './operational-request.ts'
import { intervalIndexOf } from './operational-request.ts'
import type {
  AgentStates,
  EngagementMetrics,
  EngagementSpan,
  QueueMetrics,
  SlaBucket,
  StateTime,
} from './operational.types.ts'
import type { AgentSegment, SampleStats } from './timelines.ts'

/** Rounds half up (operational-realtime.md §4.2: averages in whole seconds). */
const roundHalfUp = (value: number): number => Math.floor(value + 0.5)
const twoDecimals = (value: number): number => Math.round(value * 100) / 100
const within = (window: Window, time: number | null): time is number =>
  time !== null && time >= window.from && time <= window.now

/** Event counts of one skill (or one interval of it) before the sample statistics join them. */
export interface QueueEvents {
  entered: number
  connected: number
  abandoned: number
  answerMs: number
  abandonMs: number
}

export const emptyEvents = (): QueueEvents => ({ entered: 0, connected: 0, abandoned: 0, answerMs: 0, abandonMs: 0 })

/**
 * QUEUE_ENTER, CONNECT and ABANDON events (§4.2) of the engagements in the window: entering the
 * queue, being accepted (wait = accept - entry), and ending while still waiting.
 */
export function queueEvents(
  engagements: readonly EngagementSpan[],
  window: Window,
): { whole: QueueEvents; intervals: QueueEvents[] } {
  const whole = emptyEvents()
  const intervals = window.intervals.map(emptyEvents)
  const at = (time: number): QueueEvents[] => {
    const bucket = intervals[intervalIndexOf(window, time)]
    return bucket ? [whole, bucket] : [whole]
  }
  for (const engagement of engagements) {
    if (within(window, engagement.startedAt)) for (const target of at(engagement.startedAt)) target.entered += 1
    if (within(window, engagement.acceptedAt)) {
      for (const target of at(engagement.acceptedAt)) {
        target.connected += 1
        target.answerMs += engagement.acceptedAt - engagement.startedAt
      }
    } else if (engagement.acceptedAt === null && within(window, engagement.endedAt)) {
      for (const target of at(engagement.endedAt)) {
        target.abandoned += 1
        target.abandonMs += engagement.endedAt - engagement.startedAt
      }
    }
  }
  return { whole, intervals }
}

/** The parts a metrics object is computed from; sums of skills add these, never the derived values. */
export interface QueueParts {
  events: QueueEvents
  /** null: the skill had no samples (no data). */
  queue: SampleStats | null
  slots: SampleStats | null
  /** -1 without data (always -1 inside intervals). */
  currentQueueSize: number
  currentAvailableSlots: number
}

/** The metrics object `M` (§4.2) from its parts. */
export function queueMetrics(parts: QueueParts): QueueMetrics {
  const { events, queue, slots } = parts
  const totalTimeToAnswer = Math.round(events.answerMs / 1000)
  const totalTimeToAbandon = Math.round(events.abandonMs / 1000)
  const decided = events.abandoned + events.connected
  const hasQueue = queue !== null && queue.count > 0
  const hasSlots = slots !== null && slots.count > 0
  return {
    enteredQEng: events.entered,
    connectedEng: events.connected,
    abandonedEng: events.abandoned,
    totalTimeToAnswer,
    avgTimeToAnswer: events.connected === 0 ? 0 : roundHalfUp(totalTimeToAnswer / events.connected),
    totalTimeToAbandon,
    avgTimeToAbandon: events.abandoned === 0 ? 0 : roundHalfUp(totalTimeToAbandon / events.abandoned),
    abandonmentRate: decided === 0 ? 0 : twoDecimals(events.abandoned / decided),
    maxQueueSize: hasQueue ? queue.max : -1,
    minQueueSize: hasQueue ? queue.min : -1,
    averageQueueSize: hasQueue ? queue.sum / queue.count : -1,
    queueSizeSum: hasQueue ? queue.sum : 0,
    queueSizeCount: hasQueue ? queue.count : 0,
    maxAvailableSlots: hasSlots ? slots.max : -1,
    minAvailableSlots: hasSlots ? slots.min : -1,
    averageAvailableSlots: hasSlots ? slots.sum / slots.count : -1,
    availableSlotsSum: hasSlots ? slots.sum : 0,
    availableSlotsCount: hasSlots ? slots.count : 0,
    currentQueueSize: parts.currentQueueSize,
    currentAvailableSlots: parts.currentAvailableSlots,
  }
}

/**
 * Totals over skills (§4.2, Q14): counts and sums add up; max, min and current values are also
 * summed, skipping skills without data (-1); averages and the rate are recomputed from the sums.
 */
export function sumQueueParts(parts: readonly QueueParts[]): QueueParts {
  const events = emptyEvents()
  let queue: SampleStats | null = null
  let slots: SampleStats | null = null
  let currentQueueSize = -1
  let currentAvailableSlots = -1
  const addStats = (into: SampleStats | null, stats: SampleStats | null): SampleStats | null => {
    if (stats === null || stats.count === 0) return into
    if (into === null) return { ...stats }
    return {
      sum: into.sum + stats.sum,
      count: into.count + stats.count,
      min: into.min + stats.min,
      max: into.max + stats.max,
    }
  }
  const addCurrent = (into: number, value: number): number => (value === -1 ? into : Math.max(into, 0) + value)
  for (const part of parts) {
    events.entered += part.events.entered
    events.connected += part.events.connected
    events.abandoned += part.events.abandoned
    events.answerMs += part.events.answerMs
    events.abandonMs += part.events.abandonMs
    queue = addStats(queue, part.queue)
    slots = addStats(slots, part.slots)
    currentQueueSize = addCurrent(currentQueueSize, part.currentQueueSize)
    currentAvailableSlots = addCurrent(currentAvailableSlots, part.currentAvailableSlots)
  }
  return { events, queue, slots, currentQueueSize, currentAvailableSlots }
}

export const emptyEngagementMetrics = (): EngagementMetrics => ({
  totalInteractiveChats: 0,
  totalNonInteractiveChats: 0,
  totalHandlingTime: 0,
  nonInteractiveTotalHandlingTime: 0,
  connectedEngagements: 0,
})

export function addEngagementMetrics(into: EngagementMetrics, other: EngagementMetrics): void {
  into.totalInteractiveChats += other.totalInteractiveChats
  into.totalNonInteractiveChats += other.totalNonInteractiveChats
  into.totalHandlingTime += other.totalHandlingTime
  into.nonInteractiveTotalHandlingTime += other.nonInteractiveTotalHandlingTime
  into.connectedEngagements += other.connectedEngagements
}

export const hasActivity = (metrics: EngagementMetrics): boolean =>
  metrics.totalInteractiveChats + metrics.totalNonInteractiveChats + metrics.connectedEngagements > 0

const emptyStateMs = (): StateTime => ({ total: 0, chatting: 0, notChatting: 0, chattingInMaxConcurrency: 0 })

/** Milliseconds per state while building; `toSeconds` truncates each value (§8.2). */
export interface StateAccumulator {
  online: StateTime
  occupied: StateTime
  away: StateTime
  awayReasons: Map<string, StateTime>
  loggedIn: StateTime
}

export const emptyStates = (): StateAccumulator => ({
  online: emptyStateMs(),
  occupied: emptyStateMs(),
  away: emptyStateMs(),
  awayReasons: new Map(),
  loggedIn: emptyStateMs(),
})

function addTime(target: StateTime, ms: number, chatting: boolean, atMax: boolean): void {
  target.total += ms
  if (chatting) target.chatting += ms
  else target.notChatting += ms
  if (atMax) target.chattingInMaxConcurrency += ms
}

/**
 * Adds the agent's segments to the whole-window accumulator and to each interval's (newest first),
 * splitting segments at interval bounds. Offline time counts nowhere.
 */
export function accumulateStates(
  segments: readonly AgentSegment[],
  maxChats: number,
  window: Window,
  whole: StateAccumulator,
  intervals: StateAccumulator[],
): void {
  for (const segment of segments) {
    if (segment.state === 'Offline') continue
    const pieces =
      window.intervals.length === 0
        ? [{ from: segment.from, to: segment.to, index: -1 }]
        : window.intervals
            .map((interval, index) => ({
              from: Math.max(segment.from, interval.from),
              to: Math.min(segment.to, index === 0 ? window.now : interval.to),
              index,
            }))
            .filter((piece) => piece.to > piece.from)
    const chatting = segment.chats > 0
    const atMax = chatting && !hasFreeSlot({ maxChats }, segment.chats)
    for (const piece of pieces) {
      const ms = piece.to - piece.from
      for (const target of piece.index === -1 ? [whole] : [whole, intervals[piece.index]!]) {
        addTime(target.loggedIn, ms, chatting, atMax)
        const state =
          segment.state === 'Online' ? target.online : segment.state === 'Occupied' ? target.occupied : target.away
        addTime(state, ms, chatting, atMax)
        if (segment.state === 'Away' && segment.reasonId !== null) {
          const reason = target.awayReasons.get(segment.reasonId) ?? emptyStateMs()
          addTime(reason, ms, chatting, atMax)
          target.awayReasons.set(segment.reasonId, reason)
        }
      }
    }
  }
}

const seconds = (time: StateTime): StateTime => ({
  total: Math.floor(time.total / 1000),
  chatting: Math.floor(time.chatting / 1000),
  notChatting: Math.floor(time.notChatting / 1000),
  chattingInMaxConcurrency: Math.floor(time.chattingInMaxConcurrency / 1000),
})

/** The accumulated milliseconds as the wire's whole seconds, each value truncated on its own. */
export function toAgentStates(accumulator: StateAccumulator): AgentStates {
  return {
    online: seconds(accumulator.online),
    occupied: seconds(accumulator.occupied),
    away: seconds(accumulator.away),
    awayReasons: [...accumulator.awayReasons]
      .filter(([, time]) => time.total > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, time]) => ({ id, value: seconds(time) })),
    loggedIn: seconds(accumulator.loggedIn),
  }
}

/** The SLA histogram (§7): waits in seconds into `[bound, next)` buckets, fractions to 2 decimals. */
export function slaHistogram(waitsMs: readonly number[], bounds: readonly number[]): SlaBucket[] {
  const counts = bounds.map(() => 0)
  for (const wait of waitsMs) {
    const secondsWaited = wait / 1000
    let index = 0
    while (index + 1 < bounds.length && secondsWaited >= bounds[index + 1]!) index += 1
    counts[index]! += 1
  }
  const total = waitsMs.length
  let running = 0
  return bounds.map((bound, index) => {
    const chats = counts[index]!
    running += chats
    return {
      bound,
      chats,
      percentageFromTotal: total === 0 ? 0 : twoDecimals(chats / total),
      accumulated: total === 0 ? 0 : twoDecimals(running / total),
    }
  })
}
