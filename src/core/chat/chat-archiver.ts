import type { CampaignInfo, EngagementRecord, SurveyItem } from '../history/record.types.ts'
import type { ArchiveService } from '../history/archive.service.ts'
import type { Clock } from '../clock.ts'
import type { GeoIpSource } from '../enrichment/geo-ip.ts'
import { agentGroupsRepository } from '../../storage/repositories/agent-groups.repository.ts'
import { campaignsRepository } from '../../storage/repositories/campaigns.repository.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
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
import { engagementSdesOf } from '../sdes/chat-attributes.ts'
import { resolveVisitorInfo } from './visitor-info.ts'

/** Turns ended engagements into Engagement History records and archives them (the outbox drain). */
export interface ChatArchiver {
  /** Archives one ended engagement and marks it archived; a no-op when it is not ended or gone. */
  archive(chatKey: string, sequence: number): Promise<void>
  /** Archives up to `limit` ended engagements still waiting (after a crash or a failed attempt). */
  archivePending(limit: number): Promise<number>
}

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
  // Pre-chat answers come with the request; chats requested before snapshots have no row.
  const preChat = submitted.find((entry) => entry.kind === 'preChat') ?? legacyPreChat(chat)
  return {
    preChat: sequence === 0 && preChat ? await itemsOf(db, chat, preChat, 'Pre-Chat', chat.requestedAt) : [],
    postChat: await items('exit', 'Exit'),
    operator: await items('agent', 'Operator'),
  }
}

const legacyPreChat = (chat: Chat): Pick<ChatSurveyAnswers, 'surveyId' | 'answers' | 'survey'> | undefined =>
  chat.request.survey && { surveyId: chat.request.survey.id, answers: chat.request.survey.answers, survey: null }

export function createChatArchiver(deps: {
  db: Executor
  archive: ArchiveService
  clock: Clock
  geoIp?: GeoIpSource | undefined
}): ChatArchiver {
  const { db } = deps

  async function archive(chatKey: string, sequence: number): Promise<void> {
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
    // pending (reported, retried) rather than mark it archived and lose the record.
    if (rejected.length > 0)
      throw new Error(`engagement ${record.info.engagementId} not archived: ${rejected[0]!.reason}`)
    await chatsRepository.markArchived(db, chatKey, sequence, deps.clock.now())
  }

  return {
    archive,
    async archivePending(limit) {
      const pending = await chatsRepository.listUnarchived(db, limit)
      for (const engagement of pending) await archive(engagement.chatKey, engagement.sequence)
      return pending.length
    },
  }
}
