import type { FastifyReply, FastifyRequest } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ParleyApp } from '../../src/http/app.ts'
import { sendWire } from '../../src/http/reply.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

// A negotiated (Chat/Agent-style) probe route that echoes what the transport made of the request.
const probeRoutes = (app: ParleyApp): void => {
  app.route({
    method: ['GET', 'PUT', 'DELETE'],
    url: '/api/account/:accountId/probe/echo',
    handler: async (request, reply) => echo(request, reply),
  })
  app.post('/api/account/:accountId/probe/echo', async (request, reply) => echo(request, reply))
}

const echo = (request: FastifyRequest, reply: FastifyReply) => {
  if (request.wire.format === 'xml')
    return sendWire(request, reply, { echo: { method: request.method, format: 'xml' } })
  return reply.send({ method: request.method, format: request.wire.format, body: request.body ?? null })
}

describeEachDialect('Wire conventions', (dialect) => {
  const ctx = useTestApp(dialect, { routes: probeRoutes, env: { PARLEY_BODY_LIMIT: '2048' } })
  let account: TestAccount
  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })
  const echo = () => `/api/account/${account.accountId}/probe/echo`

  describe('error envelope and negotiation (Decision D1)', () => {
    it('answers an unknown path with 404, internalCode 28 and the request target, in XML without Accept', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: '/api/account/33963583/chat.asdf?v=1&param=6114639610801186',
      })
      expect(response.statusCode).toBe(404)
      expect(response.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(response.body).toMatch(
        new RegExp(
          `^${XML_DECLARATION.replace(/[?.]/g, '\\$&')}<error><time>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00</time><message>null for uri: /api/account/33963583/chat.asdf\\?v=1&amp;param=6114639610801186</message><internalCode>28</internalCode></error>$`,
        ),
      )
    })

    it('answers JSON when Accept includes application/json', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: '/nowhere?x=1',
        headers: { accept: 'text/html, application/json;q=0.9' },
      })
      expect(response.statusCode).toBe(404)
      expect(response.json()).toEqual({
        error: { time: expect.stringMatching(/\+00:00$/), message: 'null for uri: /nowhere?x=1', internalCode: 28 },
      })
    })

    it('lets the suffix win over Accept', async () => {
      const xml = await ctx.app.inject({ method: 'GET', url: `${echo()}.xml`, headers: { accept: 'application/json' } })
      expect(xml.headers['content-type']).toMatch(/^application\/xml/)
      const json = await ctx.app.inject({
        method: 'GET',
        url: `${echo()}.json`,
        headers: { accept: 'application/xml' },
      })
      expect(json.json()).toMatchObject({ format: 'json' })
    })

    it('treats Accept */* and text/xml as XML', async () => {
      for (const accept of ['*/*', 'text/xml']) {
        const response = await ctx.app.inject({ method: 'GET', url: '/api/account/x/chat/nope', headers: { accept } })
        expect(response.headers['content-type'], accept).toBe('application/xml; charset=UTF-8')
      }
    })

    it('always answers JSON on the JSON-only families', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/configuration/le-nothing/x`,
        headers: { accept: 'application/xml' },
      })
      expect(response.statusCode).toBe(404)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
    })

    it('answers 405 with Allow for a method the path does not support', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/login`,
        headers: { accept: 'application/json' },
      })
      expect(response.statusCode).toBe(405)
      expect(response.headers.allow).toBe('POST')
      expect(response.json().error).toMatchObject({ message: 'Method GET not allowed', internalCode: 28 })
    })
  })

  describe('request targets', () => {
    it('strips the suffix, collapses slashes, accepts a trailing slash and ignores v, NC and unknown parameters', async () => {
      for (const url of [
        `${echo()}.json?v=1&NC=true&__d=123`,
        `/api/account/${account.accountId}//probe/echo/?v=2.0`,
        `${echo()}??v=1&x=y`,
      ]) {
        const response = await ctx.app.inject({ method: 'GET', url, headers: { accept: 'application/json' } })
        expect(response.statusCode, url).toBe(200)
      }
    })

    it('turns POST with X-HTTP-Method-Override into PUT or DELETE and ignores other values', async () => {
      const put = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'X-HTTP-Method-Override': 'put' },
        payload: {},
      })
      expect(put.json().method).toBe('PUT')
      const del = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'x-http-method-override': 'DELETE' },
        payload: {},
      })
      expect(del.json().method).toBe('DELETE')
      const other = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'x-http-method-override': 'PATCH' },
        payload: {},
      })
      expect(other.json().method).toBe('POST')
    })
  })

  describe('request bodies', () => {
    it('parses XML bodies into the JSON mapping', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'application/xml' },
        payload: '<event type="line"><text>hi &amp; bye</text></event>',
      })
      expect(response.json().body).toEqual({ event: { '@type': 'line', text: 'hi & bye' } })
    })

    it('sniffs JSON and XML when the content type is missing or form-encoded', async () => {
      const json = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: '{"a":1}',
      })
      expect(json.json().body).toEqual({ a: 1 })
      const xml = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'text/plain' },
        payload: '  <request><skill>Sales</skill></request>',
      })
      expect(xml.json().body).toEqual({ request: { skill: 'Sales' } })
    })

    it('accepts an empty body', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'application/json' },
        payload: '',
      })
      expect(response.statusCode).toBe(200)
      expect(response.json().body).toBeNull()
    })

    it('answers 400 for malformed JSON and XML, 415 for other text, 413 for oversized bodies', async () => {
      const badJson = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'application/json' },
        payload: '{"a":',
      })
      expect(badJson.statusCode).toBe(400)
      expect(badJson.json().error).toMatchObject({ message: 'body: malformed JSON', internalCode: 5 })
      const badXml = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.xml`,
        headers: { 'content-type': 'text/xml' },
        payload: '<a><b></a>',
      })
      expect(badXml.statusCode).toBe(400)
      expect(badXml.body).toContain('<internalCode>5</internalCode>')
      const entity = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'application/xml' },
        payload: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>',
      })
      expect(entity.statusCode).toBe(400)
      const text = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'text/plain' },
        payload: 'hello',
      })
      expect(text.statusCode).toBe(415)
      const big = await ctx.app.inject({
        method: 'POST',
        url: `${echo()}.json`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ a: 'x'.repeat(4096) }),
      })
      expect(big.statusCode).toBe(413)
      expect(big.json().error.internalCode).toBe(5)
    })
  })

  describe('headers', () => {
    it('echoes a well-formed x-request-id and generates one otherwise', async () => {
      const given = await ctx.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
      expect(given.headers['x-request-id']).toBe('abc-123')
      const generated = await ctx.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { 'x-request-id': 'bad id\twith spaces' },
      })
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    })

    it('answers CORS preflights with 204 but, by default, grants no origin anything', async () => {
      const preflight = await ctx.app.inject({
        method: 'OPTIONS',
        url: `${echo()}.json`,
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
      })
      expect(preflight.statusCode).toBe(204)
      const normal = await ctx.app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { origin: 'https://shop.example.com' },
      })
      for (const response of [preflight, normal])
        expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
      // Listed origins: test/api/cors-and-cookies.test.ts.
    })
  })

  describe('operations', () => {
    it('answers /healthz and /readyz', async () => {
      expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
      expect((await ctx.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ok' })
    })
  })
})
