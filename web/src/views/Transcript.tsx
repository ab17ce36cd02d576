import DOMPurify from 'dompurify'
import { useEffect, useRef } from 'preact/hooks'
import type { ChatEvent } from '../api/agent.ts'
import type { ChatModel } from '../state/workspace.ts'

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })

/**
 * Agent HTML was sanitised by the server already; it is sanitised again here (DOMPurify) before it
 * touches the DOM. Visitor and system text is always rendered as text.
 */
export function AgentHtml({ html }: { html: string }) {
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'img'] })
  return <div class="line-text" dangerouslySetInnerHTML={{ __html: clean }} />
}

/** Rich content (structured content JSON): its texts and button titles, as text. */
export function RichContent({ json }: { json: unknown }) {
  const texts: string[] = []
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk)
    if (node === null || typeof node !== 'object') return
    const record = node as Record<string, unknown>
    if (typeof record.text === 'string') texts.push(record.text)
    if (typeof record.title === 'string') texts.push(`[${record.title}]`)
    walk(record.elements)
  }
  walk(json)
  return <div class="line-text rich">{texts.join(' ') || '(rich content)'}</div>
}

function Line({ event, visitorName }: { event: ChatEvent; visitorName: string }) {
  if (event['@type'] === 'state') {
    if (event.state !== 'ended') return null
    return <li class="line system">The chat ended · {time(event.time)}</li>
  }
  if (event['@type'] === 'url') {
    return <li class="line system">Visitor is on {event.url ?? ''}</li>
  }
  if (event['@type'] !== 'line') return null
  const source = event.source === 'visitor' || event.source === 'agent' ? event.source : 'system'
  const note = event.subType === 'ONLY_TO_REP'
  // The visitor API's `by` is "You" from the visitor's side; the agent sees the visitor's name.
  const author = source === 'system' ? 'System' : source === 'visitor' ? visitorName : (event.by ?? source)
  return (
    <li class={`line ${source}${note ? ' note' : ''}`}>
      <div class="line-meta">
        <span class="line-author">{note ? `${author} (note for agents)` : author}</span>
        <time dateTime={event.time}>{time(event.time)}</time>
      </div>
      {event.textType === 'rich-content' ? (
        <RichContent json={event.json} />
      ) : event.textType === 'html' && source === 'agent' ? (
        <AgentHtml html={event.text ?? ''} />
      ) : (
        <div class="line-text">{event.text ?? ''}</div>
      )}
    </li>
  )
}

/** The transcript, kept scrolled to the newest line unless the agent scrolled up to read. */
export function Transcript({ chat }: { chat: ChatModel }) {
  const list = useRef<HTMLDivElement>(null)
  const stick = useRef(true)
  useEffect(() => {
    const element = list.current
    if (element && stick.current) element.scrollTop = element.scrollHeight
  })
  return (
    <div
      class="transcript"
      ref={list}
      role="log"
      aria-label={`Transcript with ${chat.info?.visitorName ?? 'visitor'}`}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget
        stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40
      }}
    >
      <ol>
        {chat.events.map((event) => (
          <Line key={event['@id']} event={event} visitorName={chat.info?.visitorName ?? 'visitor'} />
        ))}
      </ol>
    </div>
  )
}
