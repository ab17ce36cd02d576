import type { ChatEvent } from './chat.types.ts'

/**
 * The one visibility rule of live chat: the visitor never sees `ONLY_TO_REP` lines (agent
 * whispers and transfer notes); their ids are simply skipped. Agents see every event.
 */
export function isVisibleToVisitor(event: ChatEvent): boolean {
  return event.type === 'state' || event.subType !== 'ONLY_TO_REP'
}

/** Who reads an event stream. */
export type Viewer = 'visitor' | 'agent'

export function visibleEvents(events: readonly ChatEvent[], viewer: Viewer): ChatEvent[] {
  return viewer === 'agent' ? [...events] : events.filter(isVisibleToVisitor)
}
