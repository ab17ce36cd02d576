import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { useTestApp } from '../support/build-app.ts'
import { adminConfigApi, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { makeRecord } from '../support/eh-search-records.ts'
import { rtIdsOf, searchPath, searchWithBearer, useHistoryArchive } from '../support/history-api.ts'

const T0 = Date.UTC(2026, 6, 1)
const RT = 4294967300
const body = { start: { from: T0, to: T0 + 86_400_000 } }

type Keys = TestAccount['apiKey']

describeEachDialect('Engagement History access', (dialect) => {
  const context = useTestApp(dialect)
  const history = useHistoryArchive(context)
  let account: TestAccount
  let api: ConfigApi
  let adminBearer: string
  const groups: Record<'parent' | 'child' | 'other', number> = { parent: 0, child: 0, other: 0 }

  const createUser = async (loginName: string, permissionGroups: string[], managerOf: number[] = []) => {
    const response = await api.post('/le-users/users', {
      loginName,
      passwordSh: 'manager-pass-123',
      fullName: loginName,
      nickname: loginName,
      email: `${loginName}@example.com`,
      isEnabled: true,
      maxChats: 2,
      skillIds: [],
      memberOf: { agentGroupId: -1 },
      managerOf: managerOf.map((agentGroupId) => ({ agentGroupId })),
      permissionGroups,
    })
    expect(response.statusCode, response.body).toBe(201)
    return (await login(context.app, account.accountId, loginName, 'manager-pass-123')).bearer
  }

  const signed = (keys: Keys, href: string): Promise<LightMyRequestResponse> => {
    const url = new URL(href)
    return context.app.inject({
      method: 'POST',
      url: `${url.pathname}${url.search}`,
      headers: {
        host: url.host,
        'content-type': 'application/json',
        authorization: signRequest({
          method: 'POST',
          url: href,
          consumerKey: keys.consumerKey,
          consumerSecret: keys.consumerSecret,
          token: keys.accessToken,
          tokenSecret: keys.accessTokenSecret,
          timestamp: Math.floor(context.clock.now() / 1000),
        }),
      },
      payload: JSON.stringify(body),
    })
  }

  beforeAll(async () => {
    ;({ account, api } = await adminConfigApi(context))
    adminBearer = api.bearer
    const group = async (name: string, parentGroupId: number) =>
      (await api.post('/le-users/agentGroups', { name, parentGroupId })).json<{ id: number }>().id
    groups.parent = await group('Support', -1)
    groups.child = await group('Support tier 2', groups.parent)
    groups.other = await group('Sales', -1)
    const accountId = account.accountId
    await history.archive(accountId, [
      makeRecord({ accountId, rtSessionId: RT + 1, startTimeL: T0 + 1000, agentGroupId: groups.parent }),
      makeRecord({ accountId, rtSessionId: RT + 2, startTimeL: T0 + 2000, agentGroupId: groups.child }),
      makeRecord({ accountId, rtSessionId: RT + 3, startTimeL: T0 + 3000, agentGroupId: groups.other }),
      makeRecord({ accountId, rtSessionId: RT + 4, startTimeL: T0 + 4000, agentGroupId: -1 }),
    ])
  })

  const rts = (...ns: number[]) => ns.map((n) => String(RT + n))

  it('lets an Admin bearer see every engagement', async () => {
    const response = await searchWithBearer(context, account.accountId, adminBearer, body, 'sort=start:asc')
    expect(response.statusCode).toBe(200)
    expect(rtIdsOf(response, account.accountId)).toEqual(rts(1, 2, 3, 4))
  })

  it('shows an Agent Manager only their groups and the groups below them', async () => {
    const bearer = await createUser('manager', ['2'], [groups.parent])
    const response = await searchWithBearer(context, account.accountId, bearer, body, 'sort=start:asc')
    expect(response.statusCode).toBe(200)
    expect(response.json()._metadata.count).toBe(2)
    expect(rtIdsOf(response, account.accountId)).toEqual(rts(1, 2))
    const lookup = await searchWithBearer(context, account.accountId, bearer, {
      engagementId: `${account.accountId}${RT + 3}`,
    })
    expect(lookup.json()._metadata.count).toBe(0)
  })

  it('shows a manager of the Main Group everything below it, and one managing nothing nothing', async () => {
    const root = await createUser('rootmanager', ['2'], [-1])
    expect(
      rtIdsOf(await searchWithBearer(context, account.accountId, root, body, 'sort=start:asc'), account.accountId),
    ).toEqual(rts(1, 2, 3, 4))
    const idle = await createUser('idlemanager', ['2'])
    const response = await searchWithBearer(context, account.accountId, idle, body)
    expect(response.statusCode).toBe(200)
    expect(response.json()._metadata.count).toBe(0)
  })

  it('refuses an agent without Admin or Agent Manager permission with 403', async () => {
    const bearer = await createUser('agent', ['1'])
    const response = await searchWithBearer(context, account.accountId, bearer, body)
    expect(response.statusCode).toBe(403)
    expect(response.json().error.message).toBe('Unauthorized account access')
  })

  it('accepts an OAuth 1.0a signed request and a signed request to the next link', async () => {
    const origin = 'http://eh.example.com'
    const first = await signed(
      account.apiKey,
      `${origin}${searchPath(account.accountId)}?limit=2&sort=start:asc&source=Sync Job`,
    )
    expect(first.statusCode, first.body).toBe(200)
    const next: string = first.json()._metadata.next.href
    expect(next).toBe(`${origin}${searchPath(account.accountId)}?limit=2&offset=2&sort=start:asc&source=Sync%20Job`)
    const second = await signed(account.apiKey, next)
    expect(second.statusCode, second.body).toBe(200)
    expect(second.json()._metadata.self.href).toBe(next)
    expect(rtIdsOf(second, account.accountId)).toEqual(rts(3, 4))
  })

  it('refuses an API key without the engagementHistory permission with 403', async () => {
    const key = await context.services.accounts.createApiKey(account.accountId, {
      permissions: ['monitoring', 'agent'],
    })
    const response = await signed(key, `http://localhost${searchPath(account.accountId)}`)
    expect(response.statusCode).toBe(403)
    expect(response.json().error.message).toBe('Unauthorized account access')
  })

  it('answers 401 for credentials of another account and without credentials', async () => {
    const other = await createAccount(context.services)
    const bearerElsewhere = await searchWithBearer(context, other.accountId, adminBearer, body)
    expect(bearerElsewhere.statusCode).toBe(401)
    expect(bearerElsewhere.headers['content-type']).toMatch(/^application\/json/)
    const keyElsewhere = await signed(account.apiKey, `http://localhost${searchPath(other.accountId)}`)
    expect(keyElsewhere.statusCode).toBe(401)
    const anonymous = await context.app.inject({ method: 'POST', url: searchPath(account.accountId), payload: body })
    expect(anonymous.statusCode).toBe(401)
    expect(anonymous.json().error.message).toBe('Unauthorized')
  })

  it('answers 404 for an unknown account', async () => {
    const response = await searchWithBearer(context, 'nosuchaccount1', adminBearer, body)
    expect(response.statusCode).toBe(404)
  })
})
