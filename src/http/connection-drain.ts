import type { EventEmitter } from 'node:events'
import type { Socket } from 'node:net'

/**
 * Tracks a listener's connections that were accepted but have not started a request yet.
 *
 * Node's `server.close()` also closes every connection it considers idle, and a connection whose
 * request bytes are still unread (the event loop was busy, as under hundreds of arriving long
 * polls on PostgreSQL) is idle to Node: it was reset without an answer. Waiting until every
 * accepted connection has started its request, while the listener still accepts, lets shutdown
 * answer them all (test/server/chat-restart.test.ts).
 */
export interface ConnectionDrain {
  /** Accepted connections that have not started a request. */
  pending(): number
  /** Resolves once `pending()` is 0, or after `timeoutMs`. */
  untilRequestsStarted(timeoutMs: number): Promise<void>
  /**
   * Destroys the connections that still carried no request: browsers open spare sockets ahead of
   * time, which Node treats as neither idle nor busy, so `close()` would wait until the client
   * drops them (a minute or more for an open console tab). A request racing in is retried.
   */
  destroyPending(): void
}

/** `tls: true` for an HTTPS listener, whose requests arrive on the TLS socket, not the TCP one. */
export function trackConnections(
  listeners: ReadonlyArray<{ server: EventEmitter; tls: boolean } | undefined>,
): ConnectionDrain {
  const waiting = new Set<Socket>()
  for (const listener of listeners) {
    if (!listener) continue
    const { server } = listener
    server.on(listener.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      waiting.add(socket)
      socket.once('close', () => waiting.delete(socket))
    })
    server.on('request', (request: { socket: Socket }) => waiting.delete(request.socket))
  }
  return {
    pending: () => waiting.size,
    async untilRequestsStarted(timeoutMs) {
      const deadline = Date.now() + timeoutMs
      while (waiting.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    },
    destroyPending() {
      for (const socket of waiting) socket.destroy()
    },
  }
}
