import type { WorkspaceStore } from '../state/workspace.ts'

/** The agent's chats; arrow keys move between them (a listbox of buttons). */
export function ChatList({ store }: { store: WorkspaceStore }) {
  const chats = store.chatList.value
  return (
    <nav class="chat-list" id="chat-list" aria-label="Your chats">
      <h2 class="visually-hidden">Your chats</h2>
      {chats.length === 0 && <p class="muted pad">No chats</p>}
      <ul>
        {chats.map((chat, index) => {
          const active = chat.key === store.selected.value
          const last = [...chat.events]
            .reverse()
            .find((event) => event['@type'] === 'line' && event.source !== 'system')
          return (
            <li key={chat.key}>
              <button
                type="button"
                class={`chat-item${active ? ' active' : ''} status-${chat.status}`}
                aria-current={active ? 'true' : undefined}
                aria-keyshortcuts={index < 9 ? `Alt+${index + 1}` : undefined}
                onClick={() => store.select(chat.key)}
                onKeyDown={(event) => {
                  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                    event.preventDefault()
                    store.move(event.key === 'ArrowDown' ? 1 : -1)
                    const buttons = event.currentTarget.closest('ul')?.querySelectorAll('button')
                    const next = store.chatList.value.findIndex((entry) => entry.key === store.selected.value)
                    buttons?.[next]?.focus()
                  }
                }}
              >
                <span class="chat-item-name">
                  {chat.info?.visitorName ?? 'visitor'}
                  {chat.unread > 0 && (
                    <span class="unread" aria-label={`${chat.unread} unread`}>
                      {chat.unread}
                    </span>
                  )}
                </span>
                <span class="chat-item-meta">
                  {chat.info?.skillName ?? ''}
                  {chat.status !== 'open' ? ` · ${chat.status === 'ended' ? 'ended' : 'closed'}` : ''}
                  {chat.info?.visitorTyping === 'typing' && chat.status === 'open' ? ' · typing…' : ''}
                </span>
                <span class="chat-item-last">{last?.text ?? ''}</span>
              </button>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
