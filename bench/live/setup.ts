import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import pg from 'pg'
import { createServices } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { createStorage, migrateToLatest } from '../../src/storage/db.ts'
import { startServerProcess } from '../lib/server-process.ts'
import type { BenchAgent } from './protocol.ts'

export const ACCOUNT = 'bench'
export const SKILL = 'Bench'
const PASSWORD = 'bench-agent-password-1'

/** A prepared database: the account, its visitor app key and logged-in agents. */
export interface LiveTemplate {
  path: string
  appKey: string
  agents: BenchAgent[]
}

const SQLITE_FILES = ['', '-wal', '-shm']

/** Whether a `--database` value names a PostgreSQL database rather than a SQLite file. */
export const isPostgres = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location)

/** The database name of a PostgreSQL URL. */
const databaseName = (url: string): string => decodeURIComponent(new URL(url).pathname.slice(1))

/** A statement on the server's maintenance database (CREATE/DROP DATABASE). */
async function onServer(url: string, statement: string): Promise<void> {
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Deletes the SQLite file (and its WAL) or drops and recreates the PostgreSQL database, empty. */
async function removeDatabase(location: string, recreate = false): Promise<void> {
  if (!isPostgres(location)) {
    SQLITE_FILES.forEach((suffix) => rmSync(`${location}${suffix}`, { force: true }))
    return
  }
  const name = databaseName(location)
  await onServer(location, `drop database if exists "${name}" with (force)`)
  if (recreate) await onServer(location, `create database "${name}"`)
}

/** The template's location next to `location`: `<file>-template.db`, or database `<name>_template`. */
export function templateLocation(location: string): string {
  if (!isPostgres(location)) return location.replace(/(\.db)?$/, '-template.db')
  const url = new URL(location)
  url.pathname = `/${databaseName(location)}_template`
  return url.toString()
}

/** Runs `work` over `items`, `parallel` at a time (scrypt hashing wants a few, not hundreds). */
async function inBatches<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += parallel)
    results.push(...(await Promise.all(items.slice(i, i + parallel).map(work))))
  return results
}

/**
 * Creates a fresh database at `path` (a SQLite file or a PostgreSQL URL) with the account `bench`, the skill `Bench` and
 * `agentCount` agents (`agent1`...) serving it with `maxChats`, then logs every agent in through
 * the Login Service of a `parley serve` on it. Levels start from copies of this file, so the
 * password hashing is paid once per run; the bearers stay valid (8 h sliding) in every copy.
 */
export async function prepareTemplate(path: string, agentCount: number, maxChats: number): Promise<LiveTemplate> {
  if (!isPostgres(path)) mkdirSync(dirname(path), { recursive: true })
  await removeDatabase(path, true)
  const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: path })
  const storage = createStorage(config.database, { poolSize: 2 })
  let appKey: string
  const loginNames = Array.from({ length: agentCount }, (_, i) => `agent${i + 1}`)
  try {
    await migrateToLatest(storage)
    const services = createServices({ storage, config })
    const created = await services.accounts.createAccount({
      id: ACCOUNT,
      adminLoginName: 'admin',
      adminPassword: PASSWORD,
    })
    appKey = created.appKey.appKey
    const scope = { accountId: ACCOUNT }
    const skill = (await services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name: SKILL })).value
    await inBatches(loginNames, 8, (loginName) =>
      services.accountConfig.users.create(SYSTEM_CALLER, scope, {
        loginName,
        password: PASSWORD,
        nickname: loginName,
        email: `${loginName}@bench.invalid`,
        maxChats,
        skillIds: [skill.id],
        permissionGroups: ['1'],
      }),
    )
    await services.close()
  } finally {
    await storage.close()
  }
  const server = await startServerProcess(path)
  try {
    const agents = await inBatches(loginNames, 8, async (loginName): Promise<BenchAgent> => {
      const response = await fetch(`${server.baseUrl}/api/account/${ACCOUNT}/login?v=1.3`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: loginName, password: PASSWORD }),
      })
      if (!response.ok) throw new Error(`login of ${loginName}: HTTP ${response.status} ${await response.text()}`)
      return { loginName, bearer: ((await response.json()) as { bearer: string }).bearer }
    })
    return { path, appKey, agents }
  } finally {
    await server.stop()
  }
}

/** Replaces the database at `target` with a copy of the template (a fresh database per level). */
export async function copyDatabase(template: string, target: string): Promise<void> {
  await removeDatabase(target)
  if (isPostgres(target)) {
    await onServer(target, `create database "${databaseName(target)}" template "${databaseName(template)}"`)
    return
  }
  for (const suffix of SQLITE_FILES)
    if (existsSync(`${template}${suffix}`)) copyFileSync(`${template}${suffix}`, `${target}${suffix}`)
}
