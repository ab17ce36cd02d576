import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { LiveChange } from '../../core/ports/live-bus.ts'
import { createStorage, type Storage } from '../db.ts'
import { createUnitOfWork } from '../unit-of-work.ts'
import { createPostgresBus, payloadsOf, type PostgresBus } from './postgres-bus.ts'

const chat = (chatKey: string, nextEventId?: number): LiveChange =>
  nextEventId === undefined
    ? { kind: 'chat', accountId: 'a', chatKey }
    : { kind: 'chat', accountId: 'a', chatKey, nextEventId }

describe('PostgreSQL live bus payloads', () => {
  it('stay far below the 8000-byte limit, however many changes', () => {
    const changes = Array.from({ length: 1000 }, (_, i) => chat(`chat-key-${i}-${'x'.repeat(20)}`, i))
    const payloads = payloadsOf('origin', changes)
    expect(payloads.length).toBeGreaterThan(1)
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(7000)
    const decoded = payloads.flatMap((payload) => (JSON.parse(payload) as { c: unknown[] }).c)
    expect(decoded).toHaveLength(1000)
    expect(decoded[999]).toEqual(['c', 'a', `chat-key-999-${'x'.repeat(20)}`, 999])
  })
})

const url = inject('postgresUrl')

describe.skipIf(!url)('PostgreSQL live bus', () => {
  // A channel of this file's own: other files may use the run's database at the same time.
  const channel = `parley_bus_test_${randomBytes(4).toString('hex')}`
  let storage: Storage
  let a: PostgresBus
  let b: PostgresBus
  const seenByA: LiveChange[] = []
  const seenByB: LiveChange[] = []
  const resetsOfA: number[] = []
  const errors: string[] = []

  beforeAll(async () => {
    storage = createStorage({ kind: 'postgres', url: url! }, { poolSize: 3 })
    const options = { url: url!, channel, reconnectMs: { initial: 20, max: 200 } }
    a = await createPostgresBus({ ...options, onError: (_error, task) => errors.push(task) })
    b = await createPostgresBus(options)
    a.subscribe((change) => seenByA.push(change))
    b.subscribe((change) => seenByB.push(change))
    a.onReset(() => resetsOfA.push(Date.now()))
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await storage?.close()
  })

  /** Publishes a marker through `from` outside a transaction and waits until `seen` has it. */
  const fence = async (from: PostgresBus, seen: LiveChange[]): Promise<void> => {
    const key = `fence-${randomBytes(4).toString('hex')}`
    from.publish(storage.db, chat(key))
    await expect.poll(() => seen.some((change) => change.kind === 'chat' && change.chatKey === key)).toBe(true)
  }
  const clear = (): void => {
    seenByA.length = 0
    seenByB.length = 0
  }

  it('delivers a change outside a transaction here at once and to a peer, never echoing it back', async () => {
    clear()
    a.publish(storage.db, chat('k1'))
    expect(seenByA).toEqual([chat('k1')])
    await expect.poll(() => seenByB).toEqual([chat('k1')])
    await fence(b, seenByA)
    expect(seenByA.filter((change) => change.kind === 'chat' && change.chatKey === 'k1')).toHaveLength(1)
  })

  it('sends a transaction’s changes with its commit, coalesced, and delivers them here when it settles', async () => {
    clear()
    const uow = createUnitOfWork(storage.db, a)
    let beforeCommit: LiveChange[] = []
    await uow.withTransaction(async (tx) => {
      a.publish(tx, chat('k2', 3))
      a.publish(tx, chat('k2', 5))
      a.publish(tx, { kind: 'account', accountId: 'acc' })
      a.publish(tx, { kind: 'account', accountId: 'acc' })
      await new Promise((resolve) => setTimeout(resolve, 50))
      beforeCommit = [...seenByA, ...seenByB]
    })
    expect(beforeCommit).toEqual([])
    expect(seenByA).toEqual([chat('k2', 5), { kind: 'account', accountId: 'acc' }])
    await expect.poll(() => seenByB).toEqual([chat('k2', 5), { kind: 'account', accountId: 'acc' }])
  })

  it('sends nothing to peers for a rolled-back transaction', async () => {
    clear()
    const uow = createUnitOfWork(storage.db, a)
    await expect(
      uow.withTransaction(async (tx) => {
        a.publish(tx, chat('rolled-back'))
        await sql`select 1`.execute(tx)
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    await fence(a, seenByB)
    expect(seenByB.some((change) => change.kind === 'chat' && change.chatKey === 'rolled-back')).toBe(false)
  })

  it('carries a transaction of 2,000 changes in several notifications', async () => {
    clear()
    const uow = createUnitOfWork(storage.db, a)
    await uow.withTransaction(async (tx) => {
      for (let i = 0; i < 2000; i++) a.publish(tx, chat(`bulk-${i}`))
    })
    await expect.poll(() => seenByB.length).toBe(2000)
  })

  it('resets and resumes when the listener connection is killed; changes sent while away are not needed', async () => {
    clear()
    const pid = a.listenerPid()
    expect(pid).toBeTypeOf('number')
    const resets = resetsOfA.length
    const killedAt = Date.now()
    await sql`select pg_terminate_backend(${pid})`.execute(storage.db)
    await expect.poll(() => resetsOfA.length, { timeout: 5000 }).toBe(resets + 1)
    expect(resetsOfA.at(-1)! - killedAt).toBeLessThan(2000)
    expect(a.listenerPid()).not.toBe(pid)
    b.publish(storage.db, chat('after-reset'))
    await expect.poll(() => seenByA).toContainEqual(chat('after-reset'))
    expect(errors).toContain('live bus: listener lost')
  })

  it('publishes nothing after close', async () => {
    const c = await createPostgresBus({ url: url!, channel })
    const seen: LiveChange[] = []
    c.subscribe((change) => seen.push(change))
    await c.close()
    c.publish(storage.db, chat('closed'))
    expect(seen).toEqual([])
    expect(c.listenerPid()).toBeUndefined()
  })
})
