import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { performance } from 'node:perf_hooks'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Leadership } from '../core/ports/leadership.ts'
import type { DialectName } from './dialect/dialect.ts'
import type { Database } from './schema.ts'

/** How long a lease lasts without renewal: a dead holder is replaced within LEASE_MS + RENEW_MS. */
export const LEASE_MS = 1_500
/** How often the holder renews, and how often the others try to take it over. */
export const RENEW_MS = 500
/** The one lease every background task shares (see docs/deployment.md). */
export const BACKGROUND_LEASE = 'background'

export interface LeaseLeadershipOptions {
  db: Kysely<Database>
  dialect: DialectName
  /** Lease name; default BACKGROUND_LEASE. */
  name?: string
  leaseMs?: number
  renewMs?: number
  /** Leadership gained (true) or lost (false); for logging. */
  onChange?: (leading: boolean) => void
  /** A failed renewal or takeover attempt (the database is unreachable); retried on the next tick. */
  onError?: (error: unknown) => void
}

/**
 * Leadership by a lease row (`leases`), on SQLite and PostgreSQL alike: every process tries, every
 * `renewMs`, one atomic upsert that succeeds only when the row is absent, expired, or already its
 * own (`INSERT ... ON CONFLICT DO UPDATE ... WHERE holder = me OR expires_at < now`). Expiry is
 * computed with the database's clock, so machines with skewed clocks agree. A process considers
 * itself leader only until its own monotonic clock says the lease it last renewed may have expired
 * (measured from before the statement was sent), so a process frozen past its lease (a long GC
 * pause, a stalled disk) stops leading before another can start. `close()` gives the lease up, so a
 * graceful shutdown hands over at once; a killed holder is replaced within `leaseMs + renewMs`.
 *
 * Why a lease rather than `pg_try_advisory_lock`: it works on both dialects (`serve --workers N`
 * on SQLite), needs no dedicated connection per process, and a holder that is alive but cut off
 * from the database loses it by expiry rather than by TCP keep-alive.
 *
 * Resolves once the first attempt is made, so a lone process leads from its first request on.
 */
export async function startLeaseLeadership(options: LeaseLeadershipOptions): Promise<Leadership & LeaseInfo> {
  const { db } = options
  const name = options.name ?? BACKGROUND_LEASE
  const leaseMs = options.leaseMs ?? LEASE_MS
  const renewMs = options.renewMs ?? RENEW_MS
  const holder = `${hostname()}/${process.pid}/${randomBytes(6).toString('hex')}`
  const now = databaseNow(options.dialect)
  let validUntil = 0
  let leading = false
  let closed = false
  let timer: NodeJS.Timeout | undefined
  let attempt: Promise<void> = Promise.resolve()

  const setLeading = (value: boolean): void => {
    if (value === leading) return
    leading = value
    options.onChange?.(value)
  }
  const tryAcquire = async (): Promise<void> => {
    const sentAt = performance.now()
    try {
      const row = await db
        .insertInto('leases')
        .values({ name, holder, expires_at: sql<number>`${now} + ${leaseMs}` })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({
              holder: (eb) => eb.ref('excluded.holder'),
              expires_at: (eb) => eb.ref('excluded.expires_at'),
            })
            .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now)])),
        )
        .returning('holder')
        .executeTakeFirst()
      if (closed) return
      // A small margin for clock-rate differences between this process and the database.
      if (row) validUntil = sentAt + leaseMs - MARGIN_MS
    } catch (error) {
      options.onError?.(error)
    }
    setLeading(performance.now() < validUntil)
  }
  const schedule = (): void => {
    timer = setTimeout(() => {
      attempt = tryAcquire().finally(() => {
        if (!closed) schedule()
      })
    }, renewMs)
    timer.unref()
  }

  attempt = tryAcquire()
  await attempt
  if (!closed) schedule()
  return {
    holder,
    isLeader: () => !closed && performance.now() < validUntil,
    async close() {
      if (closed) return
      closed = true
      clearTimeout(timer)
      await attempt.catch(() => undefined)
      const held = performance.now() < validUntil
      validUntil = 0
      setLeading(false)
      if (!held) return
      // Hands over at once rather than after expiry.
      await db
        .updateTable('leases')
        .set({ expires_at: 0 })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .execute()
        .catch((error: unknown) => options.onError?.(error))
    },
  }
}

/** Who this process is in the `leases` table (tests, logs). */
export interface LeaseInfo {
  readonly holder: string
}

const MARGIN_MS = 100

/** The database clock in epoch milliseconds. */
function databaseNow(dialect: DialectName): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`cast(unixepoch('subsec') * 1000 as integer)`
}
