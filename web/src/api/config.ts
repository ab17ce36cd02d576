import type { HttpClient } from './http.ts'

/**
 * Account configuration API (docs/account-config.md): the users, skills and agent groups the admin
 * pages edit. Every answer carries the account's configuration revision (`ETag: "7"`); a change
 * sends it back as `If-Match`, so the server answers 412 when someone changed the account since.
 */

export interface User {
  id: number
  loginName: string
  fullName: string
  nickname: string
  email: string
  isEnabled: boolean
  maxChats: number
  skillIds: number[]
  memberOf?: { agentGroupId: number }
  managerOf?: Array<{ agentGroupId: number }>
  permissionGroups: string[]
  deleted: boolean
}

/** What a user form sends: POST creates (a password is required), PUT replaces (a password is optional). */
export interface UserFields {
  loginName: string
  passwordSh?: string
  nickname: string
  fullName: string
  email: string
  maxChats: number
  skillIds: number[]
  permissionGroups: string[]
  memberOf: { agentGroupId: number }
  isEnabled?: boolean
}

export interface Named {
  id: number
  name: string
  deleted?: boolean
}

export interface Skill extends Named {
  description: string
  maxWaitTime: number
}

export interface SkillFields {
  name: string
  description: string
  maxWaitTime: number
}

export interface AgentGroup extends Named {
  description: string
  parentGroupId: number | null
  isEnabled: boolean
}

export interface AgentGroupFields {
  name: string
  description: string
  parentGroupId: number
  isEnabled: boolean
}

/** A list with the revision it was read at. */
export interface Versioned<T> {
  value: T
  revision: string | undefined
}

/** The virtual root group every account has (it cannot be changed or deleted). */
export const MAIN_GROUP_ID = -1

/** `"passwordSh: must have at least 8 characters"` → the field it names, for showing it beside that field. */
export function fieldOf(message: string): string | undefined {
  const match = /^([A-Za-z][\w.[\]]*):\s/.exec(message)
  return match?.[1]?.replace(/^body\./, '').split(/[.[]/)[0]
}

/** The user's current fields as a PUT body (PUT replaces the user, so every field goes back). */
export function userFields(user: User): UserFields {
  return {
    loginName: user.loginName,
    fullName: user.fullName,
    nickname: user.nickname,
    email: user.email,
    maxChats: user.maxChats,
    skillIds: user.skillIds,
    permissionGroups: user.permissionGroups,
    memberOf: { agentGroupId: user.memberOf?.agentGroupId ?? MAIN_GROUP_ID },
    isEnabled: user.isEnabled,
  }
}

export function configApi(http: HttpClient, accountId: string) {
  const base = `/api/account/${encodeURIComponent(accountId)}/configuration`
  const list = async <T>(path: string): Promise<Versioned<T[]>> => {
    const answer = await http.request<T[]>('GET', `${base}${path}`)
    return { value: answer.data, revision: answer.etag }
  }
  const ifMatch = (revision: string | undefined): Record<string, string> => (revision ? { 'If-Match': revision } : {})
  const write = async <T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, revision?: string) =>
    (
      await http.request<T>(method, `${base}${path}`, {
        ...(body === undefined ? {} : { body }),
        headers: ifMatch(revision),
        retry: false,
      })
    ).data

  return {
    users: () => list<User>('/le-users/users'),
    skills: () => list<Skill>('/le-users/skills'),
    agentGroups: () => list<AgentGroup>('/le-users/agentGroups'),
    createUser: (user: UserFields) => write<User>('POST', '/le-users/users', user),
    updateUser: (id: number, user: UserFields, revision: string | undefined) =>
      write<User>('PUT', `/le-users/users/${id}`, user, revision),
    createSkill: (skill: SkillFields) => write<Skill>('POST', '/le-users/skills', skill),
    updateSkill: (id: number, skill: SkillFields, revision: string | undefined) =>
      write<Skill>('PUT', `/le-users/skills/${id}`, skill, revision),
    deleteSkill: (id: number, revision: string | undefined) =>
      write<Skill>('DELETE', `/le-users/skills/${id}`, undefined, revision),
    createAgentGroup: (group: AgentGroupFields) => write<AgentGroup>('POST', '/le-users/agentGroups', group),
    updateAgentGroup: (id: number, group: AgentGroupFields, revision: string | undefined) =>
      write<AgentGroup>('PUT', `/le-users/agentGroups/${id}`, group, revision),
    deleteAgentGroup: (id: number, revision: string | undefined) =>
      write<AgentGroup>('DELETE', `/le-users/agentGroups/${id}`, undefined, revision),
  }
}

export type ConfigApi = ReturnType<typeof configApi>
