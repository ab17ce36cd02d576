/**
 * An archived engagement exactly as Engagement History returns it (engagement-history.md §5):
 * section order, field names and JSON types follow LivePerson's examples. Stored and returned
 * as given for imports; built by the archive projector for Parley's own chats.
 */
export interface EngagementRecord {
  info: EngagementInfo
  transcript: { lines: TranscriptLine[] }
  lineScores: LineScore[]
  surveys: { preChat: SurveyItem[]; postChat: SurveyItem[]; operator: SurveyItem[] }
  campaign: CampaignInfo
  visitorInfo: VisitorInfo
  coBrowseSessions: { coBrowseSessionsList: CoBrowseSession[] }
  sdes: { events: SdeEvent[] }
}

export interface EngagementInfo {
  startTime: string
  startTimeL: number
  endTime: string
  endTimeL: number
  /** Whole seconds. */
  duration: number
  visitorId: string
  visitorName: string
  /** accountId + rtSessionId. */
  engagementId: string
  sharkEngagementId: string
  isInteractive: boolean
  accountId: string
  /** "-1" when no agent accepted (Decision D7). */
  agentId: string
  agentNickName?: string
  agentName?: string
  agentLoginName?: string
  agentFullName?: string
  agentDeleted: boolean
  skillId: number
  skillName: string
  isAgentSurvey: boolean
  isPostChatSurvey: boolean
  isPreChatSurvey: boolean
  channel: number
  startReason: string
  startReasonDesc: string
  endReason: string
  endReasonDesc: string
  engagementSet: number
  engagementSequence: number
  agentGroupId: number
  agentGroupName: string
  mcs: number | null
  alertedMCS: number | null
  chatMCS: number | null
  chatRequestedTime: string
  chatRequestedTimeL: number
  chatStartUrl: string
  chatStartPage: string
  isPartial: boolean
  interactive: boolean
  ended: boolean
  chatDataEnriched: boolean
}

export type LineSource = 'visitor' | 'agent' | 'system'
export type LineTextType = 'plain' | 'html' | 'url' | 'rich-content'

export interface TranscriptLine {
  time: string
  timeL: number
  controlType: number
  /** Absent for rich-content lines. */
  text?: string
  /** Rich-content payload, rich-content lines only. */
  json?: unknown
  by: string
  source: LineSource
  subType: 'REGULAR' | 'ONLY_TO_REP'
  textType: LineTextType
  cannedAnswerType: number
  agentId: number
  lineSeq: string
}

export interface LineScore {
  lineSeq: string
  lineRawScore: number
  mcs: number
}

export interface SurveyItem {
  scope: string
  source: string
  displayName: string
  value: string
  values: string[]
  answersId: number[]
  name: string
  time: string
  timeL: number
  questionID: number
  surveyID: number
}

export interface CampaignInfo {
  campaignEngagementId: string
  campaignEngagementName: string
  campaignId: string
  campaignName: string
  goalId: string
  goalName: string
  visitorBehaviorId: string
  visitorBehaviorName: string
  visitorProfileId: string
  visitorProfileName: string
  lobId: number
  lobName: string
  engagementAgentNote: string
  behaviorSystemDefault: boolean
  profileSystemDefault: boolean
}

export interface VisitorInfo {
  country: string
  countryCode: string
  state: string
  city: string
  isp: string
  org: string
  device: string
  ipAddress: string
  browser: string
  operatingSystem: string
  browserType: string
}

export interface CoBrowseSession {
  sessionId: string
  startTime: string
  startTimeL: number
  endTime: string
  endTimeL: number
  interactiveTime?: string
  interactiveTimeL?: number
  endReason: string
  /** Milliseconds (unlike the engagement's seconds). */
  duration: number
  interactive: boolean
}

/** SDE response keys (Decision D5) and their `sdeType`. */
export const SDE_TYPES = {
  cartStatus: 'CART_STATUS',
  purchase: 'PURCHASE',
  viewedProduct: 'VIEWED_PRODUCT',
  customerInfo: 'CUSTOMER_INFO',
  marketingCampaignInfo: 'MARKETING_CAMPAIGN_INFO',
  personalInfo: 'PERSONAL_INFO',
  lead: 'LEAD',
  serviceActivity: 'SERVICE_ACTIVITY',
  visitorError: 'VISITOR_ERROR',
  searchContent: 'SEARCH_CONTENT',
} as const

export type SdeKey = keyof typeof SDE_TYPES

/** One SDE event: exactly one response key (see SDE_TYPES) holding the attribute, plus the four siblings. */
export interface SdeEvent {
  serverTimeStamp: string
  originalTimeStamp: string
  sdeType: (typeof SDE_TYPES)[SdeKey]
  isAuthenticated: boolean
  [responseKey: string]: unknown
}
