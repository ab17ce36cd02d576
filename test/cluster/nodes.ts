import { execFileSync } from 'node:child_process'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../../src/config/config.ts'
import type { Leadership } from '../../src/core/ports/leadership.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { startCli, type CliProcess } from '../support/cli.ts'
import { pollUntil } from '../support/poll-until.ts'

/**
 * Multi-process test harness (issue 14): real `parley serve` processes on one database, and
 * helpers to send each request to a chosen process. Links in answers name the process that
 * answered; `on(node, url)` re-targets them, as a load balancer without sticky sessions would.
 */

const LISTENING = /Parley is listening on (http:\/\/127\.0\.0\.1:\d+)/

/** One `parley serve` process (or the primary of a `--workers N` cluster). */
export interface ParleyNode {
  readonly name: string
  readonly baseUrl: string
  readonly pid: number
  readonly cli: CliProcess
}

/** Starts `parley serve` on `database` (no demo account, quiet, history searches inline). */
export async function startNode(database: DatabaseConfig, name: string, extraArgs: string[] = []): Promise<ParleyNode> {
  const location = database.kind === 'sqlite' ? database.path : database.url
  const cli = startCli(
    ['serve', '--port', '0', '--database', location, '--no-demo', '--log-level', 'warn', ...extraArgs],
    {
      env: { PARLEY_HISTORY_WORKERS: '0', PARLEY_GEOIP_CITY_DB: 'none' },
    },
  )
  try {
    // Start-up takes a few seconds, far more on a busy machine.
    let match: RegExpMatchArray | null = null
    await pollUntil(
      () => {
        match = cli.stdout().match(LISTENING)
        if (!match && cli.child.exitCode !== null) throw new Error(`parley serve exited:\n${cli.stderr()}`)
        return match !== null
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    )
    return { name, baseUrl: match![1]!, pid: cli.child.pid!, cli }
  } catch (error) {
    await cli.stop()
    throw error
  }
}

/** `url` (a link some process answered with) sent to `node` instead. */
export const on = (node: ParleyNode, url: string): string => {
  const target = new URL(url)
  const base = new URL(node.baseUrl)
  target.host = base.host
  return target.toString()
}

/** Kills a process at once (no drain, no lease release), as a crash or `kill -9` would. */
export async function kill9(pid: number, exited?: Promise<unknown>): Promise<void> {
  process.kill(pid, 'SIGKILL')
  if (exited) await exited
  else await pollUntil(() => !isAlive(pid), { timeoutMs: 5_000 })
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The child process ids of `pid` (a cluster primary's workers). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((value) => value > 0)
  } catch {
    return []
  }
}

/** The process id holding the background lease now, if its lease is current (database clock). */
export async function leaderPid(storage: Storage): Promise<number | undefined> {
  const row = await storage.db
    .selectFrom('leases')
    .select(['holder', 'expires_at'])
    .where('name', '=', 'background')
    .executeTakeFirst()
  if (!row || Number(row.expires_at) < Date.now()) return undefined
  return Number(row.holder.split('/')[1])
}

/** Never leads: the test process's own services must not run background tasks next to the servers. */
const follower: Leadership = { isLeader: () => false, close: async () => {} }

/** Services of the test process on the same database, for setting up accounts (no timers). */
export function testServices(database: DatabaseConfig): {
  storage: Storage
  services: Services
  close(): Promise<void>
} {
  const storage = createStorage(database)
  const config = loadConfig(
    { PARLEY_LOG_LEVEL: 'silent', PARLEY_HISTORY_WORKERS: '0', PARLEY_GEOIP_CITY_DB: 'none' },
    { database: database.kind === 'sqlite' ? database.path : database.url },
  )
  const services = createServices({ storage, config, leadership: follower })
  return {
    storage,
    services,
    async close() {
      await services.close()
      await storage.close()
    },
  }
}

/** A JSON call over HTTP; the answer's status, JSON body (if any) and Location. */
export async function call(
  method: string,
  url: string,
  options: { auth?: string; body?: unknown } = {},
): Promise<{ status: number; json: Record<string, unknown>; location: string | undefined }> {
  const send = () =>
    fetch(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.auth ? { authorization: options.auth } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    })
  // A reused connection to a process that just died fails once; a client retries a read (as
  // LivePerson clients do) and the balancer sends it to a live process.
  const response = await send().catch((error: unknown) => {
    if (method !== 'GET') throw error
    return send()
  })
  const text = await response.text()
  let json: Record<string, unknown>
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  } catch {
    json = { text }
  }
  return { status: response.status, json, location: response.headers.get('location') ?? undefined }
}

type Json = Record<string, unknown>
const asArray = (value: unknown): Json[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]) as Json[]

/** The events of a V8/V9/A12/A13 JSON answer. */
export function eventsOf(doc: Json): Json[] {
  const chat = doc.chat as Json | undefined
  const events = (chat?.events ?? doc.events) as Json | undefined
  return asArray(events?.event)
}

/** The line texts of a V8/V9/A12/A13 JSON answer. */
export const linesOf = (doc: Json): string[] =>
  eventsOf(doc)
    .filter((event) => (event['@type'] ?? event.type) === 'line')
    .map((event) => String(event.text))

/** Logs an agent in through the Login Service of `node` and opens an agent session there; returns the session URL. */
export async function agentSession(
  node: ParleyNode,
  accountId: string,
  username: string,
  password: string,
): Promise<{ auth: string; csrf: string; session: string }> {
  const login = await call('POST', `${node.baseUrl}/api/account/${accountId}/login?v=1.3`, {
    body: { username, password },
  })
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.json)}`)
  const auth = `Bearer ${String(login.json.bearer)}`
  const opened = await call('POST', `${node.baseUrl}/api/account/${accountId}/agentSession.json?v=1&NC=true`, {
    auth,
    body: { loginData: '' },
  })
  if (opened.status !== 201 || !opened.location) throw new Error(`A1: ${opened.status}`)
  return { auth, csrf: String(login.json.csrf), session: opened.location }
}

/** V7 through `node`: the chat's URL. */
export async function requestChat(node: ParleyNode, accountId: string, appKey: string, skill: string): Promise<string> {
  const requested = await call('POST', `${node.baseUrl}/api/account/${accountId}/chat/request.json?v=1&NC=true`, {
    auth: `LivePerson appKey=${appKey}`,
    body: { request: { skill } },
  })
  if (requested.status !== 201 || !requested.location) throw new Error(`V7: ${requested.status}`)
  return requested.location
}
