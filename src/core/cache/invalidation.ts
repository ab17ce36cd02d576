import type { Executor } from '../../storage/repositories/executor.ts'
import type { LiveBus, LiveChange } from '../ports/live-bus.ts'

/**
 * What the per-process caches of one set of services check before using an entry
 * (docs/live-chat.md, "Caches"), fed by the live bus: every change of any process moves it, so a
 * write on one process is seen by every other one within milliseconds.
 *
 * - Accounts: a generation per account (plus one for every account); a cached value is used only
 *   while its account's generation is the one it was read at.
 * - Chats: each change stamps the chat with a new value of a counter; a row read may be cached
 *   only when its chat was not stamped after the read began. Only the newest stamps are
 *   remembered: a chat whose stamp was forgotten counts as stamped at the oldest forgotten one,
 *   which errs towards reading again.
 *
 * A change made by this process counts at once (before its transaction commits) and again when
 * the bus delivers it after the commit, so a reader that read the old row between the write and
 * the commit (PostgreSQL: another pooled connection) cannot keep it. A bus reset (changes may
 * have been missed) makes every cached value stale.
 */
export interface Invalidation {
  /** The current generation of the account's cached data; it only grows. */
  accountGeneration(accountId: string): number
  /** A mark to take before reading chat rows, for `chatChangedSince`. */
  chatReadMark(): number
  /** Whether the chat changed after `mark` was taken (a row read since may be stale). */
  chatChangedSince(chatKey: string, mark: number): boolean
  /** Cached data of the account (every account when `null`) changed through `db`: stale here now, everywhere after commit. */
  accountChanged(db: Executor, accountId: string | null): void
  /** The chat's row changed (or is about to, inside a transaction) through `db`. */
  chatChanged(db: Executor, accountId: string, chatKey: string): void
  /** Every cached value is stale (a bus reset; tests). */
  flush(): void
  /** Stops listening to the bus. */
  close(): void
}

const MAX_CHAT_STAMPS = 100_000

/** The invalidation state of one set of services, kept current by `bus`. */
export function createInvalidation(bus: LiveBus, options: { maxChatStamps?: number } = {}): Invalidation {
  const maxChatStamps = options.maxChatStamps ?? MAX_CHAT_STAMPS
  let globalGeneration = 0
  const generations = new Map<string, number>()
  let chatStampCounter = 0
  let forgottenUpTo = 0
  const chatStamps = new Map<string, number>()

  const bumpAccount = (accountId: string | null): void => {
    if (accountId === null) globalGeneration += 1
    else generations.set(accountId, (generations.get(accountId) ?? 0) + 1)
  }
  const stampChat = (chatKey: string): void => {
    chatStampCounter += 1
    chatStamps.delete(chatKey)
    chatStamps.set(chatKey, chatStampCounter)
    if (chatStamps.size > maxChatStamps) {
      const [oldestKey, oldestStamp] = chatStamps.entries().next().value as [string, number]
      chatStamps.delete(oldestKey)
      forgottenUpTo = oldestStamp
    }
  }
  const flush = (): void => {
    globalGeneration += 1
    chatStampCounter += 1
    chatStamps.clear()
    forgottenUpTo = chatStampCounter
  }
  const apply = (change: LiveChange): void => {
    if (change.kind === 'account') bumpAccount(change.accountId)
    else stampChat(change.chatKey)
  }
  const unsubscribe = bus.subscribe(apply)
  const unsubscribeReset = bus.onReset(flush)

  return {
    accountGeneration: (accountId) => globalGeneration + (generations.get(accountId) ?? 0),
    chatReadMark: () => chatStampCounter,
    chatChangedSince: (chatKey, mark) => (chatStamps.get(chatKey) ?? forgottenUpTo) > mark,
    accountChanged(db, accountId) {
      bumpAccount(accountId)
      bus.publish(db, { kind: 'account', accountId })
    },
    chatChanged(db, accountId, chatKey) {
      stampChat(chatKey)
      bus.publish(db, { kind: 'chat', accountId, chatKey })
    },
    flush,
    close() {
      unsubscribe()
      unsubscribeReset()
    },
  }
}
