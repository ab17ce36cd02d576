import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import type { ChatModel, WorkspaceStore } from '../state/workspace.ts'
import { Transcript } from './Transcript.tsx'
import { TransferForm } from './TransferForm.tsx'

const TYPING_IDLE_MS = 3_000

/** One chat: header with actions, transcript, typing indicator, composer. */
export function ChatPane({ store, chat }: { store: WorkspaceStore; chat: ChatModel }) {
  const draft = useSignal('')
  const sending = useSignal(false)
  const error = useSignal('')
  const transferring = useSignal(false)
  const typingSent = useRef(false)
  const typingTimer = useRef<number | undefined>(undefined)
  const composer = useRef<HTMLTextAreaElement>(null)
  const open = chat.status === 'open'

  useEffect(() => {
    composer.current?.focus()
    return () => window.clearTimeout(typingTimer.current)
  }, [chat.key])

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
      error.value = `Not sent: ${failure instanceof Error ? failure.message : String(failure)}. Press Enter to try again.`
    } finally {
      sending.value = false
      composer.current?.focus()
    }
  }

  const end = async () => {
    try {
      await store.end(chat.key)
    } catch (failure) {
      error.value = `Could not end the chat: ${failure instanceof Error ? failure.message : String(failure)}`
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
          {open ? (
            <>
              <button
                class="button"
                type="button"
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
