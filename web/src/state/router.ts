import { signal } from '@preact/signals'
import { isConsolePath } from './return-path.ts'

/** Client routes under `/console/` (the server answers index.html for each). */
export type Route = 'workspace' | 'history' | 'dashboard' | 'users' | 'sign-in'

const BASE = '/console/'

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : ''
  if (rest.startsWith('history')) return 'history'
  if (rest.startsWith('dashboard')) return 'dashboard'
  if (rest.startsWith('admin/users')) return 'users'
  if (rest.startsWith('sign-in')) return 'sign-in'
  return 'workspace'
}

export const PATHS: Readonly<Record<Route, string>> = {
  workspace: BASE,
  history: `${BASE}history`,
  dashboard: `${BASE}dashboard`,
  users: `${BASE}admin/users`,
  'sign-in': `${BASE}sign-in`,
}

export function createRouter() {
  const route = signal<Route>(routeOf(location.pathname))
  window.addEventListener('popstate', () => (route.value = routeOf(location.pathname)))
  return {
    route,
    go(next: Route, search = ''): void {
      history.pushState(null, '', `${PATHS[next]}${search}`)
      route.value = next
    },
    /** Opens a console path with its query (`/console/history?keyword=…`); anything else opens the workspace. */
    open(path: string): void {
      const target = isConsolePath(path) ? path : BASE
      history.pushState(null, '', target)
      route.value = routeOf(new URL(target, location.origin).pathname)
    },
  }
}

export type Router = ReturnType<typeof createRouter>
