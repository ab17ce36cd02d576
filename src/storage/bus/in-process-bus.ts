import type { LiveBus, LiveChange } from '../../core/ports/live-bus.ts'
import type { Executor } from '../repositories/executor.ts'

/**
 * The live bus of a single process (today's behaviour): changes published inside a transaction are
 * held until the unit of work settles it, then delivered to this process's subscribers in order.
 */
export function createInProcessBus(): LiveBus {
  const listeners = new Set<(change: LiveChange) => void>()
  const resetListeners = new Set<() => void>()
  const pending = new WeakMap<object, LiveChange[]>()
  let closed = false
  const deliver = (change: LiveChange): void => {
    for (const listener of listeners) listener(change)
  }
  return {
    publish(db: Executor, change: LiveChange) {
      if (closed) return
      if (!db.isTransaction) {
        deliver(change)
        return
      }
      const held = pending.get(db)
      if (held) held.push(change)
      else pending.set(db, [change])
    },
    settle(tx: Executor) {
      const held = pending.get(tx)
      if (!held) return
      pending.delete(tx)
      if (!closed) for (const change of held) deliver(change)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onReset(listener) {
      resetListeners.add(listener)
      return () => resetListeners.delete(listener)
    },
    async close() {
      closed = true
      listeners.clear()
      resetListeners.clear()
    },
  }
}
