import type { GeoIpSource } from '../enrichment/geo-ip.ts'
import type { SurveyItem, VisitorInfo } from '../history/record.types.ts'
import { scoreTranscript } from '../scoring/mcs.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { ChatService } from './chat.service.ts'
import { preChatItems } from './chat-archiver.ts'
import { resolveVisitorInfo } from './visitor-info.ts'

/**
 * What an agent workspace shows beside a live chat and the Chat Agent API has no call for (Parley
 * extension, docs/console.md): the pre-chat answers with their question labels, the visitor info
 * Engagement History will archive, the referrer, and the MCS so far with its running values.
 */
export interface VisitorContext {
  preChatSurvey: Array<{ question: string; answer: string }>
  visitorInfo: VisitorInfo
  chatReferrer: string
  mcs: { chatMCS: number | null; alertedMCS: number | null; trend: number[] }
}

export interface VisitorContextDeps {
  db: Executor
  chat: Pick<ChatService, 'agentChat' | 'agentEvents'>
  geoIp?: GeoIpSource | undefined
}

export interface VisitorContextService {
  /** For a chat the agent may use (§5.1); CHAT_NOT_FOUND otherwise, like every agent chat URL. */
  forAgent(accountId: string, userId: number, chatKey: string): Promise<VisitorContext>
}

export function createVisitorContextService(deps: VisitorContextDeps): VisitorContextService {
  return {
    async forAgent(accountId, userId, chatKey) {
      const chat = await deps.chat.agentChat(accountId, userId, chatKey)
      const events = await deps.chat.agentEvents(accountId, userId, chatKey, 0)
      // The questions as the visitor answered them, as Engagement History will archive them.
      const items: SurveyItem[] = await preChatItems(deps.db, chat)
      // The same scoring Engagement History archives (docs/mcs.md), over the lines so far.
      const lines = events.flatMap((event, index) =>
        event.type === 'line' && event.subType !== 'ONLY_TO_REP'
          ? [
              {
                lineSeq: String(index),
                source: event.source,
                ...(event.text === undefined ? {} : { text: event.text }),
              },
            ]
          : [],
      )
      const scores = scoreTranscript(lines)
      const trend = scores.lineScores.filter((_, index) => lines[index]?.source === 'visitor').map((line) => line.mcs)
      return {
        preChatSurvey: items.map((item) => ({ question: item.displayName, answer: item.value })),
        visitorInfo: await resolveVisitorInfo(chat.request.visitorIp, chat.request.userAgent, deps.geoIp),
        chatReferrer: chat.request.chatReferrer,
        mcs: { chatMCS: scores.chatMCS, alertedMCS: scores.alertedMCS, trend },
      }
    },
  }
}
