import { useSignal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import { useApp } from '../context.ts'
import { createWorkspaceStore, type WorkspaceStore } from '../state/workspace.ts'
import { ChatList } from './ChatList.tsx'
import { ChatPane } from './ChatPane.tsx'
import { RingingList } from './RingingList.tsx'
import { SidePanel } from './SidePanel.tsx'

const AVAILABILITIES = ['Online', 'Occupied', 'Away'] as const

/** The agent workspace: availability, ringing chats, the agent's chats, the selected chat and its side panel. */
export function Workspace() {
  const app = useApp()
  // Tablets (docs/console.md): the chat list and the visitor details fold away; wide screens show both.
  const listOpen = useSignal(window.innerWidth > 900)
  const detailsOpen = useSignal(window.innerWidth > 1100)
  const body = useRef<HTMLDivElement>(null)
  const current = app.session.current.value
  const store = useMemo<WorkspaceStore | null>(
    () =>
      current
        ? createWorkspaceStore({
            agent: app.agent,
            accountId: current.accountId,
            userId: current.userId,
            storage: window.sessionStorage,
            announce: app.announce,
            onRing: (count) => app.notifier.ring(count),
            onPrivilegeGroup: (group) => (app.session.managerOfGroups.value = group === 'agentManagers'),
          })
        : null,
    [current?.bearer],
  )

  useEffect(() => {
    if (!store) return
    void store.start()
    return () => store.stop()
  }, [store])

  // Unread lines and ringing chats in the page title.
  const waiting = (store?.ringing.value ?? 0) + (store?.unreadTotal.value ?? 0)
  useEffect(() => {
    document.title = waiting > 0 ? `(${waiting}) Parley Console` : 'Parley Console'
  }, [waiting])

  // Keyboard: Alt+A accepts, Alt+↓/↑ move between chats, Alt+1…9 pick a chat, Alt+I visitor details.
  useEffect(() => {
    if (!store) return
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return
      const key = event.key.toLowerCase()
      if (key === 'a' || event.code === 'KeyA') {
        event.preventDefault()
        void store.accept()
      } else if (event.code === 'KeyI') {
        event.preventDefault()
        detailsOpen.value = true
        requestAnimationFrame(() => body.current?.querySelector<HTMLElement>('.side-panel')?.focus())
      } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        store.move(event.key === 'ArrowDown' ? 1 : -1)
      } else if (/^Digit[1-9]$/.test(event.code)) {
        const chat = store.chatList.value[Number(event.code.slice(5)) - 1]
        if (chat) {
          event.preventDefault()
          store.select(chat.key)
        }
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])

  if (!store) return null
  if (store.status.value === 'starting') return <p class="empty">Starting your agent session…</p>
  if (store.status.value === 'error')
    return (
      <div class="empty" role="alert">
        <p>Could not start the agent session: {store.error.value}</p>
        <button class="button" type="button" onClick={() => location.reload()}>
          Try again
        </button>
      </div>
    )

  const selected = store.selected.value ? store.chats.value.get(store.selected.value) : undefined
  return (
    <div class="workspace">
      <section class="toolbar" aria-label="Availability and waiting chats">
        <fieldset class="availability">
          <legend>Availability</legend>
          {AVAILABILITIES.map((value) => (
            <label key={value} class={`availability-option availability-${value.toLowerCase()}`}>
              <input
                type="radio"
                name="availability"
                value={value}
                checked={store.availability.value === value}
                onChange={() => void store.setAvailability(value)}
              />
              {value}
            </label>
          ))}
        </fieldset>
        <button
          class="button small list-toggle"
          type="button"
          aria-expanded={listOpen.value}
          aria-controls="chat-list"
          onClick={() => (listOpen.value = !listOpen.value)}
        >
          {listOpen.value ? 'Hide chats' : `Chats (${store.chatList.value.length})`}
        </button>
        <div class="ringing">
          {store.ringing.value === 0 && <span class="muted">No chat waiting</span>}
          {store.availability.value === 'Away' && (
            <span class="away-hint">You are Away: no chat is offered until you choose Online.</span>
          )}
        </div>
        <span class="muted load">
          {store.agentName.value} · {store.chatList.value.filter((chat) => chat.status === 'open').length} of{' '}
          {store.maxChats.value < 0 ? '∞' : store.maxChats.value} chats
        </span>
      </section>
      <RingingList store={store} />
      {store.notice.value && (
        <p class="banner banner-warn" role="alert">
          {store.notice.value}{' '}
          {store.noticeRetry.value && (
            <button class="button small" type="button" onClick={() => store.noticeRetry.value?.()}>
              Try again
            </button>
          )}{' '}
          <button
            class="button small"
            type="button"
            onClick={() => {
              store.notice.value = ''
              store.noticeRetry.value = null
            }}
          >
            Dismiss
          </button>
        </p>
      )}
      <div
        ref={body}
        class={`workspace-body${listOpen.value ? '' : ' list-closed'}${detailsOpen.value ? ' details-open' : ''}`}
      >
        <ChatList store={store} />
        {selected ? (
          <>
            <ChatPane
              key={selected.key}
              store={store}
              chat={selected}
              detailsOpen={detailsOpen.value}
              onToggleDetails={() => (detailsOpen.value = !detailsOpen.value)}
            />
            <SidePanel chat={selected} />
          </>
        ) : (
          <div class="empty">
            <p>No chat yet. Chats you accept appear on the left.</p>
            <p class="muted">
              Keys: <kbd>Alt+A</kbd> accept · <kbd>Alt+↓</kbd>/<kbd>Alt+↑</kbd> next/previous chat · <kbd>Enter</kbd>{' '}
              send · <kbd>Shift+Enter</kbd> new line · <kbd>Alt+T</kbd> transfer · <kbd>Alt+I</kbd> visitor details
            </p>
          </div>
        )}
      </div>
    </div>
  )
}
