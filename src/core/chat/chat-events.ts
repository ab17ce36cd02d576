import type { Chat, ChatEvent, ChatState, ChatTextType, EventSource, LineSubType } from './chat.types.ts'
import { systemMessage, type SystemMessageId } from './system-messages.ts'

/** An event before it has an id and a segment: what a transition appends. */
export type EventSpec =
  | { type: 'state'; state: ChatState }
  | {
      type: 'line'
      source: EventSource
      by: string
      textType: ChatTextType
      text?: string
      json?: unknown
      systemMessageId?: number
      subType: LineSubType
      agentUserId?: number
    }

export const stateEvent = (state: ChatState): EventSpec => ({ type: 'state', state })

/** A system line (`source: system`, `by: info`, plain, REGULAR) in the chat's language. */
export const systemLine = (chat: Pick<Chat, 'language'>, id: SystemMessageId, agentName?: string): EventSpec => ({
  type: 'line',
  source: 'system',
  by: 'info',
  textType: 'plain',
  text: systemMessage(chat.language, id, { agentName }),
  systemMessageId: id,
  subType: 'REGULAR',
})

/** A pre-chat line (chat-api.md §9.3): a system line with id 0 and the text as given. */
export const preChatLine = (text: string): EventSpec => ({
  type: 'line',
  source: 'system',
  by: 'info',
  textType: 'plain',
  text,
  systemMessageId: 0,
  subType: 'REGULAR',
})

/**
 * Gives `specs` the chat's next event ids and its current segment, and returns them with the
 * chat's new event counter. Ids stay contiguous from 0 across event types.
 */
export function allocateEvents(
  chat: Pick<Chat, 'nextEventId' | 'sequence'>,
  specs: readonly EventSpec[],
  time: number,
): { events: ChatEvent[]; nextEventId: number } {
  const events = specs.map((spec, index): ChatEvent => {
    const id = chat.nextEventId + index
    return spec.type === 'state'
      ? { id, type: 'state', time, sequence: chat.sequence, state: spec.state }
      : { id, time, sequence: chat.sequence, ...spec }
  })
  return { events, nextEventId: chat.nextEventId + specs.length }
}
