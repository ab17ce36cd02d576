import { describe, expect, it } from 'vitest'
import type { Executor } from '../../storage/repositories/executor.ts'
import { createInProcessBus } from '../../storage/bus/in-process-bus.ts'
import { createInvalidation } from './invalidation.ts'
import type { Chat } from '../chat/chat.types.ts'
import { createChatCache } from './chat-cache.ts'

const clock = { t: 1_000_000, now: () => clock.t }
const db = { isTransaction: false } as unknown as Executor
const bus = createInProcessBus()
const invalidation = createInvalidation(bus)
const invalidateChat = (executor: Executor, chatKey: string): void => invalidation.chatChanged(executor, 'a', chatKey)
let unique = 0
const key = (): string => `chat-cache-test-${(unique += 1)}`
const chatOf = (chatKey: string, lastUpdate = 1): Chat => ({ key: chatKey, lastUpdate }) as unknown as Chat

function counting(value: Chat | undefined) {
  const calls = { count: 0 }
  const load = async (): Promise<Chat | undefined> => {
    calls.count += 1
    return value
  }
  return { calls, load }
}

describe('chat cache', () => {
  it('answers from memory until the chat is invalidated', async () => {
    const cache = createChatCache({ clock, invalidation })
    const chatKey = key()
    const { calls, load } = counting(chatOf(chatKey))
    await cache.get(chatKey, load)
    await cache.get(chatKey, load)
    expect(calls.count).toBe(1)
    invalidateChat(db, key())
    await cache.get(chatKey, load)
    expect(calls.count).toBe(1)
    invalidateChat(db, chatKey)
    await cache.get(chatKey, load)
    expect(calls.count).toBe(2)
  })

  it('does not keep a row read while the chat was being changed', async () => {
    const cache = createChatCache({ clock, invalidation })
    const chatKey = key()
    const stale = chatOf(chatKey)
    let calls = 0
    const racingLoad = async (): Promise<Chat> => {
      calls += 1
      invalidateChat(db, chatKey)
      return stale
    }
    expect(await cache.get(chatKey, racingLoad)).toBe(stale)
    await cache.get(chatKey, racingLoad)
    expect(calls).toBe(2)
    expect(cache.size()).toBe(0)
  })

  it('invalidates again when a transaction settles (a reader between write and commit)', async () => {
    const cache = createChatCache({ clock, invalidation })
    const chatKey = key()
    const tx = { isTransaction: true } as unknown as Executor
    invalidateChat(tx, chatKey)
    const { calls, load } = counting(chatOf(chatKey))
    await cache.get(chatKey, load)
    bus.settle(tx)
    await cache.get(chatKey, load)
    expect(calls.count).toBe(2)
  })

  it('never caches a miss, expires entries after the TTL, and updates in place', async () => {
    const cache = createChatCache({ clock, invalidation, ttlMs: 100 })
    const chatKey = key()
    const missing = counting(undefined)
    await cache.get(chatKey, missing.load)
    await cache.get(chatKey, missing.load)
    expect(missing.calls.count).toBe(2)
    const found = counting(chatOf(chatKey, 5))
    await cache.get(chatKey, found.load)
    cache.update(chatKey, (chat) => ({ ...chat, lastUpdate: 9 }))
    expect((await cache.get(chatKey, found.load))?.lastUpdate).toBe(9)
    clock.t += 100
    expect((await cache.get(chatKey, found.load))?.lastUpdate).toBe(5)
    expect(found.calls.count).toBe(2)
  })

  it('reads again after a bus reset or forget, and caches nothing without an invalidation', async () => {
    const cache = createChatCache({ clock, invalidation })
    const chatKey = key()
    const { calls, load } = counting(chatOf(chatKey))
    await cache.get(chatKey, load)
    invalidation.flush()
    await cache.get(chatKey, load)
    cache.forget(chatKey)
    await cache.get(chatKey, load)
    await cache.get(chatKey, load)
    expect(calls.count).toBe(3)
    const uncached = createChatCache({ clock })
    await uncached.get(chatKey, load)
    await uncached.get(chatKey, load)
    expect(calls.count).toBe(5)
  })

  it('stays within its size bound', async () => {
    const cache = createChatCache({ clock, invalidation, maxEntries: 2 })
    for (const chatKey of [key(), key(), key()]) await cache.get(chatKey, async () => chatOf(chatKey))
    expect(cache.size()).toBe(2)
  })
})
