import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import type { ParleyApp } from '../../src/http/app.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

/** Sends one raw HTTP/1.1 request over a socket and returns status line, headers and body. */
function rawRequest(
  port: number,
  requestLine: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const lines = [requestLine, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', '']
      socket.write(lines.join('\r\n'))
    })
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (data += chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const [head = '', ...rest] = data.split('\r\n\r\n')
      const status = Number(head.split(' ')[1])
      const rawBody = rest.join('\r\n\r\n')
      // Decode a chunked body when the server streamed it.
      const body = /transfer-encoding: chunked/i.test(head)
        ? rawBody.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '').replace(/\r\n$/, '')
        : rawBody
      resolve({ status, body })
    })
  })
}

const probeRoutes = (app: ParleyApp): void => {
  app.get('/api/account/:accountId/probe/actor', { config: { auth: ['oauth1'] } }, async (request) => ({
    actor: request.actor?.kind,
  }))
}

describeEachDialect('Absolute-form request targets (real socket)', (dialect) => {
  const ctx = useTestApp(dialect, { routes: probeRoutes })
  let account: TestAccount
  let port = 0

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    await ctx.app.listen({ port: 0, host: '127.0.0.1' })
    port = (ctx.app.server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await ctx.app.close()
  })

  it('routes GET http://api.liveperson.net/... like an origin-form request and answers with that host', async () => {
    const response = await rawRequest(
      port,
      `GET http://api.liveperson.net/api/account/${account.accountId}/service/engHistDomain/baseURI.json?version=1.0 HTTP/1.1`,
      {
        Host: 'api.liveperson.net',
      },
    )
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({
      service: 'engHistDomain',
      account: account.accountId,
      baseURI: 'api.liveperson.net',
    })
  })

  it('verifies an OAuth signature over the absolute-form URL the client used', async () => {
    const url = `https://va.enghist.liveperson.net/api/account/${account.accountId}/probe/actor?limit=5`
    const authorization = signRequest({
      method: 'GET',
      url,
      consumerKey: account.apiKey.consumerKey,
      consumerSecret: account.apiKey.consumerSecret,
      token: account.apiKey.accessToken,
      tokenSecret: account.apiKey.accessTokenSecret,
      timestamp: Math.floor(ctx.clock.now() / 1000),
    })
    const response = await rawRequest(port, `GET ${url} HTTP/1.1`, {
      Host: 'va.enghist.liveperson.net',
      Authorization: authorization,
      Accept: 'application/json',
    })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toEqual({ actor: 'apiKey' })
  })
})
