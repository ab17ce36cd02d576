import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config/config.ts'
import { isParleyError, ParleyError } from '../../src/core/errors.ts'
import type { HistoryFilter, SortKey } from '../../src/core/history/history-query.types.ts'
import { createHistoryWorkerPool, type HistoryWorkerPool } from '../../src/storage/archive/history-worker-pool.ts'
import { createInlineHistoryQuery } from '../../src/storage/archive/inline-history-query.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount } from '../support/factories.ts'
import { buildRecord } from '../support/archive-records.ts'

const T0 = Date.UTC(2026, 4, 1)
const RT = 4294967296

describeEachDialect('history worker pool', (dialect) => {
  const ctx = useTestApp(dialect)
  let accountId: string
  let pool: HistoryWorkerPool

  beforeAll(async () => {
    accountId = (await createAccount(ctx.services)).accountId
    const records = Array.from({ length: 30 }, (_, i) =>
      buildRecord(accountId, {
        rt: RT + i,
        start: T0 + (i % 7) * 60_000,
        info: { duration: (i * 37) % 11, skillId: i % 3, agentId: String(100 + (i % 4)) },
        lines: [i % 2 === 0 ? 'where is my parcel' : 'thanks a lot'],
      }),
    )
    await ctx.services.archive.archiveRecords(accountId, records, 'imported')
    pool = createHistoryWorkerPool({
      database: ctx.config.database,
      size: 1,
      maxQueue: 1,
      busyError: (message) => new ParleyError('BUSY', message),
    })
  })
  afterAll(async () => {
    await pool?.close()
  })

  it('answers exactly as the same query run on the main thread', async () => {
    const inline = createInlineHistoryQuery(ctx.storage.db, dialect)
    const window = { from: T0, to: T0 + 3_600_000 }
    const queries: [Omit<HistoryFilter, 'accountId'>, SortKey[], number, number][] = [
      [{ start: window }, [], 0, 100],
      [{ start: window }, [{ field: 'duration', direction: 'desc' }], 5, 10],
      [{ start: window, skillIds: [1, 2] }, [{ field: 'agentId', direction: 'asc' }], 0, 7],
      [{ start: window, keyword: { words: ['my', 'parcel'], areas: ['chatLine'] } }, [], 3, 50],
    ]
    for (const [filter, sort, offset, limit] of queries) {
      const viaPool = await pool.search({ accountId, ...filter }, sort, offset, limit)
      expect(viaPool).toEqual(await inline.search({ accountId, ...filter }, sort, offset, limit))
      expect(viaPool.count).toBeGreaterThan(0)
    }
    // The application's own HistoryQuery goes through its pool too.
    expect(await ctx.services.historyQuery.search({ accountId, start: window }, [], 0, 5)).toEqual(
      await inline.search({ accountId, start: window }, [], 0, 5),
    )
  })

  it('refuses a search with BUSY when every worker is busy and the queue is full', async () => {
    const filter = { accountId, start: { from: T0, to: T0 + 3_600_000 } }
    const running = pool.search(filter, [], 0, 10)
    const queued = pool.search(filter, [], 0, 10)
    const refused = await pool.search(filter, [], 0, 10).catch((error: unknown) => error)
    expect(isParleyError(refused) && refused.code).toBe('BUSY')
    expect((await running).count).toBe(30)
    expect((await queued).count).toBe(30)
    expect((await pool.search(filter, [], 0, 1)).documents).toHaveLength(1)
  })

  it('reports a failing search without losing the worker', async () => {
    const sort = [{ field: 'nope', direction: 'asc' }] as unknown as SortKey[]
    await expect(pool.search({ accountId, start: { from: T0, to: T0 + 1 } }, sort, 0, 1)).rejects.toThrow()
    expect((await pool.search({ accountId, start: { from: T0, to: T0 + 3_600_000 } }, [], 0, 1)).count).toBe(30)
  })

  it('refuses searches after close', async () => {
    const closing = createHistoryWorkerPool({
      database: ctx.config.database,
      size: 1,
      maxQueue: 4,
      busyError: (message) => new ParleyError('BUSY', message),
    })
    expect((await closing.search({ accountId, visitor: `visitor-${RT}` }, [], 0, 1)).count).toBe(1)
    await closing.close()
    await expect(closing.search({ accountId, visitor: `visitor-${RT}` }, [], 0, 1)).rejects.toThrow(/shutting down/)
  })
})

describe('PARLEY_HISTORY_WORKERS', () => {
  it('defaults to 2, accepts 0 (searches on the main thread) and rejects non-integers', () => {
    expect(loadConfig({}).historyWorkers).toBe(2)
    expect(loadConfig({ PARLEY_HISTORY_WORKERS: '0' }).historyWorkers).toBe(0)
    expect(loadConfig({ PARLEY_HISTORY_WORKERS: '4' }).historyWorkers).toBe(4)
    expect(() => loadConfig({ PARLEY_HISTORY_WORKERS: 'two' })).toThrow(ConfigError)
    expect(() => loadConfig({ PARLEY_HISTORY_WORKERS: '65' })).toThrow(ConfigError)
  })
})
