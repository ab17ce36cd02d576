import { afterAll, expect, it } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import { buildApp } from '../../src/http/app.ts'
import { startServer, type RunningServer } from '../../src/server.ts'
import { createStorage, migrateToLatest } from '../../src/storage/db.ts'
import { agentClient } from '../support/agent-api.ts'
import { describeEachDialect, privateTestDatabase } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount } from '../support/live-chat.ts'
import { createManualClock } from '../support/manual-clock.ts'

describeEachDialect('Restart: agent sessions that went idle while the server was down', (dialect) => {
  const cleanups: Array<() => Promise<void>> = []
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup()
  })

  it('end before the first routing pass, and their chats are requeued', async () => {
    const { database, drop } = await privateTestDatabase(dialect)
    cleanups.push(() => drop())
    const location = database.kind === 'sqlite' ? database.path : database.url
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', PARLEY_HISTORY_WORKERS: '0' },
      { database: location, port: '0', 'no-demo': true },
    )

    // Before the "crash": Natalie opened a session and took a chat 500 s ago (idle timeout 400 s).
    const storage = createStorage(config.database)
    await migrateToLatest(storage)
    const clock = createManualClock(Date.now() - 500_000)
    const before = createServices({ storage, config, clock })
    const app = await buildApp({ config, services: before, clock })
    await app.ready()
    const live = await createLiveAccount(before, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const { bearer } = await login(app, live.accountId, 'natalie', 'pw-agent-123456')
    const natalie = agentClient(app, live.accountId, `Bearer ${bearer}`)
    const sessionId = await natalie.start()
    const chat = await before.chat.requestChat(
      live.accountId,
      { request: { skill: 'Sales' } },
      { visitorIp: '127.0.0.1', userAgent: 'agent-restart.test' },
    )
    expect(chat.ringingUserId).toBe(live.agents[0]!.userId)
    expect((await natalie.request('POST', `/${sessionId}/incomingRequests.json`)).statusCode).toBe(201)
    await app.close()
    await before.close()
    await storage.close()

    const server: RunningServer = await startServer(config)
    cleanups.push(() => server.close())
    // No wait: the periodic sweep (every 5 s) has not run yet; the start-up one has.
    const session = await server.storage.db
      .selectFrom('agent_sessions')
      .select(['ended_at', 'end_reason'])
      .where('id', '=', Number(sessionId))
      .executeTakeFirstOrThrow()
    expect(session.end_reason).toBe('idle')
    expect(session.ended_at).not.toBeNull()
    expect((await server.services.agents.connectedAgents(live.accountId)).length).toBe(0)
    const requeued = await server.services.chat.getChat(live.accountId, chat.key)
    expect(requeued).toMatchObject({ state: 'waiting', agentUserId: null, ringingUserId: null })
    const events = await server.services.chat.visitorEvents(live.accountId, chat.key)
    expect(events.some((event) => event.type === 'line' && event.systemMessageId === 23)).toBe(true)
  })
})
