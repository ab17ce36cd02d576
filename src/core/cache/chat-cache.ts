import type { Chat } from '../chat/chat.types.ts'
import type { Clock } from '../clock.ts'
import type { Invalidation } from './invalidation.ts'

/**
 * A per-process cache of chat rows for the read-only calls that dominate live chat (polls of the
 * chat resource and its events, docs/live-chat.md "Caches"). Every repository write to a chat row,
 * on any process, invalidates it through the live bus (invalidation.ts); an entry is used while
 * its chat was not invalidated since it was read and for at most `ttlMs` (a safety net, which also
 * bounds how old a touched `lastUpdate` of another process may be). Changes of a chat always read
 * the database, never this cache, so a stale entry can at worst delay what a poll shows, never be
 * written back.
 *
 * Without `invalidation` nothing is cached (every `get` reads): the engine passes its services'
 * invalidation (compose.ts) to cache.
 */
export interface ChatCache {
  /** The cached chat for `key`, or `load()`'s (cached when found and not invalidated meanwhile). */
  get(key: string, load: () => Promise<Chat | undefined>): Promise<Chat | undefined>
  /** Replaces a cached chat in place (after a write that invalidates nothing, e.g. a touch). */
  update(key: string, fn: (chat: Chat) => Chat): void
  /** Drops the chat's entry (a change of it arrived from another process, core/ports/live-bus.ts). */
  forget(key: string): void
  /** Drops every entry (changes may have been missed). */
  clear(): void
  /** Number of entries (tests, metrics). */
  size(): number
}

/** How long a cached chat may be used when nothing invalidated it (a safety net). */
export const CHAT_CACHE_TTL_MS = 5_000
const DEFAULT_MAX_ENTRIES = 50_000

interface Entry {
  chat: Chat
  mark: number
  expiresAt: number
}

export function createChatCache(options: {
  clock: Clock
  invalidation?: Invalidation
  ttlMs?: number
  maxEntries?: number
}): ChatCache {
  const { invalidation } = options
  const ttlMs = options.ttlMs ?? CHAT_CACHE_TTL_MS
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  const entries = new Map<string, Entry>()
  return {
    async get(key, load) {
      if (!invalidation) return load()
      const entry = entries.get(key)
      if (entry) {
        if (!invalidation.chatChangedSince(key, entry.mark) && options.clock.now() < entry.expiresAt) return entry.chat
        entries.delete(key)
      }
      const mark = invalidation.chatReadMark()
      const chat = await load()
      if (chat !== undefined && !invalidation.chatChangedSince(key, mark)) {
        if (entries.size >= maxEntries) {
          const oldest = entries.keys().next().value
          if (oldest !== undefined) entries.delete(oldest)
        }
        entries.set(key, { chat, mark, expiresAt: options.clock.now() + ttlMs })
      }
      return chat
    },
    update(key, fn) {
      const entry = entries.get(key)
      if (entry) entry.chat = fn(entry.chat)
    },
    forget: (key) => entries.delete(key),
    clear: () => entries.clear(),
    size: () => entries.size,
  }
}
