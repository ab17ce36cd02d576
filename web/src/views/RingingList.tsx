import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { RingingEntry, WorkspaceStore } from '../state/workspace.ts'
import { formatSeconds } from './duration.ts'

/**
 * The chats ringing the agent, longest waiting first (the one Accept takes): skill, a ticking wait,
 * the visitor's pre-chat answers and first lines. Everything the visitor wrote is text, never HTML.
 */
export function RingingList({ store }: { store: WorkspaceStore }) {
  const now = useSignal(Date.now())
  const list = store.ringingChats.value
  useEffect(() => {
    if (list.length === 0) return
    const timer = window.setInterval(() => (now.value = Date.now()), 1_000)
    return () => window.clearInterval(timer)
  }, [list.length > 0])
  if (list.length === 0) return null
  return (
    <section class="ringing-list" aria-labelledby="ringing-title">
      <div class="ringing-head">
        <h2 id="ringing-title">
          {list.length === 1 ? '1 chat waiting for you' : `${list.length} chats waiting for you`}
        </h2>
        <button class="button primary" type="button" aria-keyshortcuts="Alt+A" onClick={() => void store.accept()}>
          Accept chat <kbd>Alt+A</kbd>
        </button>
        <span class="muted">Accept takes the longest-waiting chat first.</span>
      </div>
      <ol>
        {list.map((entry, index) => (
          <RingingCard key={`${entry.requestTimeL}-${index}`} entry={entry} now={now.value} next={index === 0} />
        ))}
      </ol>
    </section>
  )
}

function RingingCard({ entry, now, next }: { entry: RingingEntry; now: number; next: boolean }) {
  const waited = entry.waitTime + Math.max(0, Math.floor((now - entry.readAt) / 1000))
  return (
    <li class={`ringing-card${next ? ' next' : ''}`}>
      <div class="ringing-card-head">
        <strong>{entry.skillName}</strong>
        <span class="muted">{entry.visitorName}</span>
        {entry.transferred && <span class="tag">transferred</span>}
        <span class="ringing-wait">
          waiting <time>{formatSeconds(waited)}</time>
        </span>
      </div>
      {entry.preChatSurvey.length > 0 && (
        <dl class="pairs">
          {entry.preChatSurvey.map((item, index) => (
            <div key={index}>
              <dt>{item.question}</dt>
              <dd>{item.answer}</dd>
            </div>
          ))}
        </dl>
      )}
      {entry.firstLines.map((line, index) => (
        <p key={index} class="ringing-line">
          {line}
        </p>
      ))}
      {entry.preChatSurvey.length === 0 && entry.firstLines.length === 0 && (
        <p class="muted">No pre-chat answers or lines yet.</p>
      )}
    </li>
  )
}
