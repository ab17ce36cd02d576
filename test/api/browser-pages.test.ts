import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { BRIDGE_PATHS } from '../../src/apis/browser/browser.routes.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

describeEachDialect('Browser transports: bridge page and Domain API JSONP', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  beforeAll(async () => {
    account = await createAccount(ctx.services)
  })

  describe('bridge page', () => {
    for (const path of BRIDGE_PATHS) {
      it(`serves ${path} as cacheable HTML that any origin may frame`, async () => {
        const response = await ctx.app.inject({
          method: 'GET',
          url: `${path}?bust=1733460000000`,
          headers: { origin: 'https://customer.example' },
        })
        expect(response.statusCode).toBe(200)
        expect(response.headers['content-type']).toBe('text/html; charset=UTF-8')
        expect(response.headers['cache-control']).toBe('public, max-age=3600')
        expect(response.headers['x-frame-options']).toBeUndefined()
        expect(String(response.headers['content-security-policy'])).not.toMatch(/frame-ancestors/)
        expect(response.body).toMatch(/^<!doctype html>/)
        expect(response.body).toContain("addEventListener('message'")
        expect(response.body).toContain("credentials: 'omit'")
      })
    }

    it('serves the same page on both paths, pinned by a CSP hash of its only script', async () => {
      const [first, second] = await Promise.all(BRIDGE_PATHS.map((url) => ctx.app.inject({ method: 'GET', url })))
      expect(first!.body).toBe(second!.body)
      const scripts = [...first!.body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!)
      expect(scripts).toHaveLength(1)
      const hash = createHash('sha256').update(scripts[0]!, 'utf8').digest('base64')
      expect(first!.headers['content-security-policy']).toBe(
        `default-src 'none'; script-src 'sha256-${hash}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
      )
      expect(scripts[0]).not.toMatch(/\beval\(|innerHTML|document\.write|new Function/)
    })

    it('answers 304 to a matching If-None-Match', async () => {
      const first = await ctx.app.inject({ method: 'GET', url: BRIDGE_PATHS[0] })
      const again = await ctx.app.inject({
        method: 'GET',
        url: BRIDGE_PATHS[0],
        headers: { 'if-none-match': String(first.headers.etag) },
      })
      expect(again.statusCode).toBe(304)
      expect(again.body).toBe('')
    })
  })

  describe('Domain API JSONP (baseURI.lpCsds)', () => {
    const csds = (service: string, query: string, accountId = account.accountId) =>
      ctx.app.inject({
        method: 'GET',
        url: `/csdr/account/${accountId}/service/${service}/baseURI.lpCsds?${query}`,
        headers: { host: 'parley.example.com:8443' },
      })

    it('answers NAME({"ResultSet":{"lpData":[{"lpServer":host}]}}); for adminArea and every known name', async () => {
      for (const service of ['adminArea', 'conversationVep', 'agentVep']) {
        const response = await csds(service, 'version=1.0&cb=lpCb42x7')
        expect(response.statusCode, service).toBe(200)
        expect(response.headers['content-type']).toBe('application/javascript; charset=UTF-8')
        expect(response.body).toBe('lpCb42x7({"ResultSet":{"lpData":[{"lpServer":"parley.example.com:8443"}]}});')
      }
    })

    it('rejects a missing, dotted, reserved or over-long callback with 400 in the JSON envelope', async () => {
      for (const query of ['version=1.0', 'cb=', 'cb=a.b', 'cb=alert(1)//', 'cb=new', `cb=${'c'.repeat(129)}`]) {
        const response = await csds('adminArea', query)
        expect(response.statusCode, query).toBe(400)
        expect(response.json().error).toMatchObject({ internalCode: 5, message: expect.stringContaining('cb') })
      }
    })

    it('answers 404 in the envelope for an unknown service or account (Decision D9)', async () => {
      const service = await csds('nope', 'cb=lpCb1')
      expect(service.statusCode).toBe(404)
      expect(service.json().error).toMatchObject({ message: 'Service nope not found', internalCode: 28 })
      const unknown = await csds('adminArea', 'cb=lpCb1', 'nobody77')
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json().error).toMatchObject({ message: 'Account nobody77 not found', internalCode: 28 })
    })
  })
})
