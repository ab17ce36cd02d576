import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Kysely } from 'kysely'
import type { Database, ServerLockRow } from './schema.ts'

/** How often the holder refreshes its heartbeat. */
export const LOCK_HEARTBEAT_MS = 5_000
/** A lock whose heartbeat is older than this is stale even if its process id is alive (pid reuse, another host). */
export const LOCK_STALE_MS = 30_000

/** A second server on the same database: the message says who holds it and what to do. */
export class ServerLockError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServerLockError'
  }
}

/** A held lock: `release()` gives it up (on shutdown); `lost` is true once another process took it over. */
export interface ServerLock {
  readonly lost: boolean
  release(): Promise<void>
}

export interface ServerLockOptions {
  /** What the database is called in messages (the SQLite path). */
  label: string
  pid?: number
  host?: string
  now?: () => number
  /** Whether a process id is running on this host (default: signal 0). */
  isAlive?: (pid: number) => boolean
  heartbeatMs?: number
  /** Called once if the lock is taken over while held (the process was frozen past LOCK_STALE_MS). */
  onLost?: () => void
}

const LOCK_ID = 1

/**
 * Claims the database for this server process, so that a second `parley serve` on the same file
 * refuses to start: live chat state (held long polls, timers) lives in one process, and a second
 * one would serve the same chats without seeing the first one's lines. The claim is a row
 * (`server_lock`) with an owner token, the process id and host, and a heartbeat refreshed every
 * few seconds. It dies with the process: a row whose process no longer runs on this host (kill -9,
 * a crash, a reboot), or whose heartbeat stopped, is stale and taken over. Each step is one atomic
 * statement (insert-if-absent, compare-and-set on the owner), so two servers starting at once
 * cannot both win. The CLI's other commands never take it: they work next to a running server.
 */
export async function acquireServerLock(db: Kysely<Database>, options: ServerLockOptions): Promise<ServerLock> {
  const pid = options.pid ?? process.pid
  const host = options.host ?? hostname()
  const now = options.now ?? Date.now
  const isAlive = options.isAlive ?? processIsAlive
  const owner = randomBytes(16).toString('hex')
  const row = (): ServerLockRow => ({
    id: LOCK_ID,
    owner,
    pid,
    host,
    started_at: now(),
    heartbeat_at: now(),
  })

  for (let attempt = 0; attempt < 5; attempt++) {
    const inserted = await db
      .insertInto('server_lock')
      .values(row())
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('owner')
      .executeTakeFirst()
    if (inserted) return hold()
    const current = await db.selectFrom('server_lock').selectAll().where('id', '=', LOCK_ID).executeTakeFirst()
    if (!current) continue
    const stale =
      Number(current.heartbeat_at) < now() - LOCK_STALE_MS ||
      (current.host === host && (Number(current.pid) === pid || !isAlive(Number(current.pid))))
    if (!stale)
      throw new ServerLockError(
        `another Parley server (process ${current.pid}${current.host === host ? '' : ` on ${current.host}`}) is running on ${options.label}; stop it first, or give this one its own --database`,
      )
    const taken = await db
      .updateTable('server_lock')
      .set({ owner, pid, host, started_at: now(), heartbeat_at: now() })
      .where('id', '=', LOCK_ID)
      .where('owner', '=', current.owner)
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) === 1) return hold()
  }
  throw new ServerLockError(`could not claim ${options.label}: other servers are starting on it at the same time`)

  function hold(): ServerLock {
    let lost = false
    let beating: Promise<void> = Promise.resolve()
    const timer = setInterval(() => {
      beating = db
        .updateTable('server_lock')
        .set({ heartbeat_at: now() })
        .where('id', '=', LOCK_ID)
        .where('owner', '=', owner)
        .executeTakeFirst()
        .then((result) => {
          if (Number(result.numUpdatedRows) === 0 && !lost) {
            lost = true
            options.onLost?.()
          }
        })
        // A failed heartbeat (database busy) is retried by the next one; staleness needs six in a row.
        .catch(() => undefined)
    }, options.heartbeatMs ?? LOCK_HEARTBEAT_MS)
    timer.unref()
    return {
      get lost() {
        return lost
      },
      async release() {
        clearInterval(timer)
        await beating
        await db.deleteFrom('server_lock').where('id', '=', LOCK_ID).where('owner', '=', owner).execute()
      },
    }
  }
}

/** True when a process with this id runs on this host (EPERM: it runs under another user). */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
