import type {
  AgentGroup,
  AgentGroupInput,
  Campaign,
  CampaignEngagement,
  CampaignEngagementInput,
  CampaignInput,
  ConfigUser,
  SimpleEntity,
  SimpleEntityInput,
  Skill,
  SkillInput,
  Survey,
  SurveyInput,
  UserInput,
} from './account-config.types.ts'
import { agentGroupKind, campaignEngagementKind, campaignKind, simpleEntityKind, skillKind } from './entity-kinds.ts'
import {
  createEntityService,
  type CampaignScope,
  type EntityService,
  type EntityServiceDeps,
} from './entity-service.ts'
import { surveyKind } from './surveys.kind.ts'
import { userKind } from './users.kind.ts'

/**
 * The account configuration API's use-cases, one entity service per kind (account-config.md).
 * Callers pass an actor (Admin users of the account only) or `SYSTEM_CALLER` (command line,
 * demo seeding). Example: `accountConfig.skills.create(SYSTEM_CALLER, { accountId }, { name: 'Sales' })`.
 */
export interface AccountConfigService {
  skills: EntityService<Skill, SkillInput>
  /** Lists start with the virtual root group -1 "Main Group", which cannot be changed. */
  agentGroups: EntityService<AgentGroup, AgentGroupInput>
  /** Disabling or deleting a user ends their login sessions in the same transaction. */
  users: EntityService<ConfigUser, UserInput>
  campaigns: EntityService<Campaign, CampaignInput>
  /** Scoped by `{ accountId, campaignId }`; an unknown campaign is RESOURCE_NOT_FOUND. */
  engagements: EntityService<CampaignEngagement, CampaignEngagementInput, CampaignScope>
  goals: EntityService<SimpleEntity, SimpleEntityInput>
  visitorBehaviors: EntityService<SimpleEntity, SimpleEntityInput>
  visitorProfiles: EntityService<SimpleEntity, SimpleEntityInput>
  lobs: EntityService<SimpleEntity, SimpleEntityInput>
  surveys: EntityService<Survey, SurveyInput>
}

export function createAccountConfigService(deps: EntityServiceDeps): AccountConfigService {
  return {
    skills: createEntityService(skillKind, deps),
    agentGroups: createEntityService(agentGroupKind, deps),
    users: createEntityService(userKind, deps),
    campaigns: createEntityService(campaignKind, deps),
    engagements: createEntityService(campaignEngagementKind, deps),
    goals: createEntityService(simpleEntityKind('goals', 'goal'), deps),
    visitorBehaviors: createEntityService(simpleEntityKind('visitor_behaviors', 'visitor behavior'), deps),
    visitorProfiles: createEntityService(simpleEntityKind('visitor_profiles', 'visitor profile'), deps),
    lobs: createEntityService(simpleEntityKind('lobs', 'line of business'), deps),
    surveys: createEntityService(surveyKind, deps),
  }
}
