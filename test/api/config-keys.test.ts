import { beforeAll, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { useTestApp } from '../support/build-app.ts'
import { configApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const HOST = 'parley.example.com'
const HEX32 = /^[0-9a-f]{32}$/

describeEachDialect('configuration API extension: parley/appKeys and parley/apiKeys', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  let bearer: string
  const base = (accountId: string) => `/api/account/${accountId}/configuration/parley`
  const call = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, token = bearer, accountId?: string) =>
    ctx.app.inject({
      method,
      url: `${base(accountId ?? account.accountId)}${path}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    })

  /** A configuration API read signed with the key's OAuth 1.0a credentials. */
  const readSkillsWith = (key: { appKey: string; secret: string; accessToken: string; accessTokenSecret: string }) => {
    const url = `/api/account/${account.accountId}/configuration/le-users/skills`
    return ctx.app.inject({
      method: 'GET',
      url,
      headers: {
        host: HOST,
        authorization: signRequest({
          method: 'GET',
          url: `http://${HOST}${url}`,
          consumerKey: key.appKey,
          consumerSecret: key.secret,
          token: key.accessToken,
          tokenSecret: key.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        }),
      },
    })
  }

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    bearer = (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer
  })

  it('creates an API key whose secrets are in the creation answer only; it works until revoked, then 401', async () => {
    const created = await call('POST', '/apiKeys', { permissions: ['configRead', 'configRead', 'engagementHistory'] })
    expect(created.statusCode).toBe(201)
    expect(created.headers['content-type']).toMatch(/^application\/json/)
    expect(created.headers['cache-control']).toBe('no-store')
    const key = created.json()
    expect(key).toEqual({
      appKey: expect.stringMatching(HEX32),
      secret: expect.stringMatching(HEX32),
      accessToken: expect.stringMatching(HEX32),
      accessTokenSecret: expect.stringMatching(HEX32),
      permissions: ['configRead', 'engagementHistory'],
      userId: null,
      createdAt: ctx.clock.now(),
    })
    expect((await readSkillsWith(key)).statusCode).toBe(200)

    const listed = await call('GET', '/apiKeys')
    expect(listed.statusCode).toBe(200)
    expect(listed.json()).toEqual([
      {
        appKey: account.apiKey.consumerKey,
        permissions: expect.any(Array),
        userId: null,
        createdAt: expect.any(Number),
      },
      { appKey: key.appKey, permissions: ['configRead', 'engagementHistory'], userId: null, createdAt: key.createdAt },
    ])
    for (const secret of [key.secret, key.accessToken, key.accessTokenSecret]) expect(listed.body).not.toContain(secret)

    const revoked = await call('DELETE', `/apiKeys/${key.appKey}`)
    expect(revoked.statusCode).toBe(200)
    expect(revoked.json()).toEqual({ appKey: key.appKey, revoked: true })
    expect((await readSkillsWith(key)).statusCode).toBe(401)
    expect((await call('GET', '/apiKeys')).json<Array<{ appKey: string }>>().map((entry) => entry.appKey)).toEqual([
      account.apiKey.consumerKey,
    ])
    const again = await call('DELETE', `/apiKeys/${key.appKey}`)
    expect(again.statusCode).toBe(404)
    expect(again.json().error).toMatchObject({ internalCode: 28 })
  })

  it('creates, lists and revokes visitor app keys; a revoked one is refused by the visitor API', async () => {
    const created = await call('POST', '/appKeys')
    expect(created.statusCode).toBe(201)
    const { appKey } = created.json()
    expect(created.json()).toEqual({ appKey: expect.stringMatching(HEX32), createdAt: expect.any(Number) })
    expect((await call('GET', '/appKeys')).json()).toEqual([
      { appKey: account.appKey, createdAt: expect.any(Number) },
      { appKey, createdAt: created.json().createdAt },
    ])
    const visitor = () =>
      ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}`,
        headers: { authorization: `LivePerson appKey=${appKey}` },
      })
    expect((await visitor()).statusCode).toBe(200)
    expect((await call('DELETE', `/appKeys/${appKey}`)).json()).toEqual({ appKey, revoked: true })
    expect((await visitor()).statusCode).toBe(401)
    expect((await call('DELETE', `/appKeys/${appKey}`)).statusCode).toBe(404)
  })

  it("refuses bad permissions with 400 naming the field, in LivePerson's envelope", async () => {
    for (const body of [{ permissions: ['root'] }, { permissions: [] }, {}]) {
      const response = await call('POST', '/apiKeys', body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().error).toMatchObject({
        internalCode: 5,
        message: expect.stringMatching(/^body\.permissions(\.0)?: must /),
      })
    }
    expect((await call('GET', '/apiKeys')).json()).toHaveLength(1)
  })

  it('is for Admin bearers of the account only: 401 anonymous, with an API key or another account; 403 for agents', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: `${base(account.accountId)}/apiKeys` })).statusCode).toBe(401)
    const agent = await configApi(ctx.app, account.accountId, bearer).post('/le-users/users', {
      loginName: 'agent1',
      passwordSh: 'agent1-password',
      nickname: 'Agent',
      email: '',
    })
    expect(agent.statusCode).toBe(201)
    const agentBearer = (await login(ctx.app, account.accountId, 'agent1', 'agent1-password')).bearer
    for (const [method, path] of [
      ['GET', '/apiKeys'],
      ['POST', '/appKeys'],
      ['DELETE', `/appKeys/${account.appKey}`],
    ] as const) {
      const response = await call(method, path, method === 'POST' ? {} : undefined, agentBearer)
      expect(response.statusCode, path).toBe(403)
      expect(response.json().error).toMatchObject({ message: 'Unauthorized account access', internalCode: 10 })
    }
    // An OAuth 1.0a key, even one with configWrite, cannot mint or list keys.
    const writer = (await call('POST', '/apiKeys', { permissions: ['configWrite'] })).json<{
      appKey: string
      secret: string
      accessToken: string
      accessTokenSecret: string
    }>()
    const url = `${base(account.accountId)}/apiKeys`
    const signed = await ctx.app.inject({
      method: 'GET',
      url,
      headers: {
        host: HOST,
        authorization: signRequest({
          method: 'GET',
          url: `http://${HOST}${url}`,
          consumerKey: writer.appKey,
          consumerSecret: writer.secret,
          token: writer.accessToken,
          tokenSecret: writer.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        }),
      },
    })
    expect(signed.statusCode).toBe(401)
    // Accounts are isolated: another account's admin gets 401, an unknown account 404.
    const other = await createAccount(ctx.services)
    expect((await call('GET', '/apiKeys', undefined, bearer, other.accountId)).statusCode).toBe(401)
    expect((await call('DELETE', `/appKeys/${other.appKey}`)).statusCode).toBe(404)
    expect((await ctx.services.accounts.listAppKeys(other.accountId)).map((key) => key.appKey)).toEqual([other.appKey])
    expect((await call('GET', '/apiKeys', undefined, bearer, 'nosuchaccount')).statusCode).toBe(404)
  })
})
