import { beforeAll, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import * as grantPostgres from '../../src/storage/migrations/postgres/2026_12_07_1210_grant_config_read_to_api_keys.ts'
import * as grantSqlite from '../../src/storage/migrations/sqlite/2026_12_07_1210_grant_config_read_to_api_keys.ts'
import type { ApiKeyPermission } from '../../src/core/accounts/accounts.types.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

interface Keys {
  consumerKey: string
  consumerSecret: string
  accessToken: string
  accessTokenSecret: string
}

const HOST = 'parley.example.com'

describeEachDialect('account configuration API with OAuth 1.0a API keys', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount

  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })

  const keyWith = async (permissions: ApiKeyPermission[]): Promise<Keys> => {
    const key = await ctx.services.accounts.createApiKey(account.accountId, { permissions })
    return {
      consumerKey: key.consumerKey,
      consumerSecret: key.consumerSecret,
      accessToken: key.accessToken,
      accessTokenSecret: key.accessTokenSecret,
    }
  }

  const signed = (keys: Keys, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, accountId?: string) => {
    const url = `/api/account/${accountId ?? account.accountId}/configuration${path}`
    return ctx.app.inject({
      method,
      url,
      headers: {
        host: HOST,
        'content-type': 'application/json',
        authorization: signRequest({
          method,
          url: `http://${HOST}${url}`,
          consumerKey: keys.consumerKey,
          consumerSecret: keys.consumerSecret,
          token: keys.accessToken,
          tokenSecret: keys.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
  }

  it("reads skills, users and agent groups with the key made by account create (tap-liveperson's streams)", async () => {
    for (const path of ['/le-users/skills?v=2', '/le-users/users?v=4', '/le-users/agentGroups?v=2']) {
      const response = await signed(account.apiKey, 'GET', path)
      expect(response.statusCode).toBe(200)
      expect(Array.isArray(response.json())).toBe(true)
      expect(response.headers['ac-revision']).toMatch(/^\d+$/)
    }
    const users = (await signed(account.apiKey, 'GET', '/le-users/users')).json<Array<Record<string, unknown>>>()
    expect(users.map((user) => user.loginName)).toEqual(['admin'])
    expect(users[0]).not.toHaveProperty('passwordSh')
  })

  it("cannot write with the default key (configRead only): 403 in LivePerson's envelope", async () => {
    const response = await signed(account.apiKey, 'POST', '/le-users/skills', { name: 'Sales' })
    expect(response.statusCode).toBe(403)
    expect(response.json().error).toMatchObject({ message: 'Unauthorized account access', internalCode: 10 })
  })

  it('writes (and reads) with a configWrite key', async () => {
    const writer = await keyWith(['configWrite'])
    const created = await signed(writer, 'POST', '/le-users/skills', { name: 'Support' })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({ name: 'Support' })
    expect((await signed(writer, 'GET', `/le-users/skills/${created.json<{ id: number }>().id}`)).statusCode).toBe(200)
    expect((await signed(writer, 'DELETE', `/le-users/skills/${created.json<{ id: number }>().id}`)).statusCode).toBe(
      200,
    )
  })

  it('refuses a key without a configuration permission (403) and keys of another account (401)', async () => {
    const historyOnly = await keyWith(['engagementHistory'])
    const refused = await signed(historyOnly, 'GET', '/le-users/skills')
    expect(refused.statusCode).toBe(403)
    expect((await signed(historyOnly, 'POST', '/le-users/skills', { name: 'X' })).statusCode).toBe(403)
    const other = await createAccount(ctx.services)
    const foreign = await signed(other.apiKey, 'GET', '/le-users/skills')
    expect(foreign.statusCode).toBe(401)
  })

  it('keeps login locks for admin users: an API key is not a bearer (401)', async () => {
    const writer = await keyWith(['configWrite'])
    expect((await signed(writer, 'GET', '/le-users/loginLocks')).statusCode).toBe(401)
    const { bearer } = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${account.accountId}/configuration/le-users/loginLocks`,
      headers: { authorization: `Bearer ${bearer}` },
    })
    expect(response.statusCode).toBe(200)
  })

  it('grants configRead to keys made before the permission existed (migration)', async () => {
    const old = await ctx.services.accounts.createApiKey(account.accountId, {
      permissions: ['engagementHistory', 'monitoring', 'agent', 'visitor'],
    })
    const narrow = await ctx.services.accounts.createApiKey(account.accountId, { permissions: ['monitoring'] })
    await (dialect === 'postgres' ? grantPostgres : grantSqlite).up(ctx.storage.db as never)
    const keys = await ctx.services.accounts.listApiKeys(account.accountId)
    expect(keys.find((key) => key.id === old.id)?.permissions).toEqual([
      'engagementHistory',
      'monitoring',
      'agent',
      'visitor',
      'configRead',
    ])
    expect(keys.find((key) => key.id === narrow.id)?.permissions).toEqual(['monitoring'])
  })
})
