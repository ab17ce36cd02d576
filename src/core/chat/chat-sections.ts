import { retryOnConflict } from './chat-reads.ts'
import { createKeyedMutex } from './keyed-mutex.ts'

/** An engagement an operation ended, archived once the operation's critical section is left. */
export interface EndedEngagement {
  key: string
  sequence: number
}

export interface ChatSectionsDeps {
  /** Archives an ended engagement now (failures are retried by the timers). */
  archiveNow(chatKey: string, sequence: number): Promise<void>
}

/**
 * The engine's critical sections in this process. Across processes, the transactions inside them
 * take the matching database lock (core/ports/locks.ts, `CommitOptions.lock`) and every write is a
 * compare-and-set: the mutex only spares this process the conflicts it can see coming.
 */
export interface ChatSections {
  /** Runs `fn` under the account's mutex (routing, requeues). */
  withAccount<T>(accountId: string, fn: () => Promise<T>): Promise<T>
  /**
   * Runs `fn` under the account's mutex, re-running it when its compare-and-set lost a race,
   * then archives the engagements it ended.
   */
  mutate<T>(accountId: string, fn: (ended: EndedEngagement[]) => Promise<T>): Promise<T>
  /**
   * Runs an operation that changes one chat and nothing routing depends on (lines, typing,
   * names, custom variables) under that chat's mutex, so chats of one account progress in
   * parallel. It can race an account-level operation on the same chat; the loser's
   * compare-and-set fails and it runs again on a fresh read.
   */
  mutateChat<T>(chatKey: string, fn: () => Promise<T>): Promise<T>
}

export function createChatSections(deps: ChatSectionsDeps): ChatSections {
  const lock = createKeyedMutex()
  const withAccount = <T>(accountId: string, fn: () => Promise<T>): Promise<T> => lock.run(`account:${accountId}`, fn)
  return {
    withAccount,
    async mutate(accountId, fn) {
      const ended: EndedEngagement[] = []
      const result = await withAccount(accountId, () => retryOnConflict(() => fn(ended)))
      for (const engagement of ended) await deps.archiveNow(engagement.key, engagement.sequence)
      return result
    },
    mutateChat: (chatKey, fn) => lock.run(`chat:${chatKey}`, () => retryOnConflict(fn)),
  }
}
