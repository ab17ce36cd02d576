import { useEffect, useMemo } from 'preact/hooks'
import { useApp } from '../context.ts'
import { createWorkspaceStore, type WorkspaceStore } from '../state/workspace.ts'
import { ChatList } from './ChatList.tsx'
import { ChatPane } from './ChatPane.tsx'
import { SidePanel } from './SidePanel.tsx'

const AVAILABILITIES = ['Online', 'Occupied', 'Away'] as const

/** The agent workspace: availability, ringing chats, the agent's chats, the selected chat and its side panel. */
export function Workspace() {
  const app = useApp()
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

  // Keyboard: Alt+A accepts, Alt+↓/↑ move between chats, Alt+1…9 pick a chat.
  useEffect(() => {
    if (!store) return
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return
      const key = event.key.toLowerCase()
      if (key === 'a' || event.code === 'KeyA') {
        event.preventDefault()
        void store.accept()
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
        <div class="ringing" aria-live="off">
          {store.ringing.value > 0 ? (
            <>
              <span class="ringing-badge">
                {store.ringing.value === 1 ? '1 chat waiting' : `${store.ringing.value} chats waiting`}
              </span>
              <button
                class="button primary"
                type="button"
                aria-keyshortcuts="Alt+A"
                onClick={() => void store.accept()}
              >
                Accept chat <kbd>Alt+A</kbd>
              </button>
            </>
          ) : (
            <span class="muted">No chat waiting</span>
          )}
        </div>
        <span class="muted load">
          {store.agentName.value} · {store.chatList.value.filter((chat) => chat.status === 'open').length} of{' '}
          {store.maxChats.value < 0 ? '∞' : store.maxChats.value} chats
        </span>
      </section>
      {store.notice.value && (
        <p class="banner banner-warn" role="alert">
          {store.notice.value}{' '}
          <button class="button small" type="button" onClick={() => (store.notice.value = '')}>
            Dismiss
          </button>
        </p>
      )}
      <div class="workspace-body">
        <ChatList store={store} />
        {selected ? (
          <>
            <ChatPane key={selected.key} store={store} chat={selected} />
            <SidePanel chat={selected} />
          </>
        ) : (
          <div class="empty">
            <p>No chat yet. Chats you accept appear on the left.</p>
            <p class="muted">
              Keys: <kbd>Alt+A</kbd> accept · <kbd>Alt+↓</kbd>/<kbd>Alt+↑</kbd> next/previous chat · <kbd>Enter</kbd>{' '}
              send · <kbd>Shift+Enter</kbd> new line
            </p>
          </div>
        )}
      </div>
    </div>
  )
}
