import { formatChatTime } from '../../core/time.ts'
import { WireJson, type WireNode } from '../../http/wire/codec.ts'
import { link, type LinkStyle } from './chat-links.ts'
import type { ChatInfoView, EventView } from './chat-views.ts'

/**
 * How event ids and `systemMessageId` are typed: `attribute` (`"@id": "3"`, `"@type"`, number
 * `systemMessageId`: chat resources and events of both sides) or `multiChat` (`"id": 3`, `"type"`,
 * string `systemMessageId`: the agent multi-chat document, agent-api.md A11).
 */
export type EventStyle = 'attribute' | 'multiChat'

/** Which side reads a document: the visitor never sees `ONLY_TO_REP` lines; default visitor names differ. */
export type Side = 'visitor' | 'agent'

/**
 * The visitor never sees `ONLY_TO_REP` lines (agent whispers, transfer notes); their ids are skipped.
 * Mirrors the engine's visibility rule, so a presenter can never leak one even if handed all events.
 */
export function visibleTo(side: Side, events: readonly EventView[]): EventView[] {
  return side === 'agent' ? [...events] : events.filter((e) => e.type === 'state' || e.subType !== 'ONLY_TO_REP')
}

/**
 * `from` of the `next` link: the highest event id handed in (visible or not) + 1, so hidden events
 * are skipped for good; the requested `from` when there is none (chat-api.md §8, §9.1).
 */
export function nextFrom(events: readonly EventView[], from: number): number {
  let last = -1
  for (const event of events) if (event.id > last) last = event.id
  return last >= 0 ? last + 1 : from
}

/** One event in LivePerson's field order: `time`, `state`, or `time`, `textType`, `text`|`json`, `by`, `source`, `systemMessageId`, `subType`. */
export function presentEvent(event: EventView, timeZone: string, style: EventStyle = 'attribute'): WireNode {
  const head: WireNode =
    style === 'attribute' ? { '@id': String(event.id), '@type': event.type } : { id: event.id, type: event.type }
  const time = formatChatTime(event.time, timeZone)
  if (event.type === 'state') return { ...head, time, state: event.state }
  const systemMessageId =
    event.systemMessageId === undefined || event.source !== 'system'
      ? undefined
      : style === 'attribute'
        ? event.systemMessageId
        : String(event.systemMessageId)
  return {
    ...head,
    time,
    textType: event.textType,
    text: event.textType === 'rich-content' ? undefined : (event.text ?? ''),
    json: event.textType === 'rich-content' ? new WireJson(event.json ?? null) : undefined,
    by: event.by,
    source: event.source,
    systemMessageId,
    subType: event.subType,
  }
}

/** The `events` element: links `self`, `next`, then the events (absent when there are none). */
export function presentEventsBody(
  eventsUrl: string,
  events: readonly EventView[],
  from: number,
  options: { side: Side; timeZone: string; linkStyle: LinkStyle; eventStyle?: EventStyle },
): WireNode {
  const shown = visibleTo(options.side, events)
  return {
    link: [
      link(eventsUrl, 'self', options.linkStyle),
      link(`${eventsUrl}?from=${nextFrom(events, from)}`, 'next', options.linkStyle),
    ],
    event: shown.length === 0 ? undefined : shown.map((e) => presentEvent(e, options.timeZone, options.eventStyle)),
  }
}

/** Info links: `self`, `visitor-name`, `visitor-typing`, `agent-typing`, then any extra links (optional ones last). */
export function infoLinks(infoUrl: string, style: LinkStyle, extra: readonly WireNode[] = []): WireNode[] {
  return [
    link(infoUrl, 'self', style),
    link(`${infoUrl}/visitorName`, 'visitor-name', style),
    link(`${infoUrl}/visitorTyping`, 'visitor-typing', style),
    link(`${infoUrl}/agentTyping`, 'agent-typing', style),
    ...extra,
  ]
}

/** The visitor name a side sees: the one the visitor set, else `You` (visitor) or `visitor` (agent). */
export const visitorNameFor = (info: ChatInfoView, side: Side): string =>
  info.visitorName ?? (side === 'visitor' ? 'You' : 'visitor')

export const typing = (flag: boolean): 'typing' | 'not-typing' => (flag ? 'typing' : 'not-typing')

/** A JSON number when the value is decimal digits within the safe-integer range, else the string as is. */
export function numberIfNumeric(value: string | number): string | number {
  if (typeof value === 'number') return value
  if (!/^-?\d{1,16}$/.test(value)) return value
  const parsed = Number(value)
  return Number.isSafeInteger(parsed) && String(parsed) === value ? parsed : value
}

const optional = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : value

/**
 * Info fields in LivePerson's order (chat-api.md §10): numbers as JSON numbers, times in the
 * account's zone, `duration` always 0, agent fields absent while `waiting` or without an agent,
 * optional echoes absent unless the request had them, `participantId` last.
 */
export function infoFields(info: ChatInfoView, side: Side, timeZone: string): WireNode {
  const hasAgent = info.state !== 'waiting' && optional(info.agentName) !== undefined
  const sharkContextId = optional(info.sharkContextId)
  const engagementId = optional(info.engagementId)
  const campaignId = optional(info.campaignId)
  return {
    state: info.state,
    chatSessionKey: info.chatSessionKey,
    skillName: info.skillName,
    skillId: info.skillId,
    agentName: hasAgent ? (info.agentName ?? undefined) : undefined,
    agentId: hasAgent ? (info.agentId ?? undefined) : undefined,
    startTime: formatChatTime(info.startTime, timeZone),
    duration: 0,
    lastUpdate: formatChatTime(info.lastUpdate, timeZone),
    chatTimeout: info.chatTimeout,
    visitorId: numberIfNumeric(info.visitorId),
    agentTyping: typing(info.agentTyping && info.state === 'chatting'),
    visitorTyping: typing(info.visitorTyping),
    visitorName: visitorNameFor(info, side),
    rtSessionId: info.rtSessionId,
    sharkVisitorId: optional(info.sharkVisitorId),
    sharkSessionId: optional(info.sharkSessionId),
    sharkContextId: sharkContextId === undefined ? undefined : numberIfNumeric(sharkContextId),
    engagementId: engagementId === undefined ? undefined : numberIfNumeric(engagementId),
    campaignId: campaignId === undefined ? undefined : numberIfNumeric(campaignId),
    language: info.language,
    participantId: optional(info.participantId),
  }
}
