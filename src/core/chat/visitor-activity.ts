/**
 * Visitor activity moves a chat's `last_update` (chat-api.md §12.3) on every visitor request, so
 * writing it each time cost one UPDATE (and a WAL write) per poll. This keeps the newest activity
 * in memory: a chat is written once when first seen (which also proves it is a live chat of the
 * account), then by the engine's timer, for all chats `due` at once, at most once per
 * `writeIntervalMs` per chat. The database may lag behind by that much plus one timer tick, which
 * the inactivity timer corrects by consulting `latest()` before it ends a chat. A restart loses
 * at most that much activity (docs/live-chat.md).
 */
export interface VisitorActivity {
  /**
   * Records activity at `at` for a chat this process has written before (true: nothing to write
   * now; `due` will ask for it). False for a chat it has not written yet or of another account:
   * the caller must write it (and then call `written`).
   */
  note(accountId: string, chatKey: string, at: number): boolean
  /** The database now holds activity `at` for the chat. */
  written(accountId: string, chatKey: string, at: number): void
  /** The newest activity recorded in memory, if any. */
  latest(chatKey: string): number | undefined
  /** The chat ended or is gone: nothing to remember. */
  forget(chatKey: string): void
  /** Drops entries whose newest activity is already written and older than the interval. */
  prune(now: number): void
  /** Entries with activity newer than what the database holds. */
  pending(): Array<{ accountId: string; chatKey: string; at: number }>
  /** Pending entries whose database value is at least the interval old at `now`: write them. */
  due(now: number): Array<{ accountId: string; chatKey: string; at: number }>
  /** Number of chats remembered (tests, metrics). */
  size(): number
}

/** How long the database may lag behind the visitor's newest activity. */
export const ACTIVITY_WRITE_INTERVAL_MS = 5_000

interface Entry {
  accountId: string
  writtenAt: number
  latest: number
}

export function createVisitorActivity(writeIntervalMs = ACTIVITY_WRITE_INTERVAL_MS): VisitorActivity {
  const entries = new Map<string, Entry>()
  return {
    note(accountId, chatKey, at) {
      const entry = entries.get(chatKey)
      if (!entry || entry.accountId !== accountId) return false
      if (at > entry.latest) entry.latest = at
      return true
    },
    written(accountId, chatKey, at) {
      const entry = entries.get(chatKey)
      if (entry && entry.accountId === accountId) {
        entry.writtenAt = Math.max(entry.writtenAt, at)
        entry.latest = Math.max(entry.latest, at)
      } else {
        entries.set(chatKey, { accountId, writtenAt: at, latest: at })
      }
    },
    latest: (chatKey) => entries.get(chatKey)?.latest,
    forget(chatKey) {
      entries.delete(chatKey)
    },
    prune(now) {
      for (const [chatKey, entry] of entries) {
        if (entry.latest <= entry.writtenAt && now - entry.writtenAt >= writeIntervalMs) entries.delete(chatKey)
      }
    },
    pending() {
      const out: Array<{ accountId: string; chatKey: string; at: number }> = []
      for (const [chatKey, entry] of entries) {
        if (entry.latest > entry.writtenAt) out.push({ accountId: entry.accountId, chatKey, at: entry.latest })
      }
      return out
    },
    due(now) {
      const out: Array<{ accountId: string; chatKey: string; at: number }> = []
      for (const [chatKey, entry] of entries) {
        if (entry.latest > entry.writtenAt && now - entry.writtenAt >= writeIntervalMs)
          out.push({ accountId: entry.accountId, chatKey, at: entry.latest })
      }
      return out
    },
    size: () => entries.size,
  }
}
