import { MAIN_GROUP_ID, MAIN_GROUP_NAME } from '../accounts/accounts.types.ts'
import { ParleyError, invalid, notFound } from '../errors.ts'
import { agentGroupsRepository } from '../../storage/repositories/agent-groups.repository.ts'
import { campaignsRepository } from '../../storage/repositories/campaigns.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import {
  simpleEntitiesRepository,
  type SimpleEntityTable,
} from '../../storage/repositories/simple-entities.repository.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import type {
  AgentGroup,
  AgentGroupInput,
  AgentGroupValues,
  Campaign,
  CampaignEngagement,
  CampaignEngagementInput,
  CampaignEngagementValues,
  CampaignInput,
  CampaignValues,
  SimpleEntity,
  SimpleEntityInput,
  SimpleEntityValues,
  Skill,
  SkillInput,
  SkillValues,
} from './account-config.types.ts'
import { requireConfigDate, requireInteger, requireKnownIds, requireText, unique } from './config-rules.ts'
import type { CampaignScope, EntityKind } from './entity-service.ts'
import { nameKey } from '../text/name-key.ts'

const passThrough = async <I>(input: I): Promise<I> => input

export const DEFAULT_MAX_WAIT_TIME = 120

export const skillKind: EntityKind<Skill, SkillInput, SkillInput, SkillValues> = {
  label: 'skill',
  list: (db, scope, includeDeleted) => skillsRepository.list(db, scope.accountId, includeDeleted),
  find: (db, scope, id) => skillsRepository.findById(db, scope.accountId, id),
  prepare: passThrough,
  async resolve(tx, scope, input, existing) {
    const name = requireText('name', input.name).trim()
    if (await skillsRepository.findActiveIdByName(tx, scope.accountId, nameKey(name), existing?.id)) {
      throw new ParleyError('CONFLICT', `name: a skill named "${name}" already exists`)
    }
    return {
      name,
      description: input.description ?? '',
      maxWaitTime: requireInteger('maxWaitTime', input.maxWaitTime ?? DEFAULT_MAX_WAIT_TIME, 0),
    }
  },
  insert: (tx, scope, values, now) => skillsRepository.insert(tx, scope.accountId, values, nameKey(values.name), now),
  update: (tx, scope, existing, values, now) =>
    skillsRepository.update(tx, scope.accountId, existing.id, values, nameKey(values.name), now),
  remove: (tx, scope, existing, now) => skillsRepository.markDeleted(tx, scope.accountId, existing.id, now),
}

/** Group ids that may be referenced: the root, or non-deleted stored groups. */
export async function requireKnownGroups(
  tx: Executor,
  accountId: string,
  field: string,
  ids: readonly number[],
): Promise<void> {
  const stored = ids.filter((id) => id !== MAIN_GROUP_ID)
  requireKnownIds(field, stored, await agentGroupsRepository.existingIds(tx, accountId, stored))
}

export const agentGroupKind: EntityKind<AgentGroup, AgentGroupInput, AgentGroupInput, AgentGroupValues> = {
  label: 'agent group',
  list: (db, scope, includeDeleted) => agentGroupsRepository.list(db, scope.accountId, includeDeleted),
  find: (db, scope, id) => agentGroupsRepository.findById(db, scope.accountId, id),
  builtIns: (account) => [
    {
      id: MAIN_GROUP_ID,
      accountId: account.id,
      name: MAIN_GROUP_NAME,
      description: '',
      parentGroupId: null,
      isEnabled: true,
      deleted: false,
      updatedAt: account.createdAt,
    },
  ],
  prepare: passThrough,
  async resolve(tx, scope, input, existing) {
    // Only the root has no parent; a null parent on input means "under the root".
    const parentGroupId = input.parentGroupId ?? MAIN_GROUP_ID
    await requireKnownGroups(tx, scope.accountId, 'parentGroupId', [parentGroupId])
    if (existing) {
      const seen = new Set<number>()
      let current = parentGroupId
      while (current !== MAIN_GROUP_ID && !seen.has(current)) {
        if (current === existing.id) throw invalid('parentGroupId', 'a group cannot be its own ancestor')
        seen.add(current)
        current = (await agentGroupsRepository.findById(tx, scope.accountId, current))?.parentGroupId ?? MAIN_GROUP_ID
      }
    }
    return {
      name: requireText('name', input.name),
      description: input.description ?? '',
      parentGroupId,
      isEnabled: input.isEnabled ?? true,
    }
  },
  insert: (tx, scope, values, now) => agentGroupsRepository.insert(tx, scope.accountId, values, now),
  update: (tx, scope, existing, values, now) =>
    agentGroupsRepository.update(tx, scope.accountId, existing.id, values, now),
  async checkDelete(tx, scope, existing) {
    if ((await agentGroupsRepository.countDependents(tx, scope.accountId, existing.id)) > 0) {
      throw invalid('id', 'the agent group still has members or child groups')
    }
  },
  remove: (tx, scope, existing, now) => agentGroupsRepository.markDeleted(tx, scope.accountId, existing.id, now),
}

/** Goals, visitor behaviors, visitor profiles and lines of business: name and description; built-ins stay. */
export function simpleEntityKind(
  table: SimpleEntityTable,
  label: string,
): EntityKind<SimpleEntity, SimpleEntityInput, SimpleEntityInput, SimpleEntityValues> {
  return {
    label,
    list: (db, scope, includeDeleted) => simpleEntitiesRepository.list(db, table, scope.accountId, includeDeleted),
    find: (db, scope, id) => simpleEntitiesRepository.findById(db, table, scope.accountId, id),
    prepare: passThrough,
    resolve: async (_tx, _scope, input) => ({
      name: requireText('name', input.name),
      description: input.description ?? '',
    }),
    insert: (tx, scope, values, now) =>
      simpleEntitiesRepository.insert(tx, table, { accountId: scope.accountId, ...values, isDefault: false, now }),
    update: (tx, scope, existing, values, now) =>
      simpleEntitiesRepository.update(tx, table, scope.accountId, existing.id, values, now),
    async checkDelete(_tx, _scope, existing) {
      if (existing.isDefault) throw invalid('id', `the built-in ${label} cannot be deleted`)
    },
    remove: (tx, scope, existing, now) =>
      simpleEntitiesRepository.markDeleted(tx, table, scope.accountId, existing.id, now),
  }
}

async function defaultId(tx: Executor, table: SimpleEntityTable, accountId: string): Promise<number[]> {
  const builtIn = await simpleEntitiesRepository.findDefault(tx, table, accountId)
  return builtIn ? [builtIn.id] : []
}

async function requireKnownSimple(
  tx: Executor,
  table: SimpleEntityTable,
  accountId: string,
  field: string,
  ids: readonly number[],
): Promise<void> {
  requireKnownIds(field, ids, await simpleEntitiesRepository.existingIds(tx, table, accountId, ids))
}

export const NO_LOB_ID = -1
export const NO_SKILL_ID = -1

export const campaignKind: EntityKind<Campaign, CampaignInput, CampaignInput, CampaignValues> = {
  label: 'campaign',
  list: (db, scope, includeDeleted) => campaignsRepository.list(db, scope.accountId, includeDeleted),
  find: (db, scope, id) => campaignsRepository.findById(db, scope.accountId, id),
  prepare: passThrough,
  async resolve(tx, scope, input) {
    const { accountId } = scope
    const goalId = input.goalId ?? (await defaultId(tx, 'goals', accountId))[0] ?? 0
    await requireKnownSimple(tx, 'goals', accountId, 'goalId', [goalId])
    const lobId = input.lobId ?? NO_LOB_ID
    if (lobId !== NO_LOB_ID) await requireKnownSimple(tx, 'lobs', accountId, 'lobId', [lobId])
    const visitorProfileIds = unique(input.visitorProfileIds ?? (await defaultId(tx, 'visitor_profiles', accountId)))
    await requireKnownSimple(tx, 'visitor_profiles', accountId, 'visitorProfiles', visitorProfileIds)
    const status = input.status ?? 1
    if (status !== 0 && status !== 1) throw invalid('status', 'must be 0 (unpublished) or 1 (published)')
    return {
      name: requireText('name', input.name),
      description: input.description ?? '',
      goalId,
      lobId,
      status,
      visitorProfileIds,
      startDate: requireConfigDate('startDate', input.startDate),
      expirationDate: requireConfigDate('expirationDate', input.expirationDate),
    }
  },
  insert: (tx, scope, values, now) => campaignsRepository.insert(tx, scope.accountId, values, now),
  update: (tx, scope, existing, values, now) =>
    campaignsRepository.update(tx, scope.accountId, existing.id, values, now),
  remove: (tx, scope, existing, now) => campaignsRepository.markDeleted(tx, scope.accountId, existing.id, now),
}

export const campaignEngagementKind: EntityKind<
  CampaignEngagement,
  CampaignEngagementInput,
  CampaignEngagementInput,
  CampaignEngagementValues,
  CampaignScope
> = {
  label: 'engagement',
  list: (db, scope, includeDeleted) =>
    campaignsRepository.listEngagements(db, scope.accountId, scope.campaignId, includeDeleted),
  find: (db, scope, id) => campaignsRepository.findEngagement(db, scope.accountId, scope.campaignId, id),
  async checkScope(db, scope, write) {
    const campaign = await campaignsRepository.findById(db, scope.accountId, scope.campaignId)
    // A deleted campaign's engagements stay readable but cannot change.
    if (!campaign || (write && campaign.deleted)) throw notFound()
  },
  prepare: passThrough,
  async resolve(tx, scope, input) {
    const { accountId } = scope
    const skillId = input.skillId ?? NO_SKILL_ID
    if (skillId !== NO_SKILL_ID) {
      requireKnownIds('skillId', [skillId], await skillsRepository.existingIds(tx, accountId, [skillId]))
    }
    const visitorBehaviorIds = unique(input.visitorBehaviorIds ?? (await defaultId(tx, 'visitor_behaviors', accountId)))
    await requireKnownSimple(tx, 'visitor_behaviors', accountId, 'visitorBehaviors', visitorBehaviorIds)
    return {
      name: requireText('name', input.name),
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      channel: requireInteger('channel', input.channel ?? 1, 0),
      skillId,
      visitorBehaviorIds,
      agentNote: input.agentNote ?? '',
    }
  },
  insert: (tx, scope, values, now) =>
    campaignsRepository.insertEngagement(tx, scope.accountId, scope.campaignId, values, now),
  update: (tx, scope, existing, values, now) =>
    campaignsRepository.updateEngagement(tx, scope.accountId, existing.id, values, now),
  remove: (tx, scope, existing, now) =>
    campaignsRepository.markEngagementDeleted(tx, scope.accountId, existing.id, now),
}
