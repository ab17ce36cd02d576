import { beforeAll, expect, it } from 'vitest'
import { createAgentsService } from '../../src/core/agents/agents.service.ts'
import { createInvalidation } from '../../src/core/cache/invalidation.ts'
import { createInProcessBus } from '../../src/storage/bus/in-process-bus.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { agentClient, fakeChatHooks, useAgentTestApp, type AgentClient } from '../support/agent-api.ts'
import { configApi, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const PASSWORD = 'agent-pass-123'
const putOverride = { 'x-http-method-override': 'PUT', 'content-type': 'application/json' }

/**
 * The routing directory (`connectedAgents`) is kept in memory; after every operation that changes
 * it, it must equal what a service with nothing cached reads from the database.
 */
describeEachDialect('in-memory agent directory agrees with the database', (dialect) => {
  const hooks = fakeChatHooks()
  const ctx = useAgentTestApp(dialect, hooks)
  let account: TestAccount
  let api: ConfigApi
  const users = { natalie: 0, bob: 0 }
  let sales = 0

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    api = configApi(
      ctx.app,
      account.accountId,
      (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer,
    )
    sales = (await api.post('/le-users/skills', { name: 'Sales' })).json<{ id: number }>().id
    for (const name of ['natalie', 'bob'] as const) {
      const created = await api.post('/le-users/users', {
        loginName: name,
        passwordSh: PASSWORD,
        nickname: name,
        email: `${name}@example.com`,
        maxChats: 2,
        skillIds: [sales],
      })
      expect(created.statusCode, created.body).toBe(201)
      users[name] = created.json<{ id: number }>().id
    }
  })

  /** What the database says, through a service with empty caches. */
  const fromDatabase = () =>
    createAgentsService({
      db: ctx.storage.db,
      uow: createUnitOfWork(ctx.storage.db),
      clock: ctx.clock,
      invalidation: createInvalidation(createInProcessBus()),
      ids: { hex: () => '', digits: () => '' } as never,
      login: ctx.services.login,
      hooks,
      idleTimeoutMs: ctx.config.agentSessionIdleMs,
    }).connectedAgents(account.accountId)

  const agrees = async (): Promise<void> => {
    const cached = await ctx.services.agents.connectedAgents(account.accountId)
    expect(cached).toEqual(await fromDatabase())
  }

  const clientOf = async (name: string): Promise<AgentClient> =>
    agentClient(
      ctx.app,
      account.accountId,
      `Bearer ${(await login(ctx.app, account.accountId, name, PASSWORD)).bearer}`,
    )

  it('follows session start and end, availability, markAway, user and skill changes', async () => {
    await agrees()
    const natalie = await clientOf('natalie')
    const nSession = await natalie.start()
    await agrees()
    expect((await ctx.services.agents.connectedAgents(account.accountId)).map((agent) => agent.userId)).toEqual([
      users.natalie,
    ])
    const bob = await clientOf('bob')
    const bSession = await bob.start()
    await agrees()

    ctx.clock.advance(1000)
    const away = await natalie.request('POST', `/${nSession}/availability.json?v=1&NC=true`, {
      body: { availability: { chat: 'Away' } },
      headers: putOverride,
    })
    expect(away.statusCode, away.body).toBe(200)
    await agrees()
    expect((await ctx.services.agents.connectedAgents(account.accountId))[0]?.availability).toBe('Away')

    ctx.clock.advance(1000)
    await ctx.services.agents.markAway(account.accountId, users.bob)
    await agrees()

    const user = (await api.get(`/le-users/users/${users.bob}`)).json<Record<string, unknown>>()
    expect((await api.put(`/le-users/users/${users.bob}`, { ...user, maxChats: 7, skillIds: [] })).statusCode).toBe(200)
    await agrees()
    expect(
      (await ctx.services.agents.connectedAgents(account.accountId)).find((a) => a.userId === users.bob),
    ).toMatchObject({ maxChats: 7, skillIds: [] })

    expect((await api.del(`/le-users/skills/${sales}`)).statusCode).toBe(200)
    await agrees()
    expect((await ctx.services.agents.connectedAgents(account.accountId))[0]?.skillIds).toEqual([])

    expect((await bob.request('DELETE', `/${bSession}.json?v=1&NC=true`)).statusCode).toBe(200)
    await agrees()
    expect((await ctx.services.agents.connectedAgents(account.accountId)).map((agent) => agent.userId)).toEqual([
      users.natalie,
    ])

    const current = (await api.get(`/le-users/users/${users.natalie}`)).json<Record<string, unknown>>()
    expect((await api.put(`/le-users/users/${users.natalie}`, { ...current, isEnabled: false })).statusCode).toBe(200)
    await agrees()
    expect(await ctx.services.agents.connectedAgents(account.accountId)).toEqual([])
  })

  it('returns copies: a caller changing an agent does not change the directory', async () => {
    const [first] = await ctx.services.agents.connectedAgents(account.accountId)
    if (first) first.maxChats = 99
    await agrees()
  })
})
