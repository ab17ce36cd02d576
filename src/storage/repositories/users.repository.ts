import type { PermissionGroup, UserIdentity } from '../../core/accounts/accounts.types.ts'
import { parseJsonArray, toBool, type Executor } from './executor.ts'

/** Columns of a new user; `loginKey` (the case-folded login name) is derived here. */
export interface NewUserRow {
  accountId: string
  loginName: string
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

/** Case-folded login name: logins are case-insensitive and unique per account among non-deleted users. */
export const loginKeyOf = (loginName: string): string => loginName.normalize('NFC').toLowerCase()

/** Users: identity lookups for login and access, and inserts used by account creation. */
export const usersRepository = {
  async insert(db: Executor, user: NewUserRow): Promise<number> {
    const row = await db
      .insertInto('users')
      .values({
        account_id: user.accountId,
        login_name: user.loginName,
        login_key: loginKeyOf(user.loginName),
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
    return userId
  },

  /** The non-deleted user with this login name (case-insensitive) in the account. */
  async findIdentityByLogin(db: Executor, accountId: string, loginName: string): Promise<UserIdentity | undefined> {
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
      .where('login_key', '=', loginKeyOf(loginName))
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
