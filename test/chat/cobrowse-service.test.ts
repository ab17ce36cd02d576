import { beforeEach, expect, it } from 'vitest'
import { DEFAULT_ENDED_CHAT_RETENTION_MS, type ChatService } from '../../src/core/chat/chat.service.ts'
import type { Chat } from '../../src/core/chat/chat.types.ts'
import { createCoBrowseService, type CoBrowseService } from '../../src/core/cobrowse/cobrowse.service.ts'
import { cryptoIds } from '../../src/core/ids.ts'
import { isParleyError } from '../../src/core/errors.ts'
import { coBrowseSessionsRepository } from '../../src/storage/repositories/cobrowse-sessions.repository.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import {
  archivedRecord,
  createFakeDirectory,
  createLiveAccount,
  createTestChatService,
  type LiveAccount,
} from '../support/live-chat.ts'

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (isParleyError(error)) return error.code
    throw error
  }
  throw new Error('expected an error')
}

/** The co-browse service against the chat engine, with races replayed through a stale chat read. */
describeEachDialect('co-browse service (docs/cobrowse.md)', (dialect) => {
  const ctx = useTestApp(dialect)
  let chats: ChatService
  let account: LiveAccount
  let natalie = 0

  /** A co-browse service whose access check answers `stale` (the chat as read before a concurrent end). */
  const withStaleRead = (stale: Chat): CoBrowseService =>
    createCoBrowseService({ db: ctx.storage.db, clock: ctx.clock, ids: cryptoIds, agentChat: async () => stale })

  const acceptedChat = async (): Promise<Chat> => {
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales' } },
      {
        visitorIp: '203.0.113.9',
        userAgent: 'test',
      },
    )
    await chats.acceptChat(account.accountId, natalie)
    return chats.agentChat(account.accountId, natalie, chat.key)
  }

  beforeEach(async () => {
    const directory = createFakeDirectory()
    chats = createTestChatService(ctx, directory)
    account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    natalie = account.agents[0]!.userId
  })

  it('undoes a start that lands after the engagement ended and was archived', async () => {
    const stale = await acceptedChat()
    await chats.endByAgent(account.accountId, natalie, stale.key)
    expect(await codeOf(withStaleRead(stale).start(account.accountId, natalie, stale.key))).toBe('CHAT_ENDED')
    expect(await coBrowseSessionsRepository.list(ctx.storage.db, stale.key)).toEqual([])
  })

  it('refuses changes that land after the archive ended the session', async () => {
    const live = await acceptedChat()
    const service = withStaleRead(live)
    const session = await service.start(account.accountId, natalie, live.key)
    ctx.clock.advance(1500)
    await chats.endByAgent(account.accountId, natalie, live.key)
    for (const change of [{ interactive: true }, { state: 'ended', endReason: 'AGENT' }]) {
      expect(await codeOf(service.update(account.accountId, natalie, live.key, session.sessionId, change))).toBe(
        'VALIDATION_FAILED',
      )
    }
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${live.rtSessionId}`)
    expect(record?.coBrowseSessions.coBrowseSessionsList).toEqual([
      expect.objectContaining({
        sessionId: session.sessionId,
        endReason: 'SERVER',
        duration: 1500,
        interactive: false,
      }),
    ])
    expect(record?.coBrowseSessions.coBrowseSessionsList[0]).not.toHaveProperty('interactiveTime')
  })

  it('archives the chat without sessions as an empty list', async () => {
    const live = await acceptedChat()
    await chats.endByAgent(account.accountId, natalie, live.key)
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${live.rtSessionId}`)
    expect(record?.coBrowseSessions).toEqual({ coBrowseSessionsList: [] })
  })

  it('deletes a chat’s co-browse rows when the ended chat is purged after its retention', async () => {
    const live = await acceptedChat()
    await withStaleRead(live).start(account.accountId, natalie, live.key)
    await chats.endByAgent(account.accountId, natalie, live.key)
    expect(await coBrowseSessionsRepository.list(ctx.storage.db, live.key)).toHaveLength(1)
    ctx.clock.advance(DEFAULT_ENDED_CHAT_RETENTION_MS + 1)
    await chats.runTimers()
    expect(await coBrowseSessionsRepository.list(ctx.storage.db, live.key)).toEqual([])
    expect(await codeOf(chats.agentChat(account.accountId, natalie, live.key))).toBe('CHAT_NOT_FOUND')
  })
})
