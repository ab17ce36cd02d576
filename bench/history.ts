/**
 * `npm run bench:history -- [--database PATH|postgres://...] [--count N] [--samples K] [--concurrency C]`
 *
 * Generates (or reuses) an archive of N synthetic engagements for the account `bench`, starts
 * `parley serve` on it as a child process, and measures each query shape of issue 3 through the
 * HTTP API (latency percentiles, then throughput with C concurrent clients) and directly on the
 * database (the same parsed query through the archive repository, no HTTP, no worker thread), so
 * the API overhead shows as a ratio. Also measures /healthz while searches run, the server's peak
 * memory and the database size. Prints Markdown tables (docs/benchmarks.md holds the results).
 */
import { statSync, existsSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { Kysely, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import { generateHistory } from '../src/cli/history.ts'
import { createServices } from '../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../src/config/config.ts'
import { parseSearchRequest } from '../src/core/history/search-request.ts'
import type { EngagementRecord } from '../src/core/history/record.types.ts'
import { createArchiveSearcher } from '../src/storage/archive/inline-history-query.ts'
import { createStorage, migrateToLatest } from '../src/storage/db.ts'
import { openNodeSqlite } from '../src/storage/dialect/node-sqlite-database.ts'
import type { Database } from '../src/storage/schema.ts'
import { httpCall } from './lib/http-client.ts'
import { startServerProcess, type ServerProcess } from './lib/server-process.ts'
import { markdownTable, ms, summarize, type LatencySummary } from './lib/stats.ts'

const ACCOUNT = 'bench'
const ADMIN = 'admin'
const PASSWORD = 'bench-password-1'
/** The archive spans 13 months; every windowed shape searches one month in the middle of it. */
const ARCHIVE_FROM = '2025-11-01T00:00:00Z'
const ARCHIVE_TO = '2026-12-01T00:00:00Z'
const MONTH = { from: Date.parse('2026-06-01T00:00:00Z'), to: Date.parse('2026-07-01T00:00:00Z') }

const { values: args } = parseArgs({
  options: {
    database: { type: 'string', default: 'data/bench/history-sqlite.db' },
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    samples: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '4' },
    workers: { type: 'string' },
  },
})
const count = Number(args.count)
const samples = Number(args.samples)
const concurrency = Number(args.concurrency)
const out = (text: string): void => void process.stdout.write(`${text}\n`)

type Kind = 'filter' | 'keyword' | 'lookup'
interface Shape {
  name: string
  kind: Kind
  /** Query string of the search URL (sort, offset, limit). */
  query: Record<string, string>
  /** The request body; a function when each sample looks up a different engagement or visitor. */
  body: (i: number) => Record<string, unknown>
}

const TARGET_P95: Record<Kind, number> = { filter: 50, keyword: 150, lookup: 10 }

async function ensurePostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`)
  } finally {
    await client.end()
  }
}

/** Creates the bench account and archives `count` generated engagements unless the archive already holds them. */
async function prepareArchive(database: DatabaseConfig): Promise<{ ingestPerSecond?: number; archived: number }> {
  const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: args.database })
  const storage = createStorage(database, { poolSize: 2 })
  try {
    await migrateToLatest(storage)
    const services = createServices({ storage, config })
    if (!(await services.accounts.findAccount(ACCOUNT)))
      await services.accounts.createAccount({ id: ACCOUNT, adminLoginName: ADMIN, adminPassword: PASSWORD })
    const archivedNow = async (): Promise<number> => {
      const row = await storage.db
        .selectFrom('archived_engagements')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('account_id', '=', ACCOUNT)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    }
    const before = await archivedNow()
    if (before >= count) return { archived: before }
    out(`Generating ${count} engagements into ${args.database} (the archive holds ${before}) ...`)
    const started = performance.now()
    await generateHistory(services, {
      account: ACCOUNT,
      count: String(count),
      from: ARCHIVE_FROM,
      to: ARCHIVE_TO,
      seed: args.seed,
      json: true,
    })
    const seconds = (performance.now() - started) / 1000
    await services.close()
    // Refresh planner statistics now rather than whenever autovacuum gets to the new rows.
    await sql`analyze`.execute(storage.db)
    return { ingestPerSecond: count / seconds, archived: await archivedNow() }
  } finally {
    await storage.close()
  }
}

/** A read connection like a history worker's: read-only SQLite handle, or a small pg pool. */
function openReadDatabase(database: DatabaseConfig): Kysely<Database> {
  if (database.kind === 'sqlite')
    return new Kysely<Database>({
      dialect: new SqliteDialect({ database: openNodeSqlite(database.path, { readOnly: true }) }),
    })
  return createStorage(database, { poolSize: 2 }).db
}

async function databaseSize(database: DatabaseConfig, db: Kysely<Database>): Promise<string> {
  if (database.kind === 'sqlite') {
    const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0)
    return `${(size(database.path) / 2 ** 30).toFixed(2)} GiB (WAL ${(size(`${database.path}-wal`) / 2 ** 20).toFixed(0)} MiB)`
  }
  const row = await sql<{ bytes: string | number }>`select pg_database_size(current_database()) as bytes`.execute(db)
  return `${(Number(row.rows[0]!.bytes) / 2 ** 30).toFixed(2)} GiB`
}

async function login(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/account/${ACCOUNT}/login?v=1.3`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN, password: PASSWORD }),
  })
  if (!response.ok) throw new Error(`login failed (${response.status}): is ${args.database} a benchmark database?`)
  return ((await response.json()) as { bearer: string }).bearer
}

function shapesFor(sample: EngagementRecord[]): Shape[] {
  const month = () => ({ start: { from: MONTH.from, to: MONTH.to } })
  const skills = [...new Set(sample.map((r) => r.info.skillId))].slice(0, 2)
  const agents = [...new Set(sample.map((r) => r.info.agentId).filter((id) => id !== '-1'))].slice(0, 2)
  const pick = <T>(i: number, f: (r: EngagementRecord) => T): T => f(sample[(i * 7) % sample.length]!)
  return [
    { name: 'time range only', kind: 'filter', query: {}, body: month },
    {
      name: 'range + skillIds + agentIds',
      kind: 'filter',
      query: {},
      body: () => ({ ...month(), skillIds: skills, agentIds: agents }),
    },
    {
      name: 'range + duration + chatMCS',
      kind: 'filter',
      query: {},
      body: () => ({ ...month(), duration: { from: 120, to: 900 }, chatMCS: { from: 0, to: 100 } }),
    },
    {
      name: 'keyword in chatLine',
      kind: 'keyword',
      query: {},
      body: () => ({ ...month(), keyword: 'refund', keyword_search_area: { types: ['chatLine'] } }),
    },
    {
      name: 'quoted phrase in chatLine',
      kind: 'keyword',
      query: {},
      body: () => ({ ...month(), keyword: '"order number"', keyword_search_area: { types: ['chatLine'] } }),
    },
    { name: 'keyword in all areas', kind: 'keyword', query: {}, body: () => ({ ...month(), keyword: 'delivery' }) },
    { name: 'visitor lookup', kind: 'lookup', query: {}, body: (i) => ({ visitor: pick(i, (r) => r.info.visitorId) }) },
    {
      name: 'engagementId lookup',
      kind: 'lookup',
      query: {},
      body: (i) => ({ engagementId: pick(i, (r) => r.info.engagementId) }),
    },
    { name: 'deep page (offset 5000)', kind: 'filter', query: { offset: '5000' }, body: month },
    { name: 'sort by duration', kind: 'filter', query: { sort: 'duration:desc' }, body: month },
  ]
}

interface ShapeResult {
  shape: Shape
  count: number
  http: LatencySummary
  direct: LatencySummary
  throughput: number
}

async function main(): Promise<void> {
  const config = loadConfig({}, { database: args.database })
  const database = config.database
  // Issue 3's targets are for SQLite; PostgreSQL must stay within 2x of them.
  const targetOf = (kind: Kind): number => TARGET_P95[kind] * (database.kind === 'postgres' ? 2 : 1)
  if (database.kind === 'postgres') await ensurePostgresDatabase(database.url)
  const { ingestPerSecond, archived } = await prepareArchive(database)

  const readDb = openReadDatabase(database)
  const searchDirect = createArchiveSearcher(readDb, database.kind)
  const direct = async (shape: Shape, i: number): Promise<number> => {
    const request = parseSearchRequest(ACCOUNT, shape.query, shape.body(i))
    const result = await searchDirect(request.filter, request.sort, request.offset, request.limit)
    return result.count
  }

  const env = args.workers === undefined ? {} : { PARLEY_HISTORY_WORKERS: args.workers }
  const server = await startServerProcess(args.database, env)
  try {
    const bearer = await login(server)
    const searchUrl = (query: Record<string, string>): string =>
      `${server.baseUrl}/interaction_history/api/account/${ACCOUNT}/interactions/search?${new URLSearchParams(query).toString()}`
    const http = async (shape: Shape, i: number): Promise<number> => {
      const { status, text } = await httpCall(
        'POST',
        searchUrl(shape.query),
        { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        JSON.stringify(shape.body(i)),
      )
      if (status !== 200) throw new Error(`${shape.name}: HTTP ${status} ${text.slice(0, 300)}`)
      // The count opens the document; the client's own JSON parsing of the page is not the API's time.
      const counted = /^\{"_metadata":\{"count":(\d+)/.exec(text)
      if (!counted) throw new Error(`${shape.name}: unexpected response ${text.slice(0, 200)}`)
      return Number(counted[1])
    }

    const sampleRequest = parseSearchRequest(ACCOUNT, { limit: '100' }, { start: MONTH })
    const sampleDocs = await searchDirect(sampleRequest.filter, sampleRequest.sort, 0, 100)
    const sample = sampleDocs.documents.map((doc) => JSON.parse(doc) as EngagementRecord)
    if (sample.length === 0) throw new Error('the archive has no engagement in the benchmark month')

    const timed = async (run: () => Promise<number>): Promise<[number, number]> => {
      const started = performance.now()
      const matched = await run()
      return [performance.now() - started, matched]
    }

    const healthTimes: number[] = []
    const results: ShapeResult[] = []
    for (const shape of shapesFor(sample)) {
      for (let i = 0; i < 3; i++) await http(shape, i)
      const httpTimes: number[] = []
      const directTimes: number[] = []
      let matched = -1
      for (let i = 0; i < samples; i++) {
        const [httpMs, httpCount] = await timed(() => http(shape, i))
        const [directMs, directCount] = await timed(() => direct(shape, i))
        if (httpCount !== directCount) throw new Error(`${shape.name}: API count ${httpCount} ≠ direct ${directCount}`)
        httpTimes.push(httpMs)
        directTimes.push(directMs)
        matched = httpCount
      }
      // Throughput: `concurrency` clients in a closed loop; /healthz is probed meanwhile.
      const total = Math.max(samples, concurrency * 10)
      let next = 0
      let loaded = true
      const probe = (async () => {
        while (loaded) {
          const [healthMs] = await timed(async () => (await httpCall('GET', `${server.baseUrl}/healthz`)).status)
          healthTimes.push(healthMs)
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      })()
      const started = performance.now()
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < total; i = next++) await http(shape, i)
        }),
      )
      const throughput = total / ((performance.now() - started) / 1000)
      loaded = false
      await probe
      const result = { shape, count: matched, http: summarize(httpTimes), direct: summarize(directTimes), throughput }
      results.push(result)
      out(
        `${shape.name.padEnd(28)} count ${String(matched).padStart(7)}  API p50 ${ms(result.http.p50)} p95 ${ms(result.http.p95)}  direct p50 ${ms(result.direct.p50)}  ${throughput.toFixed(1)} req/s`,
      )
    }

    const memory = server.memory()
    const size = await databaseSize(database, readDb)
    const health = summarize(healthTimes)
    out('')
    out(
      `Database ${database.kind} (${database.kind === 'sqlite' ? database.path : 'postgres'}), ${archived.toLocaleString('en-US')} engagements of account ${ACCOUNT}, size ${size}`,
    )
    out(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${samples} sequential samples per shape, throughput with ${concurrency} concurrent clients`,
    )
    if (ingestPerSecond !== undefined) out(`Ingest (generate + archive): ${ingestPerSecond.toFixed(0)} engagements/s`)
    out('')
    out(
      markdownTable(
        ['shape', 'count', 'API p50', 'API p95', 'API p99', 'DB p50', 'DB p95', 'API/DB p50', 'req/s', 'p95 target'],
        results.map(({ shape, count: matched, http, direct, throughput }) => [
          shape.name,
          String(matched),
          ms(http.p50),
          ms(http.p95),
          ms(http.p99),
          ms(direct.p50),
          ms(direct.p95),
          `${(http.p50 / direct.p50).toFixed(2)}×`,
          throughput.toFixed(1),
          `${http.p95 <= targetOf(shape.kind) ? 'met' : 'MISSED'} (${targetOf(shape.kind)} ms)`,
        ]),
      ),
    )
    out('')
    out(
      `/healthz while searches run: p50 ${ms(health.p50)} ms, p99 ${ms(health.p99)} ms, max ${ms(health.max)} ms (${health.samples} probes)`,
    )
    out(`Server memory: ${memory.rssMiB.toFixed(0)} MiB resident at the end, peak ${memory.peakMiB.toFixed(0)} MiB`)
  } finally {
    await server.stop()
    await readDb.destroy()
  }
}

await main()
