import cluster, { type Worker } from 'node:cluster'
import type { Config } from '../config/config.ts'
import { createStorage, migrateToLatest } from '../storage/db.ts'
import { acquireServerLock, type ServerLock } from '../storage/server-lock.ts'
import { relayBetweenWorkers } from '../storage/bus/cluster-relay-bus.ts'
import { err, out } from './output.ts'

/**
 * `parley serve --workers N` (docs/deployment.md), the primary's side: it migrates the database
 * once, holds the SQLite server lock for the whole cluster (a second, unrelated `parley serve` on
 * the same file still refuses to start), forks N workers that share the port (node:cluster hands
 * connections round-robin), relays the SQLite live bus between them, restarts a worker that dies
 * (with backoff), and on SIGTERM or SIGINT asks each worker to drain and waits for them.
 * The workers run `startServer` (cli/serve.ts). Background tasks run in whichever worker holds the
 * leadership lease.
 */
export async function runClusterPrimary(config: Config): Promise<void> {
  const storage = createStorage(config.database, { poolSize: 1 })
  let lock: ServerLock | undefined
  try {
    if (config.migrateOnBoot) await migrateToLatest(storage)
    if (config.database.kind === 'sqlite' && config.database.path !== ':memory:')
      lock = await acquireServerLock(storage.db, {
        label: config.database.path,
        onLost: () => err('parley: another server took over this database; stop one of them (one server per file)'),
      })
  } catch (error) {
    await storage.close()
    throw error
  }
  // Workers run this same command line; they skip what the primary did.
  cluster.setupPrimary({ silent: false })
  const relay = relayBetweenWorkers(() => Object.values(cluster.workers ?? {}).filter((w) => w !== undefined))
  cluster.on('message', (worker, message) => relay(worker, message))

  let stopping = false
  let ready = 0
  let failures = 0
  const startedAt = new Map<Worker, number>()
  const fork = (seed: boolean): Worker => {
    const worker = cluster.fork({ [CLUSTER_SEED_ENV]: seed ? '1' : '0' })
    startedAt.set(worker, Date.now())
    return worker
  }

  const allReady = new Promise<WorkerReady>((resolve, reject) => {
    let first: WorkerReady | undefined
    const onMessage = (_worker: Worker, message: unknown): void => {
      if (!isReady(message)) return
      first ??= message
      // Worker 1 created the demo account (if the database was empty) before the others start.
      if (++ready === 1) for (let i = 1; i < config.workers; i++) fork(false)
      if (ready === config.workers) {
        cluster.off('message', onMessage)
        cluster.off('exit', onEarlyExit)
        resolve(first)
      }
    }
    const onEarlyExit = (worker: Worker, code: number | null): void => {
      reject(new Error(`a server worker (process ${worker.process.pid}) exited with code ${code} while starting`))
    }
    cluster.on('message', onMessage)
    cluster.on('exit', onEarlyExit)
  })
  fork(true)
  let first: WorkerReady
  try {
    first = await allReady
  } catch (error) {
    stopping = true
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
    await lock?.release().catch(() => undefined)
    await storage.close()
    throw error
  }

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    const lived = Date.now() - (startedAt.get(worker) ?? 0)
    startedAt.delete(worker)
    failures = lived > STABLE_MS ? 1 : failures + 1
    const delay = Math.min(RESTART_BASE_MS * 2 ** (failures - 1), RESTART_MAX_MS)
    err(
      `parley: server worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); starting another in ${delay} ms`,
    )
    setTimeout(() => {
      if (!stopping) fork(false)
    }, delay)
  })

  const stop = async (): Promise<void> => {
    if (stopping) {
      // A second signal: no more waiting.
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
      process.exit(1)
    }
    stopping = true
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined)
    const exited = Promise.all(workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve()))))
    for (const worker of workers) {
      try {
        worker.send({ parleyShutdown: true })
      } catch {
        // Already gone.
      }
    }
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_MS)
    })
    await Promise.race([exited, timedOut])
    clearTimeout(timer)
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL')
    await lock?.release().catch(() => undefined)
    await storage.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop())
  process.on('SIGINT', () => void stop())

  out(
    `Parley is listening on ${first.httpUrl}${first.httpsUrl ? ` and ${first.httpsUrl}` : ''} (${config.workers} workers, process ${process.pid})`,
  )
  if (first.demoText) out(first.demoText)
}

/** Sent by a worker once it listens (and, for the first, with the demo account's text). */
export interface WorkerReady {
  parleyReady: true
  httpUrl: string
  httpsUrl?: string | undefined
  demoText?: string | undefined
}

const isReady = (message: unknown): message is WorkerReady =>
  typeof message === 'object' && message !== null && 'parleyReady' in message

/** Whether the primary asked this worker to drain and exit. */
export const isShutdownRequest = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && 'parleyShutdown' in message

/** Set by the primary for the worker that may create the demo account (the first one). */
export const CLUSTER_SEED_ENV = 'PARLEY_CLUSTER_SEED'

/** A worker that lived this long was healthy: the restart backoff starts over. */
const STABLE_MS = 30_000
const RESTART_BASE_MS = 100
const RESTART_MAX_MS = 10_000
/** How long the primary waits for its workers to drain (each closes within close-with-grace's 10 s). */
const SHUTDOWN_MS = 15_000
