import { afterAll, beforeAll, expect, it } from 'vitest'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { chatsRepository } from '../../src/storage/repositories/chats.repository.ts'
import { RT_SESSION_BASE, rtSessionIdsRepository } from '../../src/storage/repositories/rt-session-ids.repository.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { createArchiveService } from '../../src/core/history/archive.service.ts'
import { createArchiveStore } from '../../src/storage/archive/archive-store.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount } from '../support/factories.ts'

// Issue 11 item 1: one allocator per account, atomic in the database, whatever process asks.
describeEachDialect('rtSessionId allocator', (dialect) => {
  const ctx = useTestApp(dialect)
  let second: Storage

  beforeAll(() => {
    // On PostgreSQL a second, independent pool on the same database: another process, as far as
    // the database can tell. SQLite has one writer per file and node:sqlite waits for a lock
    // synchronously (a second connection in this process would block the first), so there the
    // concurrent callers share the application's connection.
    second = dialect === 'postgres' ? createStorage(testDatabase('postgres'), { poolSize: 8 }) : ctx.storage
  })
  afterAll(async () => {
    if (second !== ctx.storage) await second?.close()
  })

  it('gives distinct ids to many concurrent allocations (from two separate pools on PostgreSQL)', async () => {
    const { accountId } = await createAccount(ctx.services)
    const perPool = 150
    // The chat service's path (chat requests and transfers): one id per transaction.
    const allocateIn = (storage: Storage) => {
      const uow = createUnitOfWork(storage.db)
      return uow.withTransaction((tx) => chatsRepository.nextRtSessionId(tx, accountId))
    }
    // `history generate`'s path: a block per call.
    const blockIn = (storage: Storage) =>
      createArchiveService({ store: createArchiveStore(storage) }).allocateRtSessionIds(accountId, 10)
    const results = await Promise.all([
      ...Array.from({ length: perPool }, () => allocateIn(ctx.storage)),
      ...Array.from({ length: perPool }, () => allocateIn(second)),
      ...Array.from({ length: 10 }, () => blockIn(ctx.storage)),
      ...Array.from({ length: 10 }, () => blockIn(second)),
    ])
    const singles = results.slice(0, 2 * perPool)
    const blocks = results.slice(2 * perPool).flatMap((first) => Array.from({ length: 10 }, (_, i) => first + i))
    const all = [...singles, ...blocks]
    expect(new Set(all).size).toBe(all.length)
    // Nothing skipped either: the ids are exactly the first 500 of the account.
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: all.length }, (_, i) => RT_SESSION_BASE + i))
  })

  it('starts a new account past every numeric id already archived or live, never below 2^32', async () => {
    const { accountId } = await createAccount(ctx.services)
    await ctx.storage.db
      .insertInto('archived_engagements')
      .values({
        id: 1,
        account_id: accountId,
        engagement_id: `${accountId}${RT_SESSION_BASE + 41}`,
        rt_session_id: RT_SESSION_BASE + 41,
        start_time: 0,
        end_time: 0,
        duration: 0,
        visitor_id: 'v',
        agent_id: null,
        agent_group_id: -1,
        skill_id: -1,
        is_interactive: dialect === 'sqlite' ? 0 : false,
        channel: 1,
        alerted_mcs: null,
        chat_mcs: null,
        has_rich_content: dialect === 'sqlite' ? 0 : false,
        has_interactive_cobrowse: dialect === 'sqlite' ? 0 : false,
        origin: 'imported',
      })
      .execute()
    expect(await rtSessionIdsRepository.allocate(ctx.storage.db, accountId)).toBe(RT_SESSION_BASE + 42)
    const { accountId: fresh } = await createAccount(ctx.services)
    expect(await rtSessionIdsRepository.allocate(ctx.storage.db, fresh)).toBe(RT_SESSION_BASE)
  })

  it('moves past a reserved id and never back', async () => {
    const { accountId } = await createAccount(ctx.services)
    await rtSessionIdsRepository.reservePast(ctx.storage.db, accountId, RT_SESSION_BASE + 99)
    await rtSessionIdsRepository.reservePast(ctx.storage.db, accountId, RT_SESSION_BASE + 5)
    expect(await rtSessionIdsRepository.allocate(ctx.storage.db, accountId, 3)).toBe(RT_SESSION_BASE + 100)
    expect(await rtSessionIdsRepository.allocate(ctx.storage.db, accountId)).toBe(RT_SESSION_BASE + 103)
  })

  it('refuses a second live engagement with the same account and rtSessionId', async () => {
    const { accountId } = await createAccount(ctx.services)
    const chat = await ctx.services.chat.requestChat(
      accountId,
      { request: { skill: 'Nobody' } },
      { visitorIp: '203.0.113.1', userAgent: 'test' },
    )
    const engagement = await chatsRepository.findEngagement(ctx.storage.db, chat.key, 0)
    expect(engagement?.rtSessionId).toBe(chat.rtSessionId)
    const other = await ctx.services.chat.requestChat(
      accountId,
      { request: { skill: 'Nobody' } },
      { visitorIp: '203.0.113.1', userAgent: 'test' },
    )
    await expect(
      chatsRepository.insertEngagement(ctx.storage.db, { ...engagement!, chatKey: other.key, sequence: 1 }),
    ).rejects.toThrow(/unique|UNIQUE/)
  })
})
