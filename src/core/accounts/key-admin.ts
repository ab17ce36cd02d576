import type { Actor } from '../actor.ts'
import { ParleyError } from '../errors.ts'
import type { AccountsService } from './accounts.service.ts'
import {
  ADMIN,
  DEFAULT_API_KEY_PERMISSIONS,
  type ApiKey,
  type ApiKeyPermission,
  type AppKey,
} from './accounts.types.ts'

/** An API key as it may be listed: everything but the secrets, which are shown once, at creation. */
export type ListedApiKey = Omit<ApiKey, 'consumerSecret' | 'accessToken' | 'accessTokenSecret'>

/**
 * The account's visitor app keys and OAuth 1.0a API keys, for the Admin users of that account
 * (docs/account-config.md, "Keys"). The same storage and rules as `parley appkey|apikey`; only an
 * Admin user's bearer may call it: an API key could otherwise mint itself a wider key.
 */
export interface KeyAdmin {
  listAppKeys(caller: Actor, accountId: string): Promise<AppKey[]>
  createAppKey(caller: Actor, accountId: string): Promise<AppKey>
  revokeAppKey(caller: Actor, accountId: string, appKey: string): Promise<void>
  listApiKeys(caller: Actor, accountId: string): Promise<ListedApiKey[]>
  /** The new key with its secrets (the only time they leave the server). Duplicates in `permissions` are dropped. */
  createApiKey(caller: Actor, accountId: string, permissions?: readonly ApiKeyPermission[]): Promise<ApiKey>
  revokeApiKey(caller: Actor, accountId: string, consumerKey: string): Promise<void>
}

function requireAdmin(caller: Actor, accountId: string): void {
  if (caller.kind === 'user' && caller.accountId === accountId && caller.permissionGroups.includes(ADMIN)) return
  throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
}

/** Strips the secrets; the listing never carries them. */
function listed(key: ApiKey): ListedApiKey {
  return {
    id: key.id,
    accountId: key.accountId,
    consumerKey: key.consumerKey,
    permissions: key.permissions,
    userId: key.userId,
    createdAt: key.createdAt,
  }
}

export function createKeyAdmin(deps: { accounts: AccountsService }): KeyAdmin {
  const { accounts } = deps
  const guarded = async (caller: Actor, accountId: string): Promise<void> => {
    requireAdmin(caller, accountId)
    await accounts.requireAccount(accountId)
  }
  return {
    async listAppKeys(caller, accountId) {
      await guarded(caller, accountId)
      return accounts.listAppKeys(accountId)
    },
    async createAppKey(caller, accountId) {
      await guarded(caller, accountId)
      return accounts.createAppKey(accountId)
    },
    async revokeAppKey(caller, accountId, appKey) {
      await guarded(caller, accountId)
      await accounts.revokeAppKey(accountId, appKey)
    },
    async listApiKeys(caller, accountId) {
      await guarded(caller, accountId)
      return (await accounts.listApiKeys(accountId)).map(listed)
    },
    async createApiKey(caller, accountId, permissions = DEFAULT_API_KEY_PERMISSIONS) {
      await guarded(caller, accountId)
      return accounts.createApiKey(accountId, { permissions: [...new Set(permissions)] })
    },
    async revokeApiKey(caller, accountId, consumerKey) {
      await guarded(caller, accountId)
      await accounts.revokeApiKey(accountId, consumerKey)
    },
  }
}
