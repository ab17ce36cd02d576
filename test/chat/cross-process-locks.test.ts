import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import type { DatabaseConfig } from '../../src/config/config.ts'
import type { RoutableAgent } from '../../src/core/chat/agent-directory.ts'
import { DatabaseSync } from 'node:sqlite'
import { postgresLocks } from '../../src/storage/locks/database-locks.ts'
import { chatsRepository } from '../../src/storage/repositories/chats.repository.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import { describeEachDialect, privateTestDatabase } from '../support/dialects.ts'
import { createLiveAccount } from '../support/live-chat.ts'
import { createManualClock } from '../support/manual-clock.ts'
import { createRacePeer, type RacePeer } from './support/race-peer.ts'

/** A RacePeer in a worker thread (its own event loop, like another process). */
function workerPeer(database: DatabaseConfig, accountId: string, agents: RoutableAgent[]): RacePeer {
  const worker = new Worker(new URL('./support/race-peer.worker.ts', import.meta.url), {
    workerData: { database, accountId, agents },
  })
  let next = 0
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const call = pending.get(message.id)
    pending.delete(message.id)
    if (message.error !== undefined) call?.reject(new Error(message.error))
    else call?.resolve(message.result)
  })
  const call =
    (method: keyof RacePeer) =>
    (...args: unknown[]): Promise<never> =>
      new Promise((resolve, reject) => {
        const id = next++
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, method, args })
      })
  return {
    request: call('request'),
    round: call('round'),
    end: call('end'),
    async close() {
      await call('close')()
      await worker.terminate()
    },
  }
}

const MAX_CHATS = 2
const CHATS_PER_PEER = 8

describeEachDialect('Chat engine locks across processes', (dialect) => {
  let storage: Storage
  let services: Services
  let database: DatabaseConfig
  let drop = async (): Promise<void> => {}

  beforeAll(async () => {
    const own = await privateTestDatabase(dialect)
    database = own.database
    drop = own.drop
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent' },
      { database: database.kind === 'sqlite' ? database.path : database.url },
    )
    storage = createStorage(config.database, { poolSize: 2 })
    await migrateToLatest(storage)
    services = createServices({ storage, config, clock: createManualClock(Date.now()) })
  })
  afterAll(async () => {
    await services?.close()
    await storage?.close()
    await drop()
  })

  it('two engines racing many chats for few agents never exceed maxChats nor accept a chat twice', async () => {
    const live = await createLiveAccount(services, {
      agents: ['Ann', 'Bob', 'Cy'].map((nickname) => ({ nickname, maxChats: MAX_CHATS })),
    })
    // SQLite: in worker threads, since a connection waits for another's write lock synchronously.
    // The processes' directories disagree on who is idle longest, as two processes' may: their
    // routing plans differ, so without a shared lock both would ring the same agent past maxChats.
    const reversed = live.agents.map((agent, index) => ({ ...agent, idleSince: -index }))
    const peer = dialect === 'sqlite' ? workerPeer : createRacePeer
    const peers = [peer(database, live.accountId, live.agents), peer(database, live.accountId, reversed)]
    try {
      const keys = (await Promise.all(peers.map((peer) => peer.request(CHATS_PER_PEER)))).flat()
      const acceptedBy = new Map<string, number[]>()
      let ended = 0
      for (let round = 0; round < 30 && ended < keys.length; round++) {
        const accepted = await Promise.all(peers.map((peer) => peer.round()))
        // Capacity after both processes routed and accepted at once: held plus ringing per agent.
        const load = await chatsRepository.chatLoad(storage.db, live.accountId)
        for (const agent of live.agents) expect(load.get(agent.userId) ?? 0).toBeLessThanOrEqual(MAX_CHATS)
        await Promise.all(
          accepted.map((list, index) =>
            Promise.all(
              list.map(async ({ chatKey, userId }) => {
                acceptedBy.set(chatKey, [...(acceptedBy.get(chatKey) ?? []), userId])
                await peers[index]!.end(userId, chatKey)
                ended++
              }),
            ),
          ),
        )
      }
      expect(ended).toBe(keys.length)
      // Every chat accepted exactly once, and its events say so once.
      expect([...acceptedBy.values()].every((agents) => agents.length === 1)).toBe(true)
      expect(new Set(acceptedBy.keys())).toEqual(new Set(keys))
      for (const key of keys) {
        const states = (await chatsRepository.listEvents(storage.db, key, 0)).filter(
          (event) => event.type === 'state' && event.state === 'chatting',
        )
        expect(states).toHaveLength(1)
      }
    } finally {
      await Promise.all(peers.map((peer) => peer.close()))
    }
  }, 60_000)

  it('holds the lock of a transaction until it ends, for every connection to the database', async () => {
    const uow = createUnitOfWork(storage.db)
    let release = (): void => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    let locked = (): void => {}
    const isLocked = new Promise<void>((resolve) => (locked = resolve))
    const first = uow.withTransaction(async (tx) => {
      if (dialect === 'postgres') await postgresLocks.lockAccount(tx, 'acct-a')
      // SQLite: a read only; the transaction holds the write lock from its start all the same.
      else await tx.selectFrom('accounts').select('id').limit(1).execute()
      locked()
      await held
    })
    await isLocked
    if (dialect === 'sqlite') {
      const other = new DatabaseSync(database.kind === 'sqlite' ? database.path : '')
      try {
        other.exec('PRAGMA busy_timeout = 0')
        expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i)
      } finally {
        other.close()
      }
    } else {
      const second = createStorage(database, { poolSize: 2 })
      try {
        const order: string[] = []
        const otherUow = createUnitOfWork(second.db)
        const sameAccount = otherUow.withTransaction(async (tx) => {
          await postgresLocks.lockAccount(tx, 'acct-a')
          order.push('same account')
        })
        await otherUow.withTransaction((tx) => postgresLocks.lockAccount(tx, 'acct-b'))
        await otherUow.withTransaction((tx) => postgresLocks.lockChat(tx, 'acct-a'))
        await new Promise((resolve) => setTimeout(resolve, 100))
        order.push('released')
        release()
        await sameAccount
        expect(order).toEqual(['released', 'same account'])
      } finally {
        await second.close()
      }
    }
    release()
    await first
  })
})
