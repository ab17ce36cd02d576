import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { systemClock } from '../../src/core/clock.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { createPostgresBus, type PostgresBus } from '../../src/storage/bus/postgres-bus.ts'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import { agentClient } from '../support/agent-api.ts'
import { configApi, type ConfigApi } from '../support/config-api.ts'
import { privateTestDatabase } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

/** One Parley process: its own storage (pool), PostgreSQL live bus, services and app. */
interface Node {
  app: ParleyApp
  services: Services
  storage: Storage
  bus: PostgresBus
  resets: number
}

const PASSWORD = 'agent-pass-123'
const within = 1000

/**
 * Two processes on one PostgreSQL database (issue 14): what one writes, the other's caches drop
 * within a second, through the bus, not after their safety-net TTL (10 s); a lost listener
 * connection flushes every cache and notifications resume.
 */
describe.skipIf(!inject('postgresUrl'))('two processes on one PostgreSQL database', () => {
  let drop = async (): Promise<void> => {}
  const nodes: Node[] = []
  let a: Node
  let b: Node
  let account: TestAccount
  let api: ConfigApi

  beforeAll(async () => {
    const own = await privateTestDatabase('postgres')
    drop = own.drop
    if (own.database.kind !== 'postgres') throw new Error('PostgreSQL expected')
    const url = own.database.url
    const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: url })
    for (let i = 0; i < 2; i++) {
      const storage = createStorage(config.database, { poolSize: 4 })
      if (i === 0) await migrateToLatest(storage)
      const bus = await createPostgresBus({ url })
      const services = createServices({ storage, config, bus })
      const app = await buildApp({ config, services, clock: systemClock })
      await app.ready()
      const node: Node = { app, services, storage, bus, resets: 0 }
      bus.onReset(() => (node.resets += 1))
      nodes.push(node)
    }
    ;[a, b] = nodes as [Node, Node]
    account = await createAccount(a.services)
    api = configApi(
      a.app,
      account.accountId,
      (await login(a.app, account.accountId, 'admin', account.adminPassword)).bearer,
    )
  })
  afterAll(async () => {
    for (const node of nodes) {
      await node.app.close()
      await node.services.close()
      await node.bus.close()
      await node.storage.close()
    }
    await drop()
  })

  /** Milliseconds until `check` holds (polled every 5 ms); fails after 5 s. */
  const timeUntil = async (check: () => Promise<boolean>): Promise<number> => {
    const start = performance.now()
    while (!(await check())) {
      if (performance.now() - start > 5000) throw new Error('not seen within 5 s')
      await sleep(5)
    }
    return performance.now() - start
  }
  /** Whether `bearer` still opens the configuration API on `node` (the bearer is cached there). */
  const bearerWorks = async (node: Node, bearer: string): Promise<boolean> =>
    (await configApi(node.app, account.accountId, bearer).get('/le-users/skills')).statusCode === 200
  const createAgent = async (loginName: string, skillIds: number[]): Promise<number> => {
    const created = await api.post('/le-users/users', {
      loginName,
      passwordSh: PASSWORD,
      nickname: loginName,
      email: `${loginName}@example.com`,
      maxChats: 2,
      skillIds,
    })
    expect(created.statusCode, created.body).toBe(201)
    return created.json<{ id: number }>().id
  }

  it('a bearer logged out through one is rejected by the other within 1 s', async () => {
    const session = await login(a.app, account.accountId, 'admin', account.adminPassword)
    expect(await bearerWorks(b, session.bearer)).toBe(true)
    await a.services.login.logout(account.accountId, { bearer: session.bearer, csrf: session.csrf })
    const ms = await timeUntil(async () => !(await bearerWorks(b, session.bearer)))
    expect(ms).toBeLessThan(within)
  })

  it('a user disabled through one loses their agent session on the other within 1 s', async () => {
    const userId = await createAgent('dora', [])
    const { bearer } = await login(b.app, account.accountId, 'dora', PASSWORD)
    const agent = agentClient(b.app, account.accountId, `Bearer ${bearer}`)
    const sessionId = await agent.start()
    expect((await agent.request('GET', `/${sessionId}.json?v=1&NC=true`)).statusCode).toBe(200)
    const user = (await api.get(`/le-users/users/${userId}`)).json<Record<string, unknown>>()
    expect((await api.put(`/le-users/users/${userId}`, { ...user, isEnabled: false })).statusCode).toBe(200)
    const ms = await timeUntil(
      async () => (await agent.request('GET', `/${sessionId}.json?v=1&NC=true`)).statusCode === 401,
    )
    expect(ms).toBeLessThan(within)
  })

  it('a skill changed through one reaches the other’s routing directory within 1 s', async () => {
    const sales = (await api.post('/le-users/skills', { name: 'Sales' })).json<{ id: number }>().id
    const support = (await api.post('/le-users/skills', { name: 'Support' })).json<{ id: number }>().id
    const userId = await createAgent('eve', [sales])
    const { bearer } = await login(b.app, account.accountId, 'eve', PASSWORD)
    await agentClient(b.app, account.accountId, `Bearer ${bearer}`).start()
    const skillsOnB = async (): Promise<number[] | undefined> =>
      (await b.services.agents.connectedAgents(account.accountId)).find((agent) => agent.userId === userId)?.skillIds
    expect(await skillsOnB()).toEqual([sales])
    const user = (await api.get(`/le-users/users/${userId}`)).json<Record<string, unknown>>()
    expect((await api.put(`/le-users/users/${userId}`, { ...user, skillIds: [support] })).statusCode).toBe(200)
    const ms = await timeUntil(async () => (await skillsOnB())?.[0] === support)
    expect(ms).toBeLessThan(within)
  })

  it('joins a multi-part js2rest request whose parts reach different processes', async () => {
    const inner = encodeURIComponent(
      JSON.stringify({
        u: `/api/account/${account.accountId}/chat/availability?v=1`,
        h: { Authorization: `LivePerson appKey=${account.appKey}`, 'X-Padding': 'p'.repeat(600) },
      }),
    )
    const chunks = [inner.slice(0, 300), inner.slice(300, 600), inner.slice(600)]
    const tunnel = async (node: Node, query: string): Promise<Record<string, unknown>> => {
      const response = await node.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/js2rest/chat?${query}&cb=lpCb1`,
      })
      expect(response.body).toMatch(/^lpCb1\(/)
      return JSON.parse(response.body.slice('lpCb1('.length, -2)) as Record<string, unknown>
    }
    const first = await tunnel(a, `lpP=1&lpO=3&lpB=${chunks[0]}`)
    const id = String((first.lpMeta as { lpS: string }).lpS)
    expect(await tunnel(b, `lpP=3&lpO=3&lpS=${id}&lpB=${chunks[2]}`)).toEqual({
      responseCode: 200,
      lpMeta: { lpS: id },
    })
    const last = await tunnel(a, `lpP=2&lpO=3&lpS=${id}&lpB=${chunks[1]}`)
    expect(last.responseCode, JSON.stringify(last)).toBe(200)
    expect(last.body).toMatchObject({ availability: expect.any(Boolean) })
  })

  it('a killed listener connection flushes every cache, and notifications resume', async () => {
    const missed = await login(a.app, account.accountId, 'admin', account.adminPassword)
    expect(await bearerWorks(b, missed.bearer)).toBe(true)
    const resets = b.resets
    const pid = b.bus.listenerPid()
    await sql`select pg_terminate_backend(${pid})`.execute(a.storage.db)
    // Logged out while b is not listening: the notification is lost, the reset makes up for it.
    await a.services.login.logout(account.accountId, { bearer: missed.bearer, csrf: missed.csrf })
    await timeUntil(async () => b.resets > resets)
    expect(b.bus.listenerPid()).not.toBe(pid)
    expect(await bearerWorks(b, missed.bearer)).toBe(false)

    const next = await login(a.app, account.accountId, 'admin', account.adminPassword)
    expect(await bearerWorks(b, next.bearer)).toBe(true)
    await a.services.login.logout(account.accountId, { bearer: next.bearer, csrf: next.csrf })
    expect(await timeUntil(async () => !(await bearerWorks(b, next.bearer)))).toBeLessThan(within)
  })
})
