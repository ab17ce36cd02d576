import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
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
const removeDatabase = (path: string): void =>
  SQLITE_FILES.forEach((suffix) => rmSync(`${path}${suffix}`, { force: true }))

/** Runs `work` over `items`, `parallel` at a time (scrypt hashing wants a few, not hundreds). */
async function inBatches<T, R>(items: readonly T[], parallel: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let i = 0; i < items.length; i += parallel)
    results.push(...(await Promise.all(items.slice(i, i + parallel).map(work))))
  return results
}

/**
 * Creates a fresh SQLite database at `path` with the account `bench`, the skill `Bench` and
 * `agentCount` agents (`agent1`...) serving it with `maxChats`, then logs every agent in through
 * the Login Service of a `parley serve` on it. Levels start from copies of this file, so the
 * password hashing is paid once per run; the bearers stay valid (8 h sliding) in every copy.
 */
export async function prepareTemplate(path: string, agentCount: number, maxChats: number): Promise<LiveTemplate> {
  mkdirSync(dirname(path), { recursive: true })
  removeDatabase(path)
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
export function copyDatabase(template: string, target: string): void {
  removeDatabase(target)
  for (const suffix of SQLITE_FILES)
    if (existsSync(`${template}${suffix}`)) copyFileSync(`${template}${suffix}`, `${target}${suffix}`)
}
