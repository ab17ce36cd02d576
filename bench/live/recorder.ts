import { Agent, request } from 'node:http'
import type { WorkerReport } from './protocol.ts'

/** The answer of one call: status, `Location` and body text (status 0 = network error). */
export interface CallResult {
  status: number
  location: string | undefined
  text: string
}

const MAX_ERROR_SAMPLES = 20

/**
 * A keep-alive node:http client that times every call by type and counts failures. Sockets are
 * not capped: a held long poll occupies its own connection, as it would from a real client.
 * Only calls that complete while `measuring` is on are recorded.
 */
export class Recorder {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 })
  private latencies: Record<string, number[]> = {}
  private errors: Record<string, number> = {}
  private errorSamples: string[] = []
  private emptyLongPolls: Record<string, number> = {}
  private visibility = { visitorToAgent: [] as number[], agentToVisitor: [] as number[] }
  private measuring = false
  private windowStart = 0
  private cpuStart = process.cpuUsage()

  /** Starts the measurement window (drops everything recorded so far). */
  startWindow(): void {
    this.latencies = {}
    this.errors = {}
    this.errorSamples = []
    this.emptyLongPolls = {}
    this.visibility = { visitorToAgent: [], agentToVisitor: [] }
    this.measuring = true
    this.windowStart = performance.now()
    this.cpuStart = process.cpuUsage()
  }

  report(): WorkerReport {
    const cpu = process.cpuUsage(this.cpuStart)
    return {
      latencies: this.latencies,
      errors: this.errors,
      errorSamples: this.errorSamples,
      visibility: this.visibility,
      emptyLongPolls: this.emptyLongPolls,
      cpuMs: (cpu.user + cpu.system) / 1000,
      windowMs: performance.now() - this.windowStart,
    }
  }

  /** A line posted at `postedAt` (epoch ms) became visible to the other side now. */
  lineSeen(side: 'visitorToAgent' | 'agentToVisitor', postedAt: number): void {
    if (this.measuring) this.visibility[side].push(nowMs() - postedAt)
  }

  emptyLongPoll(type: string): void {
    if (this.measuring) this.emptyLongPolls[type] = (this.emptyLongPolls[type] ?? 0) + 1
  }

  /** One timed call; never throws (a network error is status 0). */
  async call(
    type: string,
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<CallResult> {
    const started = performance.now()
    const result = await this.send(method, url, headers, body)
    if (this.measuring) {
      ;(this.latencies[type] ??= []).push(performance.now() - started)
      if (result.status < 200 || result.status > 299) {
        this.errors[type] = (this.errors[type] ?? 0) + 1
        if (this.errorSamples.length < MAX_ERROR_SAMPLES)
          this.errorSamples.push(`${type} ${method} ${url} -> ${result.status} ${result.text.slice(0, 160)}`)
      }
    }
    return result
  }

  private send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<CallResult> {
    return new Promise((resolve) => {
      const req = request(url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.once('error', (error) => resolve({ status: 0, location: undefined, text: String(error) }))
      })
      req.once('error', (error) => resolve({ status: 0, location: undefined, text: String(error) }))
      req.end(body)
    })
  }
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const nowMs = (): number => performance.timeOrigin + performance.now()
