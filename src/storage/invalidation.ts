import type { Executor } from './repositories/executor.ts'

/**
 * Generations of the per-account data that services cache in memory (accounts, credentials,
 * login and agent sessions, users, skills, availability). Every repository write to such data
 * calls `invalidateAccount`; a cached value is used only while its account's generation is the
 * one it was read at. A write inside a transaction invalidates again once the transaction
 * settles (`settleTransaction`, called by the unit of work), so a reader that read the old row
 * between the write and the commit (PostgreSQL: another pooled connection) cannot keep it.
 * The counters are process-wide: several storages in one process (tests) only invalidate more.
 */
let globalGeneration = 0
const generations = new Map<string, number>()
const pendingByTransaction = new WeakMap<object, Set<string | null>>()

function bump(accountId: string | null): void {
  if (accountId === null) globalGeneration += 1
  else generations.set(accountId, (generations.get(accountId) ?? 0) + 1)
}

/** The current generation of the account's cached data; it only grows. */
export function accountGeneration(accountId: string): number {
  return globalGeneration + (generations.get(accountId) ?? 0)
}

/** Cached data of the account (every account when `null`) is stale from now on. */
export function invalidateAccount(db: Executor, accountId: string | null): void {
  bump(accountId)
  if (!db.isTransaction) return
  const pending = pendingByTransaction.get(db) ?? new Set<string | null>()
  pending.add(accountId)
  pendingByTransaction.set(db, pending)
}

/** The transaction committed or rolled back: invalidates again what it invalidated. */
export function settleTransaction(tx: Executor): void {
  const pending = pendingByTransaction.get(tx)
  if (pending) {
    pendingByTransaction.delete(tx)
    for (const accountId of pending) bump(accountId)
  }
  const chats = pendingChatsByTransaction.get(tx)
  if (chats) {
    pendingChatsByTransaction.delete(tx)
    for (const chatKey of chats) stampChat(chatKey)
  }
}

/*
 * Live chat rows are cached per chat, not per account (every line of a busy account would
 * otherwise drop every cached chat). Each invalidation stamps the chat with a new value of a
 * process-wide counter; a value read from the database may be cached only when its chat was not
 * stamped after the read began. Only the newest stamps are remembered: a chat whose stamp was
 * forgotten counts as stamped at `forgottenUpTo`, which errs towards reading again.
 */
const MAX_CHAT_STAMPS = 100_000
let chatStampCounter = 0
let forgottenUpTo = 0
const chatStamps = new Map<string, number>()
const pendingChatsByTransaction = new WeakMap<object, Set<string>>()

function stampChat(chatKey: string): void {
  chatStampCounter += 1
  chatStamps.delete(chatKey)
  chatStamps.set(chatKey, chatStampCounter)
  if (chatStamps.size > MAX_CHAT_STAMPS) {
    const [oldestKey, oldestStamp] = chatStamps.entries().next().value as [string, number]
    chatStamps.delete(oldestKey)
    forgottenUpTo = oldestStamp
  }
}

/** A mark to take before reading chat rows, for `chatChangedSince`. */
export function chatReadMark(): number {
  return chatStampCounter
}

/** Whether the chat was invalidated after `mark` was taken (a row read since may be stale). */
export function chatChangedSince(chatKey: string, mark: number): boolean {
  return (chatStamps.get(chatKey) ?? forgottenUpTo) > mark
}

/** The chat's row changed (or is about to, inside a transaction): cached copies are stale. */
export function invalidateChat(db: Executor, chatKey: string): void {
  stampChat(chatKey)
  if (!db.isTransaction) return
  const pending = pendingChatsByTransaction.get(db) ?? new Set<string>()
  pending.add(chatKey)
  pendingChatsByTransaction.set(db, pending)
}
