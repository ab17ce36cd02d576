import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import {
  createPartStore,
  DEFAULT_PART_LIMITS,
  type PartInput,
  type PartLimits,
  type PartStore,
} from '../../src/core/browser/js2rest-parts.service.ts'
import { isParleyError } from '../../src/core/errors.ts'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { describeEachDialect, privateTestDatabase } from '../support/dialects.ts'

const limits: PartLimits = {
  maxParts: 4,
  maxRequestChars: 10,
  maxPending: 3,
  maxPendingPerClient: 2,
  maxTotalChars: 12,
  idleMs: 1_000,
  maxAgeMs: 5_000,
}
const part = (input: Partial<PartInput>): PartInput => ({
  accountId: 'a1',
  client: '10.0.0.1',
  index: 1,
  total: 2,
  id: undefined,
  chunk: 'ab',
  ...input,
})
const codeOf = async (action: () => Promise<unknown>): Promise<string> => {
  try {
    await action()
  } catch (error) {
    if (isParleyError(error)) return error.code
    throw error
  }
  return 'none'
}

/** Partial multi-part js2rest requests in the database: any process may receive any part. */
describeEachDialect('js2rest partial multi-part state', (dialect) => {
  // Two storages (two processes' pools) on one database; the bounds count every process's requests.
  const storages: Storage[] = []
  let drop = async (): Promise<void> => {}
  let now = 0
  const clock = { now: () => now }
  let next = 0
  const storeOf = (storage: Storage, bounds: PartLimits = limits): PartStore =>
    createPartStore({
      db: storage.db,
      uow: createUnitOfWork(storage.db),
      clock,
      limits: bounds,
      newId: () => `id${next++}`,
    })

  beforeAll(async () => {
    const own = await privateTestDatabase(dialect)
    drop = own.drop
    for (let i = 0; i < 2; i++) storages.push(createStorage(own.database, { poolSize: 3 }))
    if (dialect === 'postgres') await migrateToLatest(storages[0]!)
  })
  afterAll(async () => {
    for (const storage of storages) await storage.close()
    await drop()
  })
  beforeEach(async () => {
    await storages[0]!.db.deleteFrom('js2rest_request_parts').execute()
    await storages[0]!.db.deleteFrom('js2rest_requests').execute()
    now = 0
    next = 0
  })

  it('joins chunks in part order, whatever process and order parts 2..n arrive in, then forgets the request', async () => {
    const [one, two] = [storeOf(storages[0]!), storeOf(storages[1]!)]
    expect(await one.add(part({ total: 3, chunk: '%7B' }))).toEqual({ pending: 'id0' })
    expect(await two.add(part({ total: 3, index: 3, id: 'id0', chunk: '%7D' }))).toEqual({ pending: 'id0' })
    expect(await one.add(part({ total: 3, index: 2, id: 'id0', chunk: '%22' }))).toEqual({ complete: '%7B%22%7D' })
    expect(await two.size()).toBe(0)
    expect(await codeOf(() => two.add(part({ total: 3, index: 2, id: 'id0' })))).toBe('RESOURCE_NOT_FOUND')
  })

  it('completes a request exactly once when its last parts race on two processes', async () => {
    // Two SQLite connections of one thread would deadlock on the file lock (each waits synchronously);
    // processes do not: there the race goes through one connection, serialized like two processes' writes.
    const other = dialect === 'sqlite' ? storages[0]! : storages[1]!
    const [one, two] = [storeOf(storages[0]!), storeOf(other)]
    await one.add(part({ total: 4, chunk: 'a' }))
    await one.add(part({ total: 4, index: 2, id: 'id0', chunk: 'b' }))
    const results = await Promise.all([
      one.add(part({ total: 4, index: 3, id: 'id0', chunk: 'c' })),
      two.add(part({ total: 4, index: 4, id: 'id0', chunk: 'd' })),
    ])
    expect(results.filter((result) => 'complete' in result)).toEqual([{ complete: 'abcd' }])
    expect(results.filter((result) => 'pending' in result)).toEqual([{ pending: 'id0' }])
  })

  it('treats a single part (lpO=1) as complete at once', async () => {
    const store = storeOf(storages[0]!)
    expect(await store.add(part({ total: 1 }))).toEqual({ complete: 'ab' })
    expect(await store.size()).toBe(0)
  })

  it('expires a request after idleMs without parts, and after maxAgeMs in any case', async () => {
    const store = storeOf(storages[0]!)
    await store.add(part({ total: 4, chunk: 'a' }))
    now += limits.idleMs - 1
    expect(await store.add(part({ total: 4, index: 2, id: 'id0', chunk: 'b' }))).toEqual({ pending: 'id0' })
    now += limits.idleMs
    expect(await codeOf(() => store.add(part({ total: 4, index: 3, id: 'id0' })))).toBe('RESOURCE_NOT_FOUND')

    await store.add(part({ total: 4, chunk: 'a' }))
    let code = 'none'
    let age = 0
    while (code === 'none') {
      now += limits.idleMs - 1
      age += limits.idleMs - 1
      code = await codeOf(() => store.add(part({ total: 4, index: 2, id: 'id1', chunk: 'b' })))
    }
    expect(code).toBe('RESOURCE_NOT_FOUND')
    expect(age).toBeGreaterThanOrEqual(limits.maxAgeMs)
    expect(age).toBeLessThan(limits.maxAgeMs + limits.idleMs)
    expect(await store.size()).toBe(0)
  })

  it('bounds parts, characters per request, pending requests per client and in total, across processes', async () => {
    const [one, two] = [storeOf(storages[0]!), storeOf(storages[1]!)]
    expect(await codeOf(() => one.add(part({ total: limits.maxParts + 1 })))).toBe('BODY_TOO_LARGE')
    expect(await codeOf(() => one.add(part({ chunk: 'x'.repeat(limits.maxRequestChars + 1) })))).toBe('BODY_TOO_LARGE')

    await one.add(part({ chunk: 'x'.repeat(6) }))
    expect(await codeOf(() => two.add(part({ index: 2, id: 'id0', chunk: 'x'.repeat(5) })))).toBe('BODY_TOO_LARGE')
    expect(await one.size()).toBe(0)

    await one.add(part({ client: 'c1' }))
    await two.add(part({ client: 'c1' }))
    expect(await codeOf(() => one.add(part({ client: 'c1' })))).toBe('RATE_LIMITED')
    await one.add(part({ client: 'c2' }))
    expect(await codeOf(() => two.add(part({ client: 'c3' })))).toBe('BUSY')
    expect(await two.size()).toBe(3)
  })

  it('bounds the characters held by all requests together', async () => {
    const store = storeOf(storages[0]!, { ...limits, maxPendingPerClient: 10, maxPending: 10 })
    await store.add(part({ chunk: 'x'.repeat(10) }))
    expect(await codeOf(() => store.add(part({ chunk: 'x'.repeat(3) })))).toBe('BUSY')
  })

  it('refuses parts that do not fit: lpP out of range, lpS missing, another account, another lpO', async () => {
    const store = storeOf(storages[0]!)
    expect(await codeOf(() => store.add(part({ index: 0 })))).toBe('VALIDATION_FAILED')
    expect(await codeOf(() => store.add(part({ index: 3 })))).toBe('VALIDATION_FAILED')
    expect(await codeOf(() => store.add(part({ index: 2 })))).toBe('VALIDATION_FAILED')
    expect(await codeOf(() => store.add(part({ total: 0 })))).toBe('VALIDATION_FAILED')
    await store.add(part({ total: 3 }))
    expect(await codeOf(() => store.add(part({ total: 3, index: 2, id: 'id0', accountId: 'other' })))).toBe(
      'RESOURCE_NOT_FOUND',
    )
    expect(await codeOf(() => store.add(part({ total: 2, index: 2, id: 'id0' })))).toBe('VALIDATION_FAILED')
    expect(await codeOf(() => store.add(part({ total: 3, index: 1, id: 'id0' })))).toBe('VALIDATION_FAILED')
    expect(await store.add(part({ total: 3, index: 2, id: 'id0' }))).toEqual({ pending: 'id0' })
  })

  it('has documented defaults', () => {
    expect(DEFAULT_PART_LIMITS).toEqual({
      maxParts: 500,
      maxRequestChars: 1_048_576,
      maxPending: 1_000,
      maxPendingPerClient: 20,
      maxTotalChars: 33_554_432,
      idleMs: 30_000,
      maxAgeMs: 120_000,
    })
  })
})
