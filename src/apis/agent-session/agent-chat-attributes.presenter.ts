import type { SdeEvent } from '../../core/history/record.types.ts'
import type { RingingChatPreview } from '../../core/chat/ringing-preview.ts'
import type { VisitorContext } from '../../core/chat/visitor-context.ts'
import type { ParticipantInfo } from '../../core/sdes/sde-mapping.ts'
import type { WireFormat } from '../../http/format.ts'
import type { WireDocument, WireNode } from '../../http/wire/codec.ts'
import { KEEP, type Presented } from '../chat/chat-links.ts'

/**
 * A26 (agent-api.md §8): in JSON exactly the documented two keys; XML needs one root element, so
 * there they are children of `<participantInfo>` (LivePerson documents no XML form).
 */
export function presentParticipantInfo(info: ParticipantInfo, format: WireFormat): Presented {
  const body = {
    authenticatedParticipantInfo: info.authenticatedParticipantInfo as WireNode,
    authenticatedPersonalInfo: info.authenticatedPersonalInfo as WireNode,
  }
  const document: WireDocument = format === 'xml' ? { participantInfo: body } : body
  return { document, render: KEEP }
}

/**
 * Parley's extension `{agent chat URL}/engagementAttributes`: the chat's engagement attributes so
 * far, each in its Engagement History shape (engagement-history.md §6.1), oldest first; lists stay
 * lists, so an empty chat answers `{"engagementAttributes": {"events": []}}`.
 */
export function presentChatAttributes(events: readonly SdeEvent[]): Presented {
  return { document: { engagementAttributes: { events: events as unknown as WireNode[] } }, render: KEEP }
}

/**
 * Parley's extension `{agent chat URL}/visitorContext` (docs/console.md): lists stay lists
 * (`preChatSurvey`, `mcs.trend`), `chatMCS`/`alertedMCS` are null before the first visitor line.
 */
export function presentVisitorContext(context: VisitorContext): Presented {
  return {
    document: {
      visitorContext: {
        preChatSurvey: context.preChatSurvey as unknown as WireNode[],
        visitorInfo: context.visitorInfo as unknown as WireNode,
        chatReferrer: context.chatReferrer,
        mcs: context.mcs as unknown as WireNode,
      },
    },
    render: KEEP,
  }
}

/**
 * Parley's extension `{agent session}/parley/ringingChats` (docs/console.md): the chats ringing
 * this agent, oldest first (the one A9 accepts first); lists stay lists, numbers stay numbers.
 */
export function presentRingingChats(chats: readonly RingingChatPreview[]): Presented {
  return {
    document: {
      ringingChats: {
        ringingCount: chats.length,
        chat: chats.map((chat) => ({
          skillId: chat.skillId,
          skillName: chat.skillName,
          visitorName: chat.visitorName,
          requestTime: new Date(chat.requestTime).toISOString(),
          requestTimeL: chat.requestTime,
          waitTime: chat.waitTime,
          ringTime: chat.ringTime,
          transferred: chat.transferred,
          preChatSurvey: chat.preChatSurvey,
          firstLines: chat.firstLines,
        })),
      },
    },
    render: KEEP,
  }
}
