import type { HttpClient } from './http.ts'

/** Account configuration API (docs/account-config.md): the users and skills the admin pages edit. */

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
  permissionGroups: string[]
  deleted: boolean
}

export interface NewUser {
  loginName: string
  passwordSh: string
  nickname: string
  fullName: string
  email: string
  maxChats: number
  skillIds: number[]
  permissionGroups: string[]
  memberOf: { agentGroupId: number }
}

export interface Named {
  id: number
  name: string
  deleted?: boolean
}

/** `"passwordSh: must have at least 8 characters"` → the field it names, for showing it beside that field. */
export function fieldOf(message: string): string | undefined {
  const match = /^([A-Za-z][\w.[\]]*):\s/.exec(message)
  return match?.[1]?.replace(/^body\./, '').split(/[.[]/)[0]
}

export function configApi(http: HttpClient, accountId: string) {
  const base = `/api/account/${encodeURIComponent(accountId)}/configuration`
  return {
    async users(): Promise<User[]> {
      return (await http.request<User[]>('GET', `${base}/le-users/users`)).data
    },
    async skills(): Promise<Named[]> {
      return (await http.request<Named[]>('GET', `${base}/le-users/skills?select=id,name,deleted`)).data
    },
    async agentGroups(): Promise<Named[]> {
      return (await http.request<Named[]>('GET', `${base}/le-users/agentGroups?select=id,name,deleted`)).data
    },
    async createUser(user: NewUser): Promise<User> {
      return (await http.request<User>('POST', `${base}/le-users/users`, { body: user, retry: false })).data
    },
    /** PUT replaces the user, so the current fields go back with `isEnabled` changed. */
    async setEnabled(user: User, isEnabled: boolean): Promise<User> {
      const body = {
        loginName: user.loginName,
        fullName: user.fullName,
        nickname: user.nickname,
        email: user.email,
        maxChats: user.maxChats,
        skillIds: user.skillIds,
        permissionGroups: user.permissionGroups,
        memberOf: { agentGroupId: user.memberOf?.agentGroupId ?? -1 },
        isEnabled,
      }
      return (await http.request<User>('PUT', `${base}/le-users/users/${user.id}`, { body, retry: false })).data
    },
  }
}

export type ConfigApi = ReturnType<typeof configApi>
