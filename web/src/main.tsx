import { signal } from '@preact/signals'
import { render } from 'preact'
import { agentApi } from './api/agent.ts'
import { createHttpClient } from './api/http.ts'
import { loginApi } from './api/login.ts'
import { AppContext, type AppServices } from './context.ts'
import { createNotifier } from './state/notifier.ts'
import { createRouter } from './state/router.ts'
import { createSessionStore, type SessionStore } from './state/session.ts'
import { App } from './views/App.tsx'

const reconnecting = signal(false)
const rateLimited = signal(0)
const announcement = signal('')
// The HTTP client reads the bearer from the session store, which logs in through the client.
const holder: { session?: SessionStore } = {}
const http = createHttpClient({
  bearer: () => holder.session?.current.value?.bearer,
  onUnauthorized: () => holder.session?.expire(),
  onConnectivity: (value) => (reconnecting.value = value),
  onRateLimited: (seconds) => (rateLimited.value = seconds),
})
const session = createSessionStore({ login: () => loginApi(http), storage: window.sessionStorage })
holder.session = session

const services: AppServices = {
  session,
  router: createRouter(),
  notifier: createNotifier(),
  agent: agentApi(http),
  http,
  reconnecting,
  rateLimited,
  announcement,
  // Re-setting the same text would not be announced again; a zero-width suffix makes each new.
  announce: (text) => (announcement.value = announcement.value === text ? `${text}\u200b` : text),
}

const root = document.getElementById('app')
if (root)
  render(
    <AppContext.Provider value={services}>
      <App />
    </AppContext.Provider>,
    root,
  )
