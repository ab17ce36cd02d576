import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromWorker, ToWorker, WorkerReport } from './protocol.ts'

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url))

/** A forked load-generator process and the messages it sent that nobody awaited yet. */
export class LoadWorker {
  readonly child: ChildProcess
  private readonly inbox: FromWorker[] = []
  private waiter: ((message: FromWorker) => void) | undefined
  private exitError: Error | undefined

  constructor() {
    this.child = fork(WORKER, [], { execPath: process.execPath, serialization: 'advanced', stdio: 'inherit' })
    this.child.on('message', (message: FromWorker) => this.deliver(message))
    this.child.once('exit', (code, signal) => {
      this.exitError = new Error(`load worker exited (${code ?? signal})`)
      this.deliver({ kind: 'failed', error: this.exitError.message })
    })
  }

  send(message: ToWorker): void {
    this.child.send(message)
  }

  /** The next message of `kind`; rejects when the worker reports a failure or exits. */
  async next<K extends FromWorker['kind']>(kind: K): Promise<Extract<FromWorker, { kind: K }>> {
    for (;;) {
      const message = this.inbox.shift() ?? (await new Promise<FromWorker>((resolve) => (this.waiter = resolve)))
      if (message.kind === kind) return message as Extract<FromWorker, { kind: K }>
      if (message.kind === 'failed') throw new Error(message.error)
    }
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }

  private deliver(message: FromWorker): void {
    const waiter = this.waiter
    this.waiter = undefined
    if (waiter) waiter(message)
    else this.inbox.push(message)
  }
}

/** The reports of several workers as one (samples concatenated, counts and CPU added). */
export function mergeReports(reports: readonly WorkerReport[]): WorkerReport {
  const merged: WorkerReport = {
    latencies: {},
    errors: {},
    errorSamples: [],
    visibility: { visitorToAgent: [], agentToVisitor: [] },
    emptyLongPolls: {},
    cpuMs: 0,
    windowMs: 0,
  }
  for (const report of reports) {
    for (const [type, samples] of Object.entries(report.latencies))
      merged.latencies[type] = (merged.latencies[type] ?? []).concat(samples)
    for (const [type, count] of Object.entries(report.errors)) merged.errors[type] = (merged.errors[type] ?? 0) + count
    for (const [type, count] of Object.entries(report.emptyLongPolls))
      merged.emptyLongPolls[type] = (merged.emptyLongPolls[type] ?? 0) + count
    merged.errorSamples.push(...report.errorSamples)
    merged.visibility.visitorToAgent = merged.visibility.visitorToAgent.concat(report.visibility.visitorToAgent)
    merged.visibility.agentToVisitor = merged.visibility.agentToVisitor.concat(report.visibility.agentToVisitor)
    merged.cpuMs += report.cpuMs
    merged.windowMs = Math.max(merged.windowMs, report.windowMs)
  }
  return merged
}
