import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const HEX64 = /^[0-9a-f]{64}$/
const LOGIN_ERROR_TIME = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$/

describeEachDialect('Login Service', (dialect) => {
  const ctx = useTestApp(dialect, { env: { PARLEY_LOGIN_MAX_FAILURES: '3' } })
  let account: TestAccount

  beforeAll(async () => {
    account = await createAccount(ctx.services, { timeZone: 'Europe/Athens' })
  })

  describe('login', () => {
    it('answers the documented login document for a user login', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login?v=1.3`,
        headers: { host: 'parley.example.com:8443' },
        payload: { username: 'ADMIN', password: account.adminPassword },
      })
      expect(response.statusCode).toBe(200)
      const body = response.json()
      expect(Object.keys(body)).toEqual([
        'csrf',
        'wsuk',
        'config',
        'csdsCollectionResponse',
        'accountData',
        'sessionTTl',
        'sessionId',
        'bearer',
      ])
      expect(body.csrf).toMatch(HEX64)
      expect(body.bearer).toMatch(HEX64)
      expect(body.wsuk).toMatch(/^\d{18}$/)
      expect(body.sessionTTl).toBe('28800000')
      expect(body.config).toEqual({
        loginName: 'admin',
        userId: String(account.adminUserId),
        userPrivileges: [100, 101, 1730, 1731, 1732, 1733, 1734, 1735],
        serverCurrentTime: ctx.clock.now(),
        timeDiff: expect.any(Number),
        serverTimeZoneName: expect.any(String),
        serverTimeGMTDiff: expect.any(Number),
        isLPA: false,
        isAdmin: true,
        accountTimeZoneId: 'Europe/Athens',
      })
      expect(body.accountData).toEqual({
        agentGroupsData: { items: [{ id: -1, deleted: false, name: 'Main Group' }], revision: 1 },
      })
      expect(body.csdsCollectionResponse.baseURIs).toContainEqual({
        service: 'agentVep',
        account: account.accountId,
        baseURI: 'parley.example.com:8443',
      })
      const cookie = response.cookies.find((c) => c.name === 'Session_id')
      expect(cookie).toMatchObject({ value: body.sessionId, path: '/', httpOnly: true })
    })

    it('accepts the doubled question mark and any v', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login??v=1&NC=true`,
        payload: { username: 'admin', password: account.adminPassword },
      })
      expect(response.statusCode).toBe(200)
    })

    it('logs in with the four API key values (application login)', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        payload: {
          username: 'admin',
          appKey: account.apiKey.consumerKey,
          secret: account.apiKey.consumerSecret,
          accessToken: account.apiKey.accessToken,
          accessTokenSecret: account.apiKey.accessTokenSecret,
        },
      })
      expect(response.statusCode).toBe(200)
      expect(response.json().bearer).toMatch(HEX64)
    })

    it('rejects a wrong API key secret with 401', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        payload: {
          username: 'admin',
          appKey: account.apiKey.consumerKey,
          secret: 'nope',
          accessToken: account.apiKey.accessToken,
          accessTokenSecret: account.apiKey.accessTokenSecret,
        },
      })
      expect(response.statusCode).toBe(401)
    })

    it('answers 401 with internalCode 10 for a wrong password, in the login time style', async () => {
      const other = await createAccount(ctx.services)
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${other.accountId}/login`,
        payload: { username: 'admin', password: 'wrong-password' },
      })
      expect(response.statusCode).toBe(401)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      const body = response.json()
      expect(body).toEqual({
        error: {
          time: expect.stringMatching(LOGIN_ERROR_TIME),
          message: 'Bad Authentication (invalid site or agent)',
          internalCode: 10,
        },
      })
    })

    it('answers 401 for an unknown user and for an unknown account', async () => {
      const unknownUser = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        payload: { username: 'nobody', password: 'whatever1' },
      })
      expect(unknownUser.statusCode).toBe(401)
      const unknownAccount = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/noSuchAccount/login`,
        payload: { username: 'admin', password: 'whatever1' },
      })
      expect(unknownAccount.statusCode).toBe(401)
      expect(unknownAccount.json().error.message).toBe('Bad Authentication (invalid site or agent)')
    })

    it('answers 400 naming the field when neither password nor key fields are sent', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        payload: { username: 'admin' },
      })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.internalCode).toBe(5)
      expect(response.json().error.message).toMatch(/password/)
    })

    it('answers 400 for a malformed JSON body and for a missing username', async () => {
      const malformed = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        headers: { 'content-type': 'application/json' },
        payload: '{"username": ',
      })
      expect(malformed.statusCode).toBe(400)
      const missing = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login`,
        payload: { password: 'x' },
      })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().error.message).toMatch(/username/)
    })

    it('rate-limits failed logins per account and login name with 429 (more in login-protection.test.ts)', async () => {
      const target = await createAccount(ctx.services)
      const attempt = (password: string, ip = '10.0.0.1') =>
        ctx.app.inject({
          method: 'POST',
          url: `/api/account/${target.accountId}/login`,
          remoteAddress: ip,
          payload: { username: 'admin', password },
        })
      for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).statusCode).toBe(401)
      const blocked = await attempt(target.adminPassword)
      expect(blocked.statusCode).toBe(429)
      expect(blocked.json().error).toMatchObject({ message: 'Too many requests', internalCode: 29 })
      // The name is locked from every address.
      expect((await attempt(target.adminPassword, '10.0.0.2')).statusCode).toBe(429)
      ctx.clock.advance(ctx.config.loginFailureWindowMs + 1)
      expect((await attempt(target.adminPassword)).statusCode).toBe(200)
    })
  })

  describe('refresh and logout', () => {
    it('refreshes with the Session_id cookie and the csrf token', async () => {
      const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        cookies: { Session_id: session.sessionId },
        payload: { csrf: session.csrf },
      })
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe('')
    })

    it('refreshes by bearer or by the csrf value alone (clients without a cookie jar)', async () => {
      const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const byBearer = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        headers: { authorization: `Bearer ${session.bearer}` },
        payload: { csrf: session.csrf },
      })
      expect(byBearer.statusCode).toBe(200)
      const byCsrf = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        payload: { csrf: session.csrf },
      })
      expect(byCsrf.statusCode).toBe(200)
    })

    it('answers the documented CSRF error for a wrong csrf', async () => {
      const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        cookies: { Session_id: session.sessionId },
        payload: { csrf: 'f'.repeat(64) },
      })
      expect(response.statusCode).toBe(401)
      expect(response.json()).toEqual({
        error: {
          time: expect.stringMatching(LOGIN_ERROR_TIME),
          message: 'CSRF token invalid! The CSRF token on request does not match the CSRF token on the session',
          internalCode: 10,
          responseStatus: 'UNAUTHORIZED',
        },
      })
    })

    it('logout ends the session: the bearer and csrf stop working at once', async () => {
      const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      const logout = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/logout`,
        cookies: { Session_id: session.sessionId },
        payload: { csrf: session.csrf },
      })
      expect(logout.statusCode).toBe(200)
      await expect(ctx.services.login.authenticateBearer(account.accountId, session.bearer)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      })
      const again = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/refresh`,
        payload: { csrf: session.csrf },
      })
      expect(again.statusCode).toBe(401)
    })

    it('a session expires after the TTL without use, and use slides the expiry', async () => {
      const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      ctx.clock.advance(ctx.config.sessionTtlMs - 1000)
      await expect(ctx.services.login.authenticateBearer(account.accountId, session.bearer)).resolves.toMatchObject({
        kind: 'user',
      })
      ctx.clock.advance(ctx.config.sessionTtlMs - 1000)
      await expect(ctx.services.login.authenticateBearer(account.accountId, session.bearer)).resolves.toMatchObject({
        kind: 'user',
      })
      ctx.clock.advance(ctx.config.sessionTtlMs + 1)
      await expect(ctx.services.login.authenticateBearer(account.accountId, session.bearer)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      })
    })

    it('a bearer of one account is not accepted for another account', async () => {
      const other = await createAccount(ctx.services)
      const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
      await expect(ctx.services.login.authenticateBearer(other.accountId, session.bearer)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      })
      const refresh = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${other.accountId}/refresh`,
        payload: { csrf: session.csrf },
      })
      expect(refresh.statusCode).toBe(401)
    })
  })
})
