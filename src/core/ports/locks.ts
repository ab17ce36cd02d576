import type { Executor } from '../../storage/repositories/executor.ts'

/**
 * Database locks for the live-chat engine's critical sections (issue 14): what one process's
 * mutex serialises (routing capacity checks, accept, end, transfer, lines of one chat) must also
 * be serialised against every other process on the same database. Each lock is taken inside a
 * transaction, first, and held until it commits or rolls back. Adapters: storage/locks/.
 */
export interface ChatLocks {
  /** Holds the account's lock until `tx` ends (routing, accepts, ends, transfers of the account). */
  lockAccount(tx: Executor, accountId: string): Promise<void>
  /** Holds the chat's lock until `tx` ends (lines, typing, names of one chat). */
  lockChat(tx: Executor, chatKey: string): Promise<void>
}

/** No lock beyond the caller's in-process mutex: right for one process only. */
export const processLocalLocks: ChatLocks = {
  lockAccount: async () => {},
  lockChat: async () => {},
}
