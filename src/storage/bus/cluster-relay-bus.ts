import type { LiveBus, LiveChange } from '../../core/ports/live-bus.ts'
import { createInProcessBus } from './in-process-bus.ts'

/** The IPC channel between a cluster worker and its primary (`process` in a worker, a `Worker` in the primary). */
export interface RelayChannel {
  send(message: unknown): unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  off(event: 'message', listener: (message: unknown) => void): unknown
}

/** What travels over IPC: one committed change. */
interface RelayMessage {
  parleyBus: LiveChange
}

const isRelayMessage = (message: unknown): message is RelayMessage =>
  typeof message === 'object' && message !== null && 'parleyBus' in message

/**
 * The live bus of a worker of `parley serve --workers N` on SQLite (docs/deployment.md): a change
 * published inside a transaction is held until the unit of work settles it, then delivered to this
 * worker's subscribers and sent to the primary, which relays it to every other worker
 * (`relayBetweenWorkers`). Per sender, changes arrive in the order they were settled. The database
 * stays the source of truth: a worker killed between a commit and the send leaves its peers to
 * their caches' time limits, as a lost message would.
 */
export function createClusterRelayBus(channel: RelayChannel): LiveBus {
  // Publishing, holding until settle and local delivery are the in-process bus's; this adds the relay.
  const local = createInProcessBus()
  const peersListeners = new Set<(change: LiveChange) => void>()
  let closed = false
  local.subscribe((change) => {
    try {
      channel.send({ parleyBus: change } satisfies RelayMessage)
    } catch {
      // The primary is gone: this worker exits with it (node:cluster), nothing to relay to.
    }
  })
  const onMessage = (message: unknown): void => {
    if (closed || !isRelayMessage(message)) return
    for (const listener of peersListeners) listener(message.parleyBus)
  }
  channel.on('message', onMessage)
  return {
    publish: (db, change) => local.publish(db, change),
    settle: (tx) => local.settle(tx),
    subscribe(listener) {
      const unsubscribe = local.subscribe(listener)
      peersListeners.add(listener)
      return () => {
        unsubscribe()
        peersListeners.delete(listener)
      }
    },
    onReset: (listener) => local.onReset(listener),
    async close() {
      closed = true
      channel.off('message', onMessage)
      peersListeners.clear()
      await local.close()
    },
  }
}

/**
 * The primary's half: every change a worker sends goes to every other worker. `workers()` lists
 * the live workers at the time of the message (restarted workers join as they start).
 */
export function relayBetweenWorkers(
  workers: () => Iterable<RelayChannel & { isConnected(): boolean }>,
): (from: RelayChannel, message: unknown) => void {
  return (from, message) => {
    if (!isRelayMessage(message)) return
    for (const worker of workers()) {
      if (worker === from || !worker.isConnected()) continue
      try {
        worker.send(message)
      } catch {
        // A worker that died in between: it starts again with empty caches.
      }
    }
  }
}
