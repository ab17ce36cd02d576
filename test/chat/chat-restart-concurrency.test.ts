import { beforeEach, expect, it } from 'vitest'
import { createChatService, manualScheduler, type ChatService } from '../../src/core/chat/chat.service.ts'
import type { Chat } from '../../src/core/chat/chat.types.ts'
import type { ArchiveService } from '../../src/core/history/archive.service.ts'
import { cryptoIds } from '../../src/core/ids.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import {
  archivedRecord,
  createFakeDirectory,
  createLiveAccount,
  createTestChatService,
  stripScripts,
  type FakeDirectory,
} from '../support/live-chat.ts'

const context = { visitorIp: '203.0.113.9', userAgent: 'test' }

describeEachDialect('live chat restart and concurrency', (dialect) => {
  const ctx = useTestApp(dialect, { privateDatabase: true })
  let directory: FakeDirectory

  beforeEach(() => {
    directory = createFakeDirectory()
  })

  /** A second engine on its own database connection, as after a restart (nothing shared in memory). */
  async function withRestartedEngine<T>(
    fn: (chats: ChatService, storage: Storage) => Promise<T>,
    archive: ArchiveService = ctx.services.archive,
  ): Promise<T> {
    const storage = createStorage(ctx.config.database, { poolSize: 2 })
    const chats = createChatService({
      db: storage.db,
      uow: createUnitOfWork(storage.db),
      clock: ctx.clock,
      ids: cryptoIds,
      archive,
      agents: directory,
      sanitizeHtml: stripScripts,
      scheduler: manualScheduler,
    })
    try {
      return await fn(chats, storage)
    } finally {
      await chats.close()
      await storage.close()
    }
  }

  it('continues a chat after a restart with the same key, event ids, agent and timers', async () => {
    const account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const natalie = account.agents[0]!.userId
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    const before = createTestChatService(ctx, directory)
    const chat = await before.requestChat(
      account.accountId,
      { request: { skill: 'Sales', interactionTimeout: 30 } },
      context,
    )
    await before.acceptChat(account.accountId, natalie)
    const line = await before.addVisitorLine(account.accountId, chat.key, 'before the crash')
    expect(line.id).toBe(4)
    // The first engine is dropped without close(), as a kill -9 would.

    await withRestartedEngine(async (after) => {
      await after.start()
      const resumed = await after.getChat(account.accountId, chat.key)
      expect(resumed).toMatchObject({
        state: 'chatting',
        agentUserId: natalie,
        nextEventId: 5,
        rtSessionId: chat.rtSessionId,
      })
      expect((await after.addAgentLine(account.accountId, natalie, chat.key, { text: 'after' })).id).toBe(5)
      expect((await after.addVisitorLine(account.accountId, chat.key, 'still here')).id).toBe(6)
      expect((await after.agentEvents(account.accountId, natalie, chat.key)).map((event) => event.id)).toEqual([
        0, 1, 2, 3, 4, 5, 6,
      ])
      // The inactivity timeout is re-armed from the stored lastUpdate.
      ctx.clock.advance(30_001)
      await after.runTimers()
      expect((await after.getChat(account.accountId, chat.key)).state).toBe('ended')
    })
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info.endReason).toBe('208')
    expect(record?.transcript.lines.map((l) => l.lineSeq)).toEqual(['1', '3', '4', '5', '6', '7'])
  })

  it('archives on start-up an engagement whose archiving was cut short', async () => {
    const account = await createLiveAccount(ctx.services)
    const failing: ArchiveService = {
      archiveRecords: async () => {
        throw new Error('archive down')
      },
      exportRecords: (accountId, range) => ctx.services.archive.exportRecords(accountId, range),
      allocateRtSessionIds: (accountId, count) => ctx.services.archive.allocateRtSessionIds(accountId, count),
    }
    const chat = await withRestartedEngine(async (chats) => {
      const requested = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
      await chats.endByVisitor(account.accountId, requested.key)
      return requested
    }, failing)
    const engagementId = `${account.accountId}${chat.rtSessionId}`
    expect(await archivedRecord(ctx.services, account.accountId, engagementId)).toEqual([])
    await withRestartedEngine((chats) => chats.start())
    expect((await archivedRecord(ctx.services, account.accountId, engagementId))[0]?.info.agentId).toBe('-1')
  })

  it('lets only one of two racing engines accept a ringing chat (conditional update)', async () => {
    const account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const natalie = account.agents[0]!.userId
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    const first = createTestChatService(ctx, directory)
    const chat = await first.requestChat(account.accountId, { skill: 'Sales' }, context)
    // On SQLite a second connection in the same process would block the event loop on the write
    // lock (busy_timeout), so the race there is between calls of one engine.
    await withRestartedEngine(async (other) => {
      const second = dialect === 'postgres' ? other : first
      const results = await Promise.allSettled([
        first.acceptChat(account.accountId, natalie),
        second.acceptChat(account.accountId, natalie),
        first.acceptChat(account.accountId, natalie),
      ])
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1)
    })
    const events = await first.agentEvents(account.accountId, natalie, chat.key)
    expect(events.filter((event) => event.type === 'state' && event.state === 'chatting')).toHaveLength(1)
    expect(events.map((event) => event.id)).toEqual([0, 1, 2, 3])
  })

  it('stores concurrent lines, typing changes and an end of one chat without losing any of them', async () => {
    const account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const natalie = account.agents[0]!.userId
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    const chats = createTestChatService(ctx, directory)
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    const writes: Array<Promise<unknown>> = []
    for (let i = 0; i < 20; i++) {
      writes.push(chats.addVisitorLine(account.accountId, chat.key, `visitor ${i}`))
      writes.push(chats.addAgentLine(account.accountId, natalie, chat.key, { text: `agent ${i}` }))
      writes.push(chats.setVisitorTyping(account.accountId, chat.key, i % 2 === 0))
      writes.push(chats.touchVisitor(account.accountId, chat.key))
    }
    writes.push(chats.setVisitorName(account.accountId, chat.key, 'Jo'))
    await Promise.all(writes)
    await chats.endByAgent(account.accountId, natalie, chat.key)
    const events = await chats.agentEvents(account.accountId, natalie, chat.key)
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => i))
    const texts = events.flatMap((event) => (event.type === 'line' && event.source !== 'system' ? [event.text] : []))
    expect(texts).toHaveLength(40)
    expect(new Set(texts).size).toBe(40)
    expect(await chats.getChat(account.accountId, chat.key)).toMatchObject({
      state: 'ended',
      visitorName: 'Jo',
      visitorTyping: false,
      agentTyping: false,
    })
  })

  it('never gives a chat to two agents nor an agent more than maxChats under concurrent requests and accepts', async () => {
    const account = await createLiveAccount(ctx.services, {
      agents: Array.from({ length: 10 }, (_, i) => ({ nickname: `Agent${i}`, skills: ['Sales'], maxChats: 3 })),
    })
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    const chats = createTestChatService(ctx, directory)
    const requested = await Promise.all(
      Array.from({ length: 200 }, () => chats.requestChat(account.accountId, { request: { skill: 'Sales' } }, context)),
    )
    const accepted = new Map<string, number>()

    const checkInvariants = async (): Promise<Chat[]> => {
      // Routing after an end runs in the background, so a chat may ring between reading the chats
      // and reading the load: capacity must hold on every read, and the two views must agree once
      // the engine settles.
      for (let attempt = 1; ; attempt++) {
        const all = await Promise.all(requested.map((chat) => chats.getChat(account.accountId, chat.key)))
        const perAgent = new Map<number, number>()
        for (const chat of all) {
          const holder =
            chat.state === 'chatting' ? chat.agentUserId : chat.state === 'waiting' ? chat.ringingUserId : null
          if (holder !== null) perAgent.set(holder, (perAgent.get(holder) ?? 0) + 1)
          if (chat.state === 'chatting') expect(chat.ringingUserId).toBeNull()
        }
        for (const count of perAgent.values()) expect(count).toBeLessThanOrEqual(3)
        const load = await chats.chatLoad(account.accountId)
        const agree = load.size === perAgent.size && [...load].every(([agent, count]) => perAgent.get(agent) === count)
        if (agree || attempt === 40) {
          expect(load).toEqual(perAgent)
          return all
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    for (let round = 0; round < 30 && accepted.size < requested.length; round++) {
      const results = await Promise.allSettled(
        account.agents.flatMap((agent) =>
          Array.from({ length: 4 }, async () => {
            const chat = await chats.acceptChat(account.accountId, agent.userId)
            expect(accepted.has(chat.key)).toBe(false)
            accepted.set(chat.key, agent.userId)
            return chat
          }),
        ),
      )
      for (const result of results) {
        if (result.status === 'rejected') expect((result.reason as { code?: string }).code).toBe('RESOURCE_NOT_FOUND')
      }
      const all = await checkInvariants()
      // Agents and visitors end their chats concurrently, which frees capacity and rings the next ones.
      await Promise.all(
        all
          .filter((chat) => chat.state === 'chatting')
          .map((chat, i) =>
            i % 2 === 0
              ? chats.endByVisitor(account.accountId, chat.key)
              : chats.endByAgent(account.accountId, chat.agentUserId as number, chat.key),
          ),
      )
      await checkInvariants()
    }
    expect(accepted.size).toBe(200)
    for (const chat of requested) {
      const events = await chats.visitorEvents(account.accountId, chat.key)
      expect(events.map((event) => event.id)).toEqual(events.map((_, i) => i))
      expect(events.filter((event) => event.type === 'state' && event.state === 'chatting')).toHaveLength(1)
    }
  }, 120_000) // 200 racing chats on PostgreSQL take ~25 s on a loaded 2-core machine
})
