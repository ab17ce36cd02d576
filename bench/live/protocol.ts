/** Messages between `bench/live.ts` and its load-generator processes (`load-worker.ts`, IPC). */

/** How each side learns about new events. */
export type PollMode = 'poll' | 'long'

/** One agent the worker drives: a Login Service bearer (the agent session is opened per level). */
export interface BenchAgent {
  loginName: string
  bearer: string
}

/** Everything one load-generator process needs for one level. */
export interface LoadConfig {
  baseUrl: string
  accountId: string
  appKey: string
  skill: string
  agents: BenchAgent[]
  /** Concurrent chats this worker keeps open (its share of N). */
  chats: number
  mode: PollMode
  /** Fixed polling interval (poll mode; agents' incomingRequests in both modes). */
  pollMs: number
  /** `wait` of a long poll, in seconds. */
  waitSeconds: number
  /** Mean interval between two lines of one side; each gap is uniform in [0.8, 1.2] × this. */
  lineMs: number
  /** Mean chat length; each chat lasts uniform [0.5, 1.5] × this (the first ones: [0.1, 1.5] ×). */
  chatMs: number
  /** The worker's visitors request their first chats spread over this time. */
  rampMs: number
}

/** A closed-loop throughput run: `concurrency` loops GET `urls` (round robin) for `durationMs`. */
export interface CeilingConfig {
  urls: string[]
  headers: Record<string, string>
  concurrency: number
  durationMs: number
}

export type ToWorker =
  | { kind: 'load'; config: LoadConfig }
  | { kind: 'ceiling'; config: CeilingConfig }
  | { kind: 'measure' }
  | { kind: 'report' }

/** What one worker measured during the window, raw so several workers can be merged. */
export interface WorkerReport {
  /** Latencies in ms per call type, of the calls that completed in the window. */
  latencies: Record<string, number[]>
  /** Failed calls per call type (non-2xx or network error). */
  errors: Record<string, number>
  /** A few failures, for the operator. */
  errorSamples: string[]
  /** Post-to-visible times of lines, ms, by the side that posted them. */
  visibility: { visitorToAgent: number[]; agentToVisitor: number[] }
  /** Long polls answered at once without any new event (`wait` not honoured). */
  emptyLongPolls: Record<string, number>
  /** CPU time of the worker process during the window, ms. */
  cpuMs: number
  windowMs: number
}

export type FromWorker =
  { kind: 'ready' } | { kind: 'report'; report: WorkerReport } | { kind: 'failed'; error: string }
