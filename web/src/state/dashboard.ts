import { signal } from '@preact/signals'
import { ApiError } from '../api/http.ts'
import type { Dashboard, OperationalApi } from '../api/operational.ts'

/** How often the dashboard refreshes while the tab is visible. */
export const DASHBOARD_REFRESH_MS = 3000

export interface Visibility {
  hidden: () => boolean
  /** Calls `listener` on every change; returns the unsubscribe. */
  onChange: (listener: () => void) => () => void
}

export interface DashboardDeps {
  api: Pick<OperationalApi, 'dashboard'>
  /** Spoken by the page's live region; called only when something a person acts on changed. */
  announce: (text: string) => void
  /** The page's visibility (`documentVisibility` in the browser), so a hidden tab stops polling. */
  visibility: Visibility
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (id: unknown) => void
  refreshMs?: number
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * What deserves a spoken announcement between two refreshes: a change in the number of waiting
 * chats or in the chats in progress. Durations and waits change every refresh and are not announced.
 */
export function changeSummary(before: Dashboard | null, after: Dashboard): string {
  if (!before) return ''
  const waiting = (d: Dashboard) => d.skills.reduce((sum, skill) => sum + skill.waitingChats, 0)
  const parts: string[] = []
  if (waiting(before) !== waiting(after)) parts.push(`${plural(waiting(after), 'chat', 'chats')} waiting`)
  if (before.chatsInProgress.length !== after.chatsInProgress.length)
    parts.push(`${plural(after.chatsInProgress.length, 'chat', 'chats')} in progress`)
  return parts.join(', ')
}

function messageOf(failure: unknown): string {
  if (failure instanceof ApiError) {
    if (failure.kind === 'forbidden')
      return 'Your permission groups do not include the dashboard (agent managers and admins).'
    if (failure.kind === 'rate-limited') return 'The server is busy. The dashboard will refresh again in a moment.'
    if (failure.kind === 'network' || failure.kind === 'server')
      return 'The dashboard cannot reach the server. It keeps trying; the figures below may be out of date.'
  }
  return `The dashboard could not refresh: ${failure instanceof Error ? failure.message : String(failure)}`
}

/**
 * The live dashboard's state: polls the Operational Realtime dashboard extension every few
 * seconds while started and the tab is visible (a hidden tab costs the server nothing), keeps
 * the last good answer on errors, and announces only meaningful changes.
 */
export function createDashboardStore(deps: DashboardDeps) {
  const setTimer = deps.setTimer ?? ((fn: () => void, ms: number): unknown => setTimeout(fn, ms))
  const clearTimer = deps.clearTimer ?? ((id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>))
  const visibility = deps.visibility
  const refreshMs = deps.refreshMs ?? DASHBOARD_REFRESH_MS

  const data = signal<Dashboard | null>(null)
  const error = signal('')
  const paused = signal(false)
  /** Browser time of the last good answer. */
  const updatedAt = signal<number | null>(null)

  let running = false
  let timer: unknown
  let inFlight: AbortController | undefined
  let stopVisibility: (() => void) | undefined

  const schedule = () => {
    if (timer !== undefined) clearTimer(timer)
    timer = undefined
    if (running && !visibility.hidden()) timer = setTimer(() => void refresh(), refreshMs)
  }

  async function refresh(): Promise<void> {
    timer = undefined
    if (!running || visibility.hidden()) return
    inFlight?.abort()
    const controller = new AbortController()
    inFlight = controller
    try {
      const next = await deps.api.dashboard(controller.signal)
      if (controller.signal.aborted) return
      const summary = changeSummary(data.value, next)
      data.value = next
      updatedAt.value = Date.now()
      error.value = ''
      if (summary) deps.announce(summary)
    } catch (failure) {
      if (controller.signal.aborted) return
      // A 401 is the session store's business (back to sign-in); everything else is shown here.
      if (!(failure instanceof ApiError && failure.kind === 'auth')) error.value = messageOf(failure)
      if (failure instanceof ApiError && failure.kind === 'forbidden') running = false
    } finally {
      if (inFlight === controller) inFlight = undefined
    }
    schedule()
  }

  const onVisibility = () => {
    paused.value = visibility.hidden()
    if (paused.value) {
      if (timer !== undefined) clearTimer(timer)
      timer = undefined
      inFlight?.abort()
    } else if (running && timer === undefined && !inFlight) void refresh()
  }

  return {
    data,
    error,
    paused,
    updatedAt,
    /** Starts polling (the page mounted); an immediate refresh, then every `refreshMs`. */
    start(): void {
      if (running) return
      running = true
      stopVisibility = visibility.onChange(onVisibility)
      paused.value = visibility.hidden()
      void refresh()
    },
    /** Stops polling (the page unmounted). */
    stop(): void {
      running = false
      stopVisibility?.()
      stopVisibility = undefined
      if (timer !== undefined) clearTimer(timer)
      timer = undefined
      inFlight?.abort()
    },
  }
}

export type DashboardStore = ReturnType<typeof createDashboardStore>
