import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

/** Routes under an account that take no credentials, on purpose. Anything else must declare `config.auth`. */
const PUBLIC_ROUTES = [
  /\/service\//, // Domain API (CSDS)
  /^\/csdr\//,
  /\/(login|refresh|logout)$/, // the Login Service authenticates by its body
  /\/js2rest(\/|$)/, // the browser tunnel: its inner requests go through the same hooks
]

/** Every path parameter but the account gets a value no schema accepts where a number is expected. */
const fill = (url: string, accountId: string): string =>
  url.replace(':accountId', accountId).replace(/:[A-Za-z]+/g, 'not-a-number')

// Fails every body schema: required fields missing, wrong types.
const BAD_BODY = JSON.stringify({ name: { nested: true }, loginName: 5, event: 'x', availability: [1] })

describeEachDialect('authentication before validation, on every route', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  let foreignBearer: string

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    const other = await createAccount(ctx.services)
    foreignBearer = (await login(ctx.app, other.accountId, 'admin', other.adminPassword)).bearer
  })

  const routes = () =>
    ctx.app.registeredRoutes.filter(
      (route) => route.url.includes(':accountId') && ['GET', 'POST', 'PUT', 'DELETE'].includes(route.method),
    )
  const authenticated = () => routes().filter((route) => (route.config.auth?.length ?? 0) > 0)

  const send = (method: string, url: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: method as 'GET',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' || method === 'PUT' ? { payload: BAD_BODY } : {}),
    })

  it('covers every family: config, agent, visitor, history, monitoring and offline messages', () => {
    const urls = authenticated().map((route) => route.url)
    for (const part of [
      '/configuration/le-users/users/:id',
      '/configuration/le-surveys/surveys',
      '/agentSession/:agentSessionId/chat/:chatId/events',
      '/chat/:chatId/events',
      '/interactions/search',
      '/monitoring/visitors/',
      '/offlineMessages',
    ])
      expect(urls.some((url) => url.includes(part))).toBe(true)
    expect(authenticated().length).toBeGreaterThan(90)
  })

  it('declares credentials on every route under an account, except the public ones', async () => {
    const undeclared: string[] = []
    for (const route of routes()) {
      if ((route.config.auth?.length ?? 0) > 0 || PUBLIC_ROUTES.some((pattern) => pattern.test(route.url))) continue
      // Parley's own 405 answers for methods a path does not have.
      const response = await send(route.method, fill(route.url, account.accountId))
      if (response.statusCode !== 405) undeclared.push(`${route.method} ${route.url}`)
    }
    expect(undeclared).toEqual([])
  })

  it('answers an unknown account with 404 (422 on the monitoring API) whatever the input', async () => {
    const wrong: string[] = []
    for (const route of authenticated()) {
      const response = await send(route.method, fill(route.url, 'nosuchaccount'))
      const expected = route.config.requireAccount === 'unprocessable' ? 422 : 404
      if (response.statusCode !== expected) wrong.push(`${route.method} ${route.url}: ${response.statusCode}`)
    }
    expect(wrong).toEqual([])
  })

  it('answers 401 without credentials before looking at the body or the ids', async () => {
    const wrong: string[] = []
    for (const route of authenticated()) {
      const response = await send(route.method, fill(route.url, account.accountId))
      if (response.statusCode !== 401)
        wrong.push(`${route.method} ${route.url}: ${response.statusCode} ${response.body}`)
    }
    expect(wrong).toEqual([])
  })

  it("answers 401 or 403 to another account's credentials, never 400", async () => {
    const wrong: string[] = []
    for (const route of authenticated()) {
      const response = await send(route.method, fill(route.url, account.accountId), {
        authorization: `Bearer ${foreignBearer}`,
      })
      if (response.statusCode !== 401 && response.statusCode !== 403)
        wrong.push(`${route.method} ${route.url}: ${response.statusCode} ${response.body}`)
    }
    expect(wrong).toEqual([])
  })
})
