import type { OfflineMessage, OfflineMessagePage } from '../../core/surveys/surveys.types.ts'
import { formatChatTime } from '../../core/time.ts'
import type { WireNode } from '../../http/wire/codec.ts'
import { KEEP, type Presented } from '../chat/chat-links.ts'

function messageNode(message: OfflineMessage, timeZone: string): WireNode {
  const { visitor } = message
  return {
    id: message.id,
    time: formatChatTime(message.createdAt, timeZone),
    timeL: message.createdAt,
    surveyId: message.surveyId,
    surveyName: message.surveyName,
    skillId: message.skillId,
    skillName: message.skillName,
    visitorId: message.visitorId ?? undefined,
    visitorIp: visitor.visitorIp,
    userAgent: visitor.userAgent,
    chatReferrer: visitor.chatReferrer,
    visitorSessionId: visitor.visitorSessionId,
    LETagVisitorId: visitor.LETagVisitorId,
    LETagSessionId: visitor.LETagSessionId,
    LETagContextId: visitor.LETagContextId,
    answers: {
      answer: message.answers.map((answer) => ({
        questionId: answer.questionId,
        question: answer.label,
        value: answer.values.join(','),
        values: [...answer.values],
      })),
    },
  }
}

/**
 * The offline-message listing (Parley's own, docs/surveys.md): paging fields and the messages,
 * newest first. Lists stay arrays in JSON even with one item (a new API, no legacy clients).
 */
export function presentOfflineMessages(page: OfflineMessagePage, timeZone: string): Presented {
  return {
    document: {
      offlineMessages: {
        total: page.total,
        offset: page.offset,
        limit: page.limit,
        offlineMessage: page.messages.map((message) => messageNode(message, timeZone)),
      },
    },
    render: KEEP,
  }
}
