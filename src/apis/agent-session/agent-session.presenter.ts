import type { AgentChatSession } from '../../core/agents/agent-chat-hooks.ts'
import type { AgentInfo, AvailableAgent } from '../../core/agents/agents.service.ts'
import type { UserAvailability } from '../../core/agents/agents.types.ts'
import type { ChatAvailability } from '../../core/chat/agent-directory.ts'
import type { WireDocument, WireNode } from '../../http/wire/codec.ts'

/** A6 `@chatState` codes (agent-api.md §3). Voice is always Offline, code "1". */
const CHAT_STATE_CODES: Readonly<Record<ChatAvailability, string>> = {
  Offline: '1',
  Online: '2',
  Occupied: '3',
  Away: '4',
}
const VOICE_OFFLINE_CODE = '1'

const link = (href: string, rel: string): WireNode => ({ '@href': href, '@rel': rel })

/** A1 body; `sessionUrl` is `{base}/{agentSessionId}`. */
export function presentAgentSessionLocation(sessionUrl: string): WireDocument {
  return { agentSessionLocation: { link: [link(sessionUrl, 'location')] } }
}

/**
 * A2: the six links in the documented order; with `cs=1` also `chatSessions` in A10's shape
 * (keys without `@`). Rendering: `@`-style collapse for the links, always-array for `chatSession`
 * (see `agentSessionJson`).
 */
export function presentAgentSession(sessionUrl: string, chats: AgentChatSession[] | undefined): WireDocument {
  return {
    agentSession: {
      link: [
        link(sessionUrl, 'self'),
        link(`${sessionUrl}/availability`, 'availability'),
        link(`${sessionUrl}/info`, 'info'),
        link(`${sessionUrl}/incomingRequests`, 'incoming-requests'),
        link(`${sessionUrl}/chatSessions`, 'chat-sessions'),
        link(`${sessionUrl}/availableAgents`, 'available-agents'),
      ],
      chatSessions: chats === undefined ? undefined : presentChatSessionList(sessionUrl, chats),
    },
  }
}

/** A10 content: `{"chatSession": [...]}`, hrefs on the requesting agent session. */
export function presentChatSessionList(sessionUrl: string, chats: AgentChatSession[]): WireNode {
  return {
    chatSession: chats.map((chat) => ({
      link: { href: `${sessionUrl}/chat/${encodeURIComponent(chat.chatId)}`, rel: 'chat-session' },
      chatSessionKey: chat.chatId,
      startTime: chat.startTime,
    })),
  }
}

const availabilityNode = (availability: UserAvailability): WireNode => ({
  chat: availability.chat,
  voice: 'Offline',
  chatReasonId: availability.chatReasonId ?? undefined,
})

/** A3 and the A4 answer. */
export function presentAvailability(availability: UserAvailability): WireDocument {
  return { availability: availabilityNode(availability) }
}

/** A5. */
export function presentAgentInfo(sessionUrl: string, info: AgentInfo): WireDocument {
  const { user } = info
  return {
    info: {
      link: [link(`${sessionUrl}/info`, 'self')],
      agentName: user.nickname,
      displayName: user.fullName !== '' ? user.fullName : user.nickname,
      loginName: user.loginName,
      id: String(user.id),
      maxChats: String(user.maxChats),
      availability: availabilityNode(info.availability),
      skillsInfo: { skillInfo: info.skills.map((skill) => ({ id: String(skill.id), name: skill.name })) },
    },
  }
}

/** A6; `nextHref` repeats the query with `timeStamp` = now. */
export function presentAvailableAgents(agents: AvailableAgent[], nextHref: string): WireDocument {
  return {
    availableAgents: {
      agents: {
        agent: agents.map(({ user, availability, chats, privilegeGroup }) => ({
          '@chatState': CHAT_STATE_CODES[availability.chat],
          '@id': String(user.id),
          '@maxChats': String(user.maxChats),
          '@voiceState': VOICE_OFFLINE_CODE,
          chats: String(chats),
          chatReasonId: availability.chatReasonId ?? undefined,
          email: user.email,
          nickname: user.nickname,
          privilegeGroup,
          skills: { skill: user.skillIds.map(String) },
          userName: user.loginName,
        })),
      },
      link: [link(nextHref, 'next')],
    },
  }
}

/** A7: a JSON number, `-1` = unlimited. */
export function presentAvailableSlots(slots: number): WireDocument {
  return { availableSlots: slots }
}
