import { beforeAll, describe, expect, it } from 'vitest'
import { KNOWN_SERVICES } from '../../src/core/csds/service-names.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

describeEachDialect('Domain API (CSDS)', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })

  for (const prefix of ['/api', '/csdr']) {
    describe(`under ${prefix}`, () => {
      it('answers one service with the host and port the client used', async () => {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `${prefix}/account/${account.accountId}/service/engHistDomain/baseURI.json?version=1.0`,
          headers: { host: 'parley.example.com:8080' },
        })
        expect(response.statusCode).toBe(200)
        expect(response.headers['content-type']).toMatch(/^application\/json/)
        expect(response.body).toBe(
          JSON.stringify({ service: 'engHistDomain', account: account.accountId, baseURI: 'parley.example.com:8080' }),
        )
      })

      it('answers every known service in table order', async () => {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `${prefix}/account/${account.accountId}/service/baseURI.json?version=1.0`,
          headers: { host: 'h:1' },
        })
        expect(response.statusCode).toBe(200)
        expect(response.json()).toEqual({
          baseURIs: KNOWN_SERVICES.map((s) => ({ service: s.name, account: account.accountId, baseURI: 'h:1' })),
        })
        expect(
          response
            .json<{ baseURIs: Array<{ service: string }> }>()
            .baseURIs.slice(0, 3)
            .map((e) => e.service),
        ).toEqual(['conversationVep', 'agentVep', 'engHistDomain'])
      })

      it('works without the .json suffix and without version', async () => {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `${prefix}/account/${account.accountId}/service/agentVep/baseURI`,
          headers: { host: 'h:1' },
        })
        expect(response.statusCode).toBe(200)
        expect(response.json().service).toBe('agentVep')
      })
    })
  }

  it('resolves every service name clients are known to request', async () => {
    for (const name of [
      'engHistDomain',
      'agentVep',
      'msgHist',
      'leDataReporting',
      'accountConfigReadOnly',
      'smt',
      'sentinel',
      'conversationVep',
    ]) {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${account.accountId}/service/${name}/baseURI.json`,
      })
      expect(response.statusCode, name).toBe(200)
    }
  })

  it('answers 404 in the envelope for an unknown service name (names are case-sensitive)', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${account.accountId}/service/AgentVep/baseURI.json?version=1.0`,
    })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({
      error: { time: expect.any(String), message: 'Service AgentVep not found', internalCode: 28 },
    })
  })

  it('answers 404 for an account Parley does not host', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/nobody123/service/agentVep/baseURI.json`,
    })
    expect(response.statusCode).toBe(404)
    expect(response.json().error).toMatchObject({ message: 'Account nobody123 not found', internalCode: 28 })
  })

  it('ignores any Authorization header, even an OAuth signature that would not verify', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${account.accountId}/service/agentVep/baseURI.json?version=1.0`,
      headers: { authorization: 'OAuth oauth_consumer_key="x", oauth_signature="bogus"' },
    })
    expect(response.statusCode).toBe(200)
  })

  it('answers the legacy JSONP form', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/csdr/account/${account.accountId}/service/agentVep/baseURI.lpCsds?version=1.0&cb=lpCb123`,
      headers: { host: 'h:1' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/javascript/)
    expect(response.body).toBe('lpCb123({"ResultSet":{"lpData":[{"lpServer":"h:1"}]}});')
  })

  it('rejects a JSONP callback that is not a plain identifier', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/csdr/account/${account.accountId}/service/agentVep/baseURI.lpCsds?cb=alert(1)//`,
    })
    expect(response.statusCode).toBe(400)
  })

  describe('with a public URL', () => {
    const withPublic = useTestApp(dialect, { flags: { 'public-url': 'https://chat.example.com' } })
    it('answers the public host, without port 443', async () => {
      const other = await createAccount(withPublic.services)
      const response = await withPublic.app.inject({
        method: 'GET',
        url: `/api/account/${other.accountId}/service/agentVep/baseURI.json`,
        headers: { host: '10.1.1.1:8080' },
      })
      expect(response.json().baseURI).toBe('chat.example.com')
    })
  })
})
