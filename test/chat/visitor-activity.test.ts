import { beforeEach, expect, it } from 'vitest'
import type { ChatService } from '../../src/core/chat/chat.service.ts'
import { ACTIVITY_WRITE_INTERVAL_MS } from '../../src/core/chat/visitor-activity.ts'
import { chatsRepository } from '../../src/storage/repositories/chats.repository.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import {
  createFakeDirectory,
  createLiveAccount,
  createTestChatService,
  type FakeDirectory,
  type LiveAccount,
} from '../support/live-chat.ts'

const context = { visitorIp: '203.0.113.9', userAgent: 'test' }

describeEachDialect('visitor activity is coalesced (chat-api.md §12.3)', (dialect) => {
  const ctx = useTestApp(dialect)
  let directory: FakeDirectory
  let chats: ChatService
  let account: LiveAccount
  let natalie: number

  beforeEach(async () => {
    directory = createFakeDirectory()
    chats = createTestChatService(ctx, directory)
    account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    natalie = account.agents[0]!.userId
    directory.agents = account.agents.map((agent) => ({ ...agent, availability: 'Online' as const }))
  })

  const stored = async (key: string): Promise<number> =>
    (await chatsRepository.findChat(ctx.storage.db, key))!.lastUpdate

  async function chatting(timeoutSeconds = 40) {
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', interactionTimeout: timeoutSeconds } },
      context,
    )
    await chats.acceptChat(account.accountId, natalie)
    return chat
  }

  it('writes last_update on the timer tick at most once per interval, while reads show the newest activity', async () => {
    const chat = await chatting()
    await chats.touchVisitor(account.accountId, chat.key)
    const written = ctx.clock.now()
    expect(await stored(chat.key)).toBe(written)
    ctx.clock.advance(ACTIVITY_WRITE_INTERVAL_MS - 1)
    const poll = await chats.pollVisitor(account.accountId, chat.key, 0)
    expect(poll.chat.lastUpdate).toBe(ctx.clock.now())
    expect((await chats.getChat(account.accountId, chat.key)).lastUpdate).toBe(ctx.clock.now())
    expect(await stored(chat.key)).toBe(written)
    await chats.runTimers()
    expect(await stored(chat.key)).toBe(written)
    ctx.clock.advance(1)
    await chats.pollVisitor(account.accountId, chat.key, 0)
    expect(await stored(chat.key)).toBe(written)
    await chats.runTimers()
    expect(await stored(chat.key)).toBe(ctx.clock.now())
    expect((await chats.getChat(account.accountId, chat.key)).lastUpdate).toBe(ctx.clock.now())
  })

  it('does not end a chat whose newest activity is only in memory, and ends it once that is old', async () => {
    const chat = await chatting(40)
    await chats.touchVisitor(account.accountId, chat.key)
    const written = ctx.clock.now()
    ctx.clock.advance(3000)
    await chats.touchVisitor(account.accountId, chat.key)
    const latest = ctx.clock.now()
    expect(await stored(chat.key)).toBe(written)
    ctx.clock.advance(38_000)
    await chats.runTimers()
    expect((await chats.getChat(account.accountId, chat.key)).state).toBe('chatting')
    expect(await stored(chat.key)).toBe(latest)
    ctx.clock.advance(2001)
    await chats.runTimers()
    const ended = await chats.getChat(account.accountId, chat.key)
    expect(ended.state).toBe('ended')
    expect(ended.endedAt).toBe(ctx.clock.now())
  })

  it('after a restart the inactivity timeout counts from the last written activity', async () => {
    const chat = await chatting(40)
    await chats.touchVisitor(account.accountId, chat.key)
    const written = ctx.clock.now()
    ctx.clock.advance(3000)
    await chats.touchVisitor(account.accountId, chat.key)
    // A new engine (as after kill -9) knows only the database.
    const restarted = createTestChatService(ctx, directory)
    ctx.clock.advance(40_000 - 3000 + 1)
    expect(ctx.clock.now() - written).toBe(40_001)
    await restarted.runTimers()
    expect((await restarted.getChat(account.accountId, chat.key)).state).toBe('ended')
  })

  it('flushes activity held in memory on demand (graceful shutdown)', async () => {
    const chat = await chatting()
    await chats.touchVisitor(account.accountId, chat.key)
    ctx.clock.advance(1000)
    await chats.touchVisitor(account.accountId, chat.key)
    expect(await stored(chat.key)).toBe(ctx.clock.now() - 1000)
    await chats.flushVisitorActivity()
    expect(await stored(chat.key)).toBe(ctx.clock.now())
  })

  it('still answers CHAT_NOT_FOUND for a key of another account and an unknown key', async () => {
    const chat = await chatting()
    await chats.touchVisitor(account.accountId, chat.key)
    const other = await createLiveAccount(ctx.services, { agents: [] })
    await expect(chats.touchVisitor(other.accountId, chat.key)).rejects.toMatchObject({ code: 'CHAT_NOT_FOUND' })
    await expect(chats.pollVisitor(other.accountId, chat.key, 0)).rejects.toMatchObject({ code: 'CHAT_NOT_FOUND' })
    await expect(chats.touchVisitor(account.accountId, 'H1-nope')).rejects.toMatchObject({ code: 'CHAT_NOT_FOUND' })
  })

  it('keeps the end time as lastUpdate of an ended chat, whatever was polled before', async () => {
    const chat = await chatting()
    await chats.touchVisitor(account.accountId, chat.key)
    ctx.clock.advance(1000)
    await chats.touchVisitor(account.accountId, chat.key)
    await chats.endByAgent(account.accountId, natalie, chat.key)
    const endedAt = ctx.clock.now()
    ctx.clock.advance(1000)
    const poll = await chats.pollVisitor(account.accountId, chat.key, 0)
    expect(poll.chat.state).toBe('ended')
    expect(poll.chat.lastUpdate).toBeLessThanOrEqual(endedAt)
  })

  it('answers a poll from the next event id without events, then with the line posted after it', async () => {
    const chat = await chatting()
    const next = (await chats.getChat(account.accountId, chat.key)).nextEventId
    expect((await chats.pollVisitor(account.accountId, chat.key, next)).events).toEqual([])
    expect(await chats.agentEvents(account.accountId, natalie, chat.key, next + 5)).toEqual([])
    await chats.addAgentLine(account.accountId, natalie, chat.key, { text: 'hello' })
    expect((await chats.pollVisitor(account.accountId, chat.key, next)).events.map((event) => event.id)).toEqual([next])
    expect((await chats.visitorEvents(account.accountId, chat.key, next)).map((event) => event.id)).toEqual([next])
    expect((await chats.agentEvents(account.accountId, natalie, chat.key, next)).map((event) => event.id)).toEqual([
      next,
    ])
  })

  it('counts the chats ringing an agent (A8) like the list of them', async () => {
    await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    expect(await chats.ringingCount(account.accountId, natalie)).toBe(
      (await chats.ringingChats(account.accountId, natalie)).length,
    )
    expect(await chats.ringingCount(account.accountId, natalie)).toBe(2)
    await chats.acceptChat(account.accountId, natalie)
    expect(await chats.ringingCount(account.accountId, natalie)).toBe(1)
    const other = await createLiveAccount(ctx.services, { agents: [] })
    expect(await chats.ringingCount(other.accountId, natalie)).toBe(0)
  })
})
