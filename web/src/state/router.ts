import { signal } from '@preact/signals'

/** Client routes under `/console/` (the server answers index.html for each). */
export type Route = 'workspace' | 'history' | 'dashboard' | 'users' | 'sign-in' | SurveyRoute

/** Admin pages of surveys and campaigns (docs/console.md). */
type SurveyRoute = 'surveys' | 'campaigns'

const BASE = '/console/'

export function routeOf(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : ''
  // Surveys and campaigns admin pages.
  if (rest.startsWith('admin/surveys')) return 'surveys'
  if (rest.startsWith('admin/campaigns')) return 'campaigns'
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
  // Surveys and campaigns admin pages.
  surveys: `${BASE}admin/surveys`,
  campaigns: `${BASE}admin/campaigns`,
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
  }
}

export type Router = ReturnType<typeof createRouter>
