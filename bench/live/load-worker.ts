/**
 * A load-generator process forked by `bench/live.ts` (IPC). For a `load` message it opens agent
 * sessions for its agents, then keeps `chats` visitor chats going (request, poll or long-poll,
 * lines, end, next chat) while its agents poll incomingRequests, accept and talk. For a `ceiling`
 * message it runs a closed-loop GET throughput test. `measure` starts the window; `report`
 * answers with the raw measurements.
 */
import { readEvents, ringingCount, chatLocation, markText, type EventsRead } from './chat-doc.ts'
import type { BenchAgent, CeilingConfig, FromWorker, LoadConfig, ToWorker } from './protocol.ts'
import { Recorder, nowMs } from './recorder.ts'

const recorder = new Recorder()
const JSON_BODY = { 'content-type': 'application/json', accept: 'application/json' }
/** The visitor posts its last line this long before ending, so the agent stops posting first. */
const END_NOTICE_MS = 5000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
const uniform = (low: number, high: number): number => low + Math.random() * (high - low)
const ok = (status: number): boolean => status >= 200 && status <= 299
const send = (message: FromWorker): void => void process.send?.(message)

/** One side's view of one chat: where to poll from and what it has learnt. */
interface ChatView {
  next: number
  state: string
  /** The other side will post no more (the visitor's last line seen, or the chat ended). */
  quiet: boolean
}

/** Applies a read document to the view; records the other side's lines as visible now. */
function absorb(view: ChatView, read: EventsRead, reader: 'visitor' | 'agent'): void {
  if (read.next !== undefined) view.next = read.next
  const last = read.states.at(-1)
  if (last) view.state = last
  if (view.state === 'ended') view.quiet = true
  for (const mark of read.marks) {
    if (reader === 'agent' && mark.side === 'v') {
      recorder.lineSeen('visitorToAgent', mark.postedAt)
      if (mark.last) view.quiet = true
    } else if (reader === 'visitor' && mark.side === 'a') {
      recorder.lineSeen('agentToVisitor', mark.postedAt)
    }
  }
}

/**
 * Polls `eventsUrl(from)` until the chat ends or `stop()`: every `pollMs` after each answer, or at
 * once after each answer with `wait` (an answer without new events that came back early means the
 * server ignored `wait`; it is counted and followed by a normal pause so the loop cannot spin).
 */
async function pollLoop(
  config: LoadConfig,
  type: string,
  view: ChatView,
  reader: 'visitor' | 'agent',
  url: (from: number) => string,
  headers: Record<string, string>,
  stop: () => boolean,
): Promise<void> {
  const long = config.mode === 'long'
  while (view.state !== 'ended' && !stop()) {
    if (!long) await sleep(config.pollMs)
    if (stop()) return
    const started = performance.now()
    const from = view.next
    const result = await recorder.call(type, 'GET', url(from), headers)
    if (!ok(result.status)) {
      await sleep(config.pollMs)
      continue
    }
    absorb(view, readEvents(result.text), reader)
    if (long && view.next === from && performance.now() - started < 500) {
      recorder.emptyLongPoll(type)
      await sleep(config.pollMs)
    }
  }
}

/** Posts a marked line every ~lineMs while `until()` holds and the chat is chatting. */
async function lineLoop(
  config: LoadConfig,
  type: string,
  side: 'v' | 'a',
  url: string,
  headers: Record<string, string>,
  view: ChatView,
  until: () => boolean,
): Promise<void> {
  await sleep(uniform(0.2, 1.2) * config.lineMs)
  while (until() && view.state === 'chatting' && !view.quiet) {
    const body = JSON.stringify({ event: { '@type': 'line', text: markText(side, nowMs()) } })
    await recorder.call(type, 'POST', url, headers, body)
    await sleep(uniform(0.8, 1.2) * config.lineMs)
  }
}

/** One visitor: chat after chat, each for a random length, forever. */
async function runVisitor(config: LoadConfig, index: number): Promise<void> {
  const headers = { authorization: `LivePerson appKey=${config.appKey}`, accept: 'application/json' }
  const jsonHeaders = { ...headers, ...JSON_BODY }
  await sleep((config.rampMs * index) / config.chats)
  for (let first = true; ; first = false) {
    const lifetime = config.chatMs * (first ? uniform(0.1, 1.5) : uniform(0.5, 1.5))
    const endAt = performance.now() + lifetime
    const requested = await recorder.call(
      'V7 request',
      'POST',
      `${config.baseUrl}/api/account/${config.accountId}/chat/request.json?v=1&NC=true`,
      jsonHeaders,
      JSON.stringify({ request: { skill: config.skill } }),
    )
    if (requested.status !== 201 || !requested.location) {
      await sleep(config.pollMs)
      continue
    }
    const chatUrl = requested.location
    const view: ChatView = { next: 0, state: 'waiting', quiet: false }
    const chat = await recorder.call('V8 chat', 'GET', `${chatUrl}.json?v=1&NC=true`, headers)
    if (ok(chat.status)) absorb(view, readEvents(chat.text), 'visitor')
    let finished = false
    const wait = config.mode === 'long' ? `&wait=${config.waitSeconds}` : ''
    const polling = pollLoop(
      config,
      config.mode === 'long' ? 'V9 events (long poll)' : 'V9 events',
      view,
      'visitor',
      (from) => `${chatUrl}/events.json?from=${from}&v=1&NC=true${wait}`,
      headers,
      () => finished,
    )
    const eventsUrl = `${chatUrl}/events.json?v=1&NC=true`
    // Lines start once an agent accepted (the poll sees `chatting`).
    while (view.state === 'waiting' && performance.now() < endAt - END_NOTICE_MS) await sleep(250)
    await lineLoop(
      config,
      'V10 line',
      'v',
      eventsUrl,
      jsonHeaders,
      view,
      () => performance.now() < endAt - END_NOTICE_MS,
    )
    if (view.state === 'chatting') {
      const body = JSON.stringify({ event: { '@type': 'line', text: markText('v', nowMs(), true) } })
      await recorder.call('V10 line', 'POST', eventsUrl, jsonHeaders, body)
      await sleep(END_NOTICE_MS)
    }
    if (view.state !== 'ended') {
      const body = JSON.stringify({ event: { '@type': 'state', state: 'ended' } })
      await recorder.call('V10 end', 'POST', eventsUrl, jsonHeaders, body)
    }
    finished = true
    void polling
  }
}

/** One agent chat after A9: read it, then poll and post until the visitor is done or it ends. */
async function runAgentChat(config: LoadConfig, chatUrl: string, headers: Record<string, string>): Promise<void> {
  const view: ChatView = { next: 0, state: 'chatting', quiet: false }
  const chat = await recorder.call('A12 chat', 'GET', `${chatUrl}.json?v=1&NC=true`, headers)
  if (ok(chat.status)) absorb(view, readEvents(chat.text), 'agent')
  const wait = config.mode === 'long' ? `&wait=${config.waitSeconds}` : ''
  const jsonHeaders = { ...headers, ...JSON_BODY }
  await Promise.all([
    pollLoop(
      config,
      config.mode === 'long' ? 'A13 events (long poll)' : 'A13 events',
      view,
      'agent',
      (from) => `${chatUrl}/events.json?from=${from}&v=1&NC=true${wait}`,
      headers,
      () => false,
    ),
    lineLoop(config, 'A14 line', 'a', `${chatUrl}/events.json?v=1&NC=true`, jsonHeaders, view, () => true),
  ])
}

/** Opens the agent's session; resolves with the polling loop (which runs forever). */
async function startAgent(config: LoadConfig, agent: BenchAgent): Promise<() => Promise<void>> {
  const headers = { authorization: `Bearer ${agent.bearer}`, accept: 'application/json' }
  const opened = await recorder.call(
    'A1 session',
    'POST',
    `${config.baseUrl}/api/account/${config.accountId}/agentSession.json?v=1&NC=true`,
    { ...headers, ...JSON_BODY },
    JSON.stringify({ loginData: '' }),
  )
  if (opened.status !== 201 || !opened.location)
    throw new Error(`agent session of ${agent.loginName}: HTTP ${opened.status} ${opened.text.slice(0, 200)}`)
  const incoming = `${opened.location}/incomingRequests.json?v=1&NC=true`
  return async () => {
    await sleep(uniform(0, config.pollMs))
    for (;;) {
      const polled = await recorder.call('A8 incomingRequests', 'GET', incoming, headers)
      const ringing = ok(polled.status) ? ringingCount(polled.text) : 0
      for (let i = 0; i < ringing; i++) {
        const accepted = await recorder.call('A9 accept', 'POST', incoming, { ...headers, ...JSON_BODY }, '{}')
        const location = accepted.status === 201 ? (accepted.location ?? chatLocation(accepted.text)) : undefined
        if (location) void runAgentChat(config, location.replace(/\.json$/, ''), headers)
      }
      await sleep(config.pollMs)
    }
  }
}

async function runLoad(config: LoadConfig): Promise<void> {
  const loops: Array<() => Promise<void>> = []
  for (let i = 0; i < config.agents.length; i += 20)
    loops.push(...(await Promise.all(config.agents.slice(i, i + 20).map((agent) => startAgent(config, agent)))))
  send({ kind: 'ready' })
  for (const loop of loops) void loop()
  for (let i = 0; i < config.chats; i++) void runVisitor(config, i)
}

async function runCeiling(config: CeilingConfig): Promise<void> {
  recorder.startWindow()
  const deadline = performance.now() + config.durationMs
  let next = 0
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (performance.now() < deadline) {
        const url = config.urls[next++ % config.urls.length]!
        await recorder.call('GET', 'GET', url, config.headers)
      }
    }),
  )
  send({ kind: 'report', report: recorder.report() })
}

process.on('message', (message: ToWorker) => {
  const fail = (error: unknown): void => send({ kind: 'failed', error: String(error) })
  switch (message.kind) {
    case 'load':
      runLoad(message.config).catch(fail)
      break
    case 'ceiling':
      runCeiling(message.config).catch(fail)
      break
    case 'measure':
      recorder.startWindow()
      break
    case 'report':
      send({ kind: 'report', report: recorder.report() })
      break
  }
})
