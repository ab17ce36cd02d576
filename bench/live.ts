/**
 * `npm run bench:live -- [flags]`: the live-chat benchmark of issue 4 (docs/benchmarks.md).
 *
 * Prepares a fresh SQLite database (account `bench`, skill `Bench`, agents logged in through the
 * Login Service), then for each mode (fixed polling, then long polling with `wait`) and each N
 * starts `parley serve` on a fresh copy of it and drives N concurrent chats from separate
 * load-generator processes (bench/live/load-worker.ts) with real HTTP: visitors request chats
 * (V7), read them (V8) and poll their events (V9); agents open sessions (A1), poll
 * incomingRequests (A8), accept (A9), read each chat (A12) and poll its events (A13); each side
 * posts a line about every `--line-interval` s; chats end after about `--chat-length` s and the
 * visitor requests the next one, so N stays constant. After the ramp-up it measures one window:
 * requests/s, latency percentiles per call type, errors (non-2xx or network), server CPU and
 * memory (/proc), and the time from a line posted to the other side seeing it. N stops rising in
 * a mode when the p99 of all non-held calls exceeds `--p99-limit` or any call fails. First, a
 * closed-loop run against a bare Fastify hello-world and against Parley's poll calls, with the
 * same client and concurrency, gives the ceiling and the ratio. With the defaults a full run takes
 * at most about 14 minutes (a level is about 80 s; a mode stops at its first failing level).
 * Server output goes to data/bench/live-server.log.
 *
 * Flags (durations in seconds):
 *   --levels 100,500,1000,2000,5000  N, in increasing order
 *   --modes poll,long                which modes to run (poll: every --poll-interval; long: wait)
 *   --ramp 30                        visitors request their first chats spread over this time
 *   --settle 10                      pause after the ramp before the window opens
 *   --measure 30                     the measurement window
 *   --chat-length 120                mean chat length (each uniform 0.5-1.5x; the first 0.1-1.5x)
 *   --line-interval 10               mean gap between two lines of one side
 *   --poll-interval 2                polling interval (visitor and agent events, incomingRequests)
 *   --wait 30                        `wait` of a long poll
 *   --max-chats 10                   maxChats of every agent
 *   --agent-headroom 1.1             agents = ceil(N / max-chats * headroom)
 *   --workers 1                      `parley serve --workers N`: server processes sharing the port
 *   --servers 1                      separate `parley serve` processes (PostgreSQL only); load
 *                                    generator i talks to server i mod K
 *   --client-procs 1                 load-generator processes the clients are spread over
 *   --p99-limit 100                  p99 (ms) above which N stops rising
 *   --keep-going                     run every level even after one fails
 *   --ceiling-concurrency 32         connections of the closed-loop ceiling runs
 *   --ceiling-duration 10            length of each ceiling run (0 skips them)
 *   --database data/bench/live.db    the per-level database: a SQLite file (the template is
 *                                    <name>-template.db) or postgres://user@host/name (recreated per
 *                                    level from database <name>_template; the user may create databases)
 *   --profile DIR                    write a CPU profile of each server to DIR (slows it down)
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { processTree, treeCpuTimeMs } from './lib/proc-stats.ts'
import { startHttpProcess, startServerProcess, type ServerProcess } from './lib/server-process.ts'
import { markdownTable, ms, summarize, type LatencySummary } from './lib/stats.ts'
import type { LoadConfig, PollMode, WorkerReport } from './live/protocol.ts'
import {
  ACCOUNT,
  copyDatabase,
  isPostgres,
  prepareTemplate,
  SKILL,
  templateLocation,
  type LiveTemplate,
} from './live/setup.ts'
import { LoadWorker, mergeReports } from './live/workers.ts'
import { fileURLToPath } from 'node:url'

const { values: args } = parseArgs({
  options: {
    levels: { type: 'string', default: '100,500,1000,2000,5000' },
    modes: { type: 'string', default: 'poll,long' },
    ramp: { type: 'string', default: '30' },
    settle: { type: 'string', default: '10' },
    measure: { type: 'string', default: '30' },
    'chat-length': { type: 'string', default: '120' },
    'line-interval': { type: 'string', default: '10' },
    'poll-interval': { type: 'string', default: '2' },
    wait: { type: 'string', default: '30' },
    'max-chats': { type: 'string', default: '10' },
    'agent-headroom': { type: 'string', default: '1.1' },
    workers: { type: 'string', default: '1' },
    servers: { type: 'string', default: '1' },
    'client-procs': { type: 'string', default: '1' },
    'p99-limit': { type: 'string', default: '100' },
    'keep-going': { type: 'boolean', default: false },
    'ceiling-concurrency': { type: 'string', default: '32' },
    'ceiling-duration': { type: 'string', default: '10' },
    database: { type: 'string', default: 'data/bench/live.db' },
    profile: { type: 'string' },
  },
})
const seconds = (name: keyof typeof args): number => Number(args[name]) * 1000
const levels = args.levels.split(',').map(Number)
const modes = args.modes.split(',').filter(Boolean) as PollMode[]
const maxChats = Number(args['max-chats'])
const workerCount = Number(args['client-procs'])
const serverCount = Number(args.servers)
/** Extra `parley serve` flags: `--workers N`. */
const serveArgs = Number(args.workers) > 1 ? ['--workers', args.workers] : []
if (serverCount > 1 && !isPostgres(args.database))
  throw new Error('--servers K needs --database postgres://... (one server per SQLite file)')
const p99Limit = Number(args['p99-limit'])
const agentsFor = (n: number): number => Math.ceil((n / maxChats) * Number(args['agent-headroom']))
const templatePath = templateLocation(args.database)
/** `--profile DIR`: every server writes a V8 CPU profile there when it stops. */
const serverEnv = args.profile === undefined ? {} : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${args.profile}` }
/** The servers' warnings and errors go here, not between the tables. */
const serverLog = isPostgres(args.database)
  ? 'data/bench/live-server.log'
  : args.database.replace(/(\.db)?$/, '-server.log')
const out = (text: string): void => void process.stdout.write(`${text}\n`)
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const HELLO = fileURLToPath(new URL('./live/hello-server.ts', import.meta.url))

/** Call types whose answer is held by `wait` on purpose: their time is not the server's latency. */
const isHeld = (type: string): boolean => type.includes('long poll')

interface LevelResult {
  mode: PollMode
  n: number
  agents: number
  report: WorkerReport
  requestsPerSecond: number
  latency: LatencySummary
  errors: number
  visibility: LatencySummary
  visitorToAgent: LatencySummary
  agentToVisitor: LatencySummary
  serverCpu: number
  clientCpu: number
  rssMiB: number
  peakMiB: number
  load: string
  held: boolean
}

const loadAverage = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')

/** Splits `total` into `parts` shares that differ by at most one. */
const shares = (total: number, parts: number): number[] =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0))

async function runLevel(template: LiveTemplate, mode: PollMode, n: number): Promise<LevelResult> {
  const agentCount = agentsFor(n)
  if (agentCount > template.agents.length) throw new Error(`N=${n} needs ${agentCount} agents`)
  await copyDatabase(template.path, args.database)
  const servers = await startServers()
  const workers = Array.from({ length: workerCount }, () => new LoadWorker())
  try {
    const chatShares = shares(n, workerCount)
    const agentShares = shares(agentCount, workerCount)
    let firstAgent = 0
    workers.forEach((worker, i) => {
      const config: LoadConfig = {
        baseUrl: servers[i % servers.length]!.baseUrl,
        accountId: ACCOUNT,
        appKey: template.appKey,
        skill: SKILL,
        agents: template.agents.slice(firstAgent, (firstAgent += agentShares[i]!)),
        chats: chatShares[i]!,
        mode,
        pollMs: seconds('poll-interval'),
        waitSeconds: Number(args.wait),
        lineMs: seconds('line-interval'),
        chatMs: seconds('chat-length'),
        rampMs: seconds('ramp'),
      }
      worker.send({ kind: 'load', config })
    })
    await Promise.all(workers.map((worker) => worker.next('ready')))
    await sleep(seconds('ramp') + seconds('settle'))
    const serverPids = servers.flatMap((server) => processTree(server.pid))
    const cpuBefore = treeCpuTimeMs(serverPids)
    const started = performance.now()
    workers.forEach((worker) => worker.send({ kind: 'measure' }))
    let rssMiB = 0
    while (performance.now() - started < seconds('measure')) {
      await sleep(1000)
      rssMiB = Math.max(rssMiB, totalMemory(servers).rssMiB)
    }
    const reports = await Promise.all(
      workers.map(async (worker) => {
        const reply = worker.next('report')
        worker.send({ kind: 'report' })
        return (await reply).report
      }),
    )
    const serverCpu = ((treeCpuTimeMs(serverPids) - cpuBefore) / (performance.now() - started)) * 100
    const { peakMiB } = totalMemory(servers)
    const report = mergeReports(reports)
    const windowSeconds = report.windowMs / 1000
    const all = Object.values(report.latencies).flat()
    const latency = summarize(
      Object.entries(report.latencies)
        .filter(([type]) => !isHeld(type))
        .flatMap(([, samples]) => samples),
    )
    const errors = Object.values(report.errors).reduce((sum, count) => sum + count, 0)
    const visibility = summarize([...report.visibility.visitorToAgent, ...report.visibility.agentToVisitor])
    return {
      mode,
      n,
      agents: agentCount,
      report,
      requestsPerSecond: all.length / windowSeconds,
      latency,
      errors,
      visibility,
      visitorToAgent: summarize(report.visibility.visitorToAgent),
      agentToVisitor: summarize(report.visibility.agentToVisitor),
      serverCpu,
      clientCpu: (report.cpuMs / report.windowMs) * 100,
      rssMiB,
      peakMiB,
      load: loadAverage(),
      held: latency.p99 <= p99Limit && errors === 0,
    }
  } finally {
    workers.forEach((worker) => worker.stop())
    await Promise.all(servers.map((server) => server.stop()))
  }
}

/** `--servers` separate `parley serve` processes (each with `--workers`) on the level's database. */
async function startServers(): Promise<ServerProcess[]> {
  const servers: ServerProcess[] = []
  try {
    for (let i = 0; i < serverCount; i++)
      servers.push(await startServerProcess(args.database, serverEnv, serverLog, serveArgs))
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()))
    throw error
  }
  return servers
}

const totalMemory = (servers: readonly ServerProcess[]): { rssMiB: number; peakMiB: number } =>
  servers
    .map((server) => server.memory())
    .reduce((sum, m) => ({ rssMiB: sum.rssMiB + m.rssMiB, peakMiB: sum.peakMiB + m.peakMiB }), {
      rssMiB: 0,
      peakMiB: 0,
    })

/** Closed-loop GETs from one load worker: requests/s and latency. */
async function closedLoop(
  urls: string[],
  headers: Record<string, string>,
  serverPid?: number,
): Promise<{ rps: number; lat: LatencySummary; cpuMsPerRequest?: number }> {
  const worker = new LoadWorker()
  const serverPids = serverPid === undefined ? [] : processTree(serverPid)
  const cpuBefore = treeCpuTimeMs(serverPids)
  try {
    const reply = worker.next('report')
    worker.send({
      kind: 'ceiling',
      config: {
        urls,
        headers,
        concurrency: Number(args['ceiling-concurrency']),
        durationMs: seconds('ceiling-duration'),
      },
    })
    const { report } = await reply
    const samples = report.latencies.GET ?? []
    const failed = report.errors.GET ?? 0
    if (failed > 0) throw new Error(`ceiling run: ${failed} failed calls, e.g. ${report.errorSamples[0]}`)
    const rps = samples.length / (report.windowMs / 1000)
    if (serverPid === undefined) return { rps, lat: summarize(samples) }
    // Server CPU over the whole run (set-up included) per measured request: an upper bound.
    return {
      rps,
      lat: summarize(samples),
      cpuMsPerRequest: (treeCpuTimeMs(serverPids) - cpuBefore) / samples.length,
    }
  } finally {
    worker.stop()
  }
}

/** A chatting chat on a fresh server, for the ceiling's poll URLs (nothing new to answer). */
async function openChat(
  server: ServerProcess,
  template: LiveTemplate,
): Promise<{ visitor: string; agent: string; bearer: string }> {
  const base = `${server.baseUrl}/api/account/${ACCOUNT}`
  const bearer = template.agents[0]!.bearer
  const agentHeaders = {
    authorization: `Bearer ${bearer}`,
    'content-type': 'application/json',
    accept: 'application/json',
  }
  const session = await fetch(`${base}/agentSession.json?v=1&NC=true`, {
    method: 'POST',
    headers: agentHeaders,
    body: '{"loginData":""}',
  })
  const requested = await fetch(`${base}/chat/request.json?v=1&NC=true`, {
    method: 'POST',
    headers: { authorization: `LivePerson appKey=${template.appKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ request: { skill: SKILL } }),
  })
  const sessionUrl = session.headers.get('location')
  const chatUrl = requested.headers.get('location')
  if (!sessionUrl || !chatUrl) throw new Error(`ceiling setup failed (${session.status}, ${requested.status})`)
  let accepted: Response | undefined
  for (let i = 0; i < 20 && accepted?.status !== 201; i++) {
    if (i > 0) await sleep(100)
    accepted = await fetch(`${sessionUrl}/incomingRequests.json?v=1&NC=true`, {
      method: 'POST',
      headers: agentHeaders,
      body: '{}',
    })
  }
  const agentChat = accepted?.headers.get('location')
  if (!agentChat) throw new Error(`ceiling setup: accept failed (${accepted?.status})`)
  const events = async (url: string, headers: Record<string, string>): Promise<string> => {
    const text = await (await fetch(`${url}/events.json?v=1&NC=true`, { headers })).text()
    const from = /[?&]from=(\d+)/.exec(text)?.[1] ?? '0'
    return `${url}/events.json?from=${from}&v=1&NC=true`
  }
  const visitorHeaders = { authorization: `LivePerson appKey=${template.appKey}`, accept: 'application/json' }
  return {
    visitor: await events(chatUrl, visitorHeaders),
    agent: await events(agentChat.replace(/\.json$/, ''), {
      authorization: `Bearer ${bearer}`,
      accept: 'application/json',
    }),
    bearer,
  }
}

async function ceiling(template: LiveTemplate): Promise<void> {
  if (seconds('ceiling-duration') <= 0) return
  const hello = await startHttpProcess((port) => [HELLO, String(port)])
  let helloRun
  try {
    helloRun = await closedLoop([`${hello.baseUrl}/hello`], {})
  } finally {
    await hello.stop()
  }
  await copyDatabase(template.path, args.database)
  const server = await startServerProcess(args.database, serverEnv, serverLog, serveArgs)
  const rows: Array<[string, { rps: number; lat: LatencySummary; cpuMsPerRequest?: number }]> = [
    ['bare Fastify GET /hello', helloRun],
  ]
  try {
    const chat = await openChat(server, template)
    rows.push([
      'Parley V9 visitor events poll (nothing new)',
      await closedLoop(
        [chat.visitor],
        { authorization: `LivePerson appKey=${template.appKey}`, accept: 'application/json' },
        server.pid,
      ),
    ])
    rows.push([
      'Parley A13 agent events poll (nothing new)',
      await closedLoop(
        [chat.agent],
        { authorization: `Bearer ${chat.bearer}`, accept: 'application/json' },
        server.pid,
      ),
    ])
  } finally {
    await server.stop()
  }
  out('')
  out(
    `Ceiling: closed loop, ${args['ceiling-concurrency']} keep-alive connections from one load-generator process, ${args['ceiling-duration']} s each (load average ${loadAverage()})`,
  )
  out('')
  out(
    markdownTable(
      ['endpoint', 'req/s', 'p50', 'p99', 'vs hello-world', 'server CPU ms/req'],
      rows.map(([name, run]) => [
        name,
        run.rps.toFixed(0),
        ms(run.lat.p50),
        ms(run.lat.p99),
        `${((run.rps / helloRun.rps) * 100).toFixed(0)}%`,
        run.cpuMsPerRequest === undefined ? '' : run.cpuMsPerRequest.toFixed(3),
      ]),
    ),
  )
}

function printMode(results: LevelResult[], mode: PollMode): void {
  out('')
  out(`### ${mode === 'poll' ? `Polling every ${args['poll-interval']} s` : `Long polling (wait=${args.wait})`}`)
  out('')
  out(
    markdownTable(
      [
        'N chats',
        'agents',
        'req/s',
        'p50',
        'p95',
        'p99',
        'errors',
        'line visible p50',
        'p95',
        'p99',
        'v→a p99',
        'a→v p99',
        'server CPU',
        'RSS max',
        'VmHWM',
        'client CPU',
        'held',
      ],
      results.map((r) => [
        String(r.n),
        String(r.agents),
        r.requestsPerSecond.toFixed(0),
        ms(r.latency.p50),
        ms(r.latency.p95),
        ms(r.latency.p99),
        String(r.errors),
        ms(r.visibility.p50),
        ms(r.visibility.p95),
        ms(r.visibility.p99),
        ms(r.visitorToAgent.p99),
        ms(r.agentToVisitor.p99),
        `${r.serverCpu.toFixed(0)}%`,
        `${r.rssMiB.toFixed(0)} MiB`,
        `${r.peakMiB.toFixed(0)} MiB`,
        `${r.clientCpu.toFixed(0)}%`,
        r.held ? 'yes' : 'NO',
      ]),
    ),
  )
  for (const r of results) {
    out('')
    out(`N = ${r.n} (${mode}), per call type (load average at the end ${r.load}):`)
    out('')
    out(
      markdownTable(
        ['call', 'count', 'req/s', 'p50', 'p95', 'p99', 'max', 'errors'],
        Object.entries(r.report.latencies)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([type, samples]) => {
            const s = summarize(samples)
            return [
              isHeld(type) ? `${type} (held)` : type,
              String(s.samples),
              (s.samples / (r.report.windowMs / 1000)).toFixed(1),
              ms(s.p50),
              ms(s.p95),
              ms(s.p99),
              ms(s.max),
              String(r.report.errors[type] ?? 0),
            ]
          }),
      ),
    )
    const empty = Object.entries(r.report.emptyLongPolls)
    if (empty.length > 0)
      out(
        `Long polls answered at once with nothing new (wait not honoured): ${empty.map(([t, c]) => `${t} ${c}`).join(', ')}`,
      )
    if (r.report.errorSamples.length > 0) out(`Errors, e.g.:\n  ${r.report.errorSamples.slice(0, 5).join('\n  ')}`)
  }
  const held = results.filter((r) => r.held).map((r) => r.n)
  out('')
  out(`Highest N that held (${mode}): ${held.length > 0 ? Math.max(...held) : 'none'}`)
}

async function main(): Promise<void> {
  out(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadAverage()}`,
  )
  const agentCount = agentsFor(Math.max(...levels))
  out(`Preparing ${templatePath}: account ${ACCOUNT}, ${agentCount} agents with maxChats ${maxChats} ...`)
  out(
    `Servers: ${serverCount} × parley serve${serveArgs.length > 0 ? ` --workers ${args.workers}` : ''} on ${isPostgres(args.database) ? 'PostgreSQL' : 'SQLite'}; clients in ${workerCount} load-generator process(es)`,
  )
  const template = await prepareTemplate(templatePath, agentCount, maxChats)
  rmSync(serverLog, { force: true })
  await ceiling(template)
  for (const mode of modes) {
    const results: LevelResult[] = []
    for (const n of levels) {
      const result = await runLevel(template, mode, n)
      results.push(result)
      out(
        `${mode} N=${n}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${ms(result.latency.p99)} ms, errors ${result.errors}, line visible p99 ${ms(result.visibility.p99)} ms, server CPU ${result.serverCpu.toFixed(0)}% (${((result.serverCpu * 10) / result.requestsPerSecond).toFixed(3)} ms per request), RSS ${result.rssMiB.toFixed(0)} MiB, load ${result.load}`,
      )
      if (!result.held && !args['keep-going']) break
    }
    printMode(results, mode)
  }
  const logged = existsSync(serverLog) ? readFileSync(serverLog, 'utf8').split('\n').filter(Boolean).length : 0
  out('')
  out(`Server warnings and errors: ${logged} lines in ${serverLog}`)
}

await main()
