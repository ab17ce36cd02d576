import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

/**
 * Authenticated routes that take a request body without a TypeBox schema, each for a reason: the
 * body carries nothing, or its service validates it with LivePerson's documented messages.
 */
const NO_BODY_SCHEMA = new Map<string, string>([
  ['POST /api/account/:accountId/agentSession', 'legacy loginData: a body without it is 401, never 400'],
  ['POST /api/account/:accountId/agentSession/:agentSessionId/incomingRequests', 'the body carries nothing'],
  ['POST /api/account/:accountId/agentSession/:agentSessionId/chat/:chatId/transferAccount', 'always refused'],
  ['POST /api/account/:accountId/agentSession/:agentSessionId/chat/:chatId/coBrowseSessions', 'carries nothing'],
  ['PUT /api/account/:accountId/monitoring/visitors/:visitorId/visits/current/events', 'core/sdes messages'],
  ['POST /api/account/:accountId/monitoring/visitors/:visitorId/visits/current/events', 'core/sdes messages'],
  ['POST /interaction_history/api/account/:accountId/interactions/search', 'core/history messages (D4)'],
  ['POST /api/account/:accountId/interactions/search', 'core/history messages (D4)'],
  ['POST /interaction_history/api/account/:accountId/interaction/search', 'core/history messages (D4)'],
])

describeEachDialect('the API edge', (dialect) => {
  const unschemed: string[] = []
  const ctx = useTestApp(dialect, {
    onRoute: (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      const authenticated = (route.config?.auth?.length ?? 0) > 0
      for (const method of methods)
        if ((method === 'POST' || method === 'PUT') && authenticated && !route.schema?.body)
          unschemed.push(`${method} ${route.url}`)
    },
  })
  let account: TestAccount
  let bearer: string
  let sessionPath: string

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    bearer = (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer
    const started = await ctx.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/agentSession?v=1`,
      headers: { authorization: `Bearer ${bearer}` },
    })
    expect(started.statusCode, started.body).toBe(201)
    sessionPath = new URL(String(started.headers.location)).pathname
  })

  it('declares a body schema on every authenticated POST and PUT route, except the listed ones', () => {
    expect(unschemed.filter((route) => !NO_BODY_SCHEMA.has(route))).toEqual([])
    // The list stays true: each entry is still a route without a schema.
    expect([...NO_BODY_SCHEMA.keys()].filter((route) => !unschemed.includes(route))).toEqual([])
  })

  const post = (url: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer}` }, payload })
  const line = { event: { '@type': 'line', text: 'hi' } }

  it('validates the body first, then resolves the agent session: 404 for one that is not the caller’s', async () => {
    const foreign = `/api/account/${account.accountId}/agentSession/999999999/chat/H1-x/events.json?v=1`
    const invalid = await post(foreign, { event: 'x' })
    expect(invalid.statusCode, invalid.body).toBe(400)
    expect(invalid.json().error.internalCode).toBe(5)
    const unknownSession = await post(foreign, line)
    expect(unknownSession.statusCode, unknownSession.body).toBe(404)
    expect(unknownSession.json().error.internalCode).toBe(28)
    // The caller's own session passes, and the handler works as its user.
    const own = await ctx.app.inject({
      method: 'GET',
      url: `${sessionPath}/chatSessions.json?v=1`,
      headers: { authorization: `Bearer ${bearer}` },
    })
    expect(own.statusCode, own.body).toBe(200)
  })
})
