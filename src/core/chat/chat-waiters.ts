import type { LiveBus } from '../ports/live-bus.ts'

export interface ChatWaitersDeps {
  /** Chat changes of every process wake the polls held here; a reset re-checks all of them. */
  bus: LiveBus
}

/**
 * The long polls held in this process (Decision D10) and the visitor polls among them. Wakeups
 * come from the live bus only, so a line committed by any process on the database wakes them.
 */
export interface ChatWaiters {
  /**
   * Resolves `true` as soon as `visible()` does, re-checking it whenever the chat changes past
   * `from`; `false` when `waitMs` passes first (after one last check) or the waiters close.
   */
  wait(chatKey: string, from: number, waitMs: number, visible: () => Promise<boolean>): Promise<boolean>
  /** Whether a visitor's poll of the chat is being held now (such chats are active, chat-api.md §12.3). */
  holdsVisitorPoll(chatKey: string): boolean
  /** Counts a visitor's held poll of the chat until `release()` is called. */
  holdVisitorPoll(chatKey: string): { release(): void }
  /** Releases every held poll (each answers after one last check) and stops listening. */
  close(): void
  /** Whether `close()` was called. */
  readonly closed: boolean
}

interface Waiter {
  from: number
  wake(): void
}

export function createChatWaiters(deps: ChatWaitersDeps): ChatWaiters {
  /** Held polls by chat key. */
  const waiters = new Map<string, Set<Waiter>>()
  const heldVisitorPolls = new Map<string, number>()
  let closed = false

  /** Wakes the chat's polls that may see something new (every one when `nextEventId` is unknown). */
  function wake(chatKey: string, nextEventId?: number): void {
    const set = waiters.get(chatKey)
    if (!set) return
    for (const waiter of set) {
      if (nextEventId !== undefined && nextEventId <= waiter.from) continue
      set.delete(waiter)
      waiter.wake()
    }
    if (set.size === 0) waiters.delete(chatKey)
  }

  function wakeAll(): void {
    for (const chatKey of [...waiters.keys()]) wake(chatKey)
  }

  const unsubscribe = deps.bus.subscribe((change) => {
    if (change.kind === 'chat') wake(change.chatKey, change.nextEventId)
  })
  // Changes may have been missed: every held poll reads again.
  const unsubscribeReset = deps.bus.onReset(wakeAll)

  return {
    get closed() {
      return closed
    },

    async wait(chatKey, from, waitMs, visible) {
      if (waitMs <= 0 || closed) return visible()
      let timer: ReturnType<typeof setTimeout> | undefined
      let waiter: Waiter | undefined
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs)
        timer.unref()
      })
      try {
        for (;;) {
          // Register before reading, so an event committed in between still wakes this poll.
          const woken = new Promise<void>((resolve) => {
            waiter = { from, wake: resolve }
            const set = waiters.get(chatKey) ?? new Set()
            set.add(waiter)
            waiters.set(chatKey, set)
          })
          if (await visible()) return true
          if (closed) return false
          const outcome = await Promise.race([
            woken.then(() => 'woken' as const),
            expired.then(() => 'expired' as const),
          ])
          if (outcome === 'expired') return visible()
        }
      } finally {
        clearTimeout(timer)
        const set = waiters.get(chatKey)
        if (set && waiter) {
          set.delete(waiter)
          if (set.size === 0) waiters.delete(chatKey)
        }
      }
    },

    holdsVisitorPoll: (chatKey) => (heldVisitorPolls.get(chatKey) ?? 0) > 0,

    holdVisitorPoll(chatKey) {
      heldVisitorPolls.set(chatKey, (heldVisitorPolls.get(chatKey) ?? 0) + 1)
      return {
        release() {
          const held = (heldVisitorPolls.get(chatKey) ?? 1) - 1
          if (held > 0) heldVisitorPolls.set(chatKey, held)
          else heldVisitorPolls.delete(chatKey)
        },
      }
    },

    close() {
      closed = true
      unsubscribe()
      unsubscribeReset()
      wakeAll()
    },
  }
}
