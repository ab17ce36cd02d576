/** A hosted LivePerson account (tenant). Every other entity belongs to exactly one. */
export interface Account {
  id: string
  name: string
  timeZone: string
  /** Account-wide configuration revision (`ac-revision`), incremented by every configuration change. */
  revision: number
  createdAt: number
}

/** Visitor API key (`Authorization: LivePerson appKey=...`). Public by nature: it is embedded in web pages. */
export interface AppKey {
  id: number
  accountId: string
  appKey: string
  createdAt: number
}

/**
 * What an OAuth 1.0a API key may call: `engagementHistory` (Engagement History), `monitoring`
 * (Engagement Attributes), `agent` (Chat Agent API, key bound to a user), `visitor` (Server Chat API),
 * `visit` (LivePerson's Visit API privilege: the `visit-session` link), `configRead` (account
 * configuration API reads), `configWrite` (its writes; implies reads) and `operationalRealtime`
 * (the Operational Realtime API, docs/operational-realtime.md).
 */
export type ApiKeyPermission =
  | 'engagementHistory'
  | 'monitoring'
  | 'agent'
  | 'visitor'
  | 'visit'
  | 'configRead'
  | 'configWrite'
  | 'operationalRealtime'
export const ALL_API_KEY_PERMISSIONS: readonly ApiKeyPermission[] = [
  'engagementHistory',
  'monitoring',
  'agent',
  'visitor',
  'visit',
  'configRead',
  'configWrite',
  'operationalRealtime',
]
/** What `account create` and `apikey create` grant when no permissions are named: no configuration writes, no Visit API. */
export const DEFAULT_API_KEY_PERMISSIONS: readonly ApiKeyPermission[] = [
  'engagementHistory',
  'monitoring',
  'agent',
  'visitor',
  'configRead',
  'operationalRealtime',
]

/** OAuth 1.0a credentials ("API key"): consumer key/secret plus access token/secret. */
export interface ApiKey {
  id: number
  accountId: string
  consumerKey: string
  consumerSecret: string
  accessToken: string
  accessTokenSecret: string
  permissions: ApiKeyPermission[]
  /** When set, application login with this key must name this user. */
  userId: number | null
  createdAt: number
}

/** Permission groups: "1" Agent, "2" Agent Manager, "3" Campaign Manager, "4" Admin. */
export type PermissionGroup = '1' | '2' | '3' | '4'
export const PERMISSION_GROUPS: readonly PermissionGroup[] = ['1', '2', '3', '4']
export const ADMIN: PermissionGroup = '4'
export const AGENT_MANAGER: PermissionGroup = '2'

/** A user as the login and access rules see it (the configuration API has the full shape). */
export interface UserIdentity {
  id: number
  accountId: string
  loginName: string
  passwordHash: string
  nickname: string
  isEnabled: boolean
  deleted: boolean
  permissionGroups: PermissionGroup[]
  managedGroupIds: number[]
}

/** A Login Service session. Only hashes of the bearer, session key and CSRF token are stored. */
export interface LoginSession {
  id: number
  accountId: string
  userId: number
  createdAt: number
  lastUsedAt: number
  expiresAt: number
  endedAt: number | null
}

/** The built-in root agent group every account has. */
export const MAIN_GROUP_ID = -1
export const MAIN_GROUP_NAME = 'Main Group'
/** The implicit "Unassigned" skill. */
export const UNASSIGNED_SKILL_ID = -1

/** LivePerson's account id rule. */
export const ACCOUNT_ID_PATTERN = /^[a-zA-Z0-9_]{1,20}$/
