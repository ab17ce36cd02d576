import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const CANNOT_STORE = 'contains a character that cannot be stored (NUL or an unpaired surrogate)'
const OUT_OF_RANGE = 'is out of range (at most 9007199254740991 in magnitude)'

/** The reproductions of issue 11 item 2, and the wire shape of the edge rule (docs/wire-conventions.md). */
describeEachDialect('Edge rule: input the databases cannot store', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  let bearer: string
  beforeAll(async () => {
    account = await createAccount(ctx.services)
    bearer = (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer
  })
  const visitor = (accept = 'application/json') => ({
    authorization: `LivePerson appKey=${account.appKey}`,
    accept,
    'content-type': 'application/json',
  })
  const chatRequest = (payload: string | Buffer, accept?: string) =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/chat/request?v=1`,
      headers: visitor(accept),
      payload,
    })
  const envelope = (message: string) => ({
    error: { time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), message, internalCode: 5 },
  })

  describe('text', () => {
    it('refuses a NUL in LETagVisitorId with 400 naming the field (it was 201, then archiving failed on PostgreSQL)', async () => {
      const response = await chatRequest(JSON.stringify({ request: { LETagVisitorId: 'a\u0000b' } }))
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(envelope(`body.request.LETagVisitorId: ${CANNOT_STORE}`))
    })

    it('answers the same error as XML without Accept', async () => {
      const response = await chatRequest(JSON.stringify({ request: { visitorName: 'x\u0000' } }), '*/*')
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(response.body).toMatch(
        new RegExp(
          `^${XML.replace(/[?.]/g, '\\$&')}<error><time>[^<]+</time><message>body\\.request\\.visitorName: contains a character that cannot be stored \\(NUL or an unpaired surrogate\\)</message><internalCode>5</internalCode></error>$`,
        ),
      )
    })

    it('refuses unpaired surrogates, NUL in array items and in member names', async () => {
      const lone = await chatRequest('{"request":{"preChatLines":{"line":["ok","\\ud800x"]}}}')
      expect(lone.statusCode).toBe(400)
      expect(lone.json()).toEqual(envelope(`body.request.preChatLines.line.1: ${CANNOT_STORE}`))
      const key = await chatRequest('{"request":{"customVariables":{"a\\u0000":"1"}}}')
      expect(key.statusCode).toBe(400)
      expect(key.json()).toEqual(envelope(`body.request.customVariables: has a member name that ${CANNOT_STORE}`))
    })

    it('refuses a body that is not valid UTF-8 instead of storing replacement characters', async () => {
      const response = await chatRequest(
        Buffer.concat([Buffer.from('{"request":{"visitorName":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]),
      )
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(envelope('body: is not valid UTF-8'))
    })

    it('refuses NUL in a login user name with the login time style, and in a skill name', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login?v=1.3`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        payload: JSON.stringify({ username: 'admin\u0000', password: 'x' }),
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({
        error: { time: expect.stringMatching(/ (AM|PM)$/), message: `body.username: ${CANNOT_STORE}`, internalCode: 5 },
      })
      const skill = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/configuration/le-users/skills`,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ name: 'Sales\u0000' }),
      })
      expect(skill.statusCode).toBe(400)
      expect(skill.json()).toEqual(envelope(`body.name: ${CANNOT_STORE}`))
    })

    it('refuses %00 in path ids and the account id', async () => {
      const chat = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/chat/H1-%00K1?v=1`,
        headers: visitor(),
      })
      expect(chat.statusCode).toBe(400)
      expect(chat.json()).toEqual(envelope(`params.chatId: ${CANNOT_STORE}`))
      const accountId = await ctx.app.inject({
        method: 'GET',
        url: '/api/account/a%00b/chat/H1-K1?v=1',
        headers: visitor(),
      })
      expect(accountId.statusCode).toBe(400)
      expect(accountId.json()).toEqual(envelope(`params.accountId: ${CANNOT_STORE}`))
    })

    it('checks after authentication: without credentials the answer is 401, not 400', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/chat/request?v=1`,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        payload: JSON.stringify({ request: { LETagVisitorId: 'a\u0000b' } }),
      })
      expect(response.statusCode).toBe(401)
    })
  })

  describe('numbers', () => {
    it.each([
      ['1e308', '1e308'],
      ['2^64', '18446744073709551616'],
      ['-2^63 - 1', '-9223372036854775809'],
    ])('refuses a survey id of %s in the body with 400 naming the field', async (_label, literal) => {
      const response = await chatRequest(`{"request":{"survey":{"id":${literal},"question":{"id":1,"answer":"x"}}}}`)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(envelope(`body.request.survey.id: ${OUT_OF_RANGE}`))
    })

    it('reads an id sent as text beyond 2^53 as no id, never as a bigint overflow', async () => {
      const response = await chatRequest(
        JSON.stringify({ request: { survey: { id: '18446744073709551616', question: { id: '1', answer: 'x' } } } }),
      )
      expect(response.statusCode).toBe(201)
    })

    it('refuses an integer query field coerced beyond 2^53', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/configuration/le-users/skills/18446744073709551616`,
        headers: { authorization: `Bearer ${bearer}` },
      })
      expect(response.statusCode).toBe(400)
      expect(response.json().error.message).toMatch(/^params\.id: /)
    })
  })

  describe('transport', () => {
    it('refuses a malformed Host on login with 400, and creates no session first', async () => {
      const count = async () =>
        Number(
          (
            await ctx.storage.db
              .selectFrom('login_sessions')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('account_id', '=', account.accountId)
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = await count()
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/login?v=1.3`,
        headers: { host: 'a b', 'content-type': 'application/json', accept: 'application/json' },
        payload: JSON.stringify({ username: account.adminLogin, password: account.adminPassword }),
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({
        error: {
          time: expect.stringMatching(/ (AM|PM)$/),
          message: 'headers.host: is not a valid host',
          internalCode: 5,
        },
      })
      expect(await count()).toBe(before)
    })

    it.each(['a b', 'a/b', 'u@h', 'h:99999', '[::1'])('refuses Host %j on the Domain API', async (host) => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/service/agentVep/baseURI.json?version=1.0`,
        headers: { host },
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual(envelope('headers.host: is not a valid host'))
    })

    it('keeps well-formed hosts working', async () => {
      for (const host of ['chat.example.com', 'chat.example.com:8443', '127.0.0.1:8080', '[::1]:8080']) {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `/api/account/${account.accountId}/service/agentVep/baseURI.json?version=1.0`,
          headers: { host },
        })
        expect(response.statusCode).toBe(200)
      }
    })

    it.each([
      ['bad percent-encoding', '/api/account/ACCOUNT/chat/%zz?v=1', 'path: is not a valid URL path'],
      [
        'an over-long path segment',
        `/api/account/ACCOUNT/chat/${'x'.repeat(300)}?v=1`,
        'path: a path segment is too long',
      ],
    ])('answers %s in the envelope, without the path or the framework', async (_label, url, message) => {
      const path = url.replace('ACCOUNT', account.accountId)
      const json = await ctx.app.inject({ method: 'GET', url: path, headers: visitor() })
      expect(json.statusCode).toBe(400)
      expect(json.json()).toEqual(envelope(message))
      const xml = await ctx.app.inject({ method: 'GET', url: path })
      expect(xml.statusCode).toBe(400)
      expect(xml.body).toBe(
        `${XML}<error><time>${/<time>([^<]+)<\/time>/.exec(xml.body)?.[1]}</time><message>${message}</message><internalCode>5</internalCode></error>`,
      )
      expect(`${json.body}${xml.body}`).not.toMatch(/FST_|fastify|zz|xxxx/i)
    })

    it('answers a request Node cannot parse in the envelope, not the framework body', async () => {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' })
      const { port } = ctx.app.server.address() as AddressInfo
      const answer = await new Promise<string>((resolve, reject) => {
        let text = ''
        const socket = connect(port, '127.0.0.1', () =>
          socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
        )
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
        socket.on('close', () => resolve(text))
        socket.on('error', reject)
      })
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual(envelope('Malformed request'))
    })

    it('answers malformed JSON and unsupported content types in the envelope', async () => {
      const malformed = await chatRequest('{"request":')
      expect(malformed.statusCode).toBe(400)
      expect(malformed.json()).toEqual(envelope('body: malformed JSON'))
      const unsupported = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/chat/request?v=1`,
        headers: { ...visitor(), 'content-type': 'image/png' },
        payload: 'zz',
      })
      expect(unsupported.statusCode).toBe(415)
      expect(unsupported.json()).toEqual(envelope('Unsupported content type'))
    })
  })
})
