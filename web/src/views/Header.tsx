import { useApp } from '../context.ts'

/** Brand, the pages this role may open, the signed-in user and sign-out. */
export function Header() {
  const { session, router, notifier } = useApp()
  const current = session.current.value
  if (!current) return null
  return (
    <header class="app-header">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          P
        </span>
        Parley Console
      </div>
      <nav aria-label="Pages">
        <a
          href="/console/"
          aria-current={router.route.value === 'workspace' ? 'page' : undefined}
          onClick={(event) => {
            event.preventDefault()
            router.go('workspace')
          }}
        >
          Workspace
        </a>
      </nav>
      <div class="header-end">
        {notifier.permission.value === 'default' && (
          <button class="button small" type="button" onClick={() => void notifier.ask()}>
            Enable desktop notifications
          </button>
        )}
        <span class="user">
          {current.loginName} · {current.accountId} · {session.role.value}
        </span>
        <button class="button small" type="button" onClick={() => void session.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  )
}
