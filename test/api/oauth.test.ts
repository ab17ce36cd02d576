import { beforeAll, describe, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import type { ParleyApp } from '../../src/http/app.ts'
import { useTestApp, type TestContext } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

// A probe route that accepts OAuth 1.0a and bearer and echoes the resolved actor, so the auth
// building block is tested on its own; later API families declare the same `auth` config.
const probeRoutes = (app: ParleyApp): void => {
  for (const method of ['GET', 'POST', 'PUT'] as const) {
    app.route({
      method,
      url: '/api/account/:accountId/probe/actor',
      config: { auth: ['oauth1', 'bearer'] },
      handler: async (request) => ({ actor: request.actor }),
    })
  }
}

type Signed = { method: string; url: string; account: TestAccount; timestamp?: number; nonce?: string; secret?: string }

function sign(ctx: TestContext, input: Signed): string {
  return signRequest({
    method: input.method,
    url: input.url,
    consumerKey: input.account.apiKey.consumerKey,
    consumerSecret: input.secret ?? input.account.apiKey.consumerSecret,
    token: input.account.apiKey.accessToken,
    tokenSecret: input.account.apiKey.accessTokenSecret,
    timestamp: input.timestamp ?? Math.floor(ctx.clock.now() / 1000),
    ...(input.nonce ? { nonce: input.nonce } : {}),
  })
}

const FORM = 'text/plain; charset=UTF-8'

describeEachDialect('OAuth 1.0a request verification', (dialect) => {
  const ctx = useTestApp(dialect, { routes: probeRoutes })
  let account: TestAccount

  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })

  const path = () => `/api/account/${account.accountId}/probe/actor`

  it('accepts a valid signature over a URL with query parameters, without the JSON body', async () => {
    const url = `http://localhost${path()}?offset=0&limit=100&sort=start:asc&v=1`
    const response = await ctx.app.inject({
      method: 'POST',
      url: `${path()}?offset=0&limit=100&sort=start:asc&v=1`,
      headers: { host: 'localhost', authorization: sign(ctx, { method: 'POST', url, account }) },
      payload: { start: { from: 1, to: 2 } },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().actor).toMatchObject({
      kind: 'apiKey',
      accountId: account.accountId,
      permissions: ['engagementHistory', 'monitoring', 'agent', 'visitor', 'configRead', 'operationalRealtime'],
    })
  })

  it('accepts headers written without spaces after commas', async () => {
    const header = sign(ctx, { method: 'GET', url: `http://localhost${path()}`, account }).replace(/", /g, '",')
    const response = await ctx.app.inject({
      method: 'GET',
      url: path(),
      headers: { host: 'localhost', authorization: header },
    })
    expect(response.statusCode).toBe(200)
  })

  it('signs the method of the request line when X-HTTP-Method-Override is present', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: path(),
      headers: {
        host: 'localhost',
        'x-http-method-override': 'PUT',
        authorization: sign(ctx, { method: 'POST', url: `http://localhost${path()}`, account }),
      },
      payload: {},
    })
    expect(response.statusCode).toBe(200)
  })

  it('rejects a bad signature with the form-encoded signature_invalid body', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${path()}?limit=10`,
      headers: {
        host: 'localhost',
        authorization: sign(ctx, {
          method: 'GET',
          url: `http://localhost${path()}?limit=10`,
          account,
          secret: 'wrong',
        }),
      },
    })
    expect(response.statusCode).toBe(401)
    expect(response.headers['content-type']).toBe(FORM)
    expect(response.body).toBe('oauth_problem=signature_invalid&oauth_problem_advice=the oauth_signature is invalid')
  })

  it('rejects a signature computed without the query parameters', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `${path()}?limit=10`,
      headers: {
        host: 'localhost',
        authorization: sign(ctx, { method: 'GET', url: `http://localhost${path()}`, account }),
      },
    })
    expect(response.statusCode).toBe(401)
    expect(response.body).toContain('signature_invalid')
  })

  it('refuses a stale timestamp', async () => {
    const stale = Math.floor(ctx.clock.now() / 1000) - ctx.config.oauthTimestampWindowSec - 5
    const response = await ctx.app.inject({
      method: 'GET',
      url: path(),
      headers: {
        host: 'localhost',
        authorization: sign(ctx, { method: 'GET', url: `http://localhost${path()}`, account, timestamp: stale }),
      },
    })
    expect(response.statusCode).toBe(401)
    expect(response.body).toBe('oauth_problem=timestamp_refused')
  })

  it('refuses a replayed nonce', async () => {
    const authorization = sign(ctx, {
      method: 'GET',
      url: `http://localhost${path()}`,
      account,
      nonce: `n-${Date.now()}`,
    })
    const first = await ctx.app.inject({ method: 'GET', url: path(), headers: { host: 'localhost', authorization } })
    expect(first.statusCode).toBe(200)
    const replay = await ctx.app.inject({ method: 'GET', url: path(), headers: { host: 'localhost', authorization } })
    expect(replay.statusCode).toBe(401)
    expect(replay.body).toBe('oauth_problem=nonce_used')
  })

  it('answers consumer_key_unknown for a key of another account (accounts are isolated)', async () => {
    const other = await createAccount(ctx.services)
    const otherPath = `/api/account/${other.accountId}/probe/actor`
    const response = await ctx.app.inject({
      method: 'GET',
      url: otherPath,
      headers: {
        host: 'localhost',
        authorization: sign(ctx, { method: 'GET', url: `http://localhost${otherPath}`, account }),
      },
    })
    expect(response.statusCode).toBe(401)
    expect(response.body).toBe(
      'oauth_problem=consumer_key_unknown&oauth_problem_advice=the oauth_consumer_key is unknown',
    )
  })

  it('answers parameter_absent for an OAuth header missing its signature', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: path(),
      headers: { authorization: `OAuth oauth_consumer_key="${account.apiKey.consumerKey}"` },
    })
    expect(response.statusCode).toBe(401)
    expect(response.body).toBe('oauth_problem=parameter_absent')
  })

  it('answers 401 Unauthorized in the envelope without credentials, and accepts a bearer', async () => {
    const missing = await ctx.app.inject({ method: 'GET', url: path(), headers: { accept: 'application/json' } })
    expect(missing.statusCode).toBe(401)
    expect(missing.json()).toMatchObject({ error: { message: 'Unauthorized', internalCode: 10 } })
    const session = await login(ctx.app, account.accountId, 'admin', account.adminPassword)
    const withBearer = await ctx.app.inject({
      method: 'GET',
      url: path(),
      headers: { authorization: `Bearer ${session.bearer}` },
    })
    expect(withBearer.statusCode).toBe(200)
    expect(withBearer.json().actor).toMatchObject({
      kind: 'user',
      accountId: account.accountId,
      userId: account.adminUserId,
    })
  })

  it('rejects a bearer of another account with 401', async () => {
    const other = await createAccount(ctx.services)
    const session = await login(ctx.app, other.accountId, 'admin', other.adminPassword)
    const response = await ctx.app.inject({
      method: 'GET',
      url: path(),
      headers: { authorization: `Bearer ${session.bearer}` },
    })
    expect(response.statusCode).toBe(401)
  })
})

describeEachDialect('OAuth 1.0a behind a proxy and a public URL', (dialect) => {
  describe('trusted proxy', () => {
    const ctx = useTestApp(dialect, { routes: probeRoutes, flags: { 'trust-proxy': true } })
    it('verifies against the URL the client saw through X-Forwarded-Proto and X-Forwarded-Host', async () => {
      const account = await createAccount(ctx.services)
      const path = `/api/account/${account.accountId}/probe/actor?v=1`
      const response = await ctx.app.inject({
        method: 'GET',
        url: path,
        headers: {
          host: '10.0.0.5:8080',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'chat.example.com',
          authorization: sign(ctx, { method: 'GET', url: `https://chat.example.com${path}`, account }),
        },
      })
      expect(response.statusCode).toBe(200)
    })
  })

  describe('public URL', () => {
    const ctx = useTestApp(dialect, { routes: probeRoutes, flags: { 'public-url': 'https://parley.example.com:8443' } })
    it('falls back to the configured public URL when the Host view does not verify', async () => {
      const account = await createAccount(ctx.services)
      const path = `/api/account/${account.accountId}/probe/actor`
      const response = await ctx.app.inject({
        method: 'GET',
        url: path,
        headers: {
          host: '127.0.0.1:8080',
          authorization: sign(ctx, { method: 'GET', url: `https://parley.example.com:8443${path}`, account }),
        },
      })
      expect(response.statusCode).toBe(200)
    })
  })
})
