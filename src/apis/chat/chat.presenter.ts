import { accountUrl, COLLAPSE, KEEP, link, visitIdOf, visitorChatUrl, type Presented } from './chat-links.ts'
import {
  infoFields,
  infoLinks,
  nextFrom,
  numberIfNumeric,
  presentEvent,
  presentEventsBody,
  typing,
  visitorNameFor,
} from './chat-parts.ts'
import type { ChatInfoView, ChatView, EventView, LinkBase } from './chat-views.ts'

/** What every visitor presenter needs: link base and the account's time zone. */
export interface VisitorPresentOptions {
  base: LinkBase
  timeZone: string
}

/**
 * V8 chat resource (chat-api.md §8): links `self`, `events`, `info`, `next`, `transcript-request`,
 * `transcript-with-subject-request`, `exit-survey`, `custom-variables`, and `visit-session` last when
 * the app key has the visit privilege; then the embedded events (`self`, `next`) and info (`self`,
 * `visitor-name`, `visitor-typing`, `agent-typing`), all `@href`/`@rel`. `ONLY_TO_REP` lines are
 * never shown; a single event renders as a bare object.
 */
export function presentVisitorChat(
  view: ChatView,
  options: VisitorPresentOptions & { visitSession?: boolean },
): Presented {
  const chatUrl = visitorChatUrl(options.base, view.info.chatSessionKey)
  const events = presentEventsBody(`${chatUrl}/events`, view.events, view.from, {
    side: 'visitor',
    timeZone: options.timeZone,
    linkStyle: 'attribute',
  })
  const links = [
    link(chatUrl, 'self', 'attribute'),
    link(`${chatUrl}/events`, 'events', 'attribute'),
    link(`${chatUrl}/info`, 'info', 'attribute'),
    link(`${chatUrl}?from=${nextFrom(view.events, view.from)}`, 'next', 'attribute'),
    link(`${chatUrl}/transcriptRequest`, 'transcript-request', 'attribute'),
    link(`${chatUrl}/transcriptWithSubjectRequest`, 'transcript-with-subject-request', 'attribute'),
    link(`${chatUrl}/exitSurvey`, 'exit-survey', 'attribute'),
    link(`${chatUrl}/customVariables`, 'custom-variables', 'attribute'),
  ]
  if (options.visitSession) {
    links.push(
      link(`${accountUrl(options.base)}/visit/${visitIdOf(view.info.chatSessionKey)}`, 'visit-session', 'attribute'),
    )
  }
  return {
    document: {
      chat: {
        link: links,
        events,
        info: {
          link: infoLinks(`${chatUrl}/info`, 'attribute'),
          ...infoFields(view.info, 'visitor', options.timeZone),
        },
      },
    },
    render: COLLAPSE,
  }
}

/** V9 events resource (chat-api.md §9.1): `self`, `next` (`@` keys), then the visible events from `from`. */
export function presentVisitorEvents(
  chatKey: string,
  events: readonly EventView[],
  from: number,
  options: VisitorPresentOptions,
): Presented {
  const eventsUrl = `${visitorChatUrl(options.base, chatKey)}/events`
  return {
    document: {
      events: presentEventsBody(eventsUrl, events, from, {
        side: 'visitor',
        timeZone: options.timeZone,
        linkStyle: 'attribute',
      }),
    },
    render: COLLAPSE,
  }
}

/**
 * `GET {chat URL}/events/{eventId}` (the `Location` of a posted event): `{"event": {...}}`, or
 * `undefined` when the visitor may not see that event (the route answers 404 then).
 */
export function presentVisitorEvent(
  event: EventView,
  options: Pick<VisitorPresentOptions, 'timeZone'>,
): Presented | undefined {
  if (event.type === 'line' && event.subType === 'ONLY_TO_REP') return undefined
  return { document: { event: presentEvent(event, options.timeZone) }, render: COLLAPSE }
}

/** V11 stand-alone info (chat-api.md §10): `href`/`rel` without `@`, lists always arrays. */
export function presentVisitorInfo(info: ChatInfoView, options: VisitorPresentOptions): Presented {
  const infoUrl = `${visitorChatUrl(options.base, info.chatSessionKey)}/info`
  return {
    document: { info: { link: infoLinks(infoUrl, 'plain'), ...infoFields(info, 'visitor', options.timeZone) } },
    render: KEEP,
  }
}

/** V12 `{"visitorName": "You"}` (the name the visitor set, else `You`). */
export const presentVisitorName = (info: ChatInfoView): Presented => ({
  document: { visitorName: visitorNameFor(info, 'visitor') },
  render: COLLAPSE,
})

/** V14 `{"visitorTyping": "not-typing"}`. */
export const presentVisitorTyping = (info: ChatInfoView): Presented => ({
  document: { visitorTyping: typing(info.visitorTyping) },
  render: COLLAPSE,
})

/** V16 `{"agentTyping": "not-typing"}`; always `not-typing` while no agent is in the chat. */
export const presentAgentTyping = (info: ChatInfoView): Presented => ({
  document: { agentTyping: typing(info.agentTyping && info.state === 'chatting') },
  render: COLLAPSE,
})

/** What the V22 visit document shows. */
export interface VisitView {
  chatSessionKey: string
  visitorId: string | number
  customVariables: ReadonlyArray<{ name: string; value: string }>
}

/**
 * V22 visit document (chat-api.md §11.4 [?]), for app keys with the Visit API privilege:
 * `@id` = the visit id, one `self` link, `visitorId`, `chatSessionKey`, then `customVariables`
 * (absent when the chat has none; a single variable is a bare object).
 */
export function presentVisit(view: VisitView, options: Pick<VisitorPresentOptions, 'base'>): Presented {
  const visitId = visitIdOf(view.chatSessionKey)
  return {
    document: {
      visit: {
        '@id': visitId,
        link: [link(`${accountUrl(options.base)}/visit/${visitId}`, 'self', 'attribute')],
        visitorId: numberIfNumeric(view.visitorId),
        chatSessionKey: view.chatSessionKey,
        customVariables:
          view.customVariables.length === 0
            ? undefined
            : { customVariable: view.customVariables.map(({ name, value }) => ({ name, value })) },
      },
    },
    render: COLLAPSE,
  }
}
