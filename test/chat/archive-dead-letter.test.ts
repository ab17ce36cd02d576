import { randomBytes } from 'node:crypto'
import { afterEach, expect, it, vi } from 'vitest'
import { archiveCommand } from '../../src/cli/archive.ts'
import { createServices } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { ARCHIVE_RETRY_DELAYS_MS, ArchiveSetAsideError } from '../../src/core/chat/chat-archiver.ts'
import { createChatService, manualScheduler } from '../../src/core/chat/chat.service.ts'
import type { ArchiveService } from '../../src/core/history/archive.service.ts'
import { cryptoIds } from '../../src/core/ids.ts'
import { startServer } from '../../src/server.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { archiveFailuresRepository } from '../../src/storage/repositories/archive-failures.repository.ts'
import { chatsRepository } from '../../src/storage/repositories/chats.repository.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { archivedRecord, createFakeDirectory, stripScripts } from '../support/live-chat.ts'

const context = { visitorIp: '203.0.113.9', userAgent: 'Mozilla/5.0' }

/** Runs a CLI `archive` subcommand in-process and returns its exit code and parsed JSON output. */
async function archiveCli(
  ctx: {
    services: Parameters<typeof archiveCommand>[0]
    storage: Storage
    config: Parameters<typeof archiveCommand>[2]
  },
  subcommand: 'failures' | 'retry',
  target: string | undefined,
  values: { all?: boolean; account?: string },
): Promise<{ code: number; json: unknown }> {
  const written: string[] = []
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk))
    return true
  })
  try {
    const code = await archiveCommand(ctx.services, ctx.storage, ctx.config, subcommand, target, {
      ...values,
      json: true,
    })
    return { code, json: JSON.parse(written.join('')) }
  } finally {
    spy.mockRestore()
  }
}

describeEachDialect('archive dead letters (docs/live-chat.md)', (dialect) => {
  const ctx = useTestApp(dialect)

  it('retries a failing archive with backoff, sets it aside once, keeps archiving other chats, and retries after a fix', async () => {
    const accountId = `t${randomBytes(6).toString('hex')}`
    await ctx.services.accounts.createAccount({
      id: accountId,
      adminLoginName: 'admin',
      adminPassword: 'pw-admin-123456',
    })
    const poisoned = new Set<string>()
    // A record the archive cannot take (the PostgreSQL NUL of issue 11 failed here, in the write).
    const archive: ArchiveService = {
      ...ctx.services.archive,
      archiveRecords: async (account, records, origin) => {
        if (records.some((record) => poisoned.has(record.info.engagementId))) throw new Error('poison record')
        return ctx.services.archive.archiveRecords(account, records, origin)
      },
    }
    const reports: Array<{ task: string; error: unknown }> = []
    const chat = createChatService({
      db: ctx.storage.db,
      uow: createUnitOfWork(ctx.storage.db),
      clock: ctx.clock,
      ids: cryptoIds,
      archive,
      agents: createFakeDirectory(),
      sanitizeHtml: stripScripts,
      scheduler: manualScheduler,
      onError: (error, task) => reports.push({ task, error }),
    })
    const request = () => chat.requestChat(accountId, { request: {} }, context)
    const poison = await request()
    const healthy = await request()
    const engagementId = (key: string) => chatsRepository.findEngagement(ctx.storage.db, key, 0)
    const poisonId = `${accountId}${(await engagementId(poison.key))!.rtSessionId}`
    const healthyId = `${accountId}${(await engagementId(healthy.key))!.rtSessionId}`
    poisoned.add(poisonId)

    await chat.endByVisitor(accountId, poison.key)
    await chat.endByVisitor(accountId, healthy.key)
    // The other chat is archived at once; the poison one waits for its first retry.
    expect(await archivedRecord(ctx.services, accountId, healthyId)).toHaveLength(1)
    expect(await archivedRecord(ctx.services, accountId, poisonId)).toHaveLength(0)
    const first = await archiveFailuresRepository.find(ctx.storage.db, poison.key, 0)
    expect(first).toMatchObject({ attempts: 1, lastError: 'poison record', deadAt: null, engagementId: poisonId })
    expect(first!.nextAttemptAt).toBe(ctx.clock.now() + ARCHIVE_RETRY_DELAYS_MS[0]!)

    // Not due yet: a timer pass does not try it again.
    await chat.runTimers()
    expect((await archiveFailuresRepository.find(ctx.storage.db, poison.key, 0))!.attempts).toBe(1)

    for (const delay of ARCHIVE_RETRY_DELAYS_MS) {
      ctx.clock.advance(delay)
      await chat.runTimers()
    }
    const setAside = await archiveFailuresRepository.find(ctx.storage.db, poison.key, 0)
    expect(setAside).toMatchObject({ attempts: ARCHIVE_RETRY_DELAYS_MS.length + 1, nextAttemptAt: null })
    expect(setAside!.deadAt).toBe(ctx.clock.now())

    // Set aside: the timers leave it alone, report it once, and still archive new chats.
    const later = await request()
    ctx.clock.advance(24 * 60 * 60 * 1000)
    await chat.endByVisitor(accountId, later.key)
    await chat.runTimers()
    await chat.runTimers()
    expect((await archiveFailuresRepository.find(ctx.storage.db, poison.key, 0))!.attempts).toBe(
      ARCHIVE_RETRY_DELAYS_MS.length + 1,
    )
    const laterId = `${accountId}${(await engagementId(later.key))!.rtSessionId}`
    expect(await archivedRecord(ctx.services, accountId, laterId)).toHaveLength(1)
    expect(reports.map((report) => report.task)).toEqual(['archive:set-aside'])
    expect((reports[0]!.error as ArchiveSetAsideError).failure.engagementId).toBe(poisonId)

    // `parley archive failures` lists it with its error; retry after the fix archives it.
    const listed = await archiveCli(ctx, 'failures', undefined, { account: accountId })
    expect(listed.json).toEqual([
      expect.objectContaining({ engagementId: poisonId, chatKey: poison.key, lastError: 'poison record' }),
    ])
    poisoned.delete(poisonId)
    const retried = await archiveCli(ctx, 'retry', undefined, { all: true, account: accountId })
    expect(retried).toEqual({ code: 0, json: [{ engagementId: poisonId, archived: true }] })
    expect(await archivedRecord(ctx.services, accountId, poisonId)).toHaveLength(1)
    expect((await archiveCli(ctx, 'failures', undefined, { account: accountId, all: true })).json).toEqual([])
    await chat.close()
  })

  it('keeps a set-aside engagement set aside, with the new error and exit status 1, when a retry fails again', async () => {
    const accountId = `t${randomBytes(6).toString('hex')}`
    await ctx.services.accounts.createAccount({
      id: accountId,
      adminLoginName: 'admin',
      adminPassword: 'pw-admin-123456',
    })
    const chat = ctx.services.chat
    const requested = await chat.requestChat(accountId, { request: {} }, context)
    await chat.endByVisitor(accountId, requested.key)
    const engagement = (await chatsRepository.findEngagement(ctx.storage.db, requested.key, 0))!
    // Undo the archive and break the stored chat so that building its record throws.
    await ctx.storage.db
      .updateTable('engagements')
      .set({ archived_at: null })
      .where('chat_id', '=', requested.key)
      .execute()
    const original = (
      await ctx.storage.db
        .selectFrom('chats')
        .select('request')
        .where('id', '=', requested.key)
        .executeTakeFirstOrThrow()
    ).request
    await ctx.storage.db.updateTable('chats').set({ request: '{not json' }).where('id', '=', requested.key).execute()
    const engagementId = `${accountId}${engagement.rtSessionId}`
    await archiveFailuresRepository.recordAttempt(
      ctx.storage.db,
      { chatKey: requested.key, sequence: 0, accountId, rtSessionId: engagement.rtSessionId, error: 'earlier', now: 1 },
      { attempts: 5, nextAttemptAt: null, deadAt: 1 },
    )
    const again = await archiveCli(ctx, 'retry', engagementId, {})
    expect(again.code).toBe(1)
    expect(again.json).toEqual([{ engagementId, archived: false, error: expect.stringMatching(/JSON/) }])
    expect(await archiveFailuresRepository.find(ctx.storage.db, requested.key, 0)).toMatchObject({
      attempts: 6,
      deadAt: expect.any(Number),
    })

    await ctx.storage.db.updateTable('chats').set({ request: original }).where('id', '=', requested.key).execute()
    expect((await archiveCli(ctx, 'retry', engagementId, {})).code).toBe(0)
    expect(await archivedRecord(ctx.services, accountId, engagementId)).toHaveLength(1)
    expect(await archiveFailuresRepository.find(ctx.storage.db, requested.key, 0)).toBeUndefined()
  })
})

describeEachDialect('start-up with a poison record in the archive outbox', (dialect) => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('starts (it exited with code 1), archives the other chats, records the failure, and archives it after the fix', async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent' },
      { database: database.kind === 'sqlite' ? database.path : database.url, port: '0', 'no-demo': true },
    )
    // A previous process: two chats ended, then a crash before either was archived.
    const before = createStorage(config.database)
    const services = createServices({ storage: before, config })
    const accountId = `t${randomBytes(6).toString('hex')}`
    await services.accounts.createAccount({ id: accountId, adminLoginName: 'admin', adminPassword: 'pw-admin-123456' })
    const keys: string[] = []
    for (let i = 0; i < 2; i++) {
      const chat = await services.chat.requestChat(accountId, { request: {} }, context)
      await services.chat.endByVisitor(accountId, chat.key)
      keys.push(chat.key)
    }
    const [poison, healthy] = keys as [string, string]
    await before.db.updateTable('engagements').set({ archived_at: null }).where('chat_id', 'in', keys).execute()
    const original = (
      await before.db.selectFrom('chats').select('request').where('id', '=', poison).executeTakeFirstOrThrow()
    ).request
    // Stored data the archiver cannot turn into a record (on PostgreSQL, issue 11's was a NUL).
    const poisoned = '{not json'
    await before.db.updateTable('chats').set({ request: poisoned }).where('id', '=', poison).execute()
    await services.close()
    await before.close()

    const server = await startServer(config)
    cleanups.push(() => server.close())
    const storage = server.storage
    const healthyEngagement = await chatsRepository.findEngagement(storage.db, healthy, 0)
    expect(healthyEngagement!.archivedAt).not.toBeNull()
    expect(
      await archivedRecord(server.services, accountId, `${accountId}${healthyEngagement!.rtSessionId}`),
    ).toHaveLength(1)
    const failure = await archiveFailuresRepository.find(storage.db, poison, 0)
    expect(failure).toMatchObject({ deadAt: null, lastError: expect.stringMatching(/JSON/) })
    // The server goes on answering.
    expect((await fetch(`${server.httpUrl}/readyz`)).status).toBe(200)

    await storage.db.updateTable('chats').set({ request: original }).where('id', '=', poison).execute()
    const retried = await archiveCli({ services: server.services, storage, config }, 'retry', failure!.engagementId, {})
    expect(retried).toEqual({ code: 0, json: [{ engagementId: failure!.engagementId, archived: true }] })
    expect((await chatsRepository.findEngagement(storage.db, poison, 0))!.archivedAt).not.toBeNull()
  })
})
