import type { EngagementRecord, SdeEvent, TranscriptLine } from '../../src/core/history/record.types.ts'
import { specExampleRecord } from './history-fixtures.ts'

/**
 * The complete record of engagement-history.md §8, moved to `accountId` (the spec's `qa35931557`
 * is replaced in `accountId`, `engagementId` and `sharkEngagementId`).
 */
export function specRecordFor(accountId: string): EngagementRecord {
  const record = specExampleRecord()
  return {
    ...record,
    info: {
      ...record.info,
      accountId,
      engagementId: `${accountId}4294967901`,
      sharkEngagementId: `${accountId}_xMzD21hMRaOLuOl27h9yaw_1`,
    },
  }
}

/** Mulberry32: a tiny seeded PRNG, so property tests replay exactly for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface RecordOptions {
  accountId: string
  /** Numeric rtSessionId (>= 2^32 keeps the engagementId split unambiguous). */
  rtSessionId: number
  startTimeL: number
  duration?: number
  visitorId?: string
  agentId?: string
  skillId?: number
  agentGroupId?: number
  isInteractive?: boolean
  channel?: number
  chatMCS?: number | null
  lines?: Array<Partial<TranscriptLine>>
  surveyAnswers?: Array<{ question: string; answer: string }>
  visitorInfo?: Partial<EngagementRecord['visitorInfo']>
  sdes?: SdeEvent[]
  coBrowse?: Array<{ duration: number; interactive: boolean }>
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+0000')

const alerted = (chatMcs: number | null): number | null =>
  chatMcs === null ? null : chatMcs < -33 ? -1 : chatMcs > 33 ? 1 : 0

/** A small but complete record with the given fields; everything else takes plain defaults. */
export function makeRecord(options: RecordOptions): EngagementRecord {
  const spec = specRecordFor(options.accountId)
  const duration = options.duration ?? 60
  const start = options.startTimeL
  const end = start + duration * 1000
  const chatMcs = options.chatMCS === undefined ? 0 : options.chatMCS
  const lines: TranscriptLine[] = (options.lines ?? [{ text: 'hello' }]).map((line, index) => ({
    time: iso(start + index),
    timeL: start + index,
    controlType: 0,
    by: line.source === 'agent' ? 'agent' : 'You',
    source: 'visitor',
    subType: 'REGULAR',
    textType: 'plain',
    cannedAnswerType: 0,
    agentId: 0,
    lineSeq: String(index + 1),
    ...line,
  }))
  const postChat = (options.surveyAnswers ?? []).map((item, index) => ({
    ...spec.surveys.postChat[0]!,
    displayName: item.question,
    value: item.answer,
    values: [item.answer],
    questionID: index + 1,
  }))
  return {
    ...spec,
    info: {
      ...spec.info,
      startTime: iso(start),
      startTimeL: start,
      endTime: iso(end),
      endTimeL: end,
      duration,
      visitorId: options.visitorId ?? `v${options.rtSessionId}`,
      engagementId: `${options.accountId}${options.rtSessionId}`,
      sharkEngagementId: `${options.accountId}_s${options.rtSessionId}_1`,
      agentId: options.agentId ?? '-1',
      skillId: options.skillId ?? -1,
      agentGroupId: options.agentGroupId ?? -1,
      isInteractive: options.isInteractive ?? true,
      channel: options.channel ?? 1,
      chatMCS: chatMcs,
      alertedMCS: alerted(chatMcs),
      mcs: alerted(chatMcs),
      isPostChatSurvey: postChat.length > 0,
    },
    transcript: { lines },
    lineScores: lines.map((line) => ({ lineSeq: line.lineSeq, lineRawScore: 0, mcs: 0 })),
    surveys: { preChat: [], postChat, operator: [] },
    visitorInfo: { ...spec.visitorInfo, ...options.visitorInfo },
    coBrowseSessions: {
      coBrowseSessionsList: (options.coBrowse ?? []).map((session, index) => ({
        sessionId: `cb${index}`,
        startTime: iso(start),
        startTimeL: start,
        endTime: iso(start + session.duration),
        endTimeL: start + session.duration,
        endReason: 'VISITOR',
        duration: session.duration,
        interactive: session.interactive,
      })),
    },
    sdes: { events: options.sdes ?? [] },
  }
}

type SdeKind = 'purchase' | 'lead' | 'customerInfo' | 'viewedProduct'
const SDE_KIND_TYPES = {
  purchase: 'PURCHASE',
  lead: 'LEAD',
  customerInfo: 'CUSTOMER_INFO',
  viewedProduct: 'VIEWED_PRODUCT',
} as const

/** An SDE event of `key` whose attribute holds `fields` (nested for the nested kinds of §6.1). */
export function sdeEvent(key: SdeKind, fields: Record<string, unknown>): SdeEvent {
  const nested = key === 'lead' || key === 'customerInfo'
  const stamp = { serverTimeStamp: '1485969113673', originalTimeStamp: '1485969113673' }
  return {
    [key]: nested ? { ...stamp, [key]: fields } : { ...stamp, ...fields },
    ...stamp,
    sdeType: SDE_KIND_TYPES[key],
    isAuthenticated: false,
  }
}
