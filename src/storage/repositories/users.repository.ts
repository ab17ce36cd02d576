import type { Selectable } from 'kysely'
import type { ConfigUser, UserValues } from '../../core/account-config/account-config.types.ts'
import type { PermissionGroup, UserIdentity } from '../../core/accounts/accounts.types.ts'
import type { NameKey } from '../../core/text/name-key.ts'
import type { UserRow } from '../schema.ts'
import { parseJsonArray, toBool, type Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

/** Columns of a new user. */
export interface NewUserRow {
  accountId: string
  loginName: string
  /** `nameKey(loginName)`: logins are unique per account among non-deleted users by this key. */
  loginKey: NameKey
  passwordHash: string
  fullName: string
  nickname: string
  email: string
  isEnabled: boolean
  maxChats: number
  memberGroupId: number
  permissionGroups: PermissionGroup[]
  skillIds: number[]
  managedGroupIds: number[]
  now: number
}

/** Users: identity lookups for login and access, and the configuration API's reads and writes. */
export const usersRepository = {
  async insert(db: Executor, user: NewUserRow): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({
        account_id: user.accountId,
        login_name: user.loginName,
        login_key: user.loginKey,
        password_hash: user.passwordHash,
        full_name: user.fullName,
        nickname: user.nickname,
        email: user.email,
        is_enabled: user.isEnabled,
        max_chats: user.maxChats,
        member_group_id: user.memberGroupId,
        member_assigned_at: user.now,
        permission_groups: JSON.stringify(user.permissionGroups),
        deleted: false,
        created_at: user.now,
        updated_at: user.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const userId = Number(row.id)
    if (user.skillIds.length > 0) {
      await db
        .insertInto('user_skills')
        .values(user.skillIds.map((skillId) => ({ user_id: userId, skill_id: skillId })))
        .execute()
    }
    if (user.managedGroupIds.length > 0) {
      await db
        .insertInto('user_managed_groups')
        .values(
          user.managedGroupIds.map((groupId) => ({ user_id: userId, agent_group_id: groupId, assigned_at: user.now })),
        )
        .execute()
    }
    invalidateAccount(db, user.accountId)
    return userId
  },

  async list(db: Executor, accountId: string, includeDeleted: boolean): Promise<ConfigUser[]> {
    let query = db.selectFrom('users').selectAll().where('account_id', '=', accountId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    return withLinks(db, await query.orderBy('id').execute())
  },

  async findById(db: Executor, accountId: string, id: number): Promise<ConfigUser | undefined> {
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? (await withLinks(db, [row]))[0] : undefined
  },

  /** The id of a non-deleted user whose login name has this key (core/text/name-key.ts), other than `exceptId`. */
  async findActiveIdByLogin(
    db: Executor,
    accountId: string,
    key: NameKey,
    exceptId?: number,
  ): Promise<number | undefined> {
    let query = db
      .selectFrom('users')
      .select('id')
      .where('account_id', '=', accountId)
      .where('login_key', '=', key)
      .where('deleted', '=', false)
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId)
    const row = await query.executeTakeFirst()
    return row ? Number(row.id) : undefined
  },

  /**
   * Replaces a user's columns, skills and managed groups. The member assignment date moves only
   * when the group changes; managed groups kept from before keep their dates.
   */
  /** `loginKey` is `nameKey(values.loginName)`. */
  async update(
    db: Executor,
    accountId: string,
    id: number,
    values: UserValues,
    loginKey: NameKey,
    now: number,
  ): Promise<void> {
    const current = await db
      .selectFrom('users')
      .select(['member_group_id', 'member_assigned_at'])
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!current) return
    const memberChanged = Number(current.member_group_id) !== values.memberGroupId
    await db
      .updateTable('users')
      .set({
        login_name: values.loginName,
        login_key: loginKey,
        ...(values.passwordHash !== undefined ? { password_hash: values.passwordHash } : {}),
        full_name: values.fullName,
        nickname: values.nickname,
        email: values.email,
        is_enabled: values.isEnabled,
        max_chats: values.maxChats,
        member_group_id: values.memberGroupId,
        member_assigned_at: memberChanged ? now : Number(current.member_assigned_at),
        permission_groups: JSON.stringify(values.permissionGroups),
        updated_at: now,
      })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    await db.deleteFrom('user_skills').where('user_id', '=', id).execute()
    if (values.skillIds.length > 0) {
      await db
        .insertInto('user_skills')
        .values(values.skillIds.map((skillId) => ({ user_id: id, skill_id: skillId })))
        .execute()
    }
    const kept = await db
      .selectFrom('user_managed_groups')
      .select(['agent_group_id', 'assigned_at'])
      .where('user_id', '=', id)
      .execute()
    const keptAt = new Map(kept.map((row) => [Number(row.agent_group_id), Number(row.assigned_at)]))
    await db.deleteFrom('user_managed_groups').where('user_id', '=', id).execute()
    if (values.managedGroupIds.length > 0) {
      await db
        .insertInto('user_managed_groups')
        .values(
          values.managedGroupIds.map((groupId) => ({
            user_id: id,
            agent_group_id: groupId,
            assigned_at: keptAt.get(groupId) ?? now,
          })),
        )
        .execute()
    }
    invalidateAccount(db, accountId)
  },

  async markDeleted(db: Executor, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable('users')
      .set({ deleted: true, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    invalidateAccount(db, accountId)
  },

  /** Replaces a user's password hash (the caller ends their login sessions). */
  async setPasswordHash(db: Executor, accountId: string, id: number, passwordHash: string, now: number): Promise<void> {
    await db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
    invalidateAccount(db, accountId)
  },

  /** The non-deleted user of the account whose login name has this key (core/text/name-key.ts). */
  async findIdentityByLogin(db: Executor, accountId: string, key: NameKey): Promise<UserIdentity | undefined> {
    const row = await db
      .selectFrom('users')
      .select([
        'id',
        'account_id',
        'login_name',
        'password_hash',
        'nickname',
        'is_enabled',
        'deleted',
        'permission_groups',
      ])
      .where('account_id', '=', accountId)
      .where('login_key', '=', key)
      .where('deleted', '=', false)
      .executeTakeFirst()
    return row ? { ...toIdentity(row), managedGroupIds: await managedGroups(db, Number(row.id)) } : undefined
  },

  async findIdentityById(db: Executor, accountId: string, userId: number): Promise<UserIdentity | undefined> {
    const row = await db
      .selectFrom('users')
      .select([
        'id',
        'account_id',
        'login_name',
        'password_hash',
        'nickname',
        'is_enabled',
        'deleted',
        'permission_groups',
      ])
      .where('account_id', '=', accountId)
      .where('id', '=', userId)
      .executeTakeFirst()
    return row ? { ...toIdentity(row), managedGroupIds: await managedGroups(db, Number(row.id)) } : undefined
  },
}

interface IdentityColumns {
  id: number
  account_id: string
  login_name: string
  password_hash: string
  nickname: string
  is_enabled: boolean | number
  deleted: boolean | number
  permission_groups: string
}

const toIdentity = (row: IdentityColumns): Omit<UserIdentity, 'managedGroupIds'> => ({
  id: Number(row.id),
  accountId: row.account_id,
  loginName: row.login_name,
  passwordHash: row.password_hash,
  nickname: row.nickname,
  isEnabled: toBool(row.is_enabled),
  deleted: toBool(row.deleted),
  permissionGroups: parseJsonArray<PermissionGroup>(row.permission_groups),
})

async function managedGroups(db: Executor, userId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('user_managed_groups')
    .select('agent_group_id')
    .where('user_id', '=', userId)
    .orderBy('agent_group_id')
    .execute()
  return rows.map((row) => Number(row.agent_group_id))
}

async function withLinks(db: Executor, rows: Array<Selectable<UserRow>>): Promise<ConfigUser[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => Number(row.id))
  const skills = await db
    .selectFrom('user_skills')
    .select(['user_id', 'skill_id'])
    .where('user_id', 'in', ids)
    .orderBy('skill_id')
    .execute()
  const managed = await db
    .selectFrom('user_managed_groups')
    .select(['user_id', 'agent_group_id', 'assigned_at'])
    .where('user_id', 'in', ids)
    .orderBy('agent_group_id')
    .execute()
  return rows.map((row) => {
    const id = Number(row.id)
    return {
      id,
      accountId: row.account_id,
      loginName: row.login_name,
      fullName: row.full_name,
      nickname: row.nickname,
      email: row.email,
      isEnabled: toBool(row.is_enabled),
      maxChats: Number(row.max_chats),
      skillIds: skills.filter((link) => Number(link.user_id) === id).map((link) => Number(link.skill_id)),
      memberOf: { agentGroupId: Number(row.member_group_id), assignedAt: Number(row.member_assigned_at) },
      managerOf: managed
        .filter((link) => Number(link.user_id) === id)
        .map((link) => ({ agentGroupId: Number(link.agent_group_id), assignedAt: Number(link.assigned_at) })),
      permissionGroups: parseJsonArray<PermissionGroup>(row.permission_groups),
      deleted: toBool(row.deleted),
      updatedAt: Number(row.updated_at),
    }
  })
}
