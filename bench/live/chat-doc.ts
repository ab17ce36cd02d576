/** What a load-generator client reads from a chat, events or incomingRequests document (JSON). */
export interface EventsRead {
  /** `from` of the `next` link, if the document has one. */
  next: number | undefined
  /** States in the order the events carry them. */
  states: string[]
  /** Benchmark lines: who posted them, when (epoch ms), and whether it is the visitor's last one. */
  marks: Array<{ side: 'v' | 'a'; postedAt: number; last: boolean }>
}

type Json = Record<string, unknown>
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value])
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** The text of a benchmark line: `bench v 1764660000000.123` (`... end` for the visitor's last line). */
export const markText = (side: 'v' | 'a', postedAt: number, last = false): string =>
  `bench ${side} ${postedAt.toFixed(3)}${last ? ' end' : ''}`
const MARK = /^bench ([va]) (\d+(?:\.\d+)?)( end)?$/

/** Reads a V8/V9/A12/A13 JSON document: `{chat: {events}}` or `{events}`, `@`-prefixed keys or not. */
export function readEvents(text: string): EventsRead {
  const doc = JSON.parse(text) as Json
  const chat = doc.chat as Json | undefined
  const events = (chat?.events ?? doc.events) as Json | undefined
  const read: EventsRead = { next: undefined, states: [], marks: [] }
  if (!events) return read
  for (const link of asArray(events.link) as Json[]) {
    if ((link['@rel'] ?? link.rel) !== 'next') continue
    const from = /[?&]from=(\d+)/.exec(str(link['@href'] ?? link.href) ?? '')
    if (from) read.next = Number(from[1])
  }
  for (const event of asArray(events.event) as Json[]) {
    const type = event['@type'] ?? event.type
    if (type === 'state') {
      const state = str(event.state)
      if (state) read.states.push(state)
    } else if (type === 'line') {
      const mark = MARK.exec(str(event.text) ?? '')
      if (mark) read.marks.push({ side: mark[1] as 'v' | 'a', postedAt: Number(mark[2]), last: mark[3] !== undefined })
    }
  }
  return read
}

/** `ringingCount` of an A8 answer (a string on the wire). */
export function ringingCount(text: string): number {
  const doc = JSON.parse(text) as { incomingRequests?: { ringingCount?: unknown } }
  return Number(doc.incomingRequests?.ringingCount ?? 0) || 0
}

/** The `chatLocation` href of an A9 answer. */
export function chatLocation(text: string): string | undefined {
  const doc = JSON.parse(text) as { chatLocation?: { link?: Json } }
  return str(doc.chatLocation?.link?.['@href'] ?? doc.chatLocation?.link?.href)
}
