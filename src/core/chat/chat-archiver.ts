import type { CampaignInfo, EngagementRecord, SurveyItem } from '../history/record.types.ts'
import type { ArchiveFailure } from '../history/archive-failure.types.ts'
import type { ArchiveService } from '../history/archive.service.ts'
import type { Clock } from '../clock.ts'
import type { GeoIpSource } from '../enrichment/geo-ip.ts'
import { agentGroupsRepository } from '../../storage/repositories/agent-groups.repository.ts'
import { campaignsRepository } from '../../storage/repositories/campaigns.repository.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import { archiveFailuresRepository } from '../../storage/repositories/archive-failures.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { simpleEntitiesRepository } from '../../storage/repositories/simple-entities.repository.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { surveysRepository } from '../../storage/repositories/surveys.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import type { Chat, ChatSurveyAnswers } from './chat.types.ts'
import { NO_CAMPAIGN } from '../history/record-defaults.ts'
import { coBrowseRecordSessions } from '../cobrowse/cobrowse-record.ts'
import { buildEngagementRecord, type RecordAgent } from './engagement-record.ts'
import { surveyItemsOf, type SurveySource } from './survey-items.ts'
import { toStorableText } from '../text/storable-text.ts'
import { engagementSdesOf } from '../sdes/chat-attributes.ts'
import { resolveVisitorInfo } from './visitor-info.ts'

/**
 * Waits before the 2nd, 3rd, ... attempt of an engagement whose archive failed; after the last
 * one it is set aside (dead-lettered) until an operator retries it (docs/live-chat.md).
 */
export const ARCHIVE_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000]

/** Thrown to `onSetAside` once, when an engagement's archive is given up: its failure, for the log. */
export class ArchiveSetAsideError extends Error {
  readonly failure: ArchiveFailure
  constructor(failure: ArchiveFailure) {
    super(`Engagement ${failure.engagementId} could not be archived after ${failure.attempts} attempts`)
    this.name = 'ArchiveSetAsideError'
    this.failure = failure
  }
}

/**
 * Turns ended engagements into Engagement History records and archives them (the outbox drain).
 * A record that cannot be built or written never stops the others: its failure is recorded, it is
 * retried with backoff, then set aside, and the caller goes on (a poison record once made
 * `parley serve` exit at start-up).
 */
export interface ChatArchiver {
  /**
   * Archives one ended engagement and marks it archived; a no-op when it is not ended or gone.
   * Returns false when it failed (the failure is recorded for retry, not thrown).
   */
  archive(chatKey: string, sequence: number): Promise<boolean>
  /**
   * Archives up to `limit` ended engagements that are due (never failed, or due for a retry).
   * `ignoreBackoff` also tries those waiting for their retry (start-up: the failure may have been
   * the previous process dying); set-aside ones are never tried here.
   */
  archivePending(limit: number, options?: { ignoreBackoff?: boolean }): Promise<number>
  /**
   * One attempt now, for an operator after a fix (`parley archive retry`), whatever the backoff
   * says; a failure keeps it set aside with the new error.
   */
  retry(chatKey: string, sequence: number): Promise<{ archived: true } | { archived: false; error: string }>
}

/** A failure's message as stored and shown: storable text, bounded. */
const describeError = (error: unknown): string =>
  toStorableText(error instanceof Error ? error.message : String(error)).slice(0, 500)

const numericId = (value: string | null): number | undefined =>
  value !== null && /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : undefined

/** Campaign section from the request's campaignId/engagementId and the configuration (engagement-history.md §5.5). */
export async function campaignInfoOf(db: Executor, chat: Chat): Promise<CampaignInfo> {
  const campaignId = numericId(chat.campaignId)
  const campaign =
    campaignId === undefined ? undefined : await campaignsRepository.findById(db, chat.accountId, campaignId)
  if (!campaign) return NO_CAMPAIGN
  const engagementId = numericId(chat.campaignEngagementId)
  const engagement =
    engagementId === undefined
      ? undefined
      : await campaignsRepository.findEngagement(db, chat.accountId, campaign.id, engagementId)
  const goal = await simpleEntitiesRepository.findById(db, 'goals', chat.accountId, campaign.goalId)
  const behaviorId = engagement?.visitorBehaviorIds[0]
  const behavior =
    behaviorId === undefined
      ? undefined
      : await simpleEntitiesRepository.findById(db, 'visitor_behaviors', chat.accountId, behaviorId)
  const profileId = campaign.visitorProfileIds[0]
  const profile =
    profileId === undefined
      ? undefined
      : await simpleEntitiesRepository.findById(db, 'visitor_profiles', chat.accountId, profileId)
  const lob =
    campaign.lobId === -1
      ? undefined
      : await simpleEntitiesRepository.findById(db, 'lobs', chat.accountId, campaign.lobId)
  return {
    campaignEngagementId: engagement ? String(engagement.id) : '-1',
    campaignEngagementName: engagement?.name ?? 'NA',
    campaignId: String(campaign.id),
    campaignName: campaign.name,
    goalId: goal ? String(goal.id) : '-1',
    goalName: goal?.name ?? 'NA',
    visitorBehaviorId: behavior ? String(behavior.id) : '-1',
    visitorBehaviorName: behavior?.name ?? 'NA',
    visitorProfileId: profile ? String(profile.id) : '-1',
    visitorProfileName: profile?.name ?? 'NA',
    lobId: lob ? lob.id : -1,
    lobName: lob?.name ?? 'NA',
    engagementAgentNote: engagement?.agentNote ?? '',
    behaviorSystemDefault: behavior?.isDefault ?? false,
    profileSystemDefault: profile?.isDefault ?? false,
  }
}

/**
 * Survey items of a submission, from the questions as they were answered. Answers stored before
 * snapshots were kept fall back to the survey as configured now.
 */
async function itemsOf(
  db: Executor,
  chat: Chat,
  submission: Pick<ChatSurveyAnswers, 'surveyId' | 'answers' | 'survey'>,
  source: SurveySource,
  timeL: number,
): Promise<SurveyItem[]> {
  const survey = submission.survey ?? (await surveysRepository.findById(db, chat.accountId, submission.surveyId))
  return survey ? surveyItemsOf(survey, submission.answers, source, timeL) : []
}

/**
 * The three survey lists of engagement `sequence` (engagement-history.md §5.4): pre-chat answers
 * on the first engagement, exit-survey answers on the last one of an ended chat, agent-survey
 * answers on the engagement of the submitting agent.
 */
async function surveysOf(db: Executor, chat: Chat, sequence: number): Promise<EngagementRecord['surveys']> {
  const submitted = await chatsRepository.listSurveyAnswers(db, chat.key)
  const items = async (kind: 'exit' | 'agent', source: 'Exit' | 'Operator'): Promise<SurveyItem[]> => {
    const answers = submitted.find(
      (entry) =>
        entry.kind === kind &&
        (kind === 'exit' ? chat.state === 'ended' && sequence === chat.sequence : entry.sequence === sequence),
    )
    return answers ? itemsOf(db, chat, answers, source, answers.submittedAt) : []
  }
  return {
    preChat: sequence === 0 ? await preChatItems(db, chat, submitted) : [],
    postChat: await items('exit', 'Exit'),
    operator: await items('agent', 'Operator'),
  }
}

/**
 * The chat's pre-chat answers with the questions as the visitor saw them (the snapshot stored with
 * the request), as Engagement History archives them and the agent workspace shows them.
 */
export async function preChatItems(
  db: Executor,
  chat: Chat,
  submitted?: readonly ChatSurveyAnswers[],
): Promise<SurveyItem[]> {
  const answers = submitted ?? (await chatsRepository.listSurveyAnswers(db, chat.key))
  // Pre-chat answers come with the request; chats requested before snapshots have no row.
  const preChat = answers.find((entry) => entry.kind === 'preChat') ?? legacyPreChat(chat)
  return preChat ? itemsOf(db, chat, preChat, 'Pre-Chat', chat.requestedAt) : []
}

const legacyPreChat = (chat: Chat): Pick<ChatSurveyAnswers, 'surveyId' | 'answers' | 'survey'> | undefined =>
  chat.request.survey && { surveyId: chat.request.survey.id, answers: chat.request.survey.answers, survey: null }

export function createChatArchiver(deps: {
  db: Executor
  archive: ArchiveService
  clock: Clock
  geoIp?: GeoIpSource | undefined
  /** Called once per engagement, when it is set aside after its last retry (for the log). */
  onSetAside?: (error: ArchiveSetAsideError) => void
}): ChatArchiver {
  const { db, clock } = deps

  async function archiveOnce(chatKey: string, sequence: number): Promise<void> {
    const chat = await chatsRepository.findChat(db, chatKey)
    const engagement = await chatsRepository.findEngagement(db, chatKey, sequence)
    if (!chat || !engagement || engagement.endedAt === null) return
    const user =
      engagement.agentUserId === null
        ? undefined
        : await usersRepository.findById(db, chat.accountId, engagement.agentUserId)
    const agent: RecordAgent | undefined = user && {
      userId: user.id,
      nickname: user.nickname,
      loginName: user.loginName,
      fullName: user.fullName,
      deleted: user.deleted,
    }
    const groupId = engagement.agentGroupId ?? -1
    const group = groupId === -1 ? undefined : await agentGroupsRepository.findById(db, chat.accountId, groupId)
    const skill =
      engagement.skillId === -1 ? undefined : await skillsRepository.findById(db, chat.accountId, engagement.skillId)
    const record = buildEngagementRecord({
      chat,
      engagement,
      events: await chatsRepository.listSegmentLines(db, chatKey, sequence),
      skillName: skill?.name ?? 'Unassigned',
      agent,
      agentGroupName: group?.name,
      campaign: await campaignInfoOf(db, chat),
      visitorInfo: await resolveVisitorInfo(chat.request.visitorIp, chat.request.userAgent, deps.geoIp),
      surveys: await surveysOf(db, chat, sequence),
      coBrowseSessions: await coBrowseRecordSessions(db, { chatKey, sequence, endedAt: engagement.endedAt }),
    })
    record.sdes = await engagementSdesOf(db, chat, engagement)
    const { rejected } = await deps.archive.archiveRecords(chat.accountId, [record], 'live')
    // Cannot happen while every id comes from the allocator; if it does, keep the engagement
    // pending (retried, then set aside) rather than mark it archived and lose the record.
    if (rejected.length > 0)
      throw new Error(`engagement ${record.info.engagementId} not archived: ${rejected[0]!.reason}`)
    await chatsRepository.markArchived(db, chatKey, sequence, clock.now())
  }

  /** Records a failed attempt: next retry after the backoff, or set aside after the last one. */
  async function recordFailure(
    chatKey: string,
    sequence: number,
    error: unknown,
    setAsideNow: boolean,
  ): Promise<string> {
    const message = describeError(error)
    const engagement = await chatsRepository.findEngagement(db, chatKey, sequence)
    if (!engagement) return message
    const previous = await archiveFailuresRepository.find(db, chatKey, sequence)
    const attempts = (previous?.attempts ?? 0) + 1
    const now = clock.now()
    const delay = setAsideNow ? undefined : ARCHIVE_RETRY_DELAYS_MS[attempts - 1]
    const next =
      delay === undefined ? { nextAttemptAt: null, deadAt: now } : { nextAttemptAt: now + delay, deadAt: null }
    await archiveFailuresRepository.recordAttempt(
      db,
      { chatKey, sequence, accountId: engagement.accountId, rtSessionId: engagement.rtSessionId, error: message, now },
      { ...next, attempts },
    )
    // Logged once: when it is first set aside (a retry by an operator that fails again is answered to them).
    if (next.deadAt !== null && previous?.deadAt == null) {
      const failure = await archiveFailuresRepository.find(db, chatKey, sequence)
      if (failure) deps.onSetAside?.(new ArchiveSetAsideError(failure))
    }
    return message
  }

  async function attempt(
    chatKey: string,
    sequence: number,
    setAsideOnFailure: boolean,
  ): Promise<{ archived: true } | { archived: false; error: string }> {
    try {
      await archiveOnce(chatKey, sequence)
    } catch (error) {
      return { archived: false, error: await recordFailure(chatKey, sequence, error, setAsideOnFailure) }
    }
    await archiveFailuresRepository.remove(db, chatKey, sequence)
    return { archived: true }
  }

  return {
    async archive(chatKey, sequence) {
      return (await attempt(chatKey, sequence, false)).archived
    },
    async archivePending(limit, options) {
      const dueBy = options?.ignoreBackoff === true ? Number.MAX_SAFE_INTEGER : clock.now()
      const due = await archiveFailuresRepository.listArchivable(db, dueBy, limit)
      for (const engagement of due) await attempt(engagement.chatKey, engagement.sequence, false)
      return due.length
    },
    retry: (chatKey, sequence) => attempt(chatKey, sequence, true),
  }
}
