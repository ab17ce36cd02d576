import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { escapeHtml, HOME_PAGE_CSP, readParleyVersion, renderHomePage } from '../../src/apis/ops/home-page.ts'
import { useTestApp } from '../support/build-app.ts'

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version

/** The href of every link on the page. */
const hrefs = (html: string): string[] => [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]!)

describe('GET / (the server explains itself)', () => {
  const ctx = useTestApp('sqlite')

  it('answers a small HTML page with the version and links to the console, health checks and docs', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/', headers: { host: 'chat.example.com:8080' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=UTF-8')
    expect(res.body).toMatch(/^<!DOCTYPE html>/)
    expect(res.body).toContain(`<title>Parley ${VERSION}</title>`)
    expect(res.body).toContain(`Version <strong>${VERSION}</strong>`)
    expect(res.body).toContain('<code>http://chat.example.com:8080</code>')
    expect(hrefs(res.body)).toEqual(['/console/', '/healthz', '/readyz', 'https://developers.liveperson.com/'])
    for (const path of ['/healthz', '/readyz']) {
      expect((await ctx.app.inject({ method: 'GET', url: path })).statusCode).toBe(200)
    }
  })

  it('is served with a strict Content-Security-Policy and carries no script or inline style', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/' })
    expect(res.headers['content-security-policy']).toBe(HOME_PAGE_CSP)
    expect(HOME_PAGE_CSP).toContain("default-src 'none'")
    expect(HOME_PAGE_CSP).not.toContain('unsafe-inline')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i)
  })

  it('never echoes a hostile Host: the edge rule refuses it before the page is built', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/', headers: { host: 'x"><script>alert(1)</script>' } })
    expect(res.statusCode).toBe(400)
    expect(res.body).not.toContain('<script>')
    expect(res.body).toContain('headers.host: is not a valid host')
  })

  it('answers HEAD without a body and other methods with 405 and Allow', async () => {
    const head = await ctx.app.inject({ method: 'HEAD', url: '/' })
    expect(head.statusCode).toBe(200)
    expect(head.headers['content-type']).toBe('text/html; charset=UTF-8')
    expect(head.body).toBe('')
    const post = await ctx.app.inject({ method: 'POST', url: '/' })
    expect(post.statusCode).toBe(405)
    expect(post.headers.allow).toContain('GET')
  })
})

describe('GET / behind a public URL', () => {
  const ctx = useTestApp('sqlite', { env: { PARLEY_PUBLIC_URL: 'https://chat.example.org' } })

  it('names the public URL, not the Host header', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/', headers: { host: '10.0.0.7:8080' } })
    expect(res.body).toContain('<code>https://chat.example.org</code>')
    expect(res.body).not.toContain('10.0.0.7')
  })
})

describe('home page rendering', () => {
  it('escapes every value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    const html = renderHomePage({ version: '1.0.0<b>', origin: 'http://h' })
    expect(html).toContain('1.0.0&lt;b&gt;')
    expect(html).not.toContain('1.0.0<b>')
  })

  it('reads the version from package.json, and says unknown when it cannot', () => {
    expect(readParleyVersion()).toBe(VERSION)
    expect(readParleyVersion(new URL('file:///nonexistent/package.json'))).toBe('unknown')
  })
})
