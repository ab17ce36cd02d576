/** The visitor fields an offline submission carries (chat-api.md §6 V6); absent ones are omitted. */
export interface OfflineVisitor {
  visitorIp: string
  userAgent: string
  chatReferrer?: string
  visitorSessionId?: string
  LETagVisitorId?: string
  LETagSessionId?: string
  LETagContextId?: string
}

/** One answered question of an offline message, with the label the survey had when it was sent. */
export interface OfflineMessageAnswer {
  questionId: number
  label: string
  values: string[]
}

/** A stored V6 submission (Parley's "offline message", docs/surveys.md). */
export interface OfflineMessage {
  id: number
  accountId: string
  surveyId: number
  surveyName: string
  /** -1 when the submission named no skill of the account. */
  skillId: number
  /** The account's skill name, else the name the visitor sent, else `""`. */
  skillName: string
  visitorId: string | null
  visitor: OfflineVisitor
  answers: OfflineMessageAnswer[]
  /** Epoch ms. */
  createdAt: number
}

/** One page of offline messages, newest first. */
export interface OfflineMessagePage {
  total: number
  offset: number
  limit: number
  messages: OfflineMessage[]
}
