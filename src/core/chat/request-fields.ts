import { normalizeIp } from '../enrichment/ip-address.ts'
import { invalid } from '../errors.ts'
import type { ChatRequestFields, CustomVariable, SurveyAnswerInput } from './chat.types.ts'
import { DEFAULT_LANGUAGE } from './system-messages.ts'

export const DEFAULT_CHAT_TIMEOUT = 40
export const MIN_CHAT_TIMEOUT = 10
export const MAX_SECONDS = 86_400

/** A chat request (chat-api.md §7) after validation, before skill and agent names are resolved. */
export interface ParsedChatRequest {
  /** `skill`, else `serviceQueue`. */
  skillName?: string
  skillId?: number
  agentLogin?: string
  maxWaitTime: number | null
  chatTimeout: number
  language: string
  /** The request's `visitorId` (adopted as given), if any. */
  visitorId?: string
  campaignId: string | null
  campaignEngagementId: string | null
  customVariables: CustomVariable[]
  /** `runWithRules: true` (or `"true"`): a pre-chat answer may choose the skill (docs/surveys.md). */
  runWithRules: boolean
  fields: ChatRequestFields
}

type Fields = Record<string, unknown>

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A string field: strings as given, numbers and booleans as text; anything else absent. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

/** An integer given as a number or a decimal string (XML and form clients send strings). */
function integer(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value
  // Beyond 2^53 an id is no longer the one sent, and beyond 2^63 it overflows a bigint column (issue 11).
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : undefined
}

/** Ids echoed in `info` (campaignId, engagementId): any scalar, kept as text. */
const idText = (value: unknown): string | null => {
  const result = text(value)?.trim()
  return result === undefined || result === '' ? null : result
}

/** `{"line": [..]}`, `{"line": ".."}`, `{"lines": [..]}`, an array, or one string. */
function lines(value: unknown): string[] {
  const list = isObject(value) ? (value.line ?? value.lines) : value
  const items = Array.isArray(list) ? list : list === undefined ? [] : [list]
  return items.map(text).filter((line): line is string => line !== undefined && line.trim() !== '')
}

/** `{"customVariable": [..]}` (or one object), or an array of `{name, value}`; later names win. */
export function parseCustomVariables(value: unknown): CustomVariable[] {
  const list = isObject(value) && 'customVariable' in value ? value.customVariable : value
  const items = Array.isArray(list) ? list : list === undefined || list === null ? [] : [list]
  const byName = new Map<string, string>()
  for (const item of items) {
    if (!isObject(item)) throw invalid('customVariables', 'each custom variable needs a name and a value')
    const name = text(item.name)
    if (name === undefined || name === '') throw invalid('customVariables', 'each custom variable needs a name')
    byName.set(name, text(item.value) ?? '')
  }
  return [...byName].map(([name, value]) => ({ name, value }))
}

/** Merges `updates` into `current` by name, keeping first-seen order. */
export function mergeCustomVariables(
  current: readonly CustomVariable[],
  updates: readonly CustomVariable[],
): CustomVariable[] {
  const byName = new Map(current.map((variable) => [variable.name, variable.value]))
  for (const update of updates) byName.set(update.name, update.value)
  return [...byName].map(([name, value]) => ({ name, value }))
}

/**
 * Survey answers as every survey submission sends them (chat-api.md §14): `{id, question}` where
 * `question` may be one object and `answer` an array; undefined without a numeric `id`.
 */
export function parseSurveyAnswers(value: unknown): ChatRequestFields['survey'] {
  if (!isObject(value)) return undefined
  const id = integer(value.id)
  if (id === undefined) return undefined
  const questions = Array.isArray(value.question)
    ? value.question
    : value.question === undefined
      ? []
      : [value.question]
  const answers: SurveyAnswerInput[] = []
  for (const question of questions) {
    if (!isObject(question)) continue
    const questionId = integer(question.id)
    if (questionId === undefined) continue
    const raw = Array.isArray(question.answer) ? question.answer : [question.answer]
    answers.push({ id: questionId, answers: raw.map(text).filter((answer): answer is string => answer !== undefined) })
  }
  return { id, answers }
}

/**
 * Validates and normalises a chat request body (chat-api.md §7): the `request` wrapper is
 * optional and an empty body is an empty request. `maxWaitTime` outside 0..86400 is
 * VALIDATION_FAILED; `interactionTimeout` is clamped to 10..86400 (default 40).
 */
export function parseChatRequest(body: unknown, defaults: { visitorIp: string; userAgent: string }): ParsedChatRequest {
  const outer = body === undefined || body === null || body === '' ? {} : body
  if (!isObject(outer)) throw invalid('request', 'must be an object')
  const wrapped = outer.request
  const request: Fields = isObject(wrapped) ? wrapped : wrapped === undefined || wrapped === '' ? outer : {}
  if (wrapped !== undefined && wrapped !== '' && !isObject(wrapped)) throw invalid('request', 'must be an object')

  let maxWaitTime: number | null = null
  if (request.maxWaitTime !== undefined && request.maxWaitTime !== '') {
    const value = integer(request.maxWaitTime)
    if (value === undefined || value < 0 || value > MAX_SECONDS)
      throw invalid('maxWaitTime', `must be an integer between 0 and ${MAX_SECONDS}`)
    maxWaitTime = value
  }
  const timeout = integer(request.interactionTimeout)
  const chatTimeout =
    timeout === undefined ? DEFAULT_CHAT_TIMEOUT : Math.min(MAX_SECONDS, Math.max(MIN_CHAT_TIMEOUT, timeout))

  const skillName = text(request.skill) ?? text(request.serviceQueue)
  const skillId = integer(request.skillId)
  const agentLogin = text(request.agent)
  const visitorId = integer(request.visitorId)
  const optional = (key: string, value: unknown): Partial<ChatRequestFields> => {
    const result = text(value)
    return result === undefined ? {} : { [key]: result }
  }
  const parsedSurvey = parseSurveyAnswers(request.survey)
  const fields: ChatRequestFields = {
    // A visitorIp that is not an IP address is ignored (docs/visitor-info.md).
    visitorIp: normalizeIp(text(request.visitorIp) ?? '') ?? normalizeIp(defaults.visitorIp) ?? defaults.visitorIp,
    userAgent: text(request.userAgent) ?? defaults.userAgent,
    chatReferrer: text(request.chatReferrer) ?? '',
    preChatLines: lines(request.preChatLines),
    ...optional('visitorSessionId', request.visitorSessionId),
    ...(parsedSurvey ? { survey: parsedSurvey } : {}),
    ...optional('sharkVisitorId', request.LETagVisitorId),
    ...optional('sharkSessionId', request.LETagSessionId),
    ...optional('sharkContextId', request.LETagContextId),
    ...optional('participantId', request.participantId),
    ...optional('conversationId', request.conversationId),
    ...optional('ssoKey', request.ssoKey),
    ...optional('a2aSourceSiteId', request.a2aSourceSiteId),
    ...optional('a2aSourceSessionId', request.a2aSourceSessionId),
    ...optional('a2aEventId', request.a2aEventId),
    ...(skillName === undefined ? {} : { requestedSkillName: skillName }),
    ...(agentLogin === undefined ? {} : { requestedAgentLogin: agentLogin }),
  }
  return {
    ...(skillName === undefined || skillName.trim() === '' ? {} : { skillName: skillName.trim() }),
    ...(skillId === undefined ? {} : { skillId }),
    ...(agentLogin === undefined || agentLogin.trim() === '' ? {} : { agentLogin: agentLogin.trim() }),
    maxWaitTime,
    chatTimeout,
    language: text(request.language)?.trim() || DEFAULT_LANGUAGE,
    ...(visitorId === undefined || visitorId <= 0 ? {} : { visitorId: String(visitorId) }),
    campaignId: idText(request.campaignId),
    campaignEngagementId: idText(request.engagementId),
    customVariables: parseCustomVariables(request.customVariables),
    runWithRules: request.runWithRules === true || text(request.runWithRules)?.trim().toLowerCase() === 'true',
    fields,
  }
}
