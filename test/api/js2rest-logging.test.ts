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

it('redacts the js2rest inner call (lpB) from logged URLs', () => {
  expect(redactUrl('/api/account/1/js2rest/chat?lpV=1&lpB=%7B%22h%22%3A1%7D&cb=lpCb1')).toBe(
    '/api/account/1/js2rest/chat?lpV=1&lpB=%5Bredacted%5D&cb=lpCb1',
  )
})

describeEachDialect('js2rest request logs', (dialect) => {
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

  it('never logs the app key or the body carried in lpB, in single or multi-part requests', async () => {
    const marker = 'private-visitor-words-4711'
    const encoded = encodeURIComponent(
      JSON.stringify({
        u: `/api/account/${account.accountId}/chat/request?v=1`,
        m: 'POST',
        b: { request: { skill: marker } },
        h: { Authorization: `LivePerson appKey=${account.appKey}` },
      }),
    )
    const base = `/api/account/${account.accountId}/js2rest/chat?lpV=1&lpjson=1&cb=lpCb1`
    const single = await app.inject({ method: 'GET', url: `${base}&lpB=${encoded}` })
    expect(single.body).toMatch(/^lpCb1\(\{"responseCode":201/)
    const half = Math.floor(encoded.length / 2)
    const first = await app.inject({ method: 'GET', url: `${base}&lpP=1&lpO=2&lpB=${encoded.slice(0, half)}` })
    const id = /"lpS":"([0-9a-f]+)"/.exec(first.body)?.[1]
    const last = await app.inject({ method: 'GET', url: `${base}&lpP=2&lpO=2&lpS=${id}&lpB=${encoded.slice(half)}` })
    expect(last.body).toMatch(/^lpCb1\(\{"responseCode":201/)

    const text = lines.join('')
    expect(text).toContain('/js2rest/chat')
    for (const secret of [account.appKey, marker, encodeURIComponent(marker)]) expect(text).not.toContain(secret)
  })
})
