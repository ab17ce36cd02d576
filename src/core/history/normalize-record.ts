import { alertedMcsOf } from '../scoring/mcs.ts'
import { formatHistoryTime, parseHistoryTime } from '../time.ts'
import { END_REASONS, START_REASONS } from './reasons.ts'
import {
  SDE_TYPES,
  type CampaignInfo,
  type CoBrowseSession,
  type EngagementInfo,
  type EngagementRecord,
  type LineScore,
  type SdeEvent,
  type SdeKey,
  type SurveyItem,
  type TranscriptLine,
  type VisitorInfo,
} from './record.types.ts'

export type NormalizeResult = { ok: true; record: EngagementRecord } | { ok: false; reason: string }

export interface NormalizeOptions {
  /** `info.accountId` of records that carry none (the importing account). */
  accountId?: string
}

type Obj = Record<string, unknown>

/** A record rejected for a reason that names the offending field. */
class Rejection extends Error {}

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value)

const reject = (reason: string): never => {
  throw new Rejection(reason)
}

/** Numbers as given; numeric strings (`"14"`) become numbers. */
function toNumber(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return reject(`${path} must be a number, got ${JSON.stringify(value)}`)
}

/** Typed field access on one object, naming `path.field` in every rejection. */
function fields(source: Obj, path: string) {
  const name = (key: string): string => (path === '' ? key : `${path}.${key}`)
  const present = (key: string): boolean => source[key] !== undefined && source[key] !== null
  return {
    name,
    present,
    /** Strings as given; numbers (ids exported as numbers) become their decimal text. */
    str(key: string, fallback: string): string {
      const value = source[key]
      if (value === undefined || value === null) return fallback
      if (typeof value === 'string') return value
      if (typeof value === 'number' && Number.isFinite(value)) return String(value)
      return reject(`${name(key)} must be a string`)
    },
    optStr(key: string): string | undefined {
      return present(key) ? this.str(key, '') : undefined
    },
    num(key: string, fallback: number): number {
      const value = source[key]
      return value === undefined || value === null ? fallback : toNumber(value, name(key))
    },
    nullableNum(key: string): number | null {
      return present(key) ? this.num(key, 0) : null
    },
    bool(key: string, fallback: boolean): boolean {
      const value = source[key]
      if (value === undefined || value === null) return fallback
      if (typeof value === 'boolean') return value
      if (value === 'true' || value === 'false') return value === 'true'
      return reject(`${name(key)} must be a boolean`)
    },
    obj(key: string): Obj | undefined {
      const value = source[key]
      if (value === undefined || value === null) return undefined
      return isObj(value) ? value : reject(`${name(key)} must be an object`)
    },
    list(key: string): unknown[] {
      const value = source[key]
      if (value === undefined || value === null) return []
      return Array.isArray(value) ? value : reject(`${name(key)} must be an array`)
    },
    /**
     * A time given as `<key>L` (epoch ms) and/or `<key>` (text): either one derives the other;
     * both are kept as given. `fallback` applies when both are absent; without one, that rejects.
     */
    time(key: string, fallback?: number): { text: string; ms: number } {
      const hasMs = present(`${key}L`)
      const hasText = present(key)
      if (hasMs) {
        const ms = this.num(`${key}L`, 0)
        if (!Number.isInteger(ms)) reject(`${name(`${key}L`)} must be whole epoch milliseconds`)
        return { ms, text: hasText ? this.str(key, '') : formatHistoryTime(ms) }
      }
      if (hasText) {
        const text = this.str(key, '')
        const ms = parseHistoryTime(text)
        return ms === undefined ? reject(`${name(key)} is not a time: ${JSON.stringify(text)}`) : { ms, text }
      }
      if (fallback === undefined) return reject(`missing ${name(`${key}L`)} (or ${name(key)})`)
      return { ms: fallback, text: formatHistoryTime(fallback) }
    },
  }
}

const objectAt = (value: unknown, path: string): Obj => (isObj(value) ? value : reject(`${path} must be an object`))

/**
 * `known` followed by the fields of `source` it does not define (records are stored as given,
 * §9, so fields Parley does not know survive an import). `optional` names known fields that may
 * be left out of `known` on purpose (an absent agent name is not copied back as `null`).
 */
function withExtras<T extends object>(source: Obj, known: T, optional: readonly string[] = []): T {
  let result: T | undefined
  for (const key of Object.keys(source)) {
    if (key in known || optional.includes(key) || source[key] === undefined) continue
    result ??= { ...known }
    ;(result as Obj)[key] = source[key]
  }
  return result ?? known
}

function normalizeLine(value: unknown, path: string): TranscriptLine {
  const f = fields(objectAt(value, path), path)
  const time = f.time('time')
  const source = f.str('source', '')
  if (source !== 'visitor' && source !== 'agent' && source !== 'system')
    reject(`${f.name('source')} must be visitor, agent or system`)
  const subType = f.str('subType', 'REGULAR')
  if (subType !== 'REGULAR' && subType !== 'ONLY_TO_REP') reject(`${f.name('subType')} must be REGULAR or ONLY_TO_REP`)
  const text = f.optStr('text')
  const json = objectAt(value, path).json
  const textType = f.str('textType', json !== undefined && text === undefined ? 'rich-content' : 'plain')
  if (textType !== 'plain' && textType !== 'html' && textType !== 'url' && textType !== 'rich-content')
    reject(`${f.name('textType')} must be plain, html, url or rich-content`)
  if (!f.present('lineSeq')) reject(`missing ${f.name('lineSeq')}`)
  // LivePerson's key order: text and json sit between controlType and by.
  return withExtras(
    objectAt(value, path),
    {
      time: time.text,
      timeL: time.ms,
      controlType: f.num('controlType', 0),
      ...(text === undefined ? {} : { text }),
      ...(json === undefined || json === null ? {} : { json }),
      by: f.str('by', source === 'system' ? 'info' : ''),
      source: source as TranscriptLine['source'],
      subType: subType as TranscriptLine['subType'],
      textType: textType as TranscriptLine['textType'],
      cannedAnswerType: f.num('cannedAnswerType', 0),
      agentId: f.num('agentId', 0),
      lineSeq: f.str('lineSeq', ''),
    },
    ['text', 'json'],
  )
}

function normalizeLineScore(value: unknown, path: string): LineScore {
  const source = objectAt(value, path)
  const f = fields(source, path)
  return withExtras(source, {
    lineSeq: f.str('lineSeq', ''),
    lineRawScore: f.num('lineRawScore', 0),
    mcs: f.num('mcs', 0),
  })
}

function normalizeSurveyItem(value: unknown, path: string, source: string, fallbackTime: number): SurveyItem {
  const item = objectAt(value, path)
  const f = fields(item, path)
  const values = f
    .list('values')
    .map((v, i) => (typeof v === 'string' ? v : reject(`${path}.values[${i}] must be a string`)))
  const answer = f.optStr('value')
  const time = f.time('time', fallbackTime)
  return withExtras(item, {
    scope: f.str('scope', 'Session'),
    source: f.str('source', source),
    displayName: f.str('displayName', ''),
    value: answer ?? values.join(','),
    values: f.present('values') ? values : answer === undefined ? [] : [answer],
    answersId: f.list('answersId').map((v, i) => toNumber(v, `${path}.answersId[${i}]`)),
    name: f.str('name', ''),
    time: time.text,
    timeL: time.ms,
    questionID: f.num('questionID', 0),
    surveyID: f.num('surveyID', 0),
  })
}

function normalizeCampaign(value: Obj = {}): CampaignInfo {
  const f = fields(value, 'campaign')
  return withExtras(value, {
    campaignEngagementId: f.str('campaignEngagementId', '-1'),
    campaignEngagementName: f.str('campaignEngagementName', 'NA'),
    campaignId: f.str('campaignId', '-1'),
    campaignName: f.str('campaignName', 'NA'),
    goalId: f.str('goalId', '-1'),
    goalName: f.str('goalName', 'NA'),
    visitorBehaviorId: f.str('visitorBehaviorId', '-1'),
    visitorBehaviorName: f.str('visitorBehaviorName', 'NA'),
    visitorProfileId: f.str('visitorProfileId', '-1'),
    visitorProfileName: f.str('visitorProfileName', 'NA'),
    lobId: f.num('lobId', -1),
    lobName: f.str('lobName', 'NA'),
    engagementAgentNote: f.str('engagementAgentNote', ''),
    behaviorSystemDefault: f.bool('behaviorSystemDefault', false),
    profileSystemDefault: f.bool('profileSystemDefault', false),
  })
}

function normalizeVisitorInfo(value: Obj = {}): VisitorInfo {
  const f = fields(value, 'visitorInfo')
  return withExtras(value, {
    country: f.str('country', ''),
    countryCode: f.str('countryCode', ''),
    state: f.str('state', ''),
    city: f.str('city', ''),
    isp: f.str('isp', ''),
    org: f.str('org', ''),
    device: f.str('device', 'NA'),
    ipAddress: f.str('ipAddress', ''),
    browser: f.str('browser', ''),
    operatingSystem: f.str('operatingSystem', 'NA'),
    browserType: f.str('browserType', ''),
  })
}

function normalizeCoBrowse(value: unknown, path: string): CoBrowseSession {
  const session = objectAt(value, path)
  const f = fields(session, path)
  const start = f.time('startTime')
  const end = f.time('endTime')
  const hasInteractive = f.present('interactiveTimeL') || f.present('interactiveTime')
  const interactiveTime = hasInteractive ? f.time('interactiveTime') : undefined
  return withExtras(
    session,
    {
      sessionId: f.str('sessionId', ''),
      startTime: start.text,
      startTimeL: start.ms,
      endTime: end.text,
      endTimeL: end.ms,
      ...(interactiveTime ? { interactiveTime: interactiveTime.text, interactiveTimeL: interactiveTime.ms } : {}),
      endReason: f.str('endReason', 'UNKOWN'),
      duration: f.num('duration', end.ms - start.ms),
      interactive: f.bool('interactive', hasInteractive),
    },
    ['interactiveTime', 'interactiveTimeL'],
  )
}

/** Response keys of LivePerson's methods-page example and the key they stand for (Decision D5). */
const SDE_ALIASES: Readonly<Record<string, SdeKey>> = { viewProduct: 'viewedProduct', formFillingError: 'visitorError' }
const SIBLINGS = new Set(['serverTimeStamp', 'originalTimeStamp', 'sdeType', 'isAuthenticated'])

/** `{"string": "x"}` → `"x"`, as the methods-page example wraps visitor error texts. */
const unwrapString = (value: unknown): unknown =>
  isObj(value) && Object.keys(value).length === 1 && typeof value.string === 'string' ? value.string : value

const timestampText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined

/** Normalises one SDE event to its response shape (Decision D5); other fields are kept as given. */
function normalizeSdeEvent(value: unknown, path: string): SdeEvent {
  const event = objectAt(value, path)
  const keys = Object.keys(event).filter((key) => !SIBLINGS.has(key))
  const given = keys.find((key) => key in SDE_TYPES || key in SDE_ALIASES)
  if (given === undefined) return reject(`${path} has no known attribute key (${keys.join(', ') || 'none'})`)
  const key: SdeKey = SDE_ALIASES[given] ?? (given as SdeKey)
  let attribute = objectAt(event[given], `${path}.${given}`)
  if (key === 'visitorError') {
    const inner = isObj(attribute.visitorError) ? attribute.visitorError : undefined
    if (inner) {
      attribute = {
        ...attribute,
        visitorError: { ...inner, message: unwrapString(inner.message), code: unwrapString(inner.code) },
      }
    }
  }
  if (key === 'personalInfo' && !isObj(attribute.personalInfo)) {
    const { serverTimeStamp, originalTimeStamp, ...personal } = attribute
    attribute = { serverTimeStamp, originalTimeStamp, personalInfo: personal }
  }
  const f = fields(event, path)
  const sdeType = f.str('sdeType', SDE_TYPES[key])
  if (sdeType !== SDE_TYPES[key]) reject(`${path}.sdeType ${sdeType} does not match the key ${key}`)
  return withExtras(
    event,
    {
      [key]: attribute,
      serverTimeStamp: timestampText(event.serverTimeStamp) ?? timestampText(attribute.serverTimeStamp) ?? '',
      originalTimeStamp: timestampText(event.originalTimeStamp) ?? timestampText(attribute.originalTimeStamp) ?? '',
      sdeType: SDE_TYPES[key],
      isAuthenticated: f.bool('isAuthenticated', false),
    },
    [given],
  )
}

function normalizeInfo(
  info: Obj,
  lines: readonly TranscriptLine[],
  surveys: EngagementRecord['surveys'],
  options: NormalizeOptions,
): EngagementInfo {
  const f = fields(info, 'info')
  const engagementId = f.str('engagementId', '')
  if (engagementId === '') reject('missing info.engagementId')
  const start = f.time('startTime')
  const end = f.time('endTime')
  const requested = f.time('chatRequestedTime', start.ms)
  const agentId = f.str('agentId', '-1')
  const hasAgent = agentId !== '-1'
  const skillId = f.num('skillId', -1)
  const agentGroupId = f.num('agentGroupId', -1)
  const isInteractive = f.bool(
    'isInteractive',
    lines.some((line) => line.source === 'visitor'),
  )
  const startReason = f.str('startReason', '')
  const endReason = f.str('endReason', '')
  const chatMCS = f.nullableNum('chatMCS')
  const alertedMCS = f.present('alertedMCS') ? f.nullableNum('alertedMCS') : alertedMcsOf(chatMCS)
  const agentNames: Partial<EngagementInfo> = {}
  for (const key of ['agentNickName', 'agentName', 'agentLoginName', 'agentFullName'] as const) {
    const value = f.optStr(key)
    if (value !== undefined) agentNames[key] = value
  }
  return withExtras(
    info,
    {
      startTime: start.text,
      startTimeL: start.ms,
      endTime: end.text,
      endTimeL: end.ms,
      duration: f.num('duration', hasAgent ? Math.max(0, Math.floor((end.ms - start.ms) / 1000)) : 0),
      visitorId: f.str('visitorId', ''),
      visitorName: f.str('visitorName', 'You'),
      engagementId,
      sharkEngagementId: f.str('sharkEngagementId', ''),
      isInteractive,
      accountId: f.str('accountId', options.accountId ?? ''),
      agentId,
      ...agentNames,
      agentDeleted: f.bool('agentDeleted', false),
      skillId,
      skillName: f.str('skillName', skillId === -1 ? 'Unassigned' : ''),
      isAgentSurvey: f.bool('isAgentSurvey', surveys.operator.length > 0),
      isPostChatSurvey: f.bool('isPostChatSurvey', surveys.postChat.length > 0),
      isPreChatSurvey: f.bool('isPreChatSurvey', surveys.preChat.length > 0),
      channel: f.num('channel', 1),
      startReason,
      startReasonDesc: f.str('startReasonDesc', START_REASONS[startReason] ?? ''),
      endReason,
      endReasonDesc: f.str('endReasonDesc', END_REASONS[endReason] ?? ''),
      engagementSet: f.num('engagementSet', 0),
      engagementSequence: f.num('engagementSequence', 0),
      agentGroupId,
      agentGroupName: f.str('agentGroupName', !hasAgent ? 'NA' : agentGroupId === -1 ? 'Main Group' : ''),
      mcs: f.present('mcs') ? f.nullableNum('mcs') : alertedMCS,
      alertedMCS,
      chatMCS,
      chatRequestedTime: requested.text,
      chatRequestedTimeL: requested.ms,
      chatStartUrl: f.str('chatStartUrl', ''),
      chatStartPage: f.str('chatStartPage', ''),
      isPartial: f.bool('isPartial', false),
      interactive: f.bool('interactive', isInteractive),
      ended: f.bool('ended', true),
      chatDataEnriched: f.bool('chatDataEnriched', true),
    },
    ['agentNickName', 'agentName', 'agentLoginName', 'agentFullName'],
  )
}

function normalize(input: unknown, options: NormalizeOptions): EngagementRecord {
  const root = objectAt(input, 'record')
  const f = fields(root, '')
  const info = f.obj('info') ?? reject('missing info')
  const lines = fields(f.obj('transcript') ?? {}, 'transcript')
    .list('lines')
    .map((line, i) => normalizeLine(line, `transcript.lines[${i}]`))
  const surveysIn = fields(f.obj('surveys') ?? {}, 'surveys')
  const fallbackTime = fields(info, 'info').time('endTime').ms
  const survey = (list: 'preChat' | 'postChat' | 'operator', source: string): SurveyItem[] =>
    surveysIn.list(list).map((item, i) => normalizeSurveyItem(item, `surveys.${list}[${i}]`, source, fallbackTime))
  const surveys = {
    preChat: survey('preChat', 'Pre-Chat'),
    postChat: survey('postChat', 'Exit'),
    operator: survey('operator', 'Operator'),
  }
  return withExtras(root, {
    info: normalizeInfo(info, lines, surveys, options),
    transcript: { lines },
    lineScores: f.list('lineScores').map((score, i) => normalizeLineScore(score, `lineScores[${i}]`)),
    surveys,
    campaign: normalizeCampaign(f.obj('campaign')),
    visitorInfo: normalizeVisitorInfo(f.obj('visitorInfo')),
    coBrowseSessions: {
      coBrowseSessionsList: fields(f.obj('coBrowseSessions') ?? {}, 'coBrowseSessions')
        .list('coBrowseSessionsList')
        .map((session, i) => normalizeCoBrowse(session, `coBrowseSessions.coBrowseSessionsList[${i}]`)),
    },
    sdes: {
      events: fields(f.obj('sdes') ?? {}, 'sdes')
        .list('events')
        .map((event, i) => normalizeSdeEvent(event, `sdes.events[${i}]`)),
    },
  })
}

/**
 * Validates an imported record of unknown shape (engagement-history.md §9) and returns it in
 * the record shape, or the reason it was rejected, naming the field. Fields the input supplies
 * are kept as given (never recomputed); SDE events get the D5 spellings; missing sections and
 * optional fields take the documented defaults; a time given only as text or only as epoch ms
 * gets its twin. Normalising a normalised record returns an equal record.
 */
export function normalizeRecord(input: unknown, options: NormalizeOptions = {}): NormalizeResult {
  try {
    return { ok: true, record: normalize(input, options) }
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, reason: error.message }
    throw error
  }
}
