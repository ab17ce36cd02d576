import { beforeAll, expect, it } from 'vitest'
import { agentClient, fakeChatHooks, useAgentTestApp } from '../support/agent-api.ts'
import { configApi, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const PASSWORD = 'agent-pass-123'
const jsonBody = { 'content-type': 'application/json' }

/**
 * Per-process caches of accounts, app keys, bearers and agent sessions (docs/live-chat.md,
 * "Caches"): whatever this process writes is seen by the next request, with no wait.
 */
describeEachDialect('auth caches are invalidated by writes', (dialect) => {
  const ctx = useAgentTestApp(dialect, fakeChatHooks())
  let account: TestAccount
  let api: ConfigApi
  let userId = 0

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    api = configApi(
      ctx.app,
      account.accountId,
      (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer,
    )
    const created = await api.post('/le-users/users', {
      loginName: 'dora',
      passwordSh: PASSWORD,
      nickname: 'Dora',
      email: 'dora@example.com',
      maxChats: 3,
    })
    expect(created.statusCode, created.body).toBe(201)
    userId = created.json<{ id: number }>().id
  })

  const startSession = async (authorization: string) => {
    const client = agentClient(ctx.app, account.accountId, authorization)
    const response = await client.request('POST', '.json?v=1&NC=true', { body: '{}', headers: jsonBody })
    return { client, response }
  }

  it('rejects a bearer as soon as its session logged out', async () => {
    const session = await login(ctx.app, account.accountId, 'dora', PASSWORD)
    const { client, response } = await startSession(`Bearer ${session.bearer}`)
    expect(response.statusCode, response.body).toBe(201)
    const id = String(response.headers.location).split('/').pop() as string
    expect((await client.request('GET', `/${id}.json?v=1&NC=true`)).statusCode).toBe(200)
    await ctx.services.login.logout(account.accountId, { bearer: session.bearer, csrf: session.csrf })
    const after = await client.request('GET', `/${id}.json?v=1&NC=true`)
    expect(after.statusCode).toBe(401)
    expect(after.body).toContain('token_rejected')
  })

  it('answers 404 for an agent session as soon as it ended', async () => {
    const session = await login(ctx.app, account.accountId, 'dora', PASSWORD)
    const { client, response } = await startSession(`Bearer ${session.bearer}`)
    const id = String(response.headers.location).split('/').pop() as string
    expect((await client.request('GET', `/${id}.json?v=1&NC=true`)).statusCode).toBe(200)
    expect((await client.request('DELETE', `/${id}.json?v=1&NC=true`)).statusCode).toBe(200)
    const after = await client.request('GET', `/${id}.json?v=1&NC=true`)
    expect(after.statusCode).toBe(404)
    expect(after.json()).toMatchObject({ error: { message: expect.any(String) } })
  })

  it('rejects a disabled user’s bearer at once, and accepts it again once re-enabled with a new login', async () => {
    const session = await login(ctx.app, account.accountId, 'dora', PASSWORD)
    const { client, response } = await startSession(`Bearer ${session.bearer}`)
    const id = String(response.headers.location).split('/').pop() as string
    expect((await client.request('GET', `/${id}.json?v=1&NC=true`)).statusCode).toBe(200)
    const user = (await api.get(`/le-users/users/${userId}`)).json<Record<string, unknown>>()
    expect((await api.put(`/le-users/users/${userId}`, { ...user, isEnabled: false })).statusCode).toBe(200)
    expect((await client.request('GET', `/${id}.json?v=1&NC=true`)).statusCode).toBe(401)
    const current = (await api.get(`/le-users/users/${userId}`)).json<Record<string, unknown>>()
    expect((await api.put(`/le-users/users/${userId}`, { ...current, isEnabled: true })).statusCode).toBe(200)
    const again = await login(ctx.app, account.accountId, 'dora', PASSWORD)
    expect((await startSession(`Bearer ${again.bearer}`)).response.statusCode).toBe(201)
  })

  it('accepts an app key created after the account’s keys were cached, and still rejects an unknown one', async () => {
    const known = await ctx.services.credentials.authenticateAppKey(account.accountId, account.appKey)
    expect(known.kind).toBe('visitorApp')
    await expect(ctx.services.credentials.authenticateAppKey(account.accountId, 'f'.repeat(32))).rejects.toMatchObject({
      code: 'APP_KEY_REJECTED',
    })
    const created = await ctx.services.accounts.createAppKey(account.accountId)
    const actor = await ctx.services.credentials.authenticateAppKey(account.accountId, created.appKey)
    expect(actor.appKeyId).toBe(created.id)
    const other = await createAccount(ctx.services)
    await expect(ctx.services.credentials.authenticateAppKey(other.accountId, created.appKey)).rejects.toMatchObject({
      code: 'APP_KEY_REJECTED',
    })
  })

  it('serves the account’s new revision right after a configuration write', async () => {
    const before = (await ctx.services.accounts.requireAccount(account.accountId)).revision
    const created = await api.post('/le-users/skills', { name: `Skill ${before}` })
    expect(created.statusCode, created.body).toBe(201)
    expect((await ctx.services.accounts.requireAccount(account.accountId)).revision).toBeGreaterThan(before)
  })
})
