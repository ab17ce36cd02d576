import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { Signal } from '@preact/signals'
import type { AgentApi } from './api/agent.ts'
import type { HttpClient } from './api/http.ts'
import type { Notifier } from './state/notifier.ts'
import type { Router } from './state/router.ts'
import type { SessionStore } from './state/session.ts'

/** Everything the views get from `main.tsx` (no module-level singletons). */
export interface AppServices {
  session: SessionStore
  router: Router
  notifier: Notifier
  agent: AgentApi
  /** For the per-account clients (history, configuration) the pages create. */
  http: HttpClient
  reconnecting: Signal<boolean>
  /** Seconds the console waits after a 429 (Retry-After); 0 when not limited. */
  rateLimited: Signal<number>
  announce: (text: string) => void
  announcement: Signal<string>
}

export const AppContext = createContext<AppServices | null>(null)

export function useApp(): AppServices {
  const services = useContext(AppContext)
  if (!services) throw new Error('AppContext missing')
  return services
}
