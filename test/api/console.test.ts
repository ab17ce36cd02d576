import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONSOLE_CSP } from '../../src/apis/console/console.routes.ts'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount } from '../support/live-chat.ts'
import { createManualClock } from '../support/manual-clock.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { visitorClient } from './visitor-chat-app.ts'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** An app serving the console from `consoleDir`. */
async function consoleApp(consoleDir: string): Promise<{ app: ParleyApp; close(): Promise<void> }> {
  const database = testDatabase('sqlite')
  const config = loadConfig(
    { PARLEY_LOG_LEVEL: 'silent' },
    { database: database.kind === 'sqlite' ? database.path : '' },
  )
  const storage: Storage = createStorage(config.database, { poolSize: 1 })
  const clock = createManualClock(Date.now())
  const services: Services = createServices({ storage, config, clock })
  const app = await buildApp({ config, services, clock, consoleDir })
  await app.ready()
  return {
    app,
    close: async () => {
      await app.close()
      await services.close()
      await storage.close()
    },
  }
}

describe('console static files (/console/)', () => {
  const parent = mkdtempSync(join(tmpdir(), 'parley-console-'))
  const built = join(parent, 'console')
  mkdirSync(join(built, 'assets'), { recursive: true })
  writeFileSync(
    join(built, 'index.html'),
    '<!doctype html><script type="module" src="/console/assets/app-1a2b.js"></script>',
  )
  writeFileSync(join(built, 'assets', 'app-1a2b.js'), 'console.log(1)')
  writeFileSync(join(built, 'assets', 'app-1a2b.css'), 'body{}')
  writeFileSync(join(built, 'favicon.svg'), '<svg/>')
  writeFileSync(join(built, '.env'), 'SECRET=1')
  writeFileSync(join(parent, 'secret.txt'), 'outside')
  let served: Awaited<ReturnType<typeof consoleApp>>
  let unbuilt: Awaited<ReturnType<typeof consoleApp>>
  beforeAll(async () => {
    served = await consoleApp(built)
    unbuilt = await consoleApp(join(parent, 'missing'))
  })
  afterAll(async () => {
    await served?.close()
    await unbuilt?.close()
  })

  const get = (path: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') => served.app.inject({ method, url: path })

  it('redirects /console to /console/', async () => {
    const response = await get('/console')
    expect(response.statusCode).toBe(301)
    expect(response.headers.location).toBe('/console/')
  })

  it('serves index.html uncached with the strict CSP and security headers', async () => {
    for (const path of ['/console/', '/console/index.html']) {
      const response = await get(path)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.headers['cache-control']).toBe('no-cache')
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP)
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['x-frame-options']).toBe('DENY')
      expect(response.body).toContain('/console/assets/app-1a2b.js')
    }
    expect(CONSOLE_CSP).toContain("script-src 'self'")
    expect(CONSOLE_CSP).not.toContain('unsafe-inline')
  })

  it('serves hashed assets as immutable with their content type, other files revalidated', async () => {
    const script = await get('/console/assets/app-1a2b.js')
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(script.body).toBe('console.log(1)')
    expect((await get('/console/assets/app-1a2b.css')).headers['content-type']).toBe('text/css; charset=utf-8')
    const icon = await get('/console/favicon.svg')
    expect(icon.headers['content-type']).toBe('image/svg+xml')
    expect(icon.headers['cache-control']).toBe('no-cache')
    const head = await get('/console/assets/app-1a2b.js', 'HEAD')
    expect(head.statusCode).toBe(200)
  })

  it('answers client routes with the application (SPA fallback)', async () => {
    for (const path of ['/console/history', '/console/admin/users', '/console/history/abc?keyword=x']) {
      const response = await get(path)
      expect(response.statusCode, path).toBe(200)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.body).toContain('<!doctype html>')
    }
  })

  it('404s missing assets and files, dot files and paths leaving the folder', async () => {
    for (const path of [
      '/console/assets/missing-1234.js',
      '/console/missing.png',
      '/console/.env',
      '/console/..%2fsecret.txt',
      '/console/%2e%2e/secret.txt',
      '/console/assets/..%2f..%2fsecret.txt',
    ]) {
      const response = await get(path)
      expect(response.statusCode, path).toBe(404)
      expect(response.body).not.toContain('outside')
      expect(response.body).not.toContain('SECRET')
    }
  })

  it('rejects a malformed percent-encoding without serving anything', async () => {
    const response = await get('/console/%E0%A4%A')
    expect(response.statusCode).toBe(400)
    expect(response.body).not.toContain('doctype')
  })

  it('answers 405 with Allow to other methods', async () => {
    const response = await get('/console/', 'POST')
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('GET')
  })

  it('tells how to build when the console is not built', async () => {
    const response = await unbuilt.app.inject({ method: 'GET', url: '/console/' })
    expect(response.statusCode).toBe(503)
    expect(response.body).toContain('npm run build')
    expect((await unbuilt.app.inject({ method: 'GET', url: '/console/history' })).statusCode).toBe(503)
  })
})

describeEachDialect('visitorContext extension of the agent chat', (dialect) => {
  // Without geo-IP: on a database of its own, so its timers archive no other file's chats.
  const ctx = useTestApp(dialect, { env: { PARLEY_GEOIP_CITY_DB: 'none' }, privateDatabase: true })

  const setup = async () => {
    const live = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'] },
        { nickname: 'Omar', skills: ['Billing'] },
      ],
    })
    const scope = { accountId: live.accountId }
    const survey = (
      await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, {
        name: 'Pre-chat',
        type: 'preChat',
        isDefault: true,
        questions: [
          { type: 'Text Field', label: 'What is your name?' },
          { type: 'Dropdown Box', label: 'Topic', entries: [{ value: 'Buying' }, { value: 'Support' }] },
        ],
      })
    ).value
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    const chatKey = await visitor.requestChat({
      request: {
        skill: 'Sales',
        chatReferrer: 'https://search.example/?q=parley',
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
        visitorIp: '10.1.2.3',
        survey: {
          id: survey.id,
          question: [
            { id: 2, answer: 'Support' },
            { id: 1, answer: 'Ada' },
          ],
        },
      },
    })
    const bearer = (await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')).bearer
    const agent = agentClient(ctx.app, live.accountId, `Bearer ${bearer}`)
    const sessionId = await agent.start()
    const accepted = await agent.request('POST', `/${sessionId}/incomingRequests.json?v=1`, {
      body: {},
      headers: { 'content-type': 'application/json' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    return { live, visitor, agent, sessionId, chatKey, path: `/${sessionId}/chat/${chatKey}/visitorContext` }
  }

  it('answers pre-chat answers with labels, visitor info, referrer and the MCS so far (JSON)', async () => {
    const s = await setup()
    const before = await s.agent.request('GET', `${s.path}.json?v=1`)
    expect(before.statusCode, before.body).toBe(200)
    expect(before.json().visitorContext.mcs).toEqual({ chatMCS: null, alertedMCS: null, trend: [] })

    for (const text of ['I love your service', 'but the delivery was awful']) {
      const line = await s.visitor.call('POST', `/chat/${s.chatKey}/events.json?v=1`, {
        body: { event: { '@type': 'line', text } },
        headers: { 'content-type': 'application/json' },
      })
      expect(line.statusCode).toBe(201)
    }
    const response = await s.agent.request('GET', `${s.path}.json?v=1`)
    expect(response.statusCode).toBe(200)
    const body = response.json<Json>()
    expect(body).toEqual({
      visitorContext: {
        // Question order, not answer order.
        preChatSurvey: [
          { question: 'What is your name?', answer: 'Ada' },
          { question: 'Topic', answer: 'Support' },
        ],
        visitorInfo: {
          country: '',
          countryCode: '',
          state: '',
          city: '',
          isp: '',
          org: '',
          device: 'DESKTOP',
          ipAddress: '10.1.2.3',
          browser: 'Chrome 120.0',
          operatingSystem: 'WINDOWS',
          browserType: expect.any(String),
        },
        chatReferrer: 'https://search.example/?q=parley',
        mcs: { chatMCS: expect.any(Number), alertedMCS: expect.any(Number), trend: [60, expect.any(Number)] },
      },
    })
    // The same figures Engagement History will archive: 60 after "love", lower after "awful".
    expect(body.visitorContext.mcs.trend[1]).toBeLessThan(60)
    expect(body.visitorContext.mcs.chatMCS).toBe(body.visitorContext.mcs.trend[1])
  })

  it('answers XML too', async () => {
    const s = await setup()
    const response = await s.agent.request('GET', `${s.path}?v=1`, { headers: { accept: 'application/xml' } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/xml/)
    expect(response.body).toContain('<visitorContext>')
    expect(response.body).toContain('<chatReferrer>https://search.example/?q=parley</chatReferrer>')
    expect(response.body).toContain('What is your name?')
  })

  it('is 404 for another agent, an unknown chat or session, and 401 without credentials', async () => {
    const s = await setup()
    const omarBearer = (await login(ctx.app, s.live.accountId, 'omar', 'pw-agent-123456')).bearer
    const omar = agentClient(ctx.app, s.live.accountId, `Bearer ${omarBearer}`)
    const omarSession = await omar.start()
    const foreign = await omar.request('GET', `/${omarSession}/chat/${s.chatKey}/visitorContext.json?v=1`)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().error.internalCode).toBe(28)
    const unknown = await s.agent.request('GET', `/${s.sessionId}/chat/nope/visitorContext.json?v=1`)
    expect(unknown.statusCode).toBe(404)
    const wrongSession = await s.agent.request('GET', `/123456789/chat/${s.chatKey}/visitorContext.json?v=1`)
    expect(wrongSession.statusCode).toBe(404)
    const anonymous = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${s.live.accountId}/agentSession${s.path}.json?v=1`,
    })
    expect(anonymous.statusCode).toBe(401)
  })
})
