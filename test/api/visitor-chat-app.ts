import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type Config } from '../../src/config/config.ts'
import type { ChatService } from '../../src/core/chat/chat.service.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import type { DialectName } from '../../src/storage/dialect/dialect.ts'
import { testDatabase } from '../support/dialects.ts'
import type { AgentDirectory, RoutableAgent } from '../../src/core/chat/agent-directory.ts'
import { createLiveAccount, createTestChatService, type LiveAccount } from '../support/live-chat.ts'
import { createManualClock, type ManualClock } from '../support/manual-clock.ts'

/** The real app whose chat engine routes with a directory the test controls, with manual timers. */
export interface VisitorChatContext {
  app: ParleyApp
  services: Services
  storage: Storage
  config: Config
  clock: ManualClock
  chat: ChatService
  directory: AccountDirectory
}

/** Connected agents per account, as the test sets them (no agent sessions involved). */
export interface AccountDirectory extends AgentDirectory {
  agents: Map<string, RoutableAgent[]>
}

function createAccountDirectory(): AccountDirectory {
  const directory: AccountDirectory = {
    agents: new Map(),
    connectedAgents: async (accountId) => (directory.agents.get(accountId) ?? []).map((agent) => ({ ...agent })),
    markAway: async (accountId, userId) => {
      const agent = directory.agents.get(accountId)?.find((candidate) => candidate.userId === userId)
      if (agent) agent.availability = 'Away'
    },
  }
  return directory
}

/**
 * Builds the application on a fresh database of `dialect`. `services.chat` is an engine on the same
 * database whose agents come from `directory` (agents are "Online" by a test's say-so, without agent
 * sessions) and whose timers run only on `chat.runTimers()`; V1-V3 read the same directory.
 */
export function useVisitorChatApp(
  dialect: DialectName,
  options: { env?: Record<string, string> } = {},
): VisitorChatContext {
  const context = {} as VisitorChatContext
  beforeAll(async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', ...options.env },
      { database: database.kind === 'sqlite' ? database.path : database.url },
    )
    const storage = createStorage(config.database, { poolSize: 4 })
    const clock = createManualClock(Date.UTC(2024, 4, 1, 10, 0, 0, 123))
    const base = createServices({ storage, config, clock })
    const directory = createAccountDirectory()
    const chat = createTestChatService({ storage, services: base, clock }, directory)
    const agents: Services['agents'] = {
      ...base.agents,
      connectedAgents: (accountId) => directory.connectedAgents(accountId),
      markAway: (accountId, userId) => directory.markAway(accountId, userId),
    }
    const services: Services = { ...base, chat, agents }
    const app = await buildApp({ config, services, clock })
    await app.ready()
    Object.assign(context, { app, services, storage, config, clock, chat, directory })
  })
  afterAll(async () => {
    await context.app?.close()
    await context.chat?.close()
    await context.services?.close()
    await context.storage?.close()
  })
  return context
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** Visitor API calls of one account, authenticated with one app key header. */
export interface VisitorClient {
  accountId: string
  call(
    method: Method,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>
  /** V7 in JSON; returns the chat key from `Location`. */
  requestChat(body?: unknown): Promise<string>
}

export function visitorClient(app: ParleyApp, accountId: string, appKey: string): VisitorClient {
  const call: VisitorClient['call'] = (method, path, options = {}) =>
    app.inject({
      method,
      url: `/api/account/${accountId}${path}`,
      headers: { authorization: `LivePerson appKey=${appKey}`, ...options.headers },
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    })
  return {
    accountId,
    call,
    async requestChat(body = { request: { skill: 'Sales' } }) {
      const response = await call('POST', '/chat/request.json?v=1&NC=true', {
        body,
        headers: { 'content-type': 'application/json' },
      })
      if (response.statusCode !== 201) throw new Error(`V7 failed: ${response.statusCode} ${response.body}`)
      return String(response.headers.location).split('/').pop()!
    },
  }
}

/** A fresh account with skills Sales and Billing, the given agents connected and Online, and its app key. */
export async function liveVisitor(
  ctx: VisitorChatContext,
  agents: Array<{ nickname: string; skills?: string[]; maxChats?: number }> = [
    { nickname: 'Natalie', skills: ['Sales'] },
  ],
): Promise<{ live: LiveAccount; visitor: VisitorClient; appKey: string }> {
  const live = await createLiveAccount(ctx.services, { agents })
  ctx.directory.agents.set(live.accountId, live.agents)
  const [key] = await ctx.services.accounts.listAppKeys(live.accountId)
  return { live, visitor: visitorClient(ctx.app, live.accountId, key!.appKey), appKey: key!.appKey }
}
