import type { Selectable } from 'kysely'
import type {
  AgentSession,
  AgentSessionEndReason,
  StaleAgentSession,
  UserAvailability,
} from '../../core/agents/agents.types.ts'
import type { ChatAvailability } from '../../core/chat/agent-directory.ts'
import type { AgentSessionRow } from '../schema.ts'
import type { Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

const toSession = (row: Selectable<AgentSessionRow>): AgentSession => ({
  id: Number(row.id),
  accountId: row.account_id,
  userId: Number(row.user_id),
  loginSessionId: row.login_session_id === null ? null : Number(row.login_session_id),
  apiKeyId: row.api_key_id === null ? null : Number(row.api_key_id),
  createdAt: Number(row.created_at),
  lastActivityAt: Number(row.last_activity_at),
})

const CHAT_STATES: readonly ChatAvailability[] = ['Online', 'Occupied', 'Away', 'Offline']
const toState = (value: string): ChatAvailability => CHAT_STATES.find((state) => state === value) ?? 'Offline'

/** A user with a live agent session, as routing needs it. */
export interface ConnectedUser {
  userId: number
  loginName: string
  nickname: string
  fullName: string
  maxChats: number
  memberGroupId: number
  skillIds: number[]
  availability: UserAvailability | undefined
  /** The latest request on any of the user's live sessions (epoch ms, coalesced: see `touch`). */
  lastSeenAt: number
}

/** Agent sessions (Chat Agent API) and the per-user chat availability they share. */
export const agentSessionsRepository = {
  /** Inserts a session with a caller-chosen random id; false when that id is already taken. */
  async insert(
    db: Executor,
    input: {
      id: number
      accountId: string
      userId: number
      loginSessionId: number | null
      apiKeyId: number | null
      now: number
    },
  ): Promise<boolean> {
    const rows = await db
      .insertInto('agent_sessions')
      .values({
        id: input.id,
        account_id: input.accountId,
        user_id: input.userId,
        login_session_id: input.loginSessionId,
        api_key_id: input.apiKeyId,
        created_at: input.now,
        last_activity_at: input.now,
        ended_at: null,
        end_reason: null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute()
    invalidateAccount(db, input.accountId)
    return rows.length === 1
  },

  /** The live session with this id in the account. */
  async findLive(db: Executor, accountId: string, id: number): Promise<AgentSession | undefined> {
    const row = await db
      .selectFrom('agent_sessions')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    return row ? toSession(row) : undefined
  },

  /**
   * Records a request on the session at `now`. The stored time only moves forward, so processes
   * writing their coalesced activity in any order keep the latest. `returning`: the session was
   * absent for routing until now, so the account's cached directory is dropped at once.
   */
  async touch(db: Executor, session: { id: number; accountId: string }, now: number, returning = false): Promise<void> {
    await db
      .updateTable('agent_sessions')
      .set({ last_activity_at: now })
      .where('id', '=', session.id)
      .where('last_activity_at', '<', now)
      .execute()
    if (returning) invalidateAccount(db, session.accountId)
  },

  /** Ends the given sessions that are still live; returns those this call ended. */
  async end(
    db: Executor,
    ids: readonly number[],
    now: number,
    reason: AgentSessionEndReason,
  ): Promise<Array<{ id: number; accountId: string; userId: number }>> {
    if (ids.length === 0) return []
    const rows = await db
      .updateTable('agent_sessions')
      .set({ ended_at: now, end_reason: reason })
      .where('id', 'in', ids)
      .where('ended_at', 'is', null)
      .returning(['id', 'account_id', 'user_id'])
      .execute()
    for (const accountId of new Set(rows.map((row) => row.account_id))) invalidateAccount(db, accountId)
    return rows.map((row) => ({ id: Number(row.id), accountId: row.account_id, userId: Number(row.user_id) }))
  },

  async countLiveOfUser(db: Executor, accountId: string, userId: number): Promise<number> {
    const row = await db
      .selectFrom('agent_sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    return Number(row?.count ?? 0)
  },

  /** Ids of the account's users that hold at least one live agent session. */
  async connectedUserIds(db: Executor, accountId: string): Promise<Set<number>> {
    const rows = await db
      .selectFrom('agent_sessions')
      .select('user_id')
      .distinct()
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .execute()
    return new Set(rows.map((row) => Number(row.user_id)))
  },

  /**
   * Live sessions that must end at `now`: their login session ended or expired, their API key was
   * revoked, their user was disabled or deleted, or no request used them since `idleBefore`.
   * Optionally limited to one account. The first matching reason wins.
   */
  async findStale(db: Executor, now: number, idleBefore: number, accountId?: string): Promise<StaleAgentSession[]> {
    let query = db
      .selectFrom('agent_sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('login_sessions as l', 'l.id', 's.login_session_id')
      .leftJoin('api_keys as k', 'k.id', 's.api_key_id')
      .select([
        's.id as id',
        's.account_id as accountId',
        's.user_id as userId',
        's.last_activity_at as lastActivityAt',
        'l.ended_at as loginEndedAt',
        'l.expires_at as loginExpiresAt',
        'k.revoked_at as keyRevokedAt',
        'u.is_enabled as isEnabled',
        'u.deleted as deleted',
      ])
      .where('s.ended_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('s.last_activity_at', '<', idleBefore),
          eb('l.ended_at', 'is not', null),
          eb('l.expires_at', '<=', now),
          eb('k.revoked_at', 'is not', null),
          eb('u.is_enabled', '=', false),
          eb('u.deleted', '=', true),
        ]),
      )
    if (accountId !== undefined) query = query.where('s.account_id', '=', accountId)
    const rows = await query.execute()
    return rows.map((row) => {
      const disabled = row.isEnabled === false || row.isEnabled === 0 || row.deleted === true || row.deleted === 1
      const reason: AgentSessionEndReason = disabled
        ? 'user-disabled'
        : row.loginEndedAt !== null
          ? 'logout'
          : row.loginExpiresAt !== null && Number(row.loginExpiresAt) <= now
            ? 'expired'
            : row.keyRevokedAt !== null
              ? 'key-revoked'
              : 'idle'
      return { id: Number(row.id), accountId: row.accountId, userId: Number(row.userId), reason }
    })
  },

  /**
   * Enabled, non-deleted users of the account with at least one live session, by user id, with their
   * configured skill ids and stored availability (`undefined` when none was ever stored).
   */
  async listConnectedUsers(db: Executor, accountId: string): Promise<ConnectedUser[]> {
    const rows = await db
      .selectFrom('users as u')
      .leftJoin('agent_availability as a', 'a.user_id', 'u.id')
      .select([
        'u.id as id',
        'u.login_name as loginName',
        'u.nickname as nickname',
        'u.full_name as fullName',
        'u.max_chats as maxChats',
        'u.member_group_id as memberGroupId',
        'a.chat_state as chatState',
        'a.chat_reason_id as chatReasonId',
        'a.changed_at as changedAt',
        (eb) =>
          eb
            .selectFrom('agent_sessions as s')
            .select((inner) => inner.fn.max('s.last_activity_at').as('latest'))
            .whereRef('s.user_id', '=', 'u.id')
            .where('s.account_id', '=', accountId)
            .where('s.ended_at', 'is', null)
            .as('lastSeenAt'),
      ])
      .where('u.account_id', '=', accountId)
      .where('u.deleted', '=', false)
      .where('u.is_enabled', '=', true)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('agent_sessions as s')
            .select('s.id')
            .whereRef('s.user_id', '=', 'u.id')
            .where('s.account_id', '=', accountId)
            .where('s.ended_at', 'is', null),
        ),
      )
      .orderBy('u.id')
      .execute()
    if (rows.length === 0) return []
    const links = await db
      .selectFrom('user_skills')
      .select(['user_id', 'skill_id'])
      .where(
        'user_id',
        'in',
        rows.map((row) => Number(row.id)),
      )
      .orderBy('skill_id')
      .execute()
    // Grouped once: filtering every link per user was quadratic, a quarter of the server's CPU
    // with 550 connected agents (routing calls this on every chat request, accept and end).
    const skillsOf = new Map<number, number[]>()
    for (const link of links) {
      const userId = Number(link.user_id)
      const skills = skillsOf.get(userId)
      if (skills) skills.push(Number(link.skill_id))
      else skillsOf.set(userId, [Number(link.skill_id)])
    }
    return rows.map((row) => {
      const id = Number(row.id)
      return {
        userId: id,
        loginName: row.loginName,
        nickname: row.nickname,
        fullName: row.fullName,
        maxChats: Number(row.maxChats),
        memberGroupId: Number(row.memberGroupId),
        skillIds: skillsOf.get(id) ?? [],
        lastSeenAt: Number(row.lastSeenAt ?? 0),
        availability:
          row.chatState === null || row.changedAt === null
            ? undefined
            : { chat: toState(row.chatState), chatReasonId: row.chatReasonId, changedAt: Number(row.changedAt) },
      }
    })
  },

  async findAvailability(db: Executor, accountId: string, userId: number): Promise<UserAvailability | undefined> {
    const row = await db
      .selectFrom('agent_availability')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row
      ? { chat: toState(row.chat_state), chatReasonId: row.chat_reason_id, changedAt: Number(row.changed_at) }
      : undefined
  },

  /** Every stored availability of the account, by user id (users never connected have none: Offline). */
  async listAvailability(db: Executor, accountId: string): Promise<Map<number, UserAvailability>> {
    const rows = await db.selectFrom('agent_availability').selectAll().where('account_id', '=', accountId).execute()
    return new Map(
      rows.map((row) => [
        Number(row.user_id),
        { chat: toState(row.chat_state), chatReasonId: row.chat_reason_id, changedAt: Number(row.changed_at) },
      ]),
    )
  },

  /** Stores the user's availability and appends it to the state log (`agent_state_changes`). */
  async saveAvailability(
    db: Executor,
    input: { accountId: string; userId: number; chat: ChatAvailability; chatReasonId: string | null; now: number },
  ): Promise<void> {
    await db
      .insertInto('agent_availability')
      .values({
        user_id: input.userId,
        account_id: input.accountId,
        chat_state: input.chat,
        chat_reason_id: input.chatReasonId,
        changed_at: input.now,
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          chat_state: input.chat,
          chat_reason_id: input.chatReasonId,
          changed_at: input.now,
        }),
      )
      .execute()
    // The Operational Realtime API's agent timelines (docs/operational-realtime.md) read this log.
    await db
      .insertInto('agent_state_changes')
      .values({
        account_id: input.accountId,
        user_id: input.userId,
        chat_state: input.chat,
        chat_reason_id: input.chatReasonId,
        changed_at: input.now,
      })
      .execute()
    invalidateAccount(db, input.accountId)
  },
}
