import type { ChatAvailability } from '../chat/agent-directory.ts'
import { freeSlots, UNLIMITED_SLOTS } from '../chat/routing.ts'
import { intervalIndexOf, type Window } from './operational-request.ts'
import type { EngagementSpan, StateChange } from './operational.types.ts'

/** A stretch of an agent's time with constant availability and number of accepted chats. */
export interface AgentSegment {
  from: number
  to: number
  state: ChatAvailability
  reasonId: string | null
  chats: number
}

type Change = { at: number; order: number; apply: (current: { state: StateChange | undefined; chats: number }) => void }

/**
 * One agent's timeline over `[from, to)`: availability from its state changes (the first one may
 * precede `from`: the state the window starts in) and accepted chats from its engagements
 * (accept to end). Times before `from` are clamped to it, so the segments start in the right state.
 */
export function agentSegments(
  changes: readonly StateChange[],
  engagements: readonly EngagementSpan[],
  from: number,
  to: number,
): AgentSegment[] {
  const events: Change[] = []
  changes.forEach((change, index) =>
    events.push({ at: Math.max(from, change.at), order: index, apply: (c) => void (c.state = change) }),
  )
  for (const engagement of engagements) {
    if (engagement.acceptedAt === null || engagement.acceptedAt > to) continue
    if (engagement.endedAt !== null && engagement.endedAt <= from) continue
    events.push({ at: Math.max(from, engagement.acceptedAt), order: 0, apply: (c) => void (c.chats += 1) })
    if (engagement.endedAt !== null && engagement.endedAt < to)
      events.push({ at: engagement.endedAt, order: 0, apply: (c) => void (c.chats -= 1) })
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order)
  const current: { state: StateChange | undefined; chats: number } = { state: undefined, chats: 0 }
  const segments: AgentSegment[] = []
  let cursor = from
  const close = (until: number) => {
    if (until <= cursor) return
    const state = current.state?.state ?? 'Offline'
    segments.push({ from: cursor, to: until, state, reasonId: current.state?.reasonId ?? null, chats: current.chats })
    cursor = until
  }
  for (const event of events) {
    if (event.at >= to) break
    close(event.at)
    event.apply(current)
  }
  close(to)
  return segments
}

/** A step function as value changes: at `at` the value moves by `delta`. */
export interface Delta {
  at: number
  delta: number
}

/** Sum, count, min and max of 5-second samples (operational-realtime.md §4.2, §9). */
export interface SampleStats {
  sum: number
  count: number
  min: number
  max: number
}

const SAMPLE_MS = 5_000
const emptyStats = (): SampleStats => ({
  sum: 0,
  count: 0,
  min: Number.POSITIVE_INFINITY,
  max: Number.NEGATIVE_INFINITY,
})

/**
 * Samples a step function (0 before its first change) every 5 seconds, on the epoch-aligned ticks in
 * `[max(window.from, since), window.now)`, as the whole window and per interval (newest first).
 * `value` maps the running sums of the series to the sampled value.
 */
export function sampleSeries(
  series: ReadonlyArray<readonly Delta[]>,
  window: Window,
  since: number,
  value: (sums: readonly number[]) => number,
): { whole: SampleStats; intervals: SampleStats[] } {
  const whole = emptyStats()
  const intervals = window.intervals.map(emptyStats)
  const first = Math.ceil(Math.max(window.from, since) / SAMPLE_MS) * SAMPLE_MS
  const ticks = Math.max(0, Math.ceil((window.now - first) / SAMPLE_MS))
  // Each change lands on the first tick at or after it: one pass over changes, one over ticks, no sort.
  const pending = series.map((deltas) => {
    const perTick = new Float64Array(ticks + 1)
    for (const change of deltas) {
      const tick = change.at <= first ? 0 : Math.ceil((change.at - first) / SAMPLE_MS)
      if (tick < ticks) perTick[tick]! += change.delta
    }
    return perTick
  })
  const sums = series.map(() => 0)
  for (let index = 0; index < ticks; index += 1) {
    for (let s = 0; s < pending.length; s += 1) sums[s]! += pending[s]![index]!
    const sample = value(sums)
    add(whole, sample)
    const bucket = intervals[intervalIndexOf(window, first + index * SAMPLE_MS)]
    if (bucket) add(bucket, sample)
  }
  return { whole, intervals }
}

function add(stats: SampleStats, sample: number): void {
  stats.sum += sample
  stats.count += 1
  if (sample < stats.min) stats.min = sample
  if (sample > stats.max) stats.max = sample
}

/** Queue-size changes of waiting engagements: +1 on entering the queue, -1 on accept or end. */
export function queueDeltas(engagements: readonly EngagementSpan[]): Delta[] {
  const deltas: Delta[] = []
  for (const engagement of engagements) {
    deltas.push({ at: engagement.startedAt, delta: 1 })
    const left = engagement.acceptedAt ?? engagement.endedAt
    if (left !== null) deltas.push({ at: left, delta: -1 })
  }
  return deltas
}

/**
 * Available-slot changes of one agent (chat-api.md V2 rules, counted over time): while Online, its
 * free slots (`maxChats` minus accepted chats, at least 0). The second series counts Online agents
 * with unlimited chats, which make a skill's value 1 (operational-realtime.md §6).
 */
export function slotDeltas(
  segments: readonly AgentSegment[],
  maxChats: number,
): { slots: Delta[]; unlimited: Delta[] } {
  const slots: Delta[] = []
  const unlimited: Delta[] = []
  for (const segment of segments) {
    if (segment.state !== 'Online') continue
    const free = freeSlots({ maxChats }, segment.chats)
    if (free === UNLIMITED_SLOTS) {
      unlimited.push({ at: segment.from, delta: 1 }, { at: segment.to, delta: -1 })
      continue
    }
    if (free > 0) slots.push({ at: segment.from, delta: free }, { at: segment.to, delta: -free })
  }
  return { slots, unlimited }
}
