import type { RouteOptions } from 'fastify'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { isStorableText } from '../../src/core/text/storable-text.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { chatsRepository } from '../../src/storage/repositories/chats.repository.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { createManualClock } from '../support/manual-clock.ts'

/**
 * Property: no request, however malformed, gets a 5xx or a framework-named error, and the server
 * is healthy afterwards (docs/wire-conventions.md §17). Routes are enumerated from the app itself,
 * requests carry valid credentials for their route most of the time (so they reach validation),
 * and every part is fuzzed: path ids, query fields, body fields by the route's schema (wrong types,
 * NUL, unpaired surrogates, huge numbers), body encodings (truncated, invalid UTF-8, XML, forms,
 * odd content types) and Host headers. Reproduce a failure with PARLEY_FUZZ_SEED=<seed printed>.
 */

const NUM_RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 400)
const SEED = process.env.PARLEY_FUZZ_SEED ? Number(process.env.PARLEY_FUZZ_SEED) : Date.now() % 2 ** 31

interface FuzzRoute {
  method: string
  url: string
  auth: readonly string[]
  params: string[]
  query: string[]
  body: JsonSchema | undefined
}

interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
}

/** Member names seen in LivePerson bodies; bodies of schema-less routes are built from them. */
const KNOWN_FIELDS = [
  'request',
  'event',
  '@type',
  'text',
  'state',
  'skill',
  'skillId',
  'LETagVisitorId',
  'LETagSessionId',
  'visitorName',
  'preChatLines',
  'line',
  'survey',
  'id',
  'question',
  'answers',
  'name',
  'maxWaitTime',
  'interactionTimeout',
  'customVariables',
  'customVariable',
  'value',
  'username',
  'password',
  'start',
  'from',
  'to',
  'keyword',
  'engagementId',
  'availability',
  'email',
  'loginName',
  'transfer',
  'agent',
  'json',
  'textType',
  'visitorBehaviors',
]

const weirdStrings = fc.constantFrom(
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufffd',
  '1e308',
  '18446744073709551616',
  '-9223372036854775809',
  '9007199254740993',
  'NaN',
  'Infinity',
  'true',
  '<x>',
  '%00',
  ' '.repeat(3),
  'é'.repeat(200),
  'x'.repeat(5000),
)
const weirdNumbers = fc.constantFrom(1e308, -1e308, 2 ** 64, 2 ** 63, -(2 ** 63) - 1024, 2 ** 53, 0.5, -1, 0, 4.2e-300)
const someString = fc.oneof(weirdStrings, fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 12 }))
const scalar = fc.oneof(someString, weirdNumbers, fc.integer(), fc.boolean(), fc.constant(null))
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KNOWN_FIELDS), tie('value'), { maxKeys: 4 }),
  ),
})).value

/** A value for `schema`: usually of the right type, often of a wrong one or poison. */
function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson
  const variants = schema.anyOf ?? schema.oneOf
  if (variants && variants.length > 0) return fc.oneof(...variants.map((variant) => fromSchema(variant, depth + 1)))
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  let right: fc.Arbitrary<unknown>
  switch (type) {
    case 'object': {
      const entries = Object.entries(schema.properties ?? {})
      right =
        entries.length === 0
          ? anyJson
          : fc.record(Object.fromEntries(entries.map(([name, property]) => [name, fromSchema(property, depth + 1)])), {
              requiredKeys: [],
            })
      break
    }
    case 'array':
      right = fc.array(fromSchema(schema.items, depth + 1), { maxLength: 3 })
      break
    case 'integer':
    case 'number':
      right = fc.oneof(fc.integer(), weirdNumbers, weirdStrings)
      break
    case 'boolean':
      right = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'yes'))
      break
    case 'string':
      right = someString
      break
    case 'null':
    case undefined:
    default:
      right = anyJson
  }
  return fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: anyJson })
}

const hosts = fc.constantFrom(
  'localhost',
  'localhost',
  'localhost',
  'a b',
  '',
  'a/b',
  '[::1',
  'x:99999',
  'a@b',
  'a?b',
  'ex ample.com:80',
  '::::',
  'x'.repeat(300),
)
const contentTypes = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=UTF-8',
  'application/xml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'image/png',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  undefined,
)

/** How a body goes on the wire: JSON, truncated JSON, invalid UTF-8, XML, a form, or raw noise. */
const encodings = fc.constantFrom('json', 'json', 'json', 'truncated', 'utf8', 'xml', 'form', 'noise', 'none')

function encode(body: unknown, encoding: string, cut: number): string | Buffer | undefined {
  const json = JSON.stringify(body ?? null)
  switch (encoding) {
    case 'json':
      return json
    case 'truncated':
      return json.slice(0, Math.max(1, Math.floor(json.length * cut)))
    case 'utf8': {
      const bytes = Buffer.from(json)
      const at = Math.floor(bytes.length * cut)
      return Buffer.concat([
        bytes.subarray(0, at),
        Buffer.from([0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
        bytes.subarray(at),
      ])
    }
    case 'xml':
      return `<?xml version="1.0"?><request>${typeof body === 'string' ? body : json}</request>`
    case 'form':
      return new URLSearchParams(
        Object.entries(typeof body === 'object' && body !== null ? body : { v: body }).map(
          ([k, v]): [string, string] => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')],
        ),
      ).toString()
    case 'noise':
      return Buffer.from([0x00, 0x7b, 0xff, 0x22, 0x5b, 0x3c])
    default:
      return undefined
  }
}

/** Percent-encodes a path segment; an unpaired surrogate goes as its (invalid) UTF-8 bytes. */
const pathEncode = (text: string): string =>
  isStorableText(text.replaceAll('\u0000', '')) ? encodeURIComponent(text) : '%ED%A0%80'

/** Path pieces that are not percent-encoded text: bad escapes, encoded NUL and surrogates, over-long. */
const rawSegments = fc.constantFrom(
  '%',
  '%zz',
  '%ff',
  '%00',
  '%c0%80',
  '%ed%a0%80',
  'x'.repeat(400),
  '..',
  '%2F',
  '1e308',
)

describeEachDialect('Edge fuzzing: no 5xx from any route', (dialect) => {
  const routes: FuzzRoute[] = []
  let app: ParleyApp
  let services: Services
  let storage: Storage
  let account: TestAccount
  let bearer: string
  const ids: Record<string, string[]> = {}

  beforeAll(async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', PARLEY_BODY_LIMIT: '65536' },
      { database: database.kind === 'sqlite' ? database.path : database.url },
    )
    storage = createStorage(config.database, { poolSize: 4 })
    const clock = createManualClock(Date.now())
    services = createServices({ storage, config, clock })
    const seen = new Set<string>()
    const onRoute = (route: RouteOptions): void => {
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS' || route.url === '/*') continue
        if (seen.has(`${method} ${route.url}`)) continue
        seen.add(`${method} ${route.url}`)
        const schema = route.schema as { querystring?: JsonSchema; body?: JsonSchema } | undefined
        routes.push({
          method,
          url: route.url,
          auth: (route.config as { auth?: readonly string[] } | undefined)?.auth ?? [],
          params: [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1]!),
          query: Object.keys(schema?.querystring?.properties ?? {}).filter((name) => name !== 'wait'),
          body: schema?.body,
        })
      }
    }
    app = await buildApp({ config, services, clock, onRoute })
    await app.ready()
    account = await createAccount(services)
    bearer = (await login(app, account.accountId, account.adminLogin, account.adminPassword)).bearer
    const agent = { authorization: `Bearer ${bearer}`, accept: 'application/json' }
    const visitor = { authorization: `LivePerson appKey=${account.appKey}`, accept: 'application/json' }
    const session = await app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/agentSession?v=1`,
      headers: agent,
      payload: {},
    })
    const skill = await app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/configuration/le-users/skills`,
      headers: agent,
      payload: { name: 'Fuzz' },
    })
    const chat = await app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/chat/request?v=1`,
      headers: visitor,
      payload: { request: { skill: 'Fuzz' } },
    })
    const last = (location: string | string[] | undefined): string =>
      String(location ?? '')
        .split('/')
        .pop() ?? ''
    ids.accountId = [account.accountId]
    ids.agentSessionId = [last(session.headers.location)]
    ids.chatId = [last(chat.headers.location)]
    ids.id = [String(skill.json<{ id?: number }>().id ?? 1), '1']
    expect(routes.length).toBeGreaterThan(50)
  })
  afterAll(async () => {
    await app?.close()
    await services?.close()
    await storage?.close()
  })

  it('answers every fuzzed request below 500, in the envelope, and stays healthy', async () => {
    const request = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.tuple(
          ...route.params.map((name) =>
            fc.oneof(
              { weight: 6, arbitrary: fc.constantFrom(...(ids[name] ?? ['1'])).map(pathEncode) },
              { weight: 2, arbitrary: someString.map(pathEncode) },
              { weight: 1, arbitrary: weirdNumbers.map(String) },
              { weight: 1, arbitrary: rawSegments },
            ),
          ),
        ),
        query: fc.dictionary(
          fc.constantFrom(...route.query, 'v', 'NC', 'appKey', 'from', 'limit', 'offset'),
          someString,
          {
            maxKeys: 3,
          },
        ),
        body: fromSchema(
          route.body ?? { type: 'object', properties: Object.fromEntries(KNOWN_FIELDS.map((f) => [f, {}])) },
        ),
        encoding: encodings,
        cut: fc.double({ min: 0, max: 1, noNaN: true }),
        contentType: contentTypes,
        host: hosts,
        credential: fc.constantFrom('route', 'route', 'route', 'route', 'bearer', 'appKey', 'none'),
      }),
    )

    const failures: string[] = []
    await fc
      .assert(
        fc.asyncProperty(request, async (input) => {
          const { route } = input
          let index = 0
          const path = route.url.replace(/:(\w+)/g, () => input.params[index++] as string)
          const query = new URLSearchParams({ v: '1', ...input.query }).toString()
          const which =
            input.credential === 'route'
              ? route.auth.includes('appKey')
                ? 'appKey'
                : route.auth.length === 0 && /\/(chat|visit)\b/.test(route.url) && !route.url.includes('agentSession')
                  ? 'appKey'
                  : 'bearer'
              : input.credential
          const headers: Record<string, string> = { host: input.host, accept: 'application/json' }
          if (which === 'bearer') headers.authorization = `Bearer ${bearer}`
          if (which === 'appKey') headers.authorization = `LivePerson appKey=${account.appKey}`
          const payload =
            route.method === 'GET' || route.method === 'DELETE'
              ? undefined
              : encode(input.body, input.encoding, input.cut)
          if (payload !== undefined && input.contentType !== undefined) headers['content-type'] = input.contentType
          const response = await app
            .inject({
              method: route.method as 'GET',
              url: `${path}?${query}`,
              headers,
              ...(payload === undefined ? {} : { payload }),
            })
            .catch((error: unknown) => {
              failures.push(`inject threw for ${route.method} ${path}: ${String(error)}`)
              throw error
            })
          const problem =
            response.statusCode >= 500
              ? `status ${response.statusCode}`
              : /FST_|fastify/i.test(response.body)
                ? 'names the framework'
                : undefined
          if (problem) {
            failures.push(`${route.method} ${path}?${query} -> ${response.statusCode} ${response.body.slice(0, 200)}`)
            throw new Error(`${problem}: ${route.method} ${route.url}: ${response.body.slice(0, 300)}`)
          }
        }),
        { seed: SEED, numRuns: NUM_RUNS, endOnFailure: true },
      )
      .catch((error: unknown) => {
        const summary = String(error)
          .split('\n')
          .filter((line) => !line.startsWith('Counterexample'))
          .slice(0, 12)
          .join('\n')
        const cause =
          error instanceof Error && error.cause !== undefined
            ? `\ncause: ${error.cause instanceof Error ? error.cause.message : JSON.stringify(error.cause)}`
            : ''
        throw new Error(
          `edge fuzz failed with PARLEY_FUZZ_SEED=${SEED}\n${failures.slice(0, 5).join('\n')}\n${summary}${cause}`,
        )
      })

    // Healthy afterwards: readiness, and a normal chat on a fresh account.
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
    const fresh = await createAccount(services)
    const visitor = { authorization: `LivePerson appKey=${fresh.appKey}`, accept: 'application/json' }
    const chat = await app.inject({
      method: 'POST',
      url: `/api/account/${fresh.accountId}/chat/request?v=1`,
      headers: visitor,
      payload: { request: {} },
    })
    expect(chat.statusCode).toBe(201)
    const line = await app.inject({
      method: 'POST',
      url: `${new URL(chat.headers.location as string).pathname}/events?v=1`,
      headers: visitor,
      payload: { event: { '@type': 'state', state: 'ended' } },
    })
    expect(line.statusCode).toBe(201)
    // Nothing the fuzzer got stored keeps an ended engagement from being archived.
    expect(await chatsRepository.listUnarchived(storage.db, 10)).toEqual([])
  }, 120_000)
})
