import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/config.ts'
import { useTestApp, type TestContext } from '../support/build-app.ts'
import { configApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const PASSWORD = 'agent-pass-123'
const EVIL = 'https://evil.example.com'
const ALLOWED = 'https://console.example.com'

/** An agent logged in through A1's legacy credentials: the session id and the cookie that carries the bearer. */
async function legacyAgent(ctx: TestContext, account: TestAccount): Promise<{ base: string; cookie: string }> {
  const admin = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
  const created = await configApi(ctx.app, account.accountId, admin.bearer).post('/le-users/users', {
    loginName: 'natalie',
    passwordSh: PASSWORD,
    nickname: 'Nat',
    email: 'natalie@example.com',
  })
  expect(created.statusCode).toBe(201)
  const response = await ctx.app.inject({
    method: 'POST',
    url: `/api/account/${account.accountId}/agentSession.json`,
    payload: { loginData: { userName: 'natalie', password: PASSWORD } },
  })
  expect(response.statusCode).toBe(201)
  const cookie = response.cookies.find((c) => c.name === 'parley_agent_bearer')!.value
  const id = String(response.headers.location).split('/').pop()!
  return { base: `/api/account/${account.accountId}/agentSession/${id}`, cookie }
}

describeEachDialect('CORS and cookie-authenticated requests', (dialect) => {
  describe('default: no CORS', () => {
    const ctx = useTestApp(dialect)
    let account: TestAccount
    let agent: { base: string; cookie: string }

    beforeAll(async () => {
      account = await createAccount(ctx.services)
      agent = await legacyAgent(ctx, account)
    })

    it('answers no Access-Control-* header to any origin, on requests and preflights', async () => {
      const preflight = await ctx.app.inject({
        method: 'OPTIONS',
        url: `${agent.base}/availability`,
        headers: { origin: EVIL, 'access-control-request-method': 'PUT' },
      })
      expect(preflight.statusCode).toBe(204)
      const normal = await ctx.app.inject({
        method: 'GET',
        url: `${agent.base}/availability.json`,
        headers: { origin: EVIL },
        cookies: { parley_agent_bearer: agent.cookie },
      })
      for (const response of [preflight, normal])
        expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
    })

    const setAvailability = (availability: string, headers: Record<string, string>) =>
      ctx.app.inject({
        method: 'PUT',
        url: `${agent.base}/availability.json`,
        // What a page of another origin can send without a preflight: a "simple" text/plain body.
        headers: { 'content-type': 'text/plain', ...headers },
        cookies: { parley_agent_bearer: agent.cookie },
        payload: JSON.stringify({ availability: { chat: availability } }),
      })
    const currentAvailability = async (): Promise<string> => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${agent.base}/availability.json`,
        cookies: { parley_agent_bearer: agent.cookie },
      })
      return response.json<{ availability: { chat: string } }>().availability.chat
    }

    it('refuses the agent cookie on a request from another origin or a sibling site (403), and changes nothing', async () => {
      const before = await currentAvailability()
      const crossSite: Array<Record<string, string>> = [
        { origin: EVIL },
        { origin: 'null' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'cross-site' },
      ]
      for (const headers of crossSite) {
        const response = await setAvailability(before === 'Online' ? 'Away' : 'Online', headers)
        expect(response.statusCode).toBe(403)
        expect(response.json().error).toMatchObject({ internalCode: 10 })
      }
      expect(await currentAvailability()).toBe(before)
    })

    it("accepts it from Parley's own pages and from clients outside a browser", async () => {
      expect(
        (await setAvailability('Online', { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' }))
          .statusCode,
      ).toBe(200)
      expect(await currentAvailability()).toBe('Online')
      expect((await setAvailability('Away', {})).statusCode).toBe(200)
      expect(await currentAvailability()).toBe('Away')
    })

    it('leaves requests with an Authorization header alone (a page of another origin cannot add one)', async () => {
      const { bearer } = await login(ctx.app, account.accountId, 'natalie', PASSWORD)
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${agent.base}/availability.json`,
        headers: { origin: EVIL, authorization: `Bearer ${bearer}` },
      })
      expect(response.statusCode).toBe(200)
    })
  })

  describe('PARLEY_CORS_ORIGINS', () => {
    const ctx = useTestApp(dialect, { env: { PARLEY_CORS_ORIGINS: `${ALLOWED}, https://other.example.com` } })
    let account: TestAccount
    let agent: { base: string; cookie: string }

    beforeAll(async () => {
      account = await createAccount(ctx.services)
      agent = await legacyAgent(ctx, account)
    })

    it('allows exactly the listed origins, with credentials, never *', async () => {
      const preflight = await ctx.app.inject({
        method: 'OPTIONS',
        url: `${agent.base}/availability`,
        headers: { origin: ALLOWED, 'access-control-request-method': 'PUT' },
      })
      expect(preflight.statusCode).toBe(204)
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': ALLOWED,
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
        vary: 'Origin',
      })
      const other = await ctx.app.inject({
        method: 'OPTIONS',
        url: `${agent.base}/availability`,
        headers: { origin: EVIL, 'access-control-request-method': 'PUT' },
      })
      expect(other.headers['access-control-allow-origin']).toBeUndefined()
      expect(other.headers['access-control-allow-methods']).toBeUndefined()
      const allowed = await ctx.app.inject({
        method: 'PUT',
        url: `${agent.base}/availability.json`,
        headers: { origin: ALLOWED, 'content-type': 'application/json' },
        cookies: { parley_agent_bearer: agent.cookie },
        payload: { availability: { chat: 'Online' } },
      })
      expect(allowed.statusCode).toBe(200)
      expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED)
      expect(allowed.headers['access-control-expose-headers']).toBe('Location, ac-revision, ETag')
    })
  })
})

describe('PARLEY_CORS_ORIGINS validation', () => {
  const problems = (value: string): string => {
    try {
      loadConfig({ PARLEY_CORS_ORIGINS: value }, {})
      return ''
    } catch (error) {
      return (error as Error).message
    }
  }

  it('refuses *, paths and non-http origins, and keeps well-formed origins in lower case', () => {
    for (const value of ['*', 'https://a.example.com/path', 'ftp://a.example.com', 'a.example.com'])
      expect(problems(value)).toMatch(/PARLEY_CORS_ORIGINS/)
    expect(loadConfig({ PARLEY_CORS_ORIGINS: 'https://A.example.com, http://localhost:3000' }, {}).corsOrigins).toEqual(
      ['https://a.example.com', 'http://localhost:3000'],
    )
  })
})
