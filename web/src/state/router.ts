import { signal } from '@preact/signals'
import { isConsolePath } from './return-path.ts'

/** Client routes under `/console/` (the server answers index.html for each). */
export type Route = 'workspace' | 'history' | 'dashboard' | 'sign-in' | AdminRoute

const BASE = '/console/'

// Admin pages (Admin only, docs/console.md), each at /console/admin/<route>, in the order of the admin navigation.
export type AdminRoute = 'users' | 'skills' | 'agent-groups' | 'surveys' | 'campaigns' | 'keys'
export const ADMIN_ROUTES: ReadonlyArray<[AdminRoute, string]> = [
  ['users', 'Users'],
  ['skills', 'Skills'],
  ['agent-groups', 'Agent groups'],
  ['surveys', 'Surveys'],
  ['campaigns', 'Campaigns'],
  ['keys', 'Keys'],
]
export const isAdminRoute = (route: Route): route is AdminRoute => ADMIN_ROUTES.some(([admin]) => admin === route)
const ADMIN_PATHS = Object.fromEntries(ADMIN_ROUTES.map(([route]) => [route, `${BASE}admin/${route}`])) as Record<
  AdminRoute,
  string
>

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : ''
  if (rest.startsWith('history')) return 'history'
  if (rest.startsWith('dashboard')) return 'dashboard'
  const admin = ADMIN_ROUTES.find(([route]) => rest === `admin/${route}` || rest.startsWith(`admin/${route}/`))
  if (admin) return admin[0]
  if (rest === 'admin' || rest.startsWith('admin/')) return 'users'
  if (rest.startsWith('sign-in')) return 'sign-in'
  return 'workspace'
}

export const PATHS: Readonly<Record<Route, string>> = {
  workspace: BASE,
  history: `${BASE}history`,
  dashboard: `${BASE}dashboard`,
  ...ADMIN_PATHS,
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
