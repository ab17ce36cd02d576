import { beforeAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { buildApp } from '../../src/http/app.ts'
import { useTestApp, type TestContext } from '../support/build-app.ts'
import { configApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const PASSWORD = 'agent-pass-123'

/** Adds an agent user with `PASSWORD` through the configuration API (as the account's admin). */
async function addUser(ctx: TestContext, account: TestAccount, loginName: string): Promise<number> {
  const { bearer } = await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)
  const response = await configApi(ctx.app, account.accountId, bearer).post('/le-users/users', {
    loginName,
    passwordSh: PASSWORD,
    nickname: loginName,
    email: `${loginName}@example.com`,
  })
  expect(response.statusCode).toBe(201)
  return response.json<{ id: number }>().id
}

function attempt(
  ctx: TestContext,
  accountId: string,
  username: string,
  password: string,
  options: { ip?: string; headers?: Record<string, string> } = {},
) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/account/${accountId}/login`,
    remoteAddress: options.ip ?? '10.0.0.1',
    headers: options.headers ?? {},
    payload: { username, password },
  })
}

describeEachDialect('login protection', (dialect) => {
  const ctx = useTestApp(dialect, {
    env: { PARLEY_LOGIN_MAX_FAILURES: '3', PARLEY_LOGIN_MAX_FAILURES_PER_IP: '8' },
  })

  describe('per login name', () => {
    let account: TestAccount
    beforeAll(async () => {
      account = await createAccount(ctx.services)
      await addUser(ctx, account, 'alice')
      await addUser(ctx, account, 'bob')
    })

    it("locks only the guessed name: the office's other users still log in, with passwords and API keys", async () => {
      for (let i = 0; i < 3; i++) expect((await attempt(ctx, account.accountId, 'alice', 'wrong')).statusCode).toBe(401)
      // The right password no longer helps alice, from this address or any other.
      const blocked = await attempt(ctx, account.accountId, 'ALICE', PASSWORD)
      expect(blocked.statusCode).toBe(429)
      expect(blocked.json().error).toMatchObject({ message: 'Too many requests', internalCode: 29 })
      expect((await attempt(ctx, account.accountId, 'alice', PASSWORD, { ip: '10.9.9.9' })).statusCode).toBe(429)
      // Everyone else in the office (same address) is unaffected.
      expect((await attempt(ctx, account.accountId, 'bob', PASSWORD)).statusCode).toBe(200)
      const apiKeyLogin = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        remoteAddress: '10.0.0.1',
        payload: {
          username: 'admin',
          appKey: account.apiKey.consumerKey,
          secret: account.apiKey.consumerSecret,
          accessToken: account.apiKey.accessToken,
          accessTokenSecret: account.apiKey.accessTokenSecret,
        },
      })
      expect(apiKeyLogin.statusCode).toBe(200)
      ctx.clock.advance(ctx.config.loginFailureWindowMs + 1)
      expect((await attempt(ctx, account.accountId, 'alice', PASSWORD)).statusCode).toBe(200)
    })

    it("a success clears only its own name's count: interleaved good logins never reset the victim's", async () => {
      const target = await createAccount(ctx.services)
      await addUser(ctx, target, 'victim')
      await addUser(ctx, target, 'attacker')
      const answers: number[] = []
      for (let round = 0; round < 5; round++) {
        answers.push(
          (await attempt(ctx, target.accountId, 'victim', `guess-${round}-a`, { ip: '10.0.1.1' })).statusCode,
        )
        answers.push(
          (await attempt(ctx, target.accountId, 'victim', `guess-${round}-b`, { ip: '10.0.1.1' })).statusCode,
        )
        expect((await attempt(ctx, target.accountId, 'attacker', PASSWORD, { ip: '10.0.1.1' })).statusCode).toBe(200)
      }
      expect(answers.slice(0, 3)).toEqual([401, 401, 401])
      expect(answers.slice(3).every((status) => status === 429)).toBe(true)
    })

    it('checks at most the limit of concurrent guesses (attempts are reserved before the password check)', async () => {
      const target = await createAccount(ctx.services)
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          attempt(ctx, target.accountId, 'admin', `wrong-${i}`, { ip: `10.1.${i}.1` }).then((r) => r.statusCode),
        ),
      )
      expect(answers.filter((status) => status === 401).length).toBeLessThanOrEqual(3)
      expect(answers.filter((status) => status === 429).length).toBeGreaterThanOrEqual(37)
    })

    it('is shared by every process and kept across a restart (the counters live in the database)', async () => {
      const target = await createAccount(ctx.services)
      for (let i = 0; i < 3; i++) expect((await attempt(ctx, target.accountId, 'admin', 'wrong')).statusCode).toBe(401)
      // A second server on the same database: another process, or this one after a restart.
      const services = createServices({ storage: ctx.storage, config: ctx.config, clock: ctx.clock })
      const other = await buildApp({ config: ctx.config, services, clock: ctx.clock })
      try {
        const response = await other.inject({
          method: 'POST',
          url: `/api/account/${target.accountId}/login`,
          remoteAddress: '10.7.7.7',
          payload: { username: 'admin', password: target.adminPassword },
        })
        expect(response.statusCode).toBe(429)
      } finally {
        await other.close()
        await services.close()
      }
    })
  })

  describe('per client address', () => {
    it('limits failures from one address across names; successes give their attempt back', async () => {
      const target = await createAccount(ctx.services)
      await addUser(ctx, target, 'carol')
      // Ten good logins from one address never count towards its limit of 8.
      for (let i = 0; i < 10; i++)
        expect((await attempt(ctx, target.accountId, 'carol', PASSWORD, { ip: '10.2.0.1' })).statusCode).toBe(200)
      for (let i = 0; i < 8; i++)
        expect((await attempt(ctx, target.accountId, `name-${i}`, 'wrong', { ip: '10.2.0.1' })).statusCode).toBe(401)
      expect((await attempt(ctx, target.accountId, 'carol', PASSWORD, { ip: '10.2.0.1' })).statusCode).toBe(429)
      expect((await attempt(ctx, target.accountId, 'carol', PASSWORD, { ip: '10.2.0.2' })).statusCode).toBe(200)
    })
  })

  describe('admin view: GET and DELETE /configuration/le-users/loginLocks', () => {
    let account: TestAccount
    let adminBearer: string
    let agentBearer: string
    const path = (accountId: string) => `/api/account/${accountId}/configuration/le-users/loginLocks`

    beforeAll(async () => {
      account = await createAccount(ctx.services)
      await addUser(ctx, account, 'dave')
      await addUser(ctx, account, 'erin')
      adminBearer = (await login(ctx.app, account.accountId, 'admin', account.adminPassword)).bearer
      agentBearer = (await login(ctx.app, account.accountId, 'erin', PASSWORD)).bearer
      for (let i = 0; i < 3; i++) await attempt(ctx, account.accountId, 'Dave', 'wrong', { ip: '10.3.0.1' })
    })

    it('lists the counters, locked first, in JSON (also when XML is asked for: the family is JSON only)', async () => {
      for (const request of [
        { url: path(account.accountId), headers: {} },
        { url: `${path(account.accountId)}.xml`, headers: {} },
        { url: path(account.accountId), headers: { accept: 'application/xml' } },
      ]) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: request.url,
          headers: { authorization: `Bearer ${adminBearer}`, ...request.headers },
        })
        expect(response.statusCode).toBe(200)
        expect(response.headers['content-type']).toMatch(/^application\/json/)
        const locks = response.json()
        expect(locks[0]).toEqual({
          type: 'loginName',
          value: 'dave',
          failures: 3,
          limit: 3,
          locked: true,
          windowStart: expect.any(Number),
          resetsAt: locks[0].windowStart + ctx.config.loginFailureWindowMs,
        })
        expect(locks).toContainEqual(
          expect.objectContaining({ type: 'clientIp', value: '10.3.0.1', failures: 3, limit: 8, locked: false }),
        )
      }
    })

    it('clears a lock by login name, after which the user logs in', async () => {
      expect((await attempt(ctx, account.accountId, 'dave', PASSWORD, { ip: '10.3.0.9' })).statusCode).toBe(429)
      const cleared = await ctx.app.inject({
        method: 'DELETE',
        url: `${path(account.accountId)}?loginName=DAVE`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(cleared.statusCode).toBe(200)
      expect(cleared.json()).toEqual({ cleared: true, loginName: 'DAVE' })
      expect((await attempt(ctx, account.accountId, 'dave', PASSWORD, { ip: '10.3.0.9' })).statusCode).toBe(200)
      const again = await ctx.app.inject({
        method: 'DELETE',
        url: `${path(account.accountId)}?loginName=dave`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(again.statusCode).toBe(404)
      expect(again.json().error).toMatchObject({ internalCode: 28 })
    })

    it('clears a client address', async () => {
      const cleared = await ctx.app.inject({
        method: 'DELETE',
        url: `${path(account.accountId)}?clientIp=10.3.0.1`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(cleared.statusCode).toBe(200)
      expect(cleared.json()).toEqual({ cleared: true, clientIp: '10.3.0.1' })
    })

    it('answers 400 without exactly one of loginName and clientIp', async () => {
      for (const query of ['', '?loginName=a&clientIp=1.2.3.4']) {
        const response = await ctx.app.inject({
          method: 'DELETE',
          url: `${path(account.accountId)}${query}`,
          headers: { authorization: `Bearer ${adminBearer}` },
        })
        expect(response.statusCode).toBe(400)
        expect(response.json().error).toMatchObject({ internalCode: 5 })
      }
    })

    it('is for admins of the account only: 401 without a bearer, 403 for agents, 404 for unknown accounts', async () => {
      const none = await ctx.app.inject({ method: 'GET', url: path(account.accountId) })
      expect(none.statusCode).toBe(401)
      for (const method of ['GET', 'DELETE'] as const) {
        const agent = await ctx.app.inject({
          method,
          url: `${path(account.accountId)}?loginName=dave`,
          headers: { authorization: `Bearer ${agentBearer}` },
        })
        expect(agent.statusCode).toBe(403)
      }
      const other = await createAccount(ctx.services)
      const foreign = await ctx.app.inject({
        method: 'GET',
        url: path(other.accountId),
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(foreign.statusCode).toBe(401)
      const unknown = await ctx.app.inject({
        method: 'GET',
        url: path('nosuchaccount'),
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(unknown.statusCode).toBe(404)
    })
  })

  describe('password changes end the other sessions', () => {
    it("an admin resetting a user's password logs that user out everywhere", async () => {
      const account = await createAccount(ctx.services)
      const userId = await addUser(ctx, account, 'frank')
      const frank = await login(ctx.app, account.accountId, 'frank', PASSWORD)
      const admin = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const api = configApi(ctx.app, account.accountId, admin.bearer)
      const user = (await api.get(`/le-users/users/${userId}`)).json<Record<string, unknown>>()
      const reset = await api.put(`/le-users/users/${userId}`, {
        ...user,
        memberOf: { agentGroupId: -1 },
        passwordSh: 'brand-new-pass',
      })
      expect(reset.statusCode).toBe(200)
      const refresh = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        headers: { authorization: `Bearer ${frank.bearer}` },
        payload: { csrf: frank.csrf },
      })
      expect(refresh.statusCode).toBe(401)
      // Changing anything else ends nothing.
      const again = await login(ctx.app, account.accountId, 'frank', 'brand-new-pass')
      const renamed = await api.put(`/le-users/users/${userId}`, {
        ...user,
        memberOf: { agentGroupId: -1 },
        nickname: 'F',
      })
      expect(renamed.statusCode).toBe(200)
      expect((await api.get('/le-users/skills')).statusCode).toBe(200)
      const still = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        headers: { authorization: `Bearer ${again.bearer}` },
        payload: { csrf: again.csrf },
      })
      expect(still.statusCode).toBe(200)
    })

    it('a user changing their own password keeps the session they changed it with, and only that one', async () => {
      const account = await createAccount(ctx.services)
      const first = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const second = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const api = configApi(ctx.app, account.accountId, first.bearer)
      const me = (await api.get(`/le-users/users/${account.adminUserId}`)).json<Record<string, unknown>>()
      const changed = await api.put(`/le-users/users/${account.adminUserId}`, {
        ...me,
        memberOf: { agentGroupId: -1 },
        passwordSh: 'another-admin-pass',
      })
      expect(changed.statusCode).toBe(200)
      expect((await api.get('/le-users/skills')).statusCode).toBe(200)
      expect((await configApi(ctx.app, account.accountId, second.bearer).get('/le-users/skills')).statusCode).toBe(401)
    })
  })
})

describeEachDialect('login protection behind proxies', (dialect) => {
  describe('PARLEY_TRUSTED_PROXIES', () => {
    const ctx = useTestApp(dialect, {
      env: {
        PARLEY_LOGIN_MAX_FAILURES: '50',
        PARLEY_LOGIN_MAX_FAILURES_PER_IP: '3',
        PARLEY_TRUSTED_PROXIES: '10.255.0.0/16',
      },
    })

    it('takes the right-most address not added by a listed proxy: rotating X-Forwarded-For does not help', async () => {
      const target = await createAccount(ctx.services)
      const answers: number[] = []
      for (let i = 0; i < 6; i++) {
        // The client writes anything on the left; the proxy appends the address it saw.
        const forwarded = `198.18.${i}.${i + 1}, 203.0.113.7, 10.255.0.9`
        const response = await attempt(ctx, target.accountId, `name-${i}`, 'wrong', {
          ip: '10.255.0.1',
          headers: { 'x-forwarded-for': forwarded },
        })
        answers.push(response.statusCode)
      }
      expect(answers).toEqual([401, 401, 401, 429, 429, 429])
      // From a peer that is not a listed proxy the header is ignored: the peer is the client.
      const direct = await attempt(ctx, target.accountId, 'admin', target.adminPassword, {
        ip: '192.0.2.50',
        headers: { 'x-forwarded-for': '203.0.113.7' },
      })
      expect(direct.statusCode).toBe(200)
    })
  })

  describe('PARLEY_TRUST_PROXY=true (deprecated): loopback proxies only', () => {
    const ctx = useTestApp(dialect, {
      env: { PARLEY_LOGIN_MAX_FAILURES: '50', PARLEY_LOGIN_MAX_FAILURES_PER_IP: '3', PARLEY_TRUST_PROXY: 'true' },
    })

    it('trusts a proxy on this machine, never a remote peer, and still takes the right-most address', async () => {
      expect(ctx.config.trustedProxies).toEqual(['127.0.0.0/8', '::1'])
      const target = await createAccount(ctx.services)
      const answers: number[] = []
      for (let i = 0; i < 5; i++) {
        const response = await attempt(ctx, target.accountId, `name-${i}`, 'wrong', {
          ip: '127.0.0.1',
          headers: { 'x-forwarded-for': `198.18.0.${i + 1}, 203.0.113.8` },
        })
        answers.push(response.statusCode)
      }
      expect(answers).toEqual([401, 401, 401, 429, 429])
      const remote = await attempt(ctx, target.accountId, 'admin', target.adminPassword, {
        ip: '192.0.2.60',
        headers: { 'x-forwarded-for': '203.0.113.8' },
      })
      expect(remote.statusCode).toBe(200)
    })
  })
})
