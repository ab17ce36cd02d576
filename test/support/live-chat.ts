import { randomBytes } from 'node:crypto'
import type { Services } from '../../src/compose.ts'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { AgentDirectory, ChatAvailability, RoutableAgent } from '../../src/core/chat/agent-directory.ts'
import { createChatService, manualScheduler, type ChatService } from '../../src/core/chat/chat.service.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import { cryptoIds } from '../../src/core/ids.ts'
import type { Storage } from '../../src/storage/db.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import type { ManualClock } from './manual-clock.ts'

/** An AgentDirectory whose connected agents the test sets; records `markAway` calls. */
export interface FakeDirectory extends AgentDirectory {
  agents: RoutableAgent[]
  awayCalls: Array<{ accountId: string; userId: number }>
  set(userId: number, availability: ChatAvailability): void
}

export function createFakeDirectory(): FakeDirectory {
  const directory: FakeDirectory = {
    agents: [],
    awayCalls: [],
    connectedAgents: async () => directory.agents.map((agent) => ({ ...agent })),
    markAway: async (accountId, userId) => {
      directory.awayCalls.push({ accountId, userId })
      directory.set(userId, 'Away')
    },
    set(userId, availability) {
      const agent = directory.agents.find((candidate) => candidate.userId === userId)
      if (agent) agent.availability = availability
    },
  }
  return directory
}

/** Test sanitiser: drops script elements (the real one is injected by compose). */
export const stripScripts = (html: string): string => html.replace(/<script[\s\S]*?<\/script>/gi, '')

export function createTestChatService(
  ctx: { storage: Storage; services: Services; clock: ManualClock },
  directory: AgentDirectory,
): ChatService {
  return createChatService({
    db: ctx.storage.db,
    // The services' bus: changes of this engine settle where the services' caches hear them.
    uow: createUnitOfWork(ctx.storage.db, ctx.services.bus),
    clock: ctx.clock,
    invalidation: ctx.services.invalidation,
    ids: cryptoIds,
    archive: ctx.services.archive,
    agents: directory,
    sanitizeHtml: stripScripts,
    scheduler: manualScheduler,
  })
}

export interface LiveAccount {
  accountId: string
  skills: Record<string, number>
  groupId: number
  agents: RoutableAgent[]
}

/**
 * A fresh account with skills and agents (users in one agent group), and the agents as the
 * directory reports them (Online, idle since `idleBase + i`).
 */
export async function createLiveAccount(
  services: Services,
  options: {
    skills?: string[]
    agents?: Array<{ nickname: string; skills?: string[]; maxChats?: number }>
    idleBase?: number
  } = {},
): Promise<LiveAccount> {
  const accountId = `t${randomBytes(6).toString('hex')}`
  await services.accounts.createAccount({ id: accountId, adminLoginName: 'admin', adminPassword: 'pw-admin-123456' })
  const scope = { accountId }
  const skills: Record<string, number> = {}
  for (const name of options.skills ?? ['Sales', 'Billing']) {
    skills[name] = (await services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name })).value.id
  }
  const groupId = (await services.accountConfig.agentGroups.create(SYSTEM_CALLER, scope, { name: 'Team A' })).value.id
  const agents: RoutableAgent[] = []
  let index = 0
  for (const spec of options.agents ?? []) {
    const loginName = spec.nickname.toLowerCase().replace(/\W/g, '')
    const user = (
      await services.accountConfig.users.create(SYSTEM_CALLER, scope, {
        loginName,
        password: 'pw-agent-123456',
        nickname: spec.nickname,
        fullName: `${spec.nickname} Full`,
        email: `${loginName}@example.invalid`,
        maxChats: spec.maxChats ?? 4,
        skillIds: (spec.skills ?? []).map((name) => skills[name] as number),
        memberOf: { agentGroupId: groupId },
      })
    ).value
    agents.push({
      userId: user.id,
      loginName,
      nickname: spec.nickname,
      fullName: user.fullName,
      skillIds: user.skillIds,
      maxChats: user.maxChats,
      memberGroupId: groupId,
      availability: 'Online',
      idleSince: (options.idleBase ?? 0) + index++,
    })
  }
  return { accountId, skills, groupId, agents }
}

/** Archived records of the account with this engagementId, through the Engagement History query port. */
export async function archivedRecord(
  services: Services,
  accountId: string,
  engagementId: string,
): Promise<EngagementRecord[]> {
  const page = await services.historyQuery.search({ accountId, engagementId }, [], 0, 10)
  return page.documents.map((document) => JSON.parse(document) as EngagementRecord)
}
