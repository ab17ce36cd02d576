import type { Survey, SurveyType } from '../account-config/account-config.types.ts'
import { ADMIN } from '../accounts/accounts.types.ts'
import type { Actor } from '../actor.ts'
import type { SurveyAnswerInput } from '../chat/chat.types.ts'
import { parseSurveyAnswers } from '../chat/request-fields.ts'
import type { Clock } from '../clock.ts'
import { invalid, ParleyError } from '../errors.ts'
import type { MailQueue } from '../mail/mail.types.ts'
import { offlineMessagesRepository } from '../../storage/repositories/offline-messages.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { surveysRepository } from '../../storage/repositories/surveys.repository.ts'
import { offlineMessageMail } from './offline-mail.ts'
import { answeredSkillId, validateSurveyAnswers } from './survey-answers.ts'
import type { OfflineMessage, OfflineMessagePage, OfflineVisitor } from './surveys.types.ts'
import { nameKey, sameName } from '../text/name-key.ts'

/** How a survey is asked for (chat-api.md §6): `surveyName` > `surveyApiId` > skill > the type's default. */
export interface SurveySelector {
  surveyName?: string | undefined
  surveyApiId?: number | undefined
  /** A skill id of the account (the chat's skill, or V4/V5's `skill` resolved); -1 = none. */
  skillId?: number | undefined
}

/** Paging of the offline-message listing: `limit` 1..100 (default 25). */
export const OFFLINE_PAGE_DEFAULT = 25
export const OFFLINE_PAGE_MAX = 100

const TYPE_LABELS: Record<SurveyType, string> = {
  preChat: 'pre-chat',
  offline: 'offline',
  exit: 'exit',
  agent: 'agent',
}

// A loose shape check: the address is only ever used as a mail recipient.
const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/

/** Surveys as the visitor and agent APIs serve them, and offline messages (docs/surveys.md). */
export interface SurveysService {
  /** The survey of `type` the selector picks; RESOURCE_NOT_FOUND (404) when none. */
  select(accountId: string, type: SurveyType, selector: SurveySelector): Promise<Survey>
  /** V4/V5's `skill` (a skill name, or an id): the account's skill id, -1 when it has none such. */
  skillIdOf(accountId: string, skill: string | undefined): Promise<number>
  /** `lastKnownValue`: the visitor's last answer per question of `survey` (empty without a visitor id). */
  lastKnownValues(accountId: string, visitorId: string | undefined, survey: Survey): Promise<Map<number, string>>
  /** Remembers a visitor's answers to a survey for later `lastKnownValue`s. */
  rememberAnswers(
    accountId: string,
    visitorId: string,
    answers: { id: number; answers: readonly SurveyAnswerInput[] },
  ): Promise<void>
  /**
   * V6: validates the submission (an offline survey of the account, answers as
   * `validateSurveyAnswers` demands), stores it as an offline message and queues a mail to the
   * account's notification address when one is set and a mail queue is wired.
   */
  submitOffline(
    accountId: string,
    body: unknown,
    defaults: { visitorIp: string; userAgent: string },
  ): Promise<OfflineMessage>
  /** Offline messages newest first; Admin users and API keys of the account only (FORBIDDEN otherwise). */
  listOfflineMessages(
    caller: Actor | { kind: 'system' },
    accountId: string,
    page: { offset?: number; limit?: number },
  ): Promise<OfflineMessagePage>
  /** The account's notification address (`""` when none); same access as the listing. */
  notificationEmail(caller: Actor | { kind: 'system' }, accountId: string): Promise<string>
  /** Sets (or with `""` removes) the notification address; VALIDATION_FAILED for a malformed one. */
  setNotificationEmail(caller: Actor | { kind: 'system' }, accountId: string, email: string): Promise<string>
}

export interface SurveysServiceDeps {
  db: Executor
  clock: Clock
  /** The durable mail queue; without it offline messages are stored but nobody is mailed. */
  mail?: MailQueue | undefined
  /** A mail that could not be queued (the message itself is stored); for logging. */
  onError?: ((error: unknown, task: string) => void) | undefined
}

/**
 * Selection shared by every survey method (chat-api.md §6): a survey asked for by name or id must
 * exist with that type (404 otherwise, no fallback); else the lowest-id survey of the type linked to
 * the skill; else the type's default.
 */
export async function selectSurvey(
  db: Executor,
  accountId: string,
  type: SurveyType,
  selector: SurveySelector,
): Promise<Survey> {
  const surveys = (await surveysRepository.list(db, accountId, false)).filter((survey) => survey.type === type)
  const none = () => new ParleyError('RESOURCE_NOT_FOUND', `No ${TYPE_LABELS[type]} survey found`)
  const name = selector.surveyName?.trim()
  if (name !== undefined && name !== '') {
    const found =
      surveys.find((survey) => survey.name === name) ?? surveys.find((survey) => sameName(survey.name, name))
    if (!found) throw none()
    return found
  }
  if (selector.surveyApiId !== undefined) {
    const found = surveys.find((survey) => survey.id === selector.surveyApiId)
    if (!found) throw none()
    return found
  }
  const skillId = selector.skillId
  const bySkill =
    skillId === undefined || skillId === -1 ? undefined : surveys.find((survey) => survey.skillIds.includes(skillId))
  const chosen = bySkill ?? surveys.find((survey) => survey.isDefault)
  if (!chosen) throw none()
  return chosen
}

/**
 * The pre-chat part of a chat request (chat-api.md §7): the answers must belong to a pre-chat survey
 * of the account and pass `validateSurveyAnswers` (VALIDATION_FAILED otherwise). Returns the survey
 * as answered (for its snapshot) and, with `runWithRules`, the skill an answered entry routes to
 * (docs/surveys.md), if any; undefined when the request has no pre-chat answers.
 */
export async function checkPreChatAnswers(
  db: Executor,
  accountId: string,
  answers: { id: number; answers: SurveyAnswerInput[] } | undefined,
  runWithRules: boolean,
): Promise<{ survey: Survey; answers: SurveyAnswerInput[]; skillId: number | undefined } | undefined> {
  if (!answers) return undefined
  const survey = await surveysRepository.findById(db, accountId, answers.id)
  if (!survey || survey.deleted || survey.type !== 'preChat') throw invalid('survey', `unknown survey ${answers.id}`)
  validateSurveyAnswers(survey, answers.answers)
  const answered = { survey, answers: answers.answers, skillId: undefined }
  if (!runWithRules) return answered
  const skillId = answeredSkillId(survey, answers.answers)
  if (skillId === undefined) return answered
  const skill = await skillsRepository.findById(db, accountId, skillId)
  return { ...answered, skillId: skill && !skill.deleted ? skill.id : undefined }
}

/** Stores a visitor's non-empty answers (joined with `,`) for `lastKnownValue`. */
export async function rememberVisitorAnswers(
  db: Executor,
  accountId: string,
  visitorId: string,
  survey: { id: number; answers: readonly SurveyAnswerInput[] },
  now: number,
): Promise<void> {
  const values = survey.answers
    .map((answer) => ({ questionId: answer.id, value: answer.answers.join(',') }))
    .filter((answer) => answer.value !== '')
  await offlineMessagesRepository.rememberAnswers(db, accountId, visitorId, survey.id, values, now)
}

function requireOfflineAccess(caller: Actor | { kind: 'system' }, accountId: string): void {
  if (caller.kind === 'system') return
  if (caller.kind === 'user' && caller.accountId === accountId && caller.permissionGroups.includes(ADMIN)) return
  if (caller.kind === 'apiKey' && caller.accountId === accountId) return
  throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
}

type Fields = Record<string, unknown>
const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined

export function createSurveysService(deps: SurveysServiceDeps): SurveysService {
  const { db, clock } = deps

  async function skillIdOf(accountId: string, skill: string | undefined): Promise<number> {
    const name = skill?.trim()
    if (name === undefined || name === '') return -1
    const byName = await skillsRepository.findActiveIdByName(db, accountId, nameKey(name))
    if (byName !== undefined) return byName
    if (!/^\d+$/.test(name) || !Number.isSafeInteger(Number(name))) return -1
    const byId = await skillsRepository.findById(db, accountId, Number(name))
    return byId && !byId.deleted ? byId.id : -1
  }

  return {
    select: (accountId, type, selector) => selectSurvey(db, accountId, type, selector),
    skillIdOf,

    async lastKnownValues(accountId, visitorId, survey) {
      if (visitorId === undefined || visitorId.trim() === '') return new Map()
      const textQuestions = survey.questions
        .filter((question) => question.type === 'Text Field' || question.type === 'Text Area')
        .map((question) => question.id)
      return offlineMessagesRepository.lastAnswers(db, accountId, visitorId.trim(), survey.id, textQuestions)
    },

    rememberAnswers: (accountId, visitorId, answers) =>
      rememberVisitorAnswers(db, accountId, visitorId, answers, clock.now()),

    async submitOffline(accountId, body, defaults) {
      // Both documented shapes: fields inside `survey`, or next to it at the top level.
      if (!isObject(body) || !isObject(body.survey)) throw invalid('survey', 'needs a numeric id')
      const inner = body.survey
      const field = (name: string): string | undefined => text(inner[name]) ?? text(body[name])
      const parsed = parseSurveyAnswers(inner)
      if (!parsed) throw invalid('survey', 'needs a numeric id')
      const survey = await surveysRepository.findById(db, accountId, parsed.id)
      if (!survey || survey.deleted || survey.type !== 'offline') throw invalid('survey', `unknown survey ${parsed.id}`)
      validateSurveyAnswers(survey, parsed.answers)

      const requestedSkill = field('skill')?.trim() ?? ''
      const skillId = await skillIdOf(accountId, requestedSkill)
      const skill = skillId === -1 ? undefined : await skillsRepository.findById(db, accountId, skillId)
      const visitor: OfflineVisitor = {
        visitorIp: field('visitorIp') ?? defaults.visitorIp,
        userAgent: field('userAgent') ?? defaults.userAgent,
      }
      const optional: Array<[keyof OfflineVisitor, string | undefined]> = [
        ['chatReferrer', field('chatReferrer') ?? field('chatRefferer')],
        ['visitorSessionId', field('visitorSessionId')],
        ['LETagVisitorId', field('LETagVisitorId')],
        ['LETagSessionId', field('LETagSessionId')],
        ['LETagContextId', field('LETagContextId')],
      ]
      for (const [key, value] of optional) if (value !== undefined) visitor[key] = value
      const visitorId = field('visitorId')?.trim()
      const byQuestion = new Map(parsed.answers.map((answer) => [answer.id, answer.answers]))
      const now = clock.now()
      const message: Omit<OfflineMessage, 'id'> = {
        accountId,
        surveyId: survey.id,
        surveyName: survey.name,
        skillId,
        skillName: skill?.name ?? requestedSkill,
        visitorId: visitorId === undefined || visitorId === '' ? null : visitorId,
        visitor,
        answers: [...survey.questions]
          .sort((a, b) => a.order - b.order)
          .flatMap((question) => {
            const values = byQuestion.get(question.id)
            return values === undefined ? [] : [{ questionId: question.id, label: question.label, values }]
          }),
        createdAt: now,
      }
      const id = await offlineMessagesRepository.insert(db, message)
      if (message.visitorId !== null) await rememberVisitorAnswers(db, accountId, message.visitorId, parsed, now)
      const stored = { ...message, id }
      const to = await offlineMessagesRepository.notificationEmail(db, accountId)
      if (to !== undefined && deps.mail) {
        try {
          await deps.mail.enqueue({ accountId, kind: 'offline-message', to, ...offlineMessageMail(stored) })
        } catch (error) {
          deps.onError?.(error, 'offline-message-mail')
        }
      }
      return stored
    },

    async listOfflineMessages(caller, accountId, page) {
      requireOfflineAccess(caller, accountId)
      const offset = page.offset ?? 0
      const limit = page.limit ?? OFFLINE_PAGE_DEFAULT
      if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'must be an integer >= 0')
      if (!Number.isInteger(limit) || limit < 1 || limit > OFFLINE_PAGE_MAX)
        throw invalid('limit', `must be an integer between 1 and ${OFFLINE_PAGE_MAX}`)
      const [total, messages] = await Promise.all([
        offlineMessagesRepository.count(db, accountId),
        offlineMessagesRepository.list(db, accountId, offset, limit),
      ])
      return { total, offset, limit, messages }
    },

    async notificationEmail(caller, accountId) {
      requireOfflineAccess(caller, accountId)
      return (await offlineMessagesRepository.notificationEmail(db, accountId)) ?? ''
    },

    async setNotificationEmail(caller, accountId, email) {
      if (caller.kind !== 'system' && caller.kind !== 'user')
        throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
      requireOfflineAccess(caller, accountId)
      const address = email.trim()
      if (address !== '' && (address.length > 254 || !EMAIL.test(address)))
        throw invalid('notificationEmail', 'must be an email address')
      await offlineMessagesRepository.setNotificationEmail(db, accountId, address, clock.now())
      return address
    },
  }
}
