import { MAIN_GROUP_ID, PERMISSION_GROUPS, type PermissionGroup } from '../accounts/accounts.types.ts'
import { MIN_PASSWORD_LENGTH } from '../accounts/accounts.service.ts'
import { hashPassword } from '../auth/passwords.ts'
import { ParleyError, invalid } from '../errors.ts'
import { loginSessionsRepository } from '../../storage/repositories/login-sessions.repository.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import type { ConfigUser, UserInput, UserValues } from './account-config.types.ts'
import { requireInteger, requireKnownIds, requireOneOf, requireText, unique } from './config-rules.ts'
import { requireKnownGroups } from './entity-kinds.ts'
import type { EntityKind } from './entity-service.ts'
import { nameKey } from '../text/name-key.ts'

/** A user input whose password, if any, is already hashed (hashing never runs inside a transaction). */
export type PreparedUserInput = Omit<UserInput, 'password'> & { passwordHash: string | undefined }

export const DEFAULT_PERMISSION_GROUPS: readonly PermissionGroup[] = ['1']

export const userKind: EntityKind<ConfigUser, UserInput, PreparedUserInput, UserValues> = {
  label: 'user',
  list: (db, scope, includeDeleted) => usersRepository.list(db, scope.accountId, includeDeleted),
  find: (db, scope, id) => usersRepository.findById(db, scope.accountId, id),

  async prepare(input, mode) {
    const { password, ...rest } = input
    if (password === null || password === undefined) {
      if (mode === 'create') throw invalid('passwordSh', 'is required')
      return { ...rest, passwordHash: undefined }
    }
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw invalid('passwordSh', `must have at least ${MIN_PASSWORD_LENGTH} characters`)
    }
    return { ...rest, passwordHash: await hashPassword(password) }
  },

  async resolve(tx, scope, input, existing) {
    const { accountId } = scope
    const loginName = requireText('loginName', input.loginName).trim()
    if (await usersRepository.findActiveIdByLogin(tx, accountId, nameKey(loginName), existing?.id)) {
      throw new ParleyError('CONFLICT', `loginName: a user with login name "${loginName}" already exists`)
    }
    const skillIds = unique(input.skillIds ?? [])
    requireKnownIds('skillIds', skillIds, await skillsRepository.existingIds(tx, accountId, skillIds))
    const memberGroupId = input.memberOf?.agentGroupId ?? MAIN_GROUP_ID
    await requireKnownGroups(tx, accountId, 'memberOf.agentGroupId', [memberGroupId])
    const managedGroupIds = unique((input.managerOf ?? []).map((assignment) => assignment.agentGroupId))
    await requireKnownGroups(tx, accountId, 'managerOf.agentGroupId', managedGroupIds)
    const permissionGroups = unique(
      (input.permissionGroups ?? DEFAULT_PERMISSION_GROUPS).map((group) =>
        requireOneOf('permissionGroups', String(group), PERMISSION_GROUPS),
      ),
    )
    return {
      loginName,
      passwordHash: input.passwordHash,
      fullName: input.fullName ?? '',
      nickname: requireText('nickname', input.nickname),
      email: input.email,
      isEnabled: input.isEnabled ?? true,
      maxChats: requireInteger('maxChats', input.maxChats ?? -1, -1),
      skillIds,
      memberGroupId,
      managedGroupIds,
      permissionGroups,
    }
  },

  async insert(tx, scope, values, now) {
    if (values.passwordHash === undefined) throw invalid('passwordSh', 'is required')
    return usersRepository.insert(tx, {
      ...values,
      loginKey: nameKey(values.loginName),
      passwordHash: values.passwordHash,
      accountId: scope.accountId,
      now,
    })
  },
  async update(tx, scope, existing, values, now, caller) {
    await usersRepository.update(tx, scope.accountId, existing.id, values, nameKey(values.loginName), now)
    // A new password ends the user's other sessions: whoever knew the old one is logged out
    // (the session the user changed it with, if any, stays).
    if (values.passwordHash !== undefined) {
      const keep = caller.kind === 'user' && caller.userId === existing.id ? caller.sessionId : undefined
      await loginSessionsRepository.endAllOfUser(tx, existing.id, now, keep)
    }
  },
  remove: (tx, scope, existing, now) => usersRepository.markDeleted(tx, scope.accountId, existing.id, now),

  // Disabled and deleted users lose access at once (account-config.md §1.7).
  async afterChange(tx, _scope, user, now) {
    if (!user.isEnabled || user.deleted) await loginSessionsRepository.endAllOfUser(tx, user.id, now)
  },
}
