import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import pg from 'pg'
import type { LiveBus, LiveChange } from '../../core/ports/live-bus.ts'
import type { Executor } from '../repositories/executor.ts'

/** Options of the PostgreSQL live bus. */
export interface PostgresBusOptions {
  /** The database every process shares (the same URL as the storage's). */
  url: string
  /** The `LISTEN/NOTIFY` channel; default `parley_live`. */
  channel?: string
  /** Reconnection delays of the listener: the first, doubled up to the last; default 100 ms to 5 s. */
  reconnectMs?: { initial: number; max: number }
  /** Failures to send or listen (retried or reset; for logging). */
  onError?: (error: unknown, task: string) => void
}

/** The PostgreSQL bus, with what tests and operators may want to know. */
export interface PostgresBus extends LiveBus {
  /** This bus's id in payloads (its own notifications come back and are ignored by it). */
  readonly origin: string
  /** The backend pid of the listener connection, or undefined while reconnecting. */
  listenerPid(): number | undefined
}

export const DEFAULT_BUS_CHANNEL = 'parley_live'
/** PostgreSQL refuses payloads of 8000 bytes and more; changes beyond this go in further notifications. */
const MAX_PAYLOAD_BYTES = 7000

type Encoded = ['a', string | null] | ['c', string, string] | ['c', string, string, number]

const encode = (change: LiveChange): Encoded =>
  change.kind === 'account'
    ? ['a', change.accountId]
    : change.nextEventId === undefined
      ? ['c', change.accountId, change.chatKey]
      : ['c', change.accountId, change.chatKey, change.nextEventId]

function decode(item: unknown): LiveChange | undefined {
  if (!Array.isArray(item)) return undefined
  const [kind, a, b, c] = item as unknown[]
  if (kind === 'a' && (typeof a === 'string' || a === null)) return { kind: 'account', accountId: a }
  if (kind === 'c' && typeof a === 'string' && typeof b === 'string') {
    return typeof c === 'number'
      ? { kind: 'chat', accountId: a, chatKey: b, nextEventId: c }
      : { kind: 'chat', accountId: a, chatKey: b }
  }
  return undefined
}

/**
 * Repeated changes collapse into one (a chat keeps its highest `nextEventId`): a transaction
 * that touches a chat ten times says so once.
 */
class Coalesced {
  private readonly byKey = new Map<string, LiveChange>()
  add(change: LiveChange): void {
    const key = change.kind === 'account' ? `a\u0000${change.accountId ?? ''}` : `c\u0000${change.chatKey}`
    const previous = this.byKey.get(key)
    if (previous?.kind === 'chat' && change.kind === 'chat') {
      const next = Math.max(previous.nextEventId ?? -1, change.nextEventId ?? -1)
      this.byKey.set(key, next < 0 ? change : { ...change, nextEventId: next })
    } else if (!previous) this.byKey.set(key, change)
  }
  get size(): number {
    return this.byKey.size
  }
  changes(): LiveChange[] {
    return [...this.byKey.values()]
  }
}

/** Payloads of at most MAX_PAYLOAD_BYTES each carrying `changes`. */
export function payloadsOf(origin: string, changes: readonly LiveChange[]): string[] {
  const head = `{"o":${JSON.stringify(origin)},"c":[`
  const payloads: string[] = []
  let items: string[] = []
  let bytes = head.length + 2
  for (const change of changes) {
    const item = JSON.stringify(encode(change))
    const size = Buffer.byteLength(item) + 1
    if (items.length > 0 && bytes + size > MAX_PAYLOAD_BYTES) {
      payloads.push(`${head}${items.join(',')}]}`)
      items = []
      bytes = head.length + 2
    }
    items.push(item)
    bytes += size
  }
  if (items.length > 0) payloads.push(`${head}${items.join(',')}]}`)
  return payloads
}

/**
 * The live bus of several processes sharing one PostgreSQL database (docs/deployment.md):
 * `LISTEN/NOTIFY` on one channel.
 *
 * - Publishing inside a transaction collects the change; `beforeCommit` (the unit of work) sends
 *   them with one `pg_notify` through the transaction itself, so peers receive them only if and
 *   after it commits, in commit order. Subscribers of this process get them at `settle`.
 * - Publishing outside a transaction delivers to this process at once and sends within the tick
 *   (changes of one tick share a notification).
 * - One dedicated connection listens. When it is lost it reconnects with backoff, then the
 *   `onReset` listeners run (every cache flushes, held long polls re-check): what was sent while
 *   it was away is lost, and the database is the source of truth.
 *
 * Resolves once the listener listens, so nothing published by a peer after start-up is missed.
 */
export async function createPostgresBus(options: PostgresBusOptions): Promise<PostgresBus> {
  const channel = options.channel ?? DEFAULT_BUS_CHANNEL
  const initialDelay = options.reconnectMs?.initial ?? 100
  const maxDelay = options.reconnectMs?.max ?? 5000
  const origin = randomBytes(8).toString('hex')
  const reportError = (error: unknown, task: string): void => options.onError?.(error, task)
  const listeners = new Set<(change: LiveChange) => void>()
  const resetListeners = new Set<() => void>()
  const pending = new WeakMap<object, Coalesced>()
  /** Changes published outside a transaction, sent at the end of the tick, by handle. */
  const outbox = new Map<Executor, Coalesced>()
  /** Notifications of the outbox being sent (close waits for them: the CLI closes its storage next). */
  const sending = new Set<Promise<void>>()
  let client: pg.Client | undefined
  let retry: NodeJS.Timeout | undefined
  let delay = initialDelay
  let closed = false

  const deliver = (change: LiveChange): void => {
    for (const listener of listeners) {
      try {
        listener(change)
      } catch (error) {
        reportError(error, 'live bus: listener')
      }
    }
  }

  const onNotification = (message: pg.Notification): void => {
    if (message.channel !== channel || !message.payload) return
    let parsed: unknown
    try {
      parsed = JSON.parse(message.payload)
    } catch {
      return
    }
    const { o, c } = (parsed ?? {}) as { o?: unknown; c?: unknown }
    // Own changes were delivered locally already (at once or when their transaction settled).
    if (o === origin || !Array.isArray(c)) return
    for (const item of c) {
      const change = decode(item)
      if (change) deliver(change)
    }
  }

  const listen = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.url,
      application_name: `parley-live-bus ${origin}`,
      keepAlive: true,
    })
    let lost = false
    let established = false
    const onLost = (error?: unknown): void => {
      if (lost) return
      lost = true
      if (client === next) client = undefined
      next.removeAllListeners('notification')
      next.end().catch(() => undefined)
      // A connection that never listened is retried by whoever tried to open it.
      if (closed || !established) return
      if (error) reportError(error, 'live bus: listener lost')
      scheduleReconnect()
    }
    next.on('error', onLost)
    next.on('end', () => onLost())
    next.on('notification', onNotification)
    try {
      await next.connect()
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`)
    } catch (error) {
      onLost()
      throw error
    }
    if (closed || lost) {
      await next.end().catch(() => undefined)
      if (lost && !closed) throw new Error('the live bus listener connection closed while opening')
      return
    }
    established = true
    client = next
  }

  const scheduleReconnect = (): void => {
    if (closed || retry) return
    retry = setTimeout(() => {
      retry = undefined
      listen().then(
        () => {
          if (closed) return
          delay = initialDelay
          // Whatever peers sent while the connection was away is lost: everything is stale.
          for (const listener of resetListeners) {
            try {
              listener()
            } catch (error) {
              reportError(error, 'live bus: reset listener')
            }
          }
        },
        (error: unknown) => {
          reportError(error, 'live bus: reconnect')
          delay = Math.min(maxDelay, delay * 2)
          scheduleReconnect()
        },
      )
    }, delay)
    retry.unref()
  }

  const send = async (db: Executor, changes: readonly LiveChange[]): Promise<void> => {
    for (const payload of payloadsOf(origin, changes)) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db)
    }
  }

  const flushOutbox = (): void => {
    const batches = [...outbox]
    outbox.clear()
    for (const [db, batch] of batches) {
      // A lost notification costs peers at most the caches' safety-net TTL.
      const sent = send(db, batch.changes()).catch((error: unknown) => reportError(error, 'live bus: notify'))
      sending.add(sent)
      void sent.finally(() => sending.delete(sent))
    }
  }

  await listen()

  return {
    origin,
    listenerPid: () => (client as unknown as { processID?: number } | undefined)?.processID,
    publish(db, change) {
      if (closed) return
      if (db.isTransaction) {
        let held = pending.get(db)
        if (!held) pending.set(db, (held = new Coalesced()))
        held.add(change)
        return
      }
      deliver(change)
      let batch = outbox.get(db)
      if (!batch) {
        if (outbox.size === 0) setImmediate(flushOutbox)
        outbox.set(db, (batch = new Coalesced()))
      }
      batch.add(change)
    },
    async beforeCommit(tx) {
      const held = pending.get(tx)
      if (held && held.size > 0 && !closed) await send(tx, held.changes())
    },
    settle(tx) {
      const held = pending.get(tx)
      if (!held) return
      pending.delete(tx)
      if (!closed) for (const change of held.changes()) deliver(change)
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
      if (closed) return
      flushOutbox()
      closed = true
      if (retry) clearTimeout(retry)
      retry = undefined
      listeners.clear()
      resetListeners.clear()
      await Promise.all(sending)
      const current = client
      client = undefined
      if (current) await current.end().catch(() => undefined)
    },
  }
}
