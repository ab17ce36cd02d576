import { createAccountCache } from '../cache/account-cache.ts'
import type { Invalidation } from '../cache/invalidation.ts'
import type { Clock } from '../clock.ts'
import { ParleyError, invalid } from '../errors.ts'
import type { IdGenerator } from '../ids.ts'
import { isValidTimeZone } from '../time.ts'
import { hashPassword } from '../auth/passwords.ts'
import { accountDeletionRepository, type DeletedRows } from '../../storage/repositories/account-deletion.repository.ts'
import { accountsRepository } from '../../storage/repositories/accounts.repository.ts'
import { credentialsRepository } from '../../storage/repositories/credentials.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { simpleEntitiesRepository } from '../../storage/repositories/simple-entities.repository.ts'
import { loginSessionsRepository } from '../../storage/repositories/login-sessions.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import type { DialectName } from '../../storage/dialect/dialect.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import {
  ACCOUNT_ID_PATTERN,
  ADMIN,
  DEFAULT_API_KEY_PERMISSIONS,
  MAIN_GROUP_ID,
  type Account,
  type ApiKey,
  type ApiKeyPermission,
  type AppKey,
} from './accounts.types.ts'
import { nameKey } from '../text/name-key.ts'

export interface CreateAccountInput {
  id: string
  name?: string | undefined
  timeZone?: string | undefined
  adminLoginName: string
  adminPassword: string
}

export interface CreatedAccount {
  account: Account
  adminUserId: number
  appKey: AppKey
  apiKey: ApiKey
}

export interface AccountsService {
  /** Creates an account with its built-ins, an Admin user, one visitor app key and one API key, atomically. */
  createAccount(input: CreateAccountInput): Promise<CreatedAccount>
  listAccounts(): Promise<Account[]>
  countAccounts(): Promise<number>
  findAccount(accountId: string): Promise<Account | undefined>
  /** The account, or ACCOUNT_NOT_FOUND (404 `Account {id} not found`). */
  requireAccount(accountId: string): Promise<Account>
  createAppKey(accountId: string): Promise<AppKey>
  createApiKey(
    accountId: string,
    options?: { permissions?: ApiKeyPermission[]; userId?: number | null },
  ): Promise<ApiKey>
  listAppKeys(accountId: string): Promise<AppKey[]>
  listApiKeys(accountId: string): Promise<ApiKey[]>
  /** Revokes an active visitor app key of the account; RESOURCE_NOT_FOUND when there is none. */
  revokeAppKey(accountId: string, appKey: string): Promise<void>
  /**
   * Revokes an active API key (by consumer key) of the account; RESOURCE_NOT_FOUND when there is
   * none. Agent sessions opened with it end at the next sweep.
   */
  revokeApiKey(accountId: string, consumerKey: string): Promise<void>
  /**
   * Sets a user's password (same rules as the configuration API) and ends the user's login
   * sessions, in one transaction. RESOURCE_NOT_FOUND for an unknown or deleted login name.
   */
  setUserPassword(accountId: string, loginName: string, password: string): Promise<{ userId: number }>
  /**
   * Deletes the account and all its data (configuration, credentials, sessions, chats, mail,
   * offline messages, the Engagement History archive) in one transaction; rows removed per table.
   */
  deleteAccount(accountId: string): Promise<DeletedRows>
}

export const MIN_PASSWORD_LENGTH = 8

export function createAccountsService(deps: {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  ids: IdGenerator
  /** What tells the caches that another write (of any process) changed an account. */
  invalidation: Invalidation
  /** The storage dialect (account deletion clears the dialect's search index). */
  dialect: DialectName
}): AccountsService {
  const { db, uow, clock, ids } = deps

  const newAppKey = (tx: Executor, accountId: string): Promise<AppKey> =>
    credentialsRepository.insertAppKey(tx, { accountId, appKey: ids.hex(16), now: clock.now() })

  const newApiKey = (
    tx: Executor,
    accountId: string,
    permissions: ApiKeyPermission[],
    userId: number | null,
  ): Promise<ApiKey> =>
    credentialsRepository.insertApiKey(tx, {
      accountId,
      consumerKey: ids.hex(16),
      consumerSecret: ids.hex(16),
      accessToken: ids.hex(16),
      accessTokenSecret: ids.hex(16),
      permissions,
      userId,
      now: clock.now(),
    })

  /** Accounts by id: read on nearly every request (invalidated by the account's configuration writes). */
  const accounts = createAccountCache<Account>({ clock, invalidation: deps.invalidation })
  const requireAccount = async (accountId: string): Promise<Account> => {
    const account = await accounts.get(accountId, '', () => accountsRepository.findById(db, accountId))
    if (!account) throw new ParleyError('ACCOUNT_NOT_FOUND', `Account ${accountId} not found`)
    return account
  }

  return {
    async createAccount(input) {
      if (!ACCOUNT_ID_PATTERN.test(input.id))
        throw invalid('id', 'account ids are 1 to 20 letters, digits or underscores')
      const timeZone = input.timeZone ?? 'UTC'
      if (!isValidTimeZone(timeZone)) throw invalid('timeZone', `unknown time zone "${timeZone}"`)
      if (input.adminLoginName.trim() === '') throw invalid('adminLoginName', 'must not be empty')
      if (input.adminPassword.length < MIN_PASSWORD_LENGTH)
        throw invalid('adminPassword', `must have at least ${MIN_PASSWORD_LENGTH} characters`)
      const passwordHash = await hashPassword(input.adminPassword)
      return uow.withTransaction(async (tx) => {
        if (await accountsRepository.findById(tx, input.id)) {
          throw new ParleyError('CONFLICT', `Account ${input.id} already exists`)
        }
        const now = clock.now()
        const account = await accountsRepository.insert(tx, {
          id: input.id,
          name: input.name ?? input.id,
          timeZone,
          now,
        })
        await simpleEntitiesRepository.insert(tx, 'goals', {
          accountId: account.id,
          name: 'Interact with visitors',
          description: '',
          isDefault: true,
          now,
        })
        await simpleEntitiesRepository.insert(tx, 'visitor_behaviors', {
          accountId: account.id,
          name: 'Any behavior',
          description: '',
          isDefault: true,
          now,
        })
        await simpleEntitiesRepository.insert(tx, 'visitor_profiles', {
          accountId: account.id,
          name: 'All visitors',
          description: '',
          isDefault: true,
          now,
        })
        const adminUserId = await usersRepository.insert(tx, {
          accountId: account.id,
          loginName: input.adminLoginName,
          loginKey: nameKey(input.adminLoginName),
          passwordHash,
          fullName: input.adminLoginName,
          nickname: input.adminLoginName,
          email: '',
          isEnabled: true,
          maxChats: -1,
          memberGroupId: MAIN_GROUP_ID,
          permissionGroups: [ADMIN],
          skillIds: [],
          managedGroupIds: [],
          now,
        })
        const appKey = await newAppKey(tx, account.id)
        const apiKey = await newApiKey(tx, account.id, [...DEFAULT_API_KEY_PERMISSIONS], null)
        return { account, adminUserId, appKey, apiKey }
      })
    },

    listAccounts: () => accountsRepository.list(db),
    countAccounts: () => accountsRepository.count(db),
    findAccount: (accountId) => accountsRepository.findById(db, accountId),
    requireAccount,

    async createAppKey(accountId) {
      await requireAccount(accountId)
      return newAppKey(db, accountId)
    },

    async createApiKey(accountId, options = {}) {
      await requireAccount(accountId)
      return newApiKey(db, accountId, options.permissions ?? [...DEFAULT_API_KEY_PERMISSIONS], options.userId ?? null)
    },

    listAppKeys: (accountId) => credentialsRepository.listAppKeys(db, accountId),
    listApiKeys: (accountId) => credentialsRepository.listApiKeys(db, accountId),

    async revokeAppKey(accountId, appKey) {
      await requireAccount(accountId)
      if (!(await credentialsRepository.revokeAppKey(db, accountId, appKey, clock.now())))
        throw new ParleyError('RESOURCE_NOT_FOUND', `No active app key ${appKey} in account ${accountId}`)
    },

    async revokeApiKey(accountId, consumerKey) {
      await requireAccount(accountId)
      if ((await credentialsRepository.revokeApiKey(db, accountId, consumerKey, clock.now())) === undefined)
        throw new ParleyError('RESOURCE_NOT_FOUND', `No active API key ${consumerKey} in account ${accountId}`)
    },

    async setUserPassword(accountId, loginName, password) {
      await requireAccount(accountId)
      if (password.length < MIN_PASSWORD_LENGTH)
        throw invalid('password', `must have at least ${MIN_PASSWORD_LENGTH} characters`)
      const passwordHash = await hashPassword(password)
      return uow.withTransaction(async (tx) => {
        const user = await usersRepository.findIdentityByLogin(tx, accountId, nameKey(loginName))
        if (!user) throw new ParleyError('RESOURCE_NOT_FOUND', `No user "${loginName}" in account ${accountId}`)
        const now = clock.now()
        await usersRepository.setPasswordHash(tx, accountId, user.id, passwordHash, now)
        // Whoever knew the old password is logged out everywhere.
        await loginSessionsRepository.endAllOfUser(tx, user.id, now)
        return { userId: user.id }
      })
    },

    async deleteAccount(accountId) {
      await requireAccount(accountId)
      return uow.withTransaction((tx) => accountDeletionRepository.deleteAccount(tx, deps.dialect, accountId))
    },
  }
}
