import { useApp } from '../context.ts'
import { PATHS, type Route } from '../state/router.ts'

/** Brand, the pages this role may open, the signed-in user and sign-out. */
export function Header() {
  const { session, router, notifier } = useApp()
  const current = session.current.value
  if (!current) return null
  // Who sees what (docs/console.md): agents the workspace, managers also history and the
  // dashboard, admins everything.
  const role = session.role.value
  const pages: Array<[Route, string]> = [['workspace', 'Workspace']]
  if (role !== 'agent') pages.push(['history', 'History'], ['dashboard', 'Dashboard'])
  if (role === 'admin') pages.push(['users', 'Users'])
  // Surveys and campaigns admin pages.
  if (role === 'admin') pages.push(['surveys', 'Surveys'], ['campaigns', 'Campaigns'])
  return (
    <header class="app-header">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          P
        </span>
        Parley Console
      </div>
      <nav aria-label="Pages">
        {pages.map(([route, label]) => (
          <a
            key={route}
            href={PATHS[route]}
            aria-current={router.route.value === route ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault()
              router.go(route)
            }}
          >
            {label}
          </a>
        ))}
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
