import { Writable } from 'node:stream'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { redactUrl } from '../../src/http/logging.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'
import { createManualClock } from '../support/manual-clock.ts'

it('redacts credential-bearing query parameters from logged URLs', () => {
  expect(redactUrl('/api/account/1/chat?v=1&appKey=abc123&oauth_token=t&keep=yes')).toBe(
    '/api/account/1/chat?v=1&appKey=%5Bredacted%5D&oauth_token=%5Bredacted%5D&keep=yes',
  )
  expect(redactUrl('/healthz')).toBe('/healthz')
})

describeEachDialect('Request logs', (dialect) => {
  const lines: string[] = []
  let app: ParleyApp
  let storage: Storage
  let account: TestAccount

  beforeAll(async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'info' },
      { database: database.kind === 'sqlite' ? database.path : database.url },
    )
    storage = createStorage(config.database)
    const clock = createManualClock(Date.now())
    const services = createServices({ storage, config, clock })
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'))
        callback()
      },
    })
    app = await buildApp({ config, services, clock, logStream })
    await app.ready()
    account = await createAccount(services)
  })
  afterAll(async () => {
    await app.close()
    await storage.close()
  })

  it('never logs passwords, bearer tokens, cookies or app keys', async () => {
    const login = await app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/login?v=1.3&appKey=${account.appKey}`,
      headers: { cookie: 'Session_id=secret-cookie-value' },
      payload: { username: 'admin', password: account.adminPassword },
    })
    expect(login.statusCode).toBe(200)
    const { bearer, csrf } = login.json<{ bearer: string; csrf: string }>()
    await app.inject({ method: 'GET', url: '/nowhere', headers: { authorization: `Bearer ${bearer}` } })
    const text = lines.join('')
    expect(text).toContain(`/api/account/${account.accountId}/login`)
    for (const secret of [account.adminPassword, bearer, csrf, account.appKey, 'secret-cookie-value']) {
      expect(text).not.toContain(secret)
    }
  })
})
