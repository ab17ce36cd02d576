import { END_REASONS, START_REASONS } from '../history/reasons.ts'
import type {
  CampaignInfo,
  CoBrowseSession,
  EngagementRecord,
  SurveyItem,
  TranscriptLine,
  VisitorInfo,
} from '../history/record.types.ts'
import { scoreTranscript } from '../scoring/mcs.ts'
import { formatHistoryTime } from '../time.ts'
import type { Chat, ChatEvent, Engagement, LineEvent } from './chat.types.ts'

/** The agent who accepted the engagement, as the configuration knows them at archive time. */
export interface RecordAgent {
  userId: number
  nickname: string
  loginName: string
  fullName: string
  deleted: boolean
}

/** Everything one archived engagement is built from; gathered by the chat service. */
export interface EngagementRecordInput {
  chat: Pick<Chat, 'key' | 'accountId' | 'visitorId' | 'visitorName' | 'requestedAt' | 'request'>
  /** An ended engagement (`endedAt` and `endReason` set). */
  engagement: Engagement
  /** The events of the engagement's segment; state events are ignored. */
  events: readonly ChatEvent[]
  skillName: string
  agent: RecordAgent | undefined
  /** Name of `engagement.agentGroupId`; `Main Group` is used for -1. */
  agentGroupName: string | undefined
  campaign: CampaignInfo
  visitorInfo: VisitorInfo
  surveys?: { preChat: SurveyItem[]; postChat: SurveyItem[]; operator: SurveyItem[] }
  /** Ended co-browse sessions of the engagement (docs/cobrowse.md); default none. */
  coBrowseSessions?: CoBrowseSession[]
}

function transcriptLine(event: LineEvent): TranscriptLine {
  return {
    time: formatHistoryTime(event.time),
    timeL: event.time,
    controlType: event.systemMessageId ?? 0,
    ...(event.text === undefined ? {} : { text: event.text }),
    ...(event.json === undefined ? {} : { json: event.json }),
    by: event.by,
    source: event.source,
    subType: event.subType,
    textType: event.textType,
    cannedAnswerType: 0,
    agentId: event.source === 'agent' ? (event.agentUserId ?? 0) : 0,
    lineSeq: String(event.id),
  }
}

/**
 * Builds the Engagement History record of one ended engagement (engagement-history.md §5,
 * Decisions D3, D6, D7): info fields, the segment's transcript with `controlType` = system
 * message id, MCS line scores, campaign and visitor sections. An engagement no agent accepted
 * has `agentId` "-1", no agent names, group -1 `NA` and duration 0.
 */
export function buildEngagementRecord(input: EngagementRecordInput): EngagementRecord {
  const { chat, engagement, agent } = input
  if (engagement.endedAt === null || engagement.endReason === null)
    throw new Error(`engagement ${chat.key}/${engagement.sequence} has not ended`)
  const lines = input.events.filter((event): event is LineEvent => event.type === 'line').map(transcriptLine)
  const scores = scoreTranscript(lines)
  const accepted = agent !== undefined && engagement.acceptedAt !== null
  const startTimeL = accepted ? (engagement.acceptedAt as number) : engagement.startedAt
  const endTimeL = engagement.endedAt
  const interactive = lines.some((line) => line.source === 'visitor')
  const surveys = input.surveys ?? { preChat: [], postChat: [], operator: [] }
  const groupId = accepted ? (engagement.agentGroupId ?? -1) : -1
  const sessionPart = chat.request.sharkSessionId ?? chat.key
  return {
    info: {
      startTime: formatHistoryTime(startTimeL),
      startTimeL,
      endTime: formatHistoryTime(endTimeL),
      endTimeL,
      duration: accepted ? Math.max(0, Math.floor((endTimeL - startTimeL) / 1000)) : 0,
      visitorId: chat.request.sharkVisitorId ?? chat.visitorId,
      visitorName: chat.visitorName ?? 'You',
      engagementId: `${chat.accountId}${engagement.rtSessionId}`,
      sharkEngagementId: `${chat.accountId}_${sessionPart}_${engagement.sequence + 1}`,
      isInteractive: interactive,
      accountId: chat.accountId,
      agentId: accepted ? String(agent.userId) : '-1',
      ...(accepted
        ? {
            agentNickName: agent.nickname,
            agentName: agent.nickname,
            agentLoginName: agent.loginName,
            agentFullName: agent.fullName,
          }
        : {}),
      agentDeleted: accepted ? agent.deleted : false,
      skillId: engagement.skillId,
      skillName: engagement.skillId === -1 ? 'Unassigned' : input.skillName,
      isAgentSurvey: surveys.operator.length > 0,
      isPostChatSurvey: surveys.postChat.length > 0,
      isPreChatSurvey: surveys.preChat.length > 0,
      channel: 1,
      startReason: engagement.startReason,
      startReasonDesc: START_REASONS[engagement.startReason] ?? '',
      endReason: engagement.endReason,
      endReasonDesc: END_REASONS[engagement.endReason] ?? '',
      engagementSet: 0,
      engagementSequence: engagement.sequence,
      agentGroupId: groupId,
      agentGroupName: accepted ? (input.agentGroupName ?? 'Main Group') : 'NA',
      mcs: scores.alertedMCS,
      alertedMCS: scores.alertedMCS,
      chatMCS: scores.chatMCS,
      chatRequestedTime: formatHistoryTime(chat.requestedAt),
      chatRequestedTimeL: chat.requestedAt,
      chatStartUrl: chat.request.chatReferrer,
      chatStartPage: '',
      isPartial: false,
      interactive,
      ended: true,
      chatDataEnriched: true,
    },
    transcript: { lines },
    lineScores: scores.lineScores,
    surveys,
    campaign: input.campaign,
    visitorInfo: input.visitorInfo,
    coBrowseSessions: { coBrowseSessionsList: input.coBrowseSessions ?? [] },
    sdes: { events: [] },
  }
}
