import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_APP_KEY } from '../../src/core/accounts/credentials.service.ts'
import type { ParleyApp } from '../../src/http/app.ts'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { VISITOR_ROUTE } from '../../src/http/auth/visitor-auth.ts'
import { useTestApp, type TestContext } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const PUBLIC = 'https://parley.example.com'
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const FORM = 'text/plain; charset=UTF-8'
const KEY_REJECTED =
  'lp_problem=consumer_key_rejected&lp_problem_advice=the appKey is permanently unacceptable to the Service Provider'
const AUTH_MISSING =
  'Bad authorization request. general_problem=unknown_authorization_type&general_problem_advice=unknown authorization type received'

// A visitor-authenticated probe route that echoes the resolved actor.
const probeRoutes = (app: ParleyApp): void => {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/account/:accountId/probe/visitor',
    ...VISITOR_ROUTE,
    handler: async (request, reply) => reply.type('application/json; charset=UTF-8').send({ actor: request.actor }),
  })
}

// chat-api.md §4, on the account under test.
const specAccount = (accountId: string): string =>
  JSON.stringify(
    JSON.parse(
      `{"account": {
  "@id": "12345678",
  "link": [
    {"@href": "https://parley.example.com/api/account/12345678", "@rel": "self"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/availability", "@rel": "chat-availability"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/availableSlots", "@rel": "chat-available-slots"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/estimatedWaitTime", "@rel": "chat-estimatedWaitTime"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/request", "@rel": "chat-request"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/preSurvey", "@rel": "prechat-survey"},
    {"@href": "https://parley.example.com/api/account/12345678/chat/offlineSurvey", "@rel": "chat-offline-survey"}
  ]
}}`.replaceAll('12345678', accountId),
    ),
  )

function signed(ctx: TestContext, key: TestAccount['apiKey'], method: string, url: string): string {
  return signRequest({
    method,
    url,
    consumerKey: key.consumerKey,
    consumerSecret: key.consumerSecret,
    token: key.accessToken,
    tokenSecret: key.accessTokenSecret,
    timestamp: Math.floor(ctx.clock.now() / 1000),
  })
}

describeEachDialect('Visitor account resource (V0) and visitor authentication', (dialect) => {
  const ctx = useTestApp(dialect, { routes: probeRoutes, env: { PARLEY_PUBLIC_URL: PUBLIC } })
  let account: TestAccount
  let other: TestAccount
  beforeAll(async () => {
    account = await createAccount(ctx.services)
    other = await createAccount(ctx.services)
  })
  const accountPath = () => `/api/account/${account.accountId}`
  const probe = () => `/api/account/${account.accountId}/probe/visitor`

  describe('account resource', () => {
    it("answers chat-api.md §4's example in JSON (suffix, appKey query)", async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${accountPath()}.json?v=1&appKey=${account.appKey}`,
      })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/json; charset=UTF-8')
      expect(response.body).toBe(specAccount(account.accountId))
    })

    it('answers XML without Accept, with the id attribute and self-closing links in order', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${accountPath()}?v=1&NC=true`,
        headers: { authorization: `LivePerson appKey=${account.appKey}` },
      })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('application/xml; charset=UTF-8')
      const base = `${PUBLIC}/api/account/${account.accountId}`
      expect(response.body).toBe(
        `${XML_DECLARATION}<account id="${account.accountId}">` +
          `<link href="${base}" rel="self"/>` +
          `<link href="${base}/chat/availability" rel="chat-availability"/>` +
          `<link href="${base}/chat/availableSlots" rel="chat-available-slots"/>` +
          `<link href="${base}/chat/estimatedWaitTime" rel="chat-estimatedWaitTime"/>` +
          `<link href="${base}/chat/request" rel="chat-request"/>` +
          `<link href="${base}/chat/preSurvey" rel="prechat-survey"/>` +
          `<link href="${base}/chat/offlineSurvey" rel="chat-offline-survey"/>` +
          `</account>`,
      )
      const xmlSuffix = await ctx.app.inject({
        method: 'GET',
        url: `${accountPath()}.xml?appkey=${account.appKey}`,
        headers: { accept: 'application/json' },
      })
      expect(xmlSuffix.body).toBe(response.body)
    })

    it('answers JSON for Accept: application/json and ignores unknown parameters', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${accountPath()}?v=1&NC=true&__d=42&appKey=${account.appKey}`,
        headers: { accept: 'application/json' },
      })
      expect(response.body).toBe(specAccount(account.accountId))
    })

    it('answers an account Parley does not host with 404 before authentication', async () => {
      for (const format of ['json', 'xml'] as const) {
        const response = await ctx.app.inject({ method: 'GET', url: `/api/account/nosuchaccount42.${format}?v=1` })
        expect(response.statusCode).toBe(404)
        if (format === 'json') {
          expect(response.json()).toEqual({
            error: {
              time: expect.stringMatching(/\+00:00$/),
              message: 'Account nosuchaccount42 not found',
              internalCode: 28,
            },
          })
        } else {
          expect(response.body).toMatch(
            /<error><time>[^<]+<\/time><message>Account nosuchaccount42 not found<\/message><internalCode>28<\/internalCode><\/error>$/,
          )
        }
      }
    })

    it('answers 405 with Allow for other methods', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `${accountPath()}.json?appKey=${account.appKey}`,
        payload: {},
      })
      expect(response.statusCode).toBe(405)
      expect(response.headers.allow).toBe('GET')
    })
  })

  describe('visitor authentication (chat-api.md §2)', () => {
    it('accepts the account app key from the header, the appKey query and the appkey query', async () => {
      for (const request of [
        { url: probe(), headers: { authorization: `LivePerson appKey=${account.appKey}` } },
        { url: probe(), headers: { authorization: `liveperson appkey="${account.appKey}"` } },
        { url: `${probe()}?v=1&appKey=${account.appKey}`, headers: {} },
        { url: `${probe()}?v=1&appkey=${account.appKey}`, headers: {} },
      ]) {
        const response = await ctx.app.inject({ method: 'GET', ...request })
        expect(response.statusCode, JSON.stringify(request)).toBe(200)
        expect(response.json().actor).toEqual({
          kind: 'visitorApp',
          accountId: account.accountId,
          appKeyId: expect.any(Number),
          visitPrivilege: false,
        })
      }
    })

    it("accepts LivePerson's documented key on every account", async () => {
      for (const accountId of [account.accountId, other.accountId]) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `/api/account/${accountId}/probe/visitor?appKey=${DEFAULT_APP_KEY}`,
        })
        expect(response.statusCode).toBe(200)
        expect(response.json().actor).toEqual({ kind: 'visitorApp', accountId, appKeyId: 0, visitPrivilege: false })
      }
      const resource = await ctx.app.inject({
        method: 'GET',
        url: `${accountPath()}.json`,
        headers: { authorization: `LivePerson appKey=${DEFAULT_APP_KEY}` },
      })
      expect(resource.statusCode).toBe(200)
    })

    it('rejects an unknown key, and another account’s key, with the plain-text lp_problem body', async () => {
      for (const request of [
        { url: `${accountPath()}.json?appKey=0123456789abcdef0123456789abcdef`, headers: {} },
        { url: accountPath(), headers: { authorization: 'LivePerson appKey=nope' } },
        { url: `${accountPath()}.json?appKey=${other.appKey}`, headers: {} },
        { url: `${probe()}?appKey=${DEFAULT_APP_KEY.toUpperCase()}`, headers: {} },
      ]) {
        const response = await ctx.app.inject({ method: 'GET', ...request })
        expect(response.statusCode, request.url).toBe(401)
        expect(response.headers['content-type']).toBe(FORM)
        expect(response.body).toBe(KEY_REJECTED)
      }
    })

    it('answers a missing key, Basic and Bearer with the general_problem envelope (internalCode 5)', async () => {
      const { bearer } = await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)
      for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', `Bearer ${bearer}`, 'LivePerson appKey=']) {
        const headers = authorization === undefined ? {} : { authorization }
        const json = await ctx.app.inject({ method: 'GET', url: `${accountPath()}.json?v=1`, headers })
        expect(json.statusCode, authorization).toBe(401)
        expect(json.json(), authorization).toEqual({
          error: {
            time: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+\+00:00$/),
            message: AUTH_MISSING,
            internalCode: 5,
          },
        })
        const xml = await ctx.app.inject({ method: 'GET', url: `${accountPath()}?v=1`, headers })
        expect(xml.statusCode).toBe(401)
        expect(xml.headers['content-type']).toBe('application/xml; charset=UTF-8')
        expect(xml.body).toMatch(
          new RegExp(
            `^${XML_DECLARATION.replace(/[?.]/g, '\\$&')}<error><time>[^<]+</time><message>${AUTH_MISSING.replace(/&/g, '&amp;').replace(/[.?]/g, '\\$&')}</message><internalCode>5</internalCode></error>$`,
          ),
        )
      }
    })

    it('accepts an OAuth 1.0a request signed with an API key that has the visitor permission', async () => {
      const url = `${probe()}?v=1`
      const response = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { host: 'localhost', authorization: signed(ctx, account.apiKey, 'GET', `http://localhost${url}`) },
      })
      expect(response.statusCode).toBe(200)
      expect(response.json().actor).toMatchObject({ kind: 'apiKey', accountId: account.accountId })
    })

    it('answers 403 to an API key without the visitor permission', async () => {
      const key = await ctx.services.accounts.createApiKey(account.accountId, { permissions: ['engagementHistory'] })
      const apiKey = {
        consumerKey: key.consumerKey,
        consumerSecret: key.consumerSecret,
        accessToken: key.accessToken,
        accessTokenSecret: key.accessTokenSecret,
      }
      const url = `${accountPath()}.json`
      const response = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { host: 'localhost', authorization: signed(ctx, apiKey, 'GET', `http://localhost${url}`) },
      })
      expect(response.statusCode).toBe(403)
      expect(response.json().error).toMatchObject({ message: 'Unauthorized account access', internalCode: 10 })
    })

    it('answers a bad OAuth signature with the signature_invalid body', async () => {
      const url = `${accountPath()}.json`
      const response = await ctx.app.inject({
        method: 'GET',
        url,
        headers: {
          host: 'localhost',
          authorization: signed(ctx, { ...account.apiKey, consumerSecret: 'wrong' }, 'GET', `http://localhost${url}`),
        },
      })
      expect(response.statusCode).toBe(401)
      expect(response.body).toBe('oauth_problem=signature_invalid&oauth_problem_advice=the oauth_signature is invalid')
    })
  })
})

describeEachDialect('Visit API privilege (PARLEY_VISIT_APP_KEYS)', (dialect) => {
  const ctx = useTestApp(dialect, {
    routes: probeRoutes,
    env: { PARLEY_VISIT_APP_KEYS: ` ${DEFAULT_APP_KEY} , ,0123456789abcdef0123456789abcdef` },
  })
  let account: TestAccount
  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })

  it('reads the keys from a comma-separated list', () => {
    expect(ctx.config.visitAppKeys).toEqual([DEFAULT_APP_KEY, '0123456789abcdef0123456789abcdef'])
  })

  it('marks only the listed keys as privileged', async () => {
    const actorOf = async (appKey: string): Promise<unknown> => {
      const url = `/api/account/${account.accountId}/probe/visitor?appKey=${appKey}`
      return (await ctx.app.inject({ method: 'GET', url })).json<{ actor: unknown }>().actor
    }
    expect(await actorOf(DEFAULT_APP_KEY)).toMatchObject({ appKeyId: 0, visitPrivilege: true })
    expect(await actorOf(account.appKey)).toMatchObject({ visitPrivilege: false })
  })
})

describeEachDialect('Visitor authentication without the documented key', (dialect) => {
  const ctx = useTestApp(dialect, { routes: probeRoutes, env: { PARLEY_ACCEPT_DEFAULT_APP_KEY: 'false' } })
  let account: TestAccount
  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })

  it('rejects the documented key when PARLEY_ACCEPT_DEFAULT_APP_KEY is false, and still accepts the account key', async () => {
    const rejected = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${account.accountId}/probe/visitor?appKey=${DEFAULT_APP_KEY}`,
    })
    expect(rejected.statusCode).toBe(401)
    expect(rejected.body).toBe(KEY_REJECTED)
    const accepted = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${account.accountId}/probe/visitor?appKey=${account.appKey}`,
    })
    expect(accepted.statusCode).toBe(200)
  })
})
