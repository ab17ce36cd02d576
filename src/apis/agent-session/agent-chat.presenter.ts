import type { WireNode } from '../../http/wire/codec.ts'
import {
  agentChatUrl,
  agentSessionUrl,
  COLLAPSE,
  KEEP,
  link,
  visitIdOf,
  type LinkStyle,
  type Presented,
} from '../chat/chat-links.ts'
import {
  infoFields,
  infoLinks,
  nextFrom,
  presentEvent,
  presentEventsBody,
  typing,
  visitorNameFor,
} from '../chat/chat-parts.ts'
import type { ChatInfoView, ChatView, EventView, LinkBase } from '../chat/chat-views.ts'

/** What every agent chat presenter needs: link base, the requesting agent session, the account's time zone. */
export interface AgentPresentOptions {
  base: LinkBase
  agentSessionId: string | number
  timeZone: string
}

/** `participant-info` and `participant-extended-info`, for authenticated visitors only (agent-api.md A12). */
function participantLinks(info: ChatInfoView, options: AgentPresentOptions, style: LinkStyle): WireNode[] {
  if (!info.participantId) return []
  const session = agentSessionUrl(options.base, options.agentSessionId)
  const id = encodeURIComponent(info.participantId)
  return [
    link(`${session}/participantInfo/${id}`, 'participant-info', style),
    link(`${session}/participantExtendedInfo/${id}`, 'participant-extended-info', style),
  ]
}

/**
 * A12 agent chat resource: links `self`, `events`, `info`, `next`, `collaboration-channels`,
 * `visit-id`, `transfer`, `transfer-account`, `agent-survey` (`@href`/`@rel`, agent hrefs), the
 * embedded events (every event, `ONLY_TO_REP` and pre-chat lines included) and the embedded info
 * (`visitorName` defaults to `visitor`; participant links last for authenticated visitors).
 */
export function presentAgentChat(view: ChatView, options: AgentPresentOptions): Presented {
  const chatUrl = agentChatUrl(options.base, options.agentSessionId, view.info.chatSessionKey)
  const session = agentSessionUrl(options.base, options.agentSessionId)
  return {
    document: {
      chat: {
        link: [
          link(chatUrl, 'self', 'attribute'),
          link(`${chatUrl}/events`, 'events', 'attribute'),
          link(`${chatUrl}/info`, 'info', 'attribute'),
          link(`${chatUrl}?from=${nextFrom(view.events, view.from)}`, 'next', 'attribute'),
          link(`${chatUrl}/collaborationChannels`, 'collaboration-channels', 'attribute'),
          link(`${session}/visits/visit/${visitIdOf(view.info.chatSessionKey)}`, 'visit-id', 'attribute'),
          link(`${chatUrl}/transfer`, 'transfer', 'attribute'),
          link(`${chatUrl}/transferAccount`, 'transfer-account', 'attribute'),
          link(`${chatUrl}/survey`, 'agent-survey', 'attribute'),
        ],
        events: presentEventsBody(`${chatUrl}/events`, view.events, view.from, {
          side: 'agent',
          timeZone: options.timeZone,
          linkStyle: 'attribute',
        }),
        info: {
          link: infoLinks(`${chatUrl}/info`, 'attribute', participantLinks(view.info, options, 'attribute')),
          ...infoFields(view.info, 'agent', options.timeZone),
        },
      },
    },
    render: COLLAPSE,
  }
}

/** A13 agent events: `self`, `next` (`@` keys, agent hrefs), then every event from `from`. */
export function presentAgentEvents(
  chatKey: string,
  events: readonly EventView[],
  from: number,
  options: AgentPresentOptions,
): Presented {
  const eventsUrl = `${agentChatUrl(options.base, options.agentSessionId, chatKey)}/events`
  return {
    document: {
      events: presentEventsBody(eventsUrl, events, from, {
        side: 'agent',
        timeZone: options.timeZone,
        linkStyle: 'attribute',
      }),
    },
    render: COLLAPSE,
  }
}

/** `GET {agent chat URL}/events/{eventId}`: `{"event": {...}}`, `ONLY_TO_REP` lines included. */
export const presentAgentEvent = (event: EventView, options: Pick<AgentPresentOptions, 'timeZone'>): Presented => ({
  document: { event: presentEvent(event, options.timeZone) },
  render: COLLAPSE,
})

/**
 * A14 response body (Decision D2), for lines and the end event alike:
 * `{"chatEventLocation": {"link": {"@href": "{agent chat URL}/events/5", "@rel": "location"}}}`.
 */
export function presentChatEventLocation(chatKey: string, eventId: number, options: AgentPresentOptions): Presented {
  const href = `${agentChatUrl(options.base, options.agentSessionId, chatKey)}/events/${eventId}`
  return { document: { chatEventLocation: { link: link(href, 'location', 'attribute') } }, render: COLLAPSE }
}

/** A15 stand-alone agent info: `href`/`rel` without `@`, lists always arrays, `visitorName` default `visitor`. */
export function presentAgentInfo(info: ChatInfoView, options: AgentPresentOptions): Presented {
  const infoUrl = `${agentChatUrl(options.base, options.agentSessionId, info.chatSessionKey)}/info`
  return {
    document: {
      info: {
        link: infoLinks(infoUrl, 'plain', participantLinks(info, options, 'plain')),
        ...infoFields(info, 'agent', options.timeZone),
      },
    },
    render: KEEP,
  }
}

/** A16 `{"visitorName": "visitor"}` (or the name the visitor set). */
export const presentAgentSideVisitorName = (info: ChatInfoView): Presented => ({
  document: { visitorName: visitorNameFor(info, 'agent') },
  render: COLLAPSE,
})

/** A17 `{"visitorTyping": "typing"}`. */
export const presentAgentSideVisitorTyping = (info: ChatInfoView): Presented => ({
  document: { visitorTyping: typing(info.visitorTyping) },
  render: COLLAPSE,
})

/** A18 `{"agentTyping": "not-typing"}`. */
export const presentAgentSideAgentTyping = (info: ChatInfoView): Presented => ({
  document: { agentTyping: typing(info.agentTyping && info.state === 'chatting') },
  render: COLLAPSE,
})

/** One chat of the A11 multi-chat document (`href`/`rel`, numeric `id`, string `systemMessageId`). */
function multiChatEntry(view: ChatView, options: AgentPresentOptions): WireNode {
  const chatUrl = agentChatUrl(options.base, options.agentSessionId, view.info.chatSessionKey)
  const session = agentSessionUrl(options.base, options.agentSessionId)
  const events = presentEventsBody(`${chatUrl}/events`, view.events, view.from, {
    side: 'agent',
    timeZone: options.timeZone,
    linkStyle: 'plain',
    eventStyle: 'multiChat',
  })
  return {
    link: [
      link(chatUrl, 'self', 'plain'),
      link(`${chatUrl}/events`, 'events', 'plain'),
      link(`${chatUrl}/info`, 'info', 'plain'),
      link(`${chatUrl}?from=${nextFrom(view.events, view.from)}`, 'next', 'plain'),
      link(`${session}/visits/visit/${visitIdOf(view.info.chatSessionKey)}`, 'visit-id', 'plain'),
      link(`${chatUrl}/transfer`, 'transfer', 'plain'),
      link(`${chatUrl}/transferAccount`, 'transfer-account', 'plain'),
      link(`${chatUrl}/survey`, 'agent-survey', 'plain'),
    ],
    events,
    info: {
      link: infoLinks(`${chatUrl}/info`, 'plain', participantLinks(view.info, options, 'plain')),
      ...infoFields(view.info, 'agent', options.timeZone),
    },
  }
}

/**
 * A11 several chats at once (agent-api.md §5): `{"chats": {"chat": [...]}}`, always arrays, in the
 * order given (the route skips keys the agent cannot see). No `collaboration-channels` link, as in
 * LivePerson's example.
 */
export function presentAgentChats(views: readonly ChatView[], options: AgentPresentOptions): Presented {
  return { document: { chats: { chat: views.map((view) => multiChatEntry(view, options)) } }, render: KEEP }
}

/** One open chat of the user for A10. */
export interface ChatSessionView {
  chatSessionKey: string
  /** Accept time, epoch ms. */
  startTime: number
}

/**
 * A10 the user's open chats: `{"chatSessions": {"chatSession": [...]}}` (always an array), each with
 * one `chat-session` link on the **requesting** agent session, the key and the accept time in epoch ms.
 */
export function presentChatSessions(sessions: readonly ChatSessionView[], options: AgentPresentOptions): Presented {
  return {
    document: {
      chatSessions: {
        chatSession: sessions.map((session) => ({
          link: link(
            agentChatUrl(options.base, options.agentSessionId, session.chatSessionKey),
            'chat-session',
            'plain',
          ),
          chatSessionKey: session.chatSessionKey,
          startTime: session.startTime,
        })),
      },
    },
    render: KEEP,
  }
}
