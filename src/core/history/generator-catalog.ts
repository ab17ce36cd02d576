import type { AccountConfigService } from '../account-config/account-config.service.ts'
import { SYSTEM_CALLER, type SimpleEntity } from '../account-config/account-config.types.ts'
import type { GeneratorAgent, GeneratorCatalog } from './generator.ts'
import type { CampaignInfo } from './record.types.ts'

const AGENT_PERMISSION = '1'

const SEED_SKILLS = ['Sales', 'Support', 'Billing']
const SEED_AGENTS = [
  { loginName: 'gen.ann', nickname: 'Ann', fullName: 'Ann Fischer' },
  { loginName: 'gen.bruno', nickname: 'Bruno', fullName: 'Bruno García' },
  { loginName: 'gen.chloe', nickname: 'Chloé', fullName: 'Chloé Martin' },
  { loginName: 'gen.dev', nickname: 'Dev', fullName: 'Dev Patel' },
]

export interface CatalogDeps {
  accountConfig: AccountConfigService
  /** Passwords of created agents (they are never shown; an admin can reset them). */
  newPassword: () => string
}

/**
 * The account's skills, agent groups, agents (enabled users with the Agent permission group)
 * and campaign engagements, as the history generator needs them. An account without skills,
 * groups, agents or campaigns first gets a few (3 skills, 1 group, 4 agents, 1 campaign with
 * 2 engagements), so generated records always refer to real configuration.
 */
export async function loadGeneratorCatalog(deps: CatalogDeps, accountId: string): Promise<GeneratorCatalog> {
  const config = deps.accountConfig
  const scope = { accountId }
  let skills = (await config.skills.list(SYSTEM_CALLER, scope)).value
  if (skills.length === 0) {
    skills = (
      await config.skills.createMany(
        SYSTEM_CALLER,
        scope,
        SEED_SKILLS.map((name) => ({ name, description: `${name} questions` })),
      )
    ).value
  }
  let groups = (await config.agentGroups.list(SYSTEM_CALLER, scope)).value
  if (!groups.some((group) => group.id !== -1)) {
    await config.agentGroups.create(SYSTEM_CALLER, scope, { name: 'Customer Care', description: 'Generated agents' })
    groups = (await config.agentGroups.list(SYSTEM_CALLER, scope)).value
  }
  const isAgent = (user: { isEnabled: boolean; permissionGroups: readonly string[] }): boolean =>
    user.isEnabled && user.permissionGroups.includes(AGENT_PERMISSION)
  let users = (await config.users.list(SYSTEM_CALLER, scope)).value.filter(isAgent)
  if (users.length === 0) {
    const group = groups.find((g) => g.id !== -1)
    users = (
      await config.users.createMany(
        SYSTEM_CALLER,
        scope,
        SEED_AGENTS.map((agent, i) => ({
          ...agent,
          password: deps.newPassword(),
          email: `${agent.loginName}@example.invalid`,
          skillIds: [skills[i % skills.length]?.id ?? -1].filter((id) => id !== -1),
          // Half the agents stay in the root group, so both group shapes appear in the archive.
          memberOf: { agentGroupId: i % 2 === 0 && group ? group.id : -1 },
          permissionGroups: [AGENT_PERMISSION],
        })),
      )
    ).value
  }
  const agents: GeneratorAgent[] = users.map((user) => ({
    id: user.id,
    loginName: user.loginName,
    nickname: user.nickname,
    fullName: user.fullName,
    groupId: user.memberOf.agentGroupId,
  }))
  return {
    skills: skills.map((skill) => ({ id: skill.id, name: skill.name })),
    agentGroups: groups.map((group) => ({ id: group.id, name: group.name })),
    agents,
    campaigns: await campaignSections(config, accountId),
  }
}

/** One `campaign` record section per enabled campaign engagement (engagement-history.md §5.5). */
async function campaignSections(config: AccountConfigService, accountId: string): Promise<CampaignInfo[]> {
  const scope = { accountId }
  let campaigns = (await config.campaigns.list(SYSTEM_CALLER, scope)).value
  if (campaigns.length === 0) {
    const campaign = (await config.campaigns.create(SYSTEM_CALLER, scope, { name: 'Live chat on your site' })).value
    await config.engagements.createMany(SYSTEM_CALLER, { accountId, campaignId: campaign.id }, [
      { name: 'Sticky chat button', agentNote: '' },
      { name: 'Checkout help offer', agentNote: 'Visitor was on the checkout page' },
    ])
    campaigns = (await config.campaigns.list(SYSTEM_CALLER, scope)).value
  }
  const byId = (list: SimpleEntity[]) => new Map(list.map((entity) => [entity.id, entity]))
  const goals = byId((await config.goals.list(SYSTEM_CALLER, scope)).value)
  const behaviors = byId((await config.visitorBehaviors.list(SYSTEM_CALLER, scope)).value)
  const profiles = byId((await config.visitorProfiles.list(SYSTEM_CALLER, scope)).value)
  const lobs = byId((await config.lobs.list(SYSTEM_CALLER, scope)).value)
  const sections: CampaignInfo[] = []
  for (const campaign of campaigns) {
    const engagements = (await config.engagements.list(SYSTEM_CALLER, { accountId, campaignId: campaign.id })).value
    const profile = profiles.get(campaign.visitorProfileIds[0] ?? -1)
    const lob = lobs.get(campaign.lobId)
    for (const engagement of engagements.filter((e) => e.enabled)) {
      const behavior = behaviors.get(engagement.visitorBehaviorIds[0] ?? -1)
      sections.push({
        campaignEngagementId: String(engagement.id),
        campaignEngagementName: engagement.name,
        campaignId: String(campaign.id),
        campaignName: campaign.name,
        goalId: String(campaign.goalId),
        goalName: goals.get(campaign.goalId)?.name ?? 'NA',
        visitorBehaviorId: behavior ? String(behavior.id) : '-1',
        visitorBehaviorName: behavior?.name ?? 'NA',
        visitorProfileId: profile ? String(profile.id) : '-1',
        visitorProfileName: profile?.name ?? 'NA',
        lobId: lob ? lob.id : -1,
        lobName: lob?.name ?? 'NA',
        engagementAgentNote: engagement.agentNote,
        behaviorSystemDefault: behavior?.isDefault ?? false,
        profileSystemDefault: profile?.isDefault ?? false,
      })
    }
  }
  return sections
}
