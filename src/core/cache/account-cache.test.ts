import { describe, expect, it } from 'vitest'
import type { Executor } from '../../storage/repositories/executor.ts'
import { createInProcessBus } from '../../storage/bus/in-process-bus.ts'
import { createInvalidation } from './invalidation.ts'
import { createAccountCache } from './account-cache.ts'

const clock = { t: 1_000_000, now: () => clock.t }
const db = { isTransaction: false } as unknown as Executor
const bus = createInProcessBus()
const invalidation = createInvalidation(bus)
const invalidateAccount = (executor: Executor, accountId: string | null): void =>
  invalidation.accountChanged(executor, accountId)
let unique = 0
const account = (): string => `cache-test-${(unique += 1)}`

function counting<V>(value: V | undefined) {
  const calls = { count: 0 }
  const load = async (): Promise<V | undefined> => {
    calls.count += 1
    return value
  }
  return { calls, load }
}

describe('account cache', () => {
  it('serves a value until its TTL passes', async () => {
    const cache = createAccountCache<string>({ clock, invalidation, ttlMs: 1000 })
    const id = account()
    const { calls, load } = counting('v')
    expect(await cache.get(id, 'k', load)).toBe('v')
    clock.t += 999
    expect(await cache.get(id, 'k', load)).toBe('v')
    expect(calls.count).toBe(1)
    clock.t += 1
    expect(await cache.get(id, 'k', load)).toBe('v')
    expect(calls.count).toBe(2)
  })

  it('reads again once the account was invalidated, and only that account', async () => {
    const cache = createAccountCache<string>({ clock, invalidation })
    const [a, b] = [account(), account()]
    const { calls, load } = counting('v')
    await cache.get(a, 'k', load)
    await cache.get(b, 'k', load)
    invalidateAccount(db, a)
    await cache.get(a, 'k', load)
    await cache.get(b, 'k', load)
    expect(calls.count).toBe(3)
    invalidateAccount(db, null)
    await cache.get(a, 'k', load)
    await cache.get(b, 'k', load)
    expect(calls.count).toBe(5)
  })

  it('does not keep a value read while the account was invalidated', async () => {
    const cache = createAccountCache<string>({ clock, invalidation })
    const id = account()
    let count = 0
    const racing = async (): Promise<string> => {
      count += 1
      invalidateAccount(db, id)
      return 'old'
    }
    expect(await cache.get(id, 'k', racing)).toBe('old')
    expect(await cache.get(id, 'k', racing)).toBe('old')
    expect(count).toBe(2)
  })

  it('never caches a miss', async () => {
    const cache = createAccountCache<string>({ clock, invalidation })
    const id = account()
    const { calls, load } = counting<string>(undefined)
    expect(await cache.get(id, 'k', load)).toBeUndefined()
    expect(await cache.get(id, 'k', load)).toBeUndefined()
    expect(calls.count).toBe(2)
    expect(cache.size()).toBe(0)
  })

  it('updates and deletes entries in place, and evicts the oldest beyond its size', async () => {
    const cache = createAccountCache<{ n: number }>({ clock, invalidation, maxEntries: 2 })
    const id = account()
    await cache.get(id, 'a', async () => ({ n: 1 }))
    cache.update(id, 'a', (value) => ({ n: value.n + 1 }))
    expect(await cache.get(id, 'a', async () => ({ n: 99 }))).toEqual({ n: 2 })
    await cache.get(id, 'b', async () => ({ n: 1 }))
    await cache.get(id, 'c', async () => ({ n: 1 }))
    expect(cache.size()).toBe(2)
    expect(await cache.get(id, 'a', async () => ({ n: 7 }))).toEqual({ n: 7 })
    cache.delete(id, 'a')
    expect(await cache.get(id, 'a', async () => ({ n: 8 }))).toEqual({ n: 8 })
  })

  it('invalidates a transaction’s accounts again once it settles, and everything on a bus reset', () => {
    const id = account()
    const tx = { isTransaction: true } as unknown as Executor
    const before = invalidation.accountGeneration(id)
    invalidateAccount(tx, id)
    expect(invalidation.accountGeneration(id)).toBe(before + 1)
    bus.settle(tx)
    expect(invalidation.accountGeneration(id)).toBe(before + 2)
    bus.settle(tx)
    expect(invalidation.accountGeneration(id)).toBe(before + 2)
    invalidation.flush()
    expect(invalidation.accountGeneration(id)).toBe(before + 3)
  })

  it('follows changes other processes publish on the bus, and stops when closed', () => {
    const own = createInProcessBus()
    const other = createInvalidation(own)
    const id = account()
    own.publish(db, { kind: 'account', accountId: id })
    expect(other.accountGeneration(id)).toBe(1)
    own.publish(db, { kind: 'account', accountId: null })
    expect(other.accountGeneration(account())).toBe(1)
    other.close()
    own.publish(db, { kind: 'account', accountId: id })
    expect(other.accountGeneration(id)).toBe(2)
  })
})
