/**
 * Plain view types the chat presenters render (visitor Server Chat API and agent chat resource).
 * They hold domain values only (epoch-ms times, ids, names); wire names, link order, key styles,
 * time text and number-or-string choices belong to the presenters. The live-chat engine's `Chat`
 * and `ChatEvent` map onto them field by field; `EventView` is structurally a subset of its events.
 */

export type ChatStateView = 'waiting' | 'chatting' | 'ended'
export type TypingView = 'typing' | 'not-typing'

/** Where absolute links point: the public origin (`https://host[:port]`, no trailing slash) and the account. */
export interface LinkBase {
  origin: string
  accountId: string
}

export interface StateEventView {
  id: number
  type: 'state'
  /** Epoch ms. */
  time: number
  state: ChatStateView
}

export interface LineEventView {
  id: number
  type: 'line'
  /** Epoch ms. */
  time: number
  source: 'visitor' | 'agent' | 'system'
  /** `info` for system lines, the agent's nickname, or the visitor's name at the time of the line. */
  by: string
  textType: 'plain' | 'html' | 'rich-content'
  /** Absent for rich-content lines. */
  text?: string | undefined
  /** Rich-content payload (an object with `type`), carried verbatim. */
  json?: unknown
  /** System lines only (chat-api.md §13). */
  systemMessageId?: number | undefined
  /** `ONLY_TO_REP` lines never reach a visitor document. */
  subType: 'REGULAR' | 'ONLY_TO_REP'
}

/** One event of a chat's log; ids are contiguous from 0 per chat across both types. */
export type EventView = StateEventView | LineEventView

/** What `info` shows (chat-api.md §10, agent-api.md A15). */
export interface ChatInfoView {
  state: ChatStateView
  chatSessionKey: string
  /** Current skill; `Unassigned` / -1 when none. */
  skillName: string
  skillId: number
  /** Current agent; omitted by the presenters while the chat is `waiting`. */
  agentName?: string | null | undefined
  agentId?: number | null | undefined
  /** Chat request time, epoch ms. */
  startTime: number
  /** Last visitor request to this chat, epoch ms. */
  lastUpdate: number
  /** Seconds. */
  chatTimeout: number
  /** Decimal digits; rendered as a JSON number when it is a safe integer. */
  visitorId: string | number
  agentTyping: boolean
  visitorTyping: boolean
  /** Null until the visitor sets one: then `You` on the visitor side and `visitor` on the agent side. */
  visitorName: string | null
  rtSessionId: number
  /** Echoes of the request's `LETagVisitorId`, `LETagSessionId`, `LETagContextId`. */
  sharkVisitorId?: string | null | undefined
  sharkSessionId?: string | null | undefined
  sharkContextId?: string | null | undefined
  /** Campaign engagement and campaign of the request (numbers when numeric). */
  engagementId?: string | null | undefined
  campaignId?: string | null | undefined
  language: string
  /** Authenticated visitors only. */
  participantId?: string | null | undefined
}

/**
 * A chat as one side reads it: its info, and every event with id >= `from` (visible or not: the
 * presenters filter for the visitor and use the highest id given for the `next` link, so events
 * hidden from the visitor are skipped for good).
 */
export interface ChatView {
  info: ChatInfoView
  events: readonly EventView[]
  /** The `from` that was asked for (0 when absent or invalid). */
  from: number
}
