import type { SurveyQuestionType } from '../account-config/account-config.types.ts'

/** Chat states (chat-api.md §12.1); `ended` is final. */
export type ChatState = 'waiting' | 'chatting' | 'ended'
export type EventSource = 'visitor' | 'agent' | 'system'
export type ChatTextType = 'plain' | 'html' | 'rich-content'
export type LineSubType = 'REGULAR' | 'ONLY_TO_REP'

/** One event of a chat's log; ids are contiguous from 0 per chat across both types. */
export type ChatEvent = StateEvent | LineEvent

export interface StateEvent {
  id: number
  type: 'state'
  /** Epoch ms. */
  time: number
  /** The engagement (segment) that was active when the event was appended. */
  sequence: number
  state: ChatState
}

export interface LineEvent {
  id: number
  type: 'line'
  time: number
  sequence: number
  source: EventSource
  /** `info` for system lines, the agent's nickname, or the visitor's name. */
  by: string
  textType: ChatTextType
  /** Absent for rich-content lines. */
  text?: string
  /** Rich-content payload (an object with `type`), rich-content lines only. */
  json?: unknown
  /** System lines only (chat-api.md §13). */
  systemMessageId?: number
  subType: LineSubType
  /** The agent's user id for agent lines. */
  agentUserId?: number
}

export interface CustomVariable {
  name: string
  value: string
}

/** An answer of a pre-chat survey as the request carried it. */
export interface SurveyAnswerInput {
  id: number
  answers: string[]
}

/** The chat request fields Parley keeps (chat-api.md §7), normalised. */
export interface ChatRequestFields {
  visitorIp: string
  userAgent: string
  chatReferrer: string
  visitorSessionId?: string
  preChatLines: string[]
  survey?: { id: number; answers: SurveyAnswerInput[] }
  sharkVisitorId?: string
  sharkSessionId?: string
  sharkContextId?: string
  participantId?: string
  conversationId?: string
  ssoKey?: string
  a2aSourceSiteId?: string
  a2aSourceSessionId?: string
  a2aEventId?: string
  /** The `skill`/`serviceQueue` name as sent (an unknown name routes as skill -1). */
  requestedSkillName?: string
  /** The `agent` login name as sent. */
  requestedAgentLogin?: string
}

/** A chat as stored: the state the visitor and agent APIs present. */
export interface Chat {
  /** The chat key (`chatSessionKey`): ≥128 random bits, URL-safe. */
  key: string
  accountId: string
  state: ChatState
  /** Current skill; -1 = unassigned. */
  skillId: number
  requestedAgentId: number | null
  /** Agent of an agent-targeted transfer, while it waits for that agent. */
  targetAgentId: number | null
  language: string
  visitorId: string
  campaignId: string | null
  campaignEngagementId: string | null
  /** Seconds; null when the request had none. */
  maxWaitTime: number | null
  /** Seconds (`interactionTimeout`, default 40). */
  chatTimeout: number
  request: ChatRequestFields
  customVariables: CustomVariable[]
  /** Null until the visitor sets one (then `You` / `visitor` by side). */
  visitorName: string | null
  visitorTyping: boolean
  agentTyping: boolean
  agentUserId: number | null
  agentNickname: string | null
  ringingUserId: number | null
  ringStartedAt: number | null
  ringSkipped: number[]
  /** Current engagement: 0 for the first, +1 per transfer or requeue. */
  sequence: number
  rtSessionId: number
  /** Start of the current wait (request, transfer or requeue); null when not waiting. */
  waitingSince: number | null
  requestedAt: number
  /** Last visitor request for this chat (chat-api.md §12.3). */
  lastUpdate: number
  nextEventId: number
  endedAt: number | null
  /** Id of the `ended` state event. */
  endEventId: number | null
}

/** One agent segment of a chat (Decision D6). */
export interface Engagement {
  chatKey: string
  sequence: number
  accountId: string
  rtSessionId: number
  skillId: number
  startReason: string
  /** When the engagement began (request, transfer or requeue). */
  startedAt: number
  acceptedAt: number | null
  agentUserId: number | null
  agentGroupId: number | null
  endReason: string | null
  endedAt: number | null
  archivedAt: number | null
}

/**
 * The answered questions of a survey as they were when the answers were submitted. Records are
 * archived from it, never from the survey's current configuration, so editing a survey later
 * changes no answer already given (issue 11).
 */
export interface SurveySnapshot {
  id: number
  name: string
  questions: Array<{
    id: number
    order: number
    type: SurveyQuestionType
    label: string
    entries: Array<{ value: string }>
  }>
}

/**
 * Survey answers submitted on a chat: the visitor's pre-chat survey (with the request, sequence
 * 0), exit survey (for the chat's last engagement) or an agent survey (for the engagement that
 * agent handled, `sequence`).
 */
export interface ChatSurveyAnswers {
  kind: 'preChat' | 'exit' | 'agent'
  /** The engagement for agent surveys; 0 for the pre-chat survey, -1 for the exit survey. */
  sequence: number
  surveyId: number
  answers: SurveyAnswerInput[]
  userId: number | null
  submittedAt: number
  /** The survey as answered; null for answers stored before snapshots were kept. */
  survey: SurveySnapshot | null
}
