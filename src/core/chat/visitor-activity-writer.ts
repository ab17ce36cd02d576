import type { ChatCache } from '../cache/chat-cache.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { VisitorActivity } from './visitor-activity.ts'

/**
 * Coalesced visitor activity written per transaction when writes are grouped: small enough that
 * a batch (synchronous SQLite statements) holds the event loop for a few milliseconds only.
 */
const ACTIVITY_BATCH = 50

export interface ActivityWriterDeps {
  db: Executor
  uow: UnitOfWork
  activity: VisitorActivity
  chatCache: ChatCache
  /** Write many chats' activity in one transaction (ChatServiceDeps.groupActivityWrites). */
  groupWrites: boolean
  reportError(error: unknown, task: string): void
}

/** Moves visitor activity (`last_update`) from memory to the database (visitor-activity.ts). */
export interface ActivityWriter {
  /**
   * Records visitor activity on a live chat of the account: in memory, written to the database at
   * most every few seconds per chat. False when the database has no such live chat.
   */
  record(accountId: string, chatKey: string, now: number): Promise<boolean>
  /** The database holds activity `at` for the chat (a touch, which invalidates no cached chat). */
  written(accountId: string, chatKey: string, at: number): void
  /** Writes coalesced visitor activity; entries that fail stay pending for the next tick. */
  write(entries: Array<{ accountId: string; chatKey: string; at: number }>): Promise<void>
}

export function createActivityWriter(deps: ActivityWriterDeps): ActivityWriter {
  const { db, activity } = deps
  const writer: ActivityWriter = {
    async record(accountId, chatKey, now) {
      if (activity.note(accountId, chatKey, now)) return true
      if (!(await chatsRepository.touch(db, accountId, chatKey, now))) {
        activity.forget(chatKey)
        return false
      }
      writer.written(accountId, chatKey, now)
      return true
    },

    written(accountId, chatKey, at) {
      activity.written(accountId, chatKey, at)
      deps.chatCache.update(chatKey, (chat) => (chat.lastUpdate < at ? { ...chat, lastUpdate: at } : chat))
    },

    async write(entries) {
      const batchSize = deps.groupWrites ? ACTIVITY_BATCH : 1
      for (let start = 0; start < entries.length; start += batchSize) {
        // Let waiting requests run between batches.
        if (start > 0) await new Promise((resolve) => setImmediate(resolve))
        const batch = entries.slice(start, start + batchSize)
        try {
          const touched = async (executor: Executor): Promise<boolean[]> => {
            const results: boolean[] = []
            for (const { accountId, chatKey, at } of batch)
              results.push(await chatsRepository.touch(executor, accountId, chatKey, at))
            return results
          }
          const results = batch.length === 1 ? await touched(db) : await deps.uow.withTransaction(touched)
          batch.forEach(({ accountId, chatKey, at }, index) => {
            if (results[index]) writer.written(accountId, chatKey, at)
            else activity.forget(chatKey)
          })
        } catch (error) {
          deps.reportError(error, 'activity')
        }
      }
    },
  }
  return writer
}
