import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import { createServices } from '../../src/compose.ts'
import { loadConfig } from '../../src/config/config.ts'
import type { AgentChatHooks, AgentChatSession } from '../../src/core/agents/agent-chat-hooks.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { createStorage } from '../../src/storage/db.ts'
import type { DialectName } from '../../src/storage/dialect/dialect.ts'
import type { TestContext } from './build-app.ts'
import { testDatabase } from './dialects.ts'
import { createManualClock } from './manual-clock.ts'

/** Chat-engine hooks a test controls: chat load and chat sessions per user, and a log of calls. */
export interface FakeChatHooks extends AgentChatHooks {
  load: Map<string, Map<number, number>>
  chats: Map<string, AgentChatSession[]>
  requeued: Array<{ accountId: string; userId: number }>
  routed: string[]
}

export function fakeChatHooks(): FakeChatHooks {
  const hooks: FakeChatHooks = {
    load: new Map(),
    chats: new Map(),
    requeued: [],
    routed: [],
    chatLoad: async (accountId) => new Map(hooks.load.get(accountId) ?? []),
    requeueAgentChats: async (accountId, userId) => {
      hooks.requeued.push({ accountId, userId })
    },
    routeAccount: async (accountId) => {
      hooks.routed.push(accountId)
    },
    chatSessions: async (accountId, userId) => hooks.chats.get(`${accountId}|${userId}`) ?? [],
  }
  return hooks
}

/** Like `useTestApp`, with the agent service wired to `hooks` instead of the idle chat engine. */
export function useAgentTestApp(dialect: DialectName, hooks: AgentChatHooks): TestContext {
  const context = {} as TestContext
  beforeAll(async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent' },
      { database: database.kind === 'sqlite' ? database.path : database.url },
    )
    const storage = createStorage(config.database, { poolSize: 4 })
    const clock = createManualClock(Date.now())
    const services = createServices({ storage, config, clock, agentChatHooks: hooks })
    const app = await buildApp({ config, services, clock })
    await app.ready()
    Object.assign(context, { app, services, storage, config, clock })
  })
  afterAll(async () => {
    await context.app?.close()
    await context.services?.close()
    await context.storage?.close()
  })
  return context
}

/** Chat Agent API calls of one account with one Authorization header value. */
export interface AgentClient {
  base: string
  request(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>
  /** A1 in JSON; returns the new session id. */
  start(): Promise<string>
}

export function agentClient(app: ParleyApp, accountId: string, authorization: string): AgentClient {
  const base = `/api/account/${accountId}/agentSession`
  const request: AgentClient['request'] = (method, path, options = {}) =>
    app.inject({
      method,
      url: `${base}${path}`,
      headers: { authorization, ...options.headers },
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    })
  return {
    base,
    request,
    async start() {
      const response = await request('POST', '.json?v=1&NC=true', {
        body: { loginData: '' },
        headers: { 'content-type': 'application/json' },
      })
      if (response.statusCode !== 201) throw new Error(`A1 failed: ${response.statusCode} ${response.body}`)
      return String(response.headers.location).split('/').pop()!
    },
  }
}
