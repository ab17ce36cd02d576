import type { Chat, ChatEvent } from '../../core/chat/chat.types.ts'
import type { ChatInfoView, ChatView, EventView } from './chat-views.ts'

/** Skill `-1` (and a skill that no longer resolves) shows as `Unassigned` (chat-api.md §10). */
export const UNASSIGNED_SKILL_NAME = 'Unassigned'

/** The engine's chat as the presenters' info view; `skillName` is resolved by the caller. */
export function toChatInfoView(chat: Chat, skillName: string): ChatInfoView {
  return {
    state: chat.state,
    chatSessionKey: chat.key,
    skillName,
    skillId: chat.skillId,
    agentName: chat.agentNickname,
    agentId: chat.agentUserId,
    startTime: chat.requestedAt,
    lastUpdate: chat.lastUpdate,
    chatTimeout: chat.chatTimeout,
    visitorId: chat.visitorId,
    agentTyping: chat.agentTyping,
    visitorTyping: chat.visitorTyping,
    visitorName: chat.visitorName,
    rtSessionId: chat.rtSessionId,
    sharkVisitorId: chat.request.sharkVisitorId,
    sharkSessionId: chat.request.sharkSessionId,
    sharkContextId: chat.request.sharkContextId,
    engagementId: chat.campaignEngagementId,
    campaignId: chat.campaignId,
    language: chat.language,
    participantId: chat.request.participantId,
  }
}

/** The engine's event as the presenters' view (the engine's extra fields are not rendered). */
export function toEventView(event: ChatEvent): EventView {
  if (event.type === 'state') return { id: event.id, type: 'state', time: event.time, state: event.state }
  return {
    id: event.id,
    type: 'line',
    time: event.time,
    source: event.source,
    by: event.by,
    textType: event.textType,
    text: event.text,
    json: event.json,
    systemMessageId: event.systemMessageId,
    subType: event.subType,
  }
}

/** A chat with its events from `from`, as the chat resource presenters take it. */
export function toChatView(chat: Chat, skillName: string, events: readonly ChatEvent[], from: number): ChatView {
  return { info: toChatInfoView(chat, skillName), events: events.map(toEventView), from }
}
