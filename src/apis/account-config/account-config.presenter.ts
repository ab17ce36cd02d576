import type {
  AgentGroup,
  Campaign,
  CampaignEngagement,
  ConfigUser,
  GroupAssignment,
  SimpleEntity,
  Skill,
  Survey,
} from '../../core/account-config/account-config.types.ts'
import { formatConfigDate } from '../../core/time.ts'

/** A configuration entity as it goes on the wire (JSON only, plain keys, ids as numbers). */
export type ConfigDocument = Record<string, unknown>

/** Turns an entity into its wire document; dates are formatted in the account's time zone. */
export type Presenter<T> = (entity: T, timeZone: string) => ConfigDocument

export const presentSkill: Presenter<Skill> = (skill, timeZone) => ({
  id: skill.id,
  name: skill.name,
  description: skill.description,
  maxWaitTime: skill.maxWaitTime,
  deleted: skill.deleted,
  dateUpdated: formatConfigDate(skill.updatedAt, timeZone),
})

export const presentAgentGroup: Presenter<AgentGroup> = (group, timeZone) => ({
  id: group.id,
  name: group.name,
  description: group.description,
  parentGroupId: group.parentGroupId,
  isEnabled: group.isEnabled,
  deleted: group.deleted,
  dateUpdated: formatConfigDate(group.updatedAt, timeZone),
})

const presentAssignment = (assignment: GroupAssignment, timeZone: string): ConfigDocument => ({
  agentGroupId: assignment.agentGroupId,
  assignmentDate: formatConfigDate(assignment.assignedAt, timeZone),
})

/** `passwordSh` is write-only and never presented. */
export const presentUser: Presenter<ConfigUser> = (user, timeZone) => ({
  id: user.id,
  loginName: user.loginName,
  fullName: user.fullName,
  nickname: user.nickname,
  email: user.email,
  isEnabled: user.isEnabled,
  maxChats: user.maxChats,
  skillIds: [...user.skillIds],
  memberOf: presentAssignment(user.memberOf, timeZone),
  managerOf: user.managerOf.map((assignment) => presentAssignment(assignment, timeZone)),
  permissionGroups: user.permissionGroups.map(String),
  deleted: user.deleted,
  dateUpdated: formatConfigDate(user.updatedAt, timeZone),
})

export const presentCampaign: Presenter<Campaign> = (campaign) => ({
  id: campaign.id,
  name: campaign.name,
  description: campaign.description,
  goalId: campaign.goalId,
  lobId: campaign.lobId,
  status: campaign.status,
  visitorProfiles: [...campaign.visitorProfileIds],
  startDate: campaign.startDate,
  expirationDate: campaign.expirationDate,
  engagementIds: [...campaign.engagementIds],
  deleted: campaign.deleted,
})

export const presentEngagement: Presenter<CampaignEngagement> = (engagement) => ({
  id: engagement.id,
  campaignId: engagement.campaignId,
  name: engagement.name,
  description: engagement.description,
  enabled: engagement.enabled,
  channel: engagement.channel,
  skillId: engagement.skillId,
  visitorBehaviors: [...engagement.visitorBehaviorIds],
  agentNote: engagement.agentNote,
  deleted: engagement.deleted,
})

/** Goals and lines of business: no `isDefault` on the wire. */
export const presentNamedEntity: Presenter<SimpleEntity> = (entity) => ({
  id: entity.id,
  name: entity.name,
  description: entity.description,
  deleted: entity.deleted,
})

/** Visitor behaviors and profiles: `isDefault` marks the built-in one. */
export const presentTargetingEntity: Presenter<SimpleEntity> = (entity) => ({
  id: entity.id,
  name: entity.name,
  description: entity.description,
  isDefault: entity.isDefault,
  deleted: entity.deleted,
})

export const presentSurvey: Presenter<Survey> = (survey) => ({
  id: survey.id,
  name: survey.name,
  type: survey.type,
  header: survey.header,
  skillIds: [...survey.skillIds],
  isDefault: survey.isDefault,
  deleted: survey.deleted,
  questions: survey.questions.map((question) => ({
    id: question.id,
    logicId: question.logicId,
    order: question.order,
    type: question.type,
    label: question.label,
    mandatory: question.mandatory,
    validationType: question.validationType,
    entries: question.entries.map((entry) => ({
      value: entry.value,
      displayValue: entry.displayValue,
      checked: entry.checked,
      showLogicIds: [...entry.showLogicIds],
      ...(entry.skillId === undefined ? {} : { skillId: entry.skillId }),
    })),
  })),
})

/**
 * Names asked for with `select` (comma-separated) and repeated `fields`. Empty when none, which
 * means "every field".
 */
export function selectedFields(select: string | undefined, fields: readonly string[] | undefined): Set<string> {
  const names = [...(select ?? '').split(','), ...(fields ?? []).flatMap((value) => value.split(','))]
  return new Set(names.map((name) => name.trim()).filter((name) => name !== ''))
}

/** Keeps only the selected top-level fields; unknown names are ignored, and if none is known the document stays whole. */
export function applySelection(document: ConfigDocument, selection: ReadonlySet<string>): ConfigDocument {
  if (selection.size === 0) return document
  const kept = Object.entries(document).filter(([key]) => selection.has(key))
  return kept.length === 0 ? document : Object.fromEntries(kept)
}
