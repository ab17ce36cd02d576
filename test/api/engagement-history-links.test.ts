import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { makeRecord } from '../support/eh-search-records.ts'
import { rtIdsOf, searchWithBearer, useHistoryArchive } from '../support/history-api.ts'

const ACCOUNT = '12345678'
const T0 = Date.UTC(2026, 8, 1)
const RT = 4294967296
const SPEC_BASE = 'https://parley.example.com/interaction_history/api/account/12345678/interactions/search'

describeEachDialect('Engagement History _metadata on the public URL (spec §4 example)', (dialect) => {
  const context = useTestApp(dialect, { env: { PARLEY_PUBLIC_URL: 'https://parley.example.com' } })
  const history = useHistoryArchive(context)
  let bearer: string
  const body = { start: { from: T0, to: T0 + 86_400_000 } }
  const page = (query: string) => searchWithBearer(context, ACCOUNT, bearer, body, query)

  beforeAll(async () => {
    await context.services.accounts.createAccount({
      id: ACCOUNT,
      adminLoginName: 'admin',
      adminPassword: 'admin-pass-1',
    })
    ;({ bearer } = await login(context.app, ACCOUNT, 'admin', 'admin-pass-1'))
    const records = Array.from({ length: 250 }, (_, i) =>
      makeRecord({ accountId: ACCOUNT, rtSessionId: RT + i, startTimeL: T0 + i * 1000 }),
    )
    await history.archive(ACCOUNT, records)
  })

  it('answers page 2 of 3 with the links of the spec example, byte for byte', async () => {
    const response = await page('limit=100&offset=100&sort=start:asc&source=ACME_Reports_Sync')
    expect(response.statusCode).toBe(200)
    const query = (offset: number) => `${SPEC_BASE}?limit=100&offset=${offset}&sort=start:asc&source=ACME_Reports_Sync`
    expect(JSON.stringify(response.json()._metadata)).toBe(
      JSON.stringify({
        count: 250,
        next: { rel: 'next', href: query(200) },
        prev: { rel: 'prev', href: query(0) },
        last: { rel: 'last', href: query(200) },
        self: { rel: 'self', href: query(100) },
        shardsStatusResult: { failureShards: 0, totalShards: 1, partialResult: false },
      }),
    )
    expect(response.json().interactionHistoryRecords).toHaveLength(100)
  })

  it('walks every page through next and back through prev with identical links', async () => {
    const seen: string[] = []
    let query = `limit=37&sort=duration%3Ades%2Cstart:asc&source=${encodeURIComponent('a b/c?d&e=f,g:h')}&v=1`
    const selfs: string[] = []
    for (let guard = 0; guard < 20; guard++) {
      const response = await page(query)
      const meta = response.json()._metadata
      expect(meta.count).toBe(250)
      selfs.push(meta.self.href)
      seen.push(...rtIdsOf(response, ACCOUNT))
      if (!meta.next) break
      const nextPage = await page(new URL(meta.next.href).search.slice(1))
      expect(nextPage.json()._metadata.self.href).toBe(meta.next.href)
      expect(nextPage.json()._metadata.prev.href).toBe(meta.self.href)
      query = new URL(meta.next.href).search.slice(1)
    }
    expect(selfs).toHaveLength(7)
    expect(selfs[0]).toBe(`${SPEC_BASE}?limit=37&offset=0&sort=duration:des,start:asc&source=a%20b%2Fc%3Fd%26e%3Df,g:h`)
    expect(new Set(seen).size).toBe(250)
  })

  it('answers one page past the end with 200, an empty list and the last link', async () => {
    const response = await page('limit=100&offset=300')
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({
      _metadata: {
        count: 250,
        prev: { rel: 'prev', href: `${SPEC_BASE}?limit=100&offset=200` },
        last: { rel: 'last', href: `${SPEC_BASE}?limit=100&offset=200` },
        self: { rel: 'self', href: `${SPEC_BASE}?limit=100&offset=300` },
        shardsStatusResult: { failureShards: 0, totalShards: 1, partialResult: false },
      },
      interactionHistoryRecords: [],
    })
  })
})
