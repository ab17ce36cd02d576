import type { Clock } from '../clock.ts'
import type { Invalidation } from './invalidation.ts'

/**
 * A per-process cache of values read from the database about one account (docs/live-chat.md,
 * "Caches"). An entry is used while its account's invalidation generation is unchanged (every
 * repository write to the underlying rows, on any process, moves it through the live bus:
 * invalidation.ts) and for at most `ttlMs`, a safety net.
 * Only values that were found are cached; a miss is always read again.
 */
export interface AccountCache<V> {
  /** The cached value for `key`, or `load()`'s (cached when defined and nothing was invalidated meanwhile). */
  get(accountId: string, key: string, load: () => Promise<V | undefined>): Promise<V | undefined>
  /** Replaces a cached value in place (after a write this process made that changes no validity, e.g. a touch). */
  update(accountId: string, key: string, fn: (value: V) => V): void
  /** Drops one entry. */
  delete(accountId: string, key: string): void
  /** Number of entries (tests). */
  size(): number
}

/**
 * How long a cached value may be used when nothing invalidated it: a safety net (the bus carries
 * every change), which also bounds how old activity times that are written without a change
 * (session touches) may be in cached values.
 */
export const ACCOUNT_CACHE_TTL_MS = 10_000
const DEFAULT_MAX_ENTRIES = 50_000

interface Entry<V> {
  value: V
  generation: number
  expiresAt: number
}

export function createAccountCache<V>(options: {
  clock: Clock
  invalidation: Invalidation
  ttlMs?: number
  maxEntries?: number
}): AccountCache<V> {
  const { invalidation } = options
  const ttlMs = options.ttlMs ?? ACCOUNT_CACHE_TTL_MS
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  const entries = new Map<string, Entry<V>>()
  const keyOf = (accountId: string, key: string): string => `${accountId}\u0000${key}`
  return {
    async get(accountId, key, load) {
      const cacheKey = keyOf(accountId, key)
      const generation = invalidation.accountGeneration(accountId)
      const entry = entries.get(cacheKey)
      if (entry && entry.generation === generation && options.clock.now() < entry.expiresAt) return entry.value
      if (entry) entries.delete(cacheKey)
      const value = await load()
      if (value !== undefined && invalidation.accountGeneration(accountId) === generation) {
        if (entries.size >= maxEntries) {
          const oldest = entries.keys().next().value
          if (oldest !== undefined) entries.delete(oldest)
        }
        entries.set(cacheKey, { value, generation, expiresAt: options.clock.now() + ttlMs })
      }
      return value
    },
    update(accountId, key, fn) {
      const entry = entries.get(keyOf(accountId, key))
      if (entry) entry.value = fn(entry.value)
    },
    delete(accountId, key) {
      entries.delete(keyOf(accountId, key))
    },
    size: () => entries.size,
  }
}
