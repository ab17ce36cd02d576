import { describe, expect, it } from 'vitest'
import { ApiError, createHttpClient } from '../../web/src/api/http.ts'
import { operationalApi, type Dashboard } from '../../web/src/api/operational.ts'
import { changeSummary, createDashboardStore } from '../../web/src/state/dashboard.ts'
import { formatSeconds } from '../../web/src/views/duration.ts'

const dashboard = (waiting: number, inProgress: number, duration = 10): Dashboard => ({
  time: 1_796_638_500_000,
  skills: [
    {
      skillId: 1,
      name: 'Sales',
      waitingChats: waiting,
      longestWaitSeconds: waiting ? 5 : 0,
      estimatedWaitSeconds: 0,
      availableSlots: 1,
    },
  ],
  agents: [],
  chatsInProgress: Array.from({ length: inProgress }, (_, i) => ({
    engagementId: `e${i}`,
    skillId: 1,
    agentId: 3,
    agentNickname: 'Alice',
    startTime: 1_796_638_440_000,
    durationSeconds: duration,
    mcs: null,
  })),
  lastHour: { endedChats: 0, connectedChats: 0, abandonedChats: 0, averageWaitSeconds: 0 },
})

/** A store on fakes: answers from a queue, timers run by hand, visibility switched by hand. */
function harness(answers: Array<Dashboard | Error>) {
  const timers = new Map<number, () => void>()
  let nextTimer = 1
  let hidden = false
  let listener: (() => void) | undefined
  const announced: string[] = []
  let calls = 0
  const store = createDashboardStore({
    api: {
      dashboard: async () => {
        calls++
        const next = answers.shift()
        if (!next) throw new Error('no more answers')
        if (next instanceof Error) throw next
        return next
      },
    },
    announce: (text) => announced.push(text),
    visibility: {
      hidden: () => hidden,
      onChange: (fn) => {
        listener = fn
        return () => (listener = undefined)
      },
    },
    setTimer: (fn) => {
      timers.set(nextTimer, fn)
      return nextTimer++
    },
    clearTimer: (id) => timers.delete(id as number),
    refreshMs: 3000,
  })
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
  return {
    store,
    announced,
    calls: () => calls,
    timers,
    /** Fires the pending refresh timer and lets the answer land. */
    async tick() {
      const [id, fn] = [...timers][0] ?? []
      if (id === undefined || !fn) throw new Error('no timer pending')
      timers.delete(id)
      fn()
      await settle()
    },
    async setHidden(value: boolean) {
      hidden = value
      listener?.()
      await settle()
    },
    settle,
  }
}

describe('console dashboard state (web/src/state/dashboard.ts)', () => {
  it('loads at once, refreshes on a timer, and announces only changes in chats waiting or in progress', async () => {
    const h = harness([dashboard(0, 0), dashboard(1, 0), dashboard(1, 0, 20), dashboard(0, 1)])
    h.store.start()
    await h.settle()
    expect(h.store.data.value?.skills[0]?.waitingChats).toBe(0)
    expect(h.announced).toEqual([]) // the first load is not a change
    expect(h.timers.size).toBe(1)
    await h.tick()
    expect(h.announced).toEqual(['1 chat waiting'])
    await h.tick() // only durations changed: nothing said
    expect(h.announced).toEqual(['1 chat waiting'])
    await h.tick()
    expect(h.announced).toEqual(['1 chat waiting', '0 chats waiting, 1 chat in progress'])
    expect(h.calls()).toBe(4)
    h.store.stop()
    expect(h.timers.size).toBe(0)
  })

  it('stops polling while the tab is hidden and refreshes at once when it shows again', async () => {
    const h = harness([dashboard(0, 0), dashboard(2, 0)])
    h.store.start()
    await h.settle()
    await h.setHidden(true)
    expect(h.store.paused.value).toBe(true)
    expect(h.timers.size).toBe(0)
    expect(h.calls()).toBe(1)
    await h.setHidden(false)
    expect(h.store.paused.value).toBe(false)
    expect(h.calls()).toBe(2)
    expect(h.store.data.value?.skills[0]?.waitingChats).toBe(2)
    h.store.stop()
  })

  it('keeps the last figures under a message when the server fails, and clears it on the next success', async () => {
    const h = harness([dashboard(1, 0), new ApiError('server', 'boom', 503), dashboard(1, 0)])
    h.store.start()
    await h.settle()
    await h.tick()
    expect(h.store.error.value).toMatch(/cannot reach the server/)
    expect(h.store.data.value?.skills[0]?.waitingChats).toBe(1)
    await h.tick()
    expect(h.store.error.value).toBe('')
    h.store.stop()
  })

  it('stops for good on 403 (not a manager or admin) with a clear message', async () => {
    const h = harness([new ApiError('forbidden', 'Unauthorized account access', 403)])
    h.store.start()
    await h.settle()
    expect(h.store.error.value).toMatch(/agent managers and admins/)
    expect(h.timers.size).toBe(0)
  })

  it('summarises changes in words with singular and plural', () => {
    expect(changeSummary(null, dashboard(3, 0))).toBe('')
    expect(changeSummary(dashboard(0, 2), dashboard(3, 1))).toBe('3 chats waiting, 1 chat in progress')
  })

  it('formats durations with their units', () => {
    expect(formatSeconds(0)).toBe('0 s')
    expect(formatSeconds(59)).toBe('59 s')
    expect(formatSeconds(245)).toBe('4 min 05 s')
    expect(formatSeconds(3720)).toBe('1 h 02 min')
  })
})

describe('console Operational Realtime client (web/src/api/operational.ts)', () => {
  it('asks the dashboard extension with the bearer, once per poll (the next poll is the retry)', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = []
    const answers = [new Response('{"error":{"message":"down"}}', { status: 503 }), Response.json(dashboard(1, 0))]
    const http = createHttpClient({
      bearer: () => 'bearer-1',
      onUnauthorized: () => undefined,
      fetch: async (url, init) => {
        calls.push({ url, init })
        return answers.shift()!
      },
      sleep: async () => undefined,
    })
    const api = operationalApi(http, 'acc 1')
    await expect(api.dashboard()).rejects.toMatchObject({ kind: 'server', status: 503 })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.url).toBe('/operations/api/account/acc%201/parley/dashboard?v=1')
    expect((calls[0]?.init.headers as Record<string, string>).Authorization).toBe('Bearer bearer-1')
    expect((await api.dashboard()).skills[0]?.name).toBe('Sales')
  })
})
