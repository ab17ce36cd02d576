import { COLLAPSE, link, type Presented } from '../chat/chat-links.ts'
import type { TransferSkill } from './transfer-skills.ts'

/**
 * A8 `{"incomingRequests": {"ringingCount": "0"}}`; while chats ring, the `accept` link (POST
 * target of A9) comes first, as in agent-api.md §4. `ringingCount` is a string.
 */
export function presentIncomingRequests(ringingCount: number, acceptHref: string): Presented {
  return {
    document: {
      incomingRequests: {
        link: ringingCount > 0 ? link(acceptHref, 'accept', 'attribute') : undefined,
        ringingCount: String(ringingCount),
      },
    },
    render: COLLAPSE,
  }
}

/** A9 `{"chatLocation": {"link": {"@href": "{agent chat URL}", "@rel": "location"}}}`. */
export const presentChatLocation = (chatUrl: string): Presented => ({
  document: { chatLocation: { link: link(chatUrl, 'location', 'attribute') } },
  render: COLLAPSE,
})

/**
 * A20 `{"transfer": {"skill": [{"id": "2", "name": "Sales", "onlineAgents": "1"}]}}`, every value a
 * string; one skill is a bare object and none leaves `transfer` empty (wire-conventions.md §7).
 */
export const presentTransferSkills = (skills: readonly TransferSkill[]): Presented => ({
  document: {
    transfer: {
      skill:
        skills.length === 0
          ? undefined
          : skills.map((skill) => ({
              id: String(skill.id),
              name: skill.name,
              onlineAgents: String(skill.onlineAgents),
            })),
    },
  },
  render: COLLAPSE,
})

/** A24 `{"collaborationChannels": {"link": {"@href": "{agent chat URL}/collaborationChannels", "@rel": "self"}}}`. */
export const presentCollaborationChannels = (href: string): Presented => ({
  document: { collaborationChannels: { link: link(href, 'self', 'attribute') } },
  render: COLLAPSE,
})
