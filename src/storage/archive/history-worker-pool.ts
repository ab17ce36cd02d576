import { Worker } from 'node:worker_threads'
import type { DatabaseConfig } from '../../config/config.ts'
import type { HistoryFilter, HistoryQuery, SortKey } from '../../core/history/history-query.types.ts'

export type WorkerRequest =
  | { type: 'search'; id: number; filter: HistoryFilter; sort: readonly SortKey[]; offset: number; limit: number }
  | { type: 'close' }

export type WorkerReply =
  { id: number; ok: true; count: number; documents: string[] } | { id: number; ok: false; message: string }

/** A HistoryQuery whose searches run on worker threads; `close()` stops them. */
export interface HistoryWorkerPool extends HistoryQuery {
  close(): Promise<void>
}

export interface HistoryWorkerPoolOptions {
  database: DatabaseConfig
  /** Worker threads, each with its own read connection (started on first use). */
  size: number
  /** Searches allowed to wait for a free worker; one more is refused with `busyError()`. */
  maxQueue: number
  /** The error a refused search rejects with (the service layer's BUSY error). */
  busyError: (message: string) => Error
}

interface Job {
  request: Extract<WorkerRequest, { type: 'search' }>
  resolve(value: { count: number; documents: string[] }): void
  reject(error: unknown): void
}

interface Slot {
  worker: Worker
  job: Job | undefined
}

// Tests run the TypeScript sources, production runs dist/: start the worker file of the same kind.
const workerUrl = new URL(`./history.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)

/**
 * Runs storage-backed history searches on a bounded pool of worker threads, so a slow search
 * never blocks the event loop. At most `size` searches run at once and `maxQueue` wait; beyond
 * that `search` rejects with `busyError`. Records come back exactly as archived.
 */
export function createHistoryWorkerPool(options: HistoryWorkerPoolOptions): HistoryWorkerPool {
  const slots: Slot[] = []
  const queue: Job[] = []
  let nextId = 1
  let closed = false

  const start = (): Slot => {
    const worker = new Worker(workerUrl, { workerData: { database: options.database } })
    // Referenced only while a search runs, so an idle pool never keeps the process alive.
    worker.unref()
    const slot: Slot = { worker, job: undefined }
    const fail = (error: unknown): void => {
      const index = slots.indexOf(slot)
      if (index >= 0) slots.splice(index, 1)
      slot.job?.reject(error)
      slot.job = undefined
      dispatch()
    }
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job
      slot.job = undefined
      worker.unref()
      if (job && job.request.id === reply.id) {
        if (reply.ok) job.resolve({ count: reply.count, documents: reply.documents })
        else job.reject(new Error(`history search failed: ${reply.message}`))
      }
      dispatch()
    })
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (!closed) fail(new Error(`history worker exited with code ${code}`))
    })
    slots.push(slot)
    return slot
  }

  const dispatch = (): void => {
    while (queue.length > 0 && !closed) {
      const slot =
        slots.find((candidate) => candidate.job === undefined) ?? (slots.length < options.size ? start() : undefined)
      if (!slot) return
      const job = queue.shift()!
      slot.job = job
      slot.worker.ref()
      slot.worker.postMessage(job.request)
    }
  }

  return {
    async search(filter, sort, offset, limit) {
      if (closed) throw options.busyError('History search is shutting down')
      const busyWorkers = slots.filter((slot) => slot.job !== undefined).length
      if (busyWorkers >= options.size && queue.length >= options.maxQueue)
        throw options.busyError('Too many history searches in progress; retry later')
      return new Promise<{ count: number; documents: string[] }>((resolve, reject) => {
        queue.push({
          request: { type: 'search', id: nextId++, filter, sort: [...sort], offset, limit },
          resolve,
          reject,
        })
        dispatch()
      })
    },

    async close() {
      if (closed) return
      closed = true
      for (const job of queue.splice(0)) job.reject(options.busyError('History search is shutting down'))
      await Promise.all(
        slots.splice(0).map(
          (slot) =>
            new Promise<void>((resolve) => {
              slot.job?.reject(options.busyError('History search is shutting down'))
              slot.worker.once('exit', () => resolve())
              slot.worker.postMessage({ type: 'close' } satisfies WorkerRequest)
            }),
        ),
      )
    },
  }
}
