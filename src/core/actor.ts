import type { ApiKeyPermission, PermissionGroup } from './accounts/accounts.types.ts'

/** Who is calling, resolved once per request by the auth hook. Services check access against it. */
export type Actor =
  | {
      kind: 'user'
      accountId: string
      userId: number
      loginName: string
      sessionId: number
      permissionGroups: readonly PermissionGroup[]
      managedGroupIds: readonly number[]
    }
  | {
      kind: 'apiKey'
      accountId: string
      apiKeyId: number
      permissions: readonly ApiKeyPermission[]
      userId: number | null
    }
  | {
      kind: 'visitorApp'
      accountId: string
      /** The app key's id; 0 for LivePerson's documented default key (credentials.service.ts). */
      appKeyId: number
      /** The key has LivePerson's Visit API privilege (`visit-session` link, chat-api.md §11.4). */
      visitPrivilege: boolean
    }
