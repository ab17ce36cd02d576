import { computed, signal } from '@preact/signals'
import { ApiError } from '../api/http.ts'
import type { LoginApi } from '../api/login.ts'

/** Who is signed in; kept in sessionStorage so a reload (or a duplicated tab) stays signed in. */
export interface Session {
  accountId: string
  loginName: string
  userId: number
  isAdmin: boolean
  bearer: string
  csrf: string
  ttlMs: number
  /** Epoch ms when the Login Service will consider the session expired without activity. */
  expiresAt: number
}

/** What the navigation offers (docs/console.md): agents < agent managers < admins. */
export type Role = 'agent' | 'manager' | 'admin'

const STORAGE_KEY = 'parley.console.session'
export const EXPIRED_MESSAGE = 'Your session has expired. Please sign in again.'

export interface SessionDeps {
  login: () => LoginApi
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => number
  clearTimer?: (id: number) => void
}

function load(storage: SessionDeps['storage'], now: number): Session | null {
  try {
    const raw = storage.getItem(STORAGE_KEY)
    if (!raw) return null
    const session = JSON.parse(raw) as Session
    return session.expiresAt > now ? session : null
  } catch {
    return null
  }
}

/**
 * Sign-in state: login, refresh before expiry (half the session lifetime, at most every
 * 30 minutes), logout, and expiry (any 401 on an authenticated call) back to the sign-in page
 * with a message.
 */
export function createSessionStore(deps: SessionDeps) {
  const now = deps.now ?? (() => Date.now())
  const setTimer = deps.setTimer ?? ((fn: () => void, ms: number) => window.setTimeout(fn, ms))
  const clearTimer = deps.clearTimer ?? ((id: number) => window.clearTimeout(id))
  const current = signal<Session | null>(load(deps.storage, now()))
  /** Shown on the sign-in page (why the person is there). */
  const message = signal('')
  /** Set by the workspace from A6 `privilegeGroup`; admins are known from the login already. */
  const managerOfGroups = signal(false)
  const role = computed<Role>(() => (current.value?.isAdmin ? 'admin' : managerOfGroups.value ? 'manager' : 'agent'))
  let timer: number | undefined

  const save = (session: Session | null) => {
    current.value = session
    if (session) deps.storage.setItem(STORAGE_KEY, JSON.stringify(session))
    else deps.storage.removeItem(STORAGE_KEY)
  }

  const schedule = () => {
    if (timer !== undefined) clearTimer(timer)
    timer = undefined
    const session = current.value
    if (!session) return
    const delay = Math.max(5_000, Math.min(session.ttlMs / 2, 30 * 60_000, session.expiresAt - now() - 60_000))
    timer = setTimer(() => void refresh(), delay)
  }

  async function refresh(): Promise<void> {
    const session = current.value
    if (!session) return
    try {
      await deps.login().refresh(session.accountId, session.csrf)
      save({ ...session, expiresAt: now() + session.ttlMs })
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'auth') return expire()
      // Not reachable right now: try again soon; the session lives on server-side activity anyway.
    }
    schedule()
  }

  function expire(text = EXPIRED_MESSAGE): void {
    if (!current.value) return
    save(null)
    managerOfGroups.value = false
    message.value = text
    schedule()
  }

  if (current.value) schedule()

  return {
    current,
    message,
    role,
    managerOfGroups,
    async signIn(accountId: string, username: string, password: string): Promise<void> {
      const document = await deps.login().login(accountId, username, password)
      const ttlMs = Number(document.sessionTTl) || 8 * 3600_000
      message.value = ''
      save({
        accountId,
        loginName: document.config.loginName,
        userId: Number(document.config.userId),
        isAdmin: document.config.isAdmin,
        bearer: document.bearer,
        csrf: document.csrf,
        ttlMs,
        expiresAt: now() + ttlMs,
      })
      schedule()
    },
    /** Logout at the Login Service (which also ends the agent sessions of this login), then forget. */
    async signOut(): Promise<void> {
      const session = current.value
      if (!session) return
      try {
        await deps.login().logout(session.accountId, session.csrf)
      } catch {
        // Signed out locally either way; the server session expires on its own.
      }
      save(null)
      managerOfGroups.value = false
      message.value = 'You have signed out.'
      schedule()
    },
    expire,
    refresh,
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>
