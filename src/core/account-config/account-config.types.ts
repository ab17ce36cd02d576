import type { Actor } from '../actor.ts'
import type { PermissionGroup } from '../accounts/accounts.types.ts'

/**
 * Who changes configuration: an authenticated actor (checked for the Admin permission group) or
 * Parley itself (command line, demo seeding), which is always allowed.
 */
export type ConfigCaller = Actor | { kind: 'system' }

/** The caller used by the command line and seeding code. */
export const SYSTEM_CALLER: ConfigCaller = { kind: 'system' }

/** Columns every configuration entity has. Times are epoch ms; presenters format them. */
export interface ConfigEntity {
  id: number
  accountId: string
  deleted: boolean
  updatedAt: number
}

export interface Skill extends ConfigEntity {
  name: string
  description: string
  /** Seconds. */
  maxWaitTime: number
}

export interface AgentGroup extends ConfigEntity {
  name: string
  description: string
  /** `null` only for the built-in root group -1. */
  parentGroupId: number | null
  isEnabled: boolean
}

export interface GroupAssignment {
  agentGroupId: number
  assignedAt: number
}

/** A user as the configuration API sees it; the password hash never leaves storage through this type. */
export interface ConfigUser extends ConfigEntity {
  loginName: string
  fullName: string
  nickname: string
  email: string
  isEnabled: boolean
  /** Concurrent chats; -1 = unlimited. */
  maxChats: number
  skillIds: number[]
  memberOf: GroupAssignment
  managerOf: GroupAssignment[]
  permissionGroups: PermissionGroup[]
}

/** Goals, visitor behaviors, visitor profiles and lines of business share this shape. */
export interface SimpleEntity extends ConfigEntity {
  name: string
  description: string
  /** True only for the built-ins created with the account; those cannot be deleted. */
  isDefault: boolean
}

export type SimpleEntityKind = 'goal' | 'visitorBehavior' | 'visitorProfile' | 'lob'

export interface Campaign extends ConfigEntity {
  name: string
  description: string
  goalId: number
  /** -1 = none. */
  lobId: number
  /** 0 unpublished, 1 published. */
  status: number
  visitorProfileIds: number[]
  startDate: string | null
  expirationDate: string | null
  /** Non-deleted engagements of the campaign, by id (derived). */
  engagementIds: number[]
}

/** A campaign engagement (`campaignEngagementId` in code; a bare `engagementId` is a chat segment). */
export interface CampaignEngagement extends ConfigEntity {
  campaignId: number
  name: string
  description: string
  enabled: boolean
  channel: number
  /** -1 = none. */
  skillId: number
  visitorBehaviorIds: number[]
  agentNote: string
}

export type SurveyType = 'preChat' | 'exit' | 'offline' | 'agent'
export const SURVEY_TYPES: readonly SurveyType[] = ['preChat', 'exit', 'offline', 'agent']

export type SurveyQuestionType =
  'Dropdown Box' | 'Checkbox' | 'Radio Button (side by side)' | 'Radio Button' | 'Text Field' | 'Text Area'
export const SURVEY_QUESTION_TYPES: readonly SurveyQuestionType[] = [
  'Dropdown Box',
  'Checkbox',
  'Radio Button (side by side)',
  'Radio Button',
  'Text Field',
  'Text Area',
]
/** Question types whose answers are chosen from `entries`. */
export const SELECTION_QUESTION_TYPES: readonly SurveyQuestionType[] = [
  'Dropdown Box',
  'Checkbox',
  'Radio Button (side by side)',
  'Radio Button',
]

export type SurveyValidationType = 'alpha_numeric' | 'numeric' | 'email'
export const SURVEY_VALIDATION_TYPES: readonly SurveyValidationType[] = ['alpha_numeric', 'numeric', 'email']

export interface SurveyEntry {
  value: string
  displayValue: string
  checked: boolean
  showLogicIds: number[]
  /**
   * Parley extension: a chat request with `runWithRules: true` whose pre-chat answer picks this
   * entry is routed to this skill (docs/surveys.md).
   */
  skillId?: number
}

export interface SurveyQuestion {
  id: number
  logicId: number
  order: number
  type: SurveyQuestionType
  label: string
  mandatory: boolean
  validationType: SurveyValidationType
  entries: SurveyEntry[]
}

export interface Survey extends ConfigEntity {
  name: string
  type: SurveyType
  header: string
  skillIds: number[]
  isDefault: boolean
  questions: SurveyQuestion[]
}

// Inputs: what callers send. Optional fields take their defaults (also on update: PUT replaces).

export interface SkillInput {
  name: string
  description?: string | undefined
  maxWaitTime?: number | undefined
}

export interface AgentGroupInput {
  name: string
  description?: string | undefined
  /** `null` or absent = the root group -1. */
  parentGroupId?: number | null | undefined
  isEnabled?: boolean | undefined
}

export interface UserInput {
  loginName: string
  /** Required on create; on update `null` or absent keeps the current password. */
  password?: string | null | undefined
  fullName?: string | undefined
  nickname: string
  email: string
  isEnabled?: boolean | undefined
  maxChats?: number | undefined
  skillIds?: number[] | undefined
  memberOf?: { agentGroupId: number } | undefined
  managerOf?: Array<{ agentGroupId: number }> | undefined
  permissionGroups?: string[] | undefined
}

export interface SimpleEntityInput {
  name: string
  description?: string | undefined
}

export interface CampaignInput {
  name: string
  description?: string | undefined
  goalId?: number | undefined
  lobId?: number | undefined
  status?: number | undefined
  visitorProfileIds?: number[] | undefined
  startDate?: string | null | undefined
  expirationDate?: string | null | undefined
}

export interface CampaignEngagementInput {
  name: string
  description?: string | undefined
  enabled?: boolean | undefined
  channel?: number | undefined
  skillId?: number | undefined
  visitorBehaviorIds?: number[] | undefined
  agentNote?: string | undefined
}

export interface SurveyEntryInput {
  value: string
  displayValue?: string | undefined
  checked?: boolean | undefined
  showLogicIds?: number[] | undefined
  skillId?: number | undefined
}

export interface SurveyQuestionInput {
  id?: number | undefined
  logicId?: number | undefined
  order?: number | undefined
  type: string
  label: string
  mandatory?: boolean | undefined
  validationType?: string | undefined
  entries?: SurveyEntryInput[] | undefined
}

export interface SurveyInput {
  name: string
  type: string
  header?: string | undefined
  skillIds?: number[] | undefined
  isDefault?: boolean | undefined
  questions: SurveyQuestionInput[]
}

// Stored values: inputs with defaults applied and references checked, as repositories write them.

export type SkillValues = Omit<Skill, keyof ConfigEntity>
export type AgentGroupValues = Omit<AgentGroup, keyof ConfigEntity> & { parentGroupId: number }
export type SimpleEntityValues = Omit<SimpleEntity, keyof ConfigEntity | 'isDefault'>
export type CampaignValues = Omit<Campaign, keyof ConfigEntity | 'engagementIds'>
export type CampaignEngagementValues = Omit<CampaignEngagement, keyof ConfigEntity | 'campaignId'>
export type SurveyValues = Omit<Survey, keyof ConfigEntity>
export interface UserValues {
  loginName: string
  /** Absent on update = keep the stored hash. */
  passwordHash: string | undefined
  fullName: string
  nickname: string
  email: string
  isEnabled: boolean
  maxChats: number
  skillIds: number[]
  memberGroupId: number
  managedGroupIds: number[]
  permissionGroups: PermissionGroup[]
}
