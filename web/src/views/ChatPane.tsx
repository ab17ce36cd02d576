import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { explain } from '../state/failures.ts'
import type { ChatModel, WorkspaceStore } from '../state/workspace.ts'
import { AgentSurvey } from './AgentSurvey.tsx'
import { Transcript } from './Transcript.tsx'
import { TransferForm } from './TransferForm.tsx'

const TYPING_IDLE_MS = 3_000

/** One chat: header with actions, transcript, typing indicator, composer; the agent survey once it ended. */
export function ChatPane(props: {
  store: WorkspaceStore
  chat: ChatModel
  detailsOpen: boolean
  onToggleDetails: () => void
}) {
  const { store, chat } = props
  const draft = useSignal('')
  const sending = useSignal(false)
  const error = useSignal('')
  const transferring = useSignal(false)
  const typingSent = useRef(false)
  const typingTimer = useRef<number | undefined>(undefined)
  const composer = useRef<HTMLTextAreaElement>(null)
  const transferButton = useRef<HTMLButtonElement>(null)
  const open = chat.status === 'open'

  useEffect(() => {
    composer.current?.focus()
    return () => window.clearTimeout(typingTimer.current)
  }, [chat.key])

  // Alt+T opens the transfer form (its first field gets the focus); Escape closes it.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyT' && open) {
        event.preventDefault()
        transferring.value = true
      } else if (event.key === 'Escape' && transferring.value) {
        transferring.value = false
        transferButton.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])

  const stopTyping = () => {
    window.clearTimeout(typingTimer.current)
    if (typingSent.current) {
      typingSent.current = false
      void store.setTyping(chat.key, false)
    }
  }

  const onInput = (value: string) => {
    draft.value = value
    if (!typingSent.current && value !== '') {
      typingSent.current = true
      void store.setTyping(chat.key, true)
    }
    window.clearTimeout(typingTimer.current)
    typingTimer.current = window.setTimeout(stopTyping, TYPING_IDLE_MS)
  }

  const send = async () => {
    const text = draft.value.trim()
    if (text === '' || sending.value) return
    sending.value = true
    error.value = ''
    stopTyping()
    try {
      await store.send(chat.key, text)
      draft.value = ''
    } catch (failure) {
      // The text stays in the composer: nothing the agent typed is lost.
      error.value = `Not sent. ${explain(failure)} Press Enter to try again.`
    } finally {
      sending.value = false
      composer.current?.focus()
    }
  }

  const end = async () => {
    try {
      await store.end(chat.key)
    } catch (failure) {
      error.value = `Could not end the chat. ${explain(failure)}`
    }
  }

  const visitorName = chat.info?.visitorName ?? 'visitor'
  return (
    <section class="chat-pane" aria-labelledby={`chat-title-${chat.key}`}>
      <header class="chat-header">
        <div>
          <h2 id={`chat-title-${chat.key}`}>{visitorName}</h2>
          <span class="muted">
            {chat.info?.skillName ? `${chat.info.skillName} · ` : ''}
            {chat.info ? `started ${new Date(chat.info.startTime).toLocaleTimeString()}` : 'loading…'}
          </span>
        </div>
        <div class="chat-actions">
          <button
            class="button details-toggle"
            type="button"
            aria-expanded={props.detailsOpen}
            aria-controls="side-panel"
            aria-keyshortcuts="Alt+I"
            onClick={props.onToggleDetails}
          >
            Details
          </button>
          {open ? (
            <>
              <button
                ref={transferButton}
                class="button"
                type="button"
                aria-keyshortcuts="Alt+T"
                aria-expanded={transferring.value}
                onClick={() => (transferring.value = !transferring.value)}
              >
                Transfer
              </button>
              <button class="button danger" type="button" onClick={() => void end()}>
                End chat
              </button>
            </>
          ) : (
            <button class="button" type="button" onClick={() => store.close(chat.key)}>
              Close
            </button>
          )}
        </div>
      </header>
      {transferring.value && open && (
        <TransferForm store={store} chat={chat} onDone={() => (transferring.value = false)} />
      )}
      <Transcript chat={chat} />
      <div class="typing" aria-live="polite">
        {open && chat.info?.visitorTyping === 'typing' ? `${visitorName} is typing…` : ''}
      </div>
      {chat.statusText && (
        <p class="banner banner-info" role="status">
          {chat.statusText}
        </p>
      )}
      {!open && (chat.unsent ?? draft.value.trim()) && (
        <div class="unsent">
          <label for={`unsent-${chat.key}`}>Your unsent text</label>
          <textarea id={`unsent-${chat.key}`} rows={2} readOnly value={chat.unsent ?? draft.value} />
        </div>
      )}
      {chat.status === 'ended' && <AgentSurvey store={store} chat={chat} />}
      {open && (
        <form
          class="composer"
          onSubmit={(event) => {
            event.preventDefault()
            void send()
          }}
        >
          <label for={`composer-${chat.key}`} class="visually-hidden">
            Message to {visitorName}
          </label>
          <textarea
            id={`composer-${chat.key}`}
            ref={composer}
            rows={3}
            placeholder={`Message to ${visitorName} (Enter sends, Shift+Enter for a new line)`}
            value={draft.value}
            onInput={(event) => onInput(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
                event.preventDefault()
                void send()
              }
            }}
          />
          <button class="button primary" type="submit" disabled={sending.value || draft.value.trim() === ''}>
            {sending.value ? 'Sending…' : 'Send'}
          </button>
          {error.value && (
            <p class="field-error" role="alert">
              {error.value}
            </p>
          )}
        </form>
      )}
    </section>
  )
}
