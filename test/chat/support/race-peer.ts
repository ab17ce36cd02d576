import type { DatabaseConfig } from '../../../src/config/config.ts'
import type { RoutableAgent } from '../../../src/core/chat/agent-directory.ts'
import { createChatService, manualScheduler } from '../../../src/core/chat/chat.service.ts'
import { ParleyError } from '../../../src/core/errors.ts'
import { createArchiveService } from '../../../src/core/history/archive.service.ts'
import { cryptoIds } from '../../../src/core/ids.ts'
import { createArchiveStore } from '../../../src/storage/archive/archive-store.ts'
import { createStorage } from '../../../src/storage/db.ts'
import { databaseLocks } from '../../../src/storage/locks/database-locks.ts'
import { createUnitOfWork } from '../../../src/storage/unit-of-work.ts'

/**
 * One "process" of the cross-process race test (test/chat/cross-process-locks.test.ts): its own
 * storage (connection or pool), unit of work and engine on the shared database, with every agent
 * of the account Online. Run in the test's thread (PostgreSQL) or in a worker thread (SQLite:
 * `node:sqlite` waits for another connection's write lock synchronously, so a second connection
 * in the same thread would wait for itself).
 */
export interface RacePeer {
  /** Requests `count` chats (no agent is routed until `round`). */
  request: (count: number) => Promise<string[]>
  /** Routes, then every agent accepts once; the accepted chat keys with their agent. */
  round: () => Promise<Array<{ chatKey: string; userId: number }>>
  /** Ends the chat as its agent. */
  end: (userId: number, chatKey: string) => Promise<void>
  close: () => Promise<void>
}

export function createRacePeer(database: DatabaseConfig, accountId: string, agents: RoutableAgent[]): RacePeer {
  const storage = createStorage(database, { poolSize: 4 })
  let online = false
  const chat = createChatService({
    db: storage.db,
    uow: createUnitOfWork(storage.db),
    clock: { now: () => Date.now() },
    ids: cryptoIds,
    archive: createArchiveService({ store: createArchiveStore(storage) }),
    agents: {
      connectedAgents: async () => (online ? agents.map((agent) => ({ ...agent, availability: 'Online' })) : []),
      markAway: async () => {},
    },
    sanitizeHtml: (html) => html,
    scheduler: manualScheduler,
    locks: databaseLocks(storage.ops.name),
  })
  const context = { visitorIp: '127.0.0.1', userAgent: 'race' }
  return {
    async request(count) {
      const keys: string[] = []
      for (let i = 0; i < count; i++) keys.push((await chat.requestChat(accountId, {}, context)).key)
      return keys
    },
    async round() {
      online = true
      await chat.routeAccount(accountId)
      const accepted = await Promise.all(
        agents.map(async ({ userId }) => {
          try {
            return { chatKey: (await chat.acceptChat(accountId, userId)).key, userId }
          } catch (error) {
            if (error instanceof ParleyError && error.code === 'RESOURCE_NOT_FOUND') return undefined
            throw error
          }
        }),
      )
      return accepted.filter((entry) => entry !== undefined)
    },
    end: async (userId, chatKey) => {
      await chat.endByAgent(accountId, userId, chatKey)
    },
    async close() {
      await chat.close()
      await storage.close()
    },
  }
}
