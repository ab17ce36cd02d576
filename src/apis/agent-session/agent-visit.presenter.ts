import type { Chat } from '../../core/chat/chat.types.ts'
import { numberIfNumeric } from '../chat/chat-parts.ts'
import { KEEP, link, type Presented } from '../chat/chat-links.ts'

/**
 * A25 visit data (agent-api.md A25 [?]): `self` and `custom-variables` links, `visitorId` (a
 * number), `visitorIp`, `userAgent`, `chatReferrer`, then `sharkVisitorId` when the request
 * carried one. `visitUrl` is `{agent session URL}/visits/visit/{visitId}`.
 */
export function presentAgentVisit(chat: Chat, visitUrl: string): Presented {
  return {
    document: {
      visit: {
        link: [
          link(visitUrl, 'self', 'attribute'),
          link(`${visitUrl}/customVariables`, 'custom-variables', 'attribute'),
        ],
        visitorId: numberIfNumeric(chat.visitorId),
        visitorIp: chat.request.visitorIp,
        userAgent: chat.request.userAgent,
        chatReferrer: chat.request.chatReferrer,
        sharkVisitorId: chat.request.sharkVisitorId,
      },
    },
    render: KEEP,
  }
}

/** A25 `{"customVariables": {"customVariable": [{"name", "value"}]}}`: the list stays an array. */
export function presentAgentVisitCustomVariables(chat: Chat): Presented {
  return {
    document: {
      customVariables: { customVariable: chat.customVariables.map(({ name, value }) => ({ name, value })) },
    },
    render: KEEP,
  }
}
