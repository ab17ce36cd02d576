import { sql } from 'kysely'
import type { ChatAvailability } from '../../core/chat/agent-directory.ts'
import type {
  ActivityAggregate,
  EngagementSpan,
  OperationalSkill,
  OperationalUser,
  StateChange,
  WaitingChat,
} from '../../core/operational/operational.types.ts'
import type { Executor } from './executor.ts'
import { toBool } from './executor.ts'

const STATES: readonly ChatAvailability[] = ['Online', 'Occupied', 'Away', 'Offline']
const toState = (value: string): ChatAvailability => STATES.find((state) => state === value) ?? 'Offline'
const num = (value: number | string | null): number | null => (value === null ? null : Number(value))

/**
 * The Operational Realtime API's reads (docs/operational-realtime.md): engagements by event time,
 * agent state changes, archive aggregates and the live queue. Every query is bounded by account
 * and a window of at most a day and runs on an index of that account and time.
 */
export const operationalRepository = {
  /**
   * Engagements of the account that were alive at some point of `[from, to]`: started by `to` and
   * not ended before `from` (engagements_account_started_at_idx; the table keeps about a day).
   */
  async engagementSpans(db: Executor, accountId: string, from: number, to: number): Promise<EngagementSpan[]> {
    const rows = await db
      .selectFrom('engagements')
      .select([
        'chat_id',
        'sequence',
        'rt_session_id',
        'skill_id',
        'started_at',
        'accepted_at',
        'ended_at',
        'end_reason',
        'agent_user_id',
        'agent_group_id',
      ])
      .where('account_id', '=', accountId)
      .where('started_at', '<=', to)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', from)]))
      .execute()
    return rows.map((row) => ({
      chatKey: row.chat_id,
      sequence: Number(row.sequence),
      rtSessionId: Number(row.rt_session_id),
      skillId: Number(row.skill_id),
      startedAt: Number(row.started_at),
      acceptedAt: num(row.accepted_at),
      endedAt: num(row.ended_at),
      endReason: row.end_reason,
      agentUserId: num(row.agent_user_id),
      agentGroupId: num(row.agent_group_id),
    }))
  },

  /**
   * Availability changes of the account in `(from, to]`, preceded by each user's last change at or
   * before `from` (the state the window starts in), ordered by time then insertion.
   */
  async stateChanges(db: Executor, accountId: string, from: number, to: number): Promise<StateChange[]> {
    const rows = await db
      .selectFrom('agent_state_changes')
      .select(['id', 'user_id', 'chat_state', 'chat_reason_id', 'changed_at'])
      .where('account_id', '=', accountId)
      .where((eb) =>
        eb.or([
          eb.and([eb('changed_at', '>', from), eb('changed_at', '<=', to)]),
          eb(
            'id',
            'in',
            eb
              .selectFrom('agent_state_changes')
              .select((inner) => inner.fn.max('id').as('id'))
              .where('account_id', '=', accountId)
              .where('changed_at', '<=', from)
              .groupBy('user_id'),
          ),
        ]),
      )
      .orderBy('changed_at')
      .orderBy('id')
      .execute()
    return rows.map((row) => ({
      userId: Number(row.user_id),
      state: toState(row.chat_state),
      reasonId: row.chat_reason_id,
      at: Number(row.changed_at),
    }))
  },

  /** Stored (current) availability of every user of the account, for users with no logged change yet. */
  async storedStates(db: Executor, accountId: string): Promise<StateChange[]> {
    const rows = await db
      .selectFrom('agent_availability')
      .select(['user_id', 'chat_state', 'chat_reason_id', 'changed_at'])
      .where('account_id', '=', accountId)
      .execute()
    return rows.map((row) => ({
      userId: Number(row.user_id),
      state: toState(row.chat_state),
      reasonId: row.chat_reason_id,
      at: Number(row.changed_at),
    }))
  },

  /**
   * Drops state changes older than `before`, keeping each user's latest one before it (the state
   * a window starting after `before` begins in). Returns how many rows went.
   */
  async pruneStateChanges(db: Executor, before: number): Promise<number> {
    const result = await db
      .deleteFrom('agent_state_changes')
      .where('changed_at', '<', before)
      .where((eb) =>
        eb(
          'id',
          'not in',
          eb
            .selectFrom('agent_state_changes')
            .select((inner) => inner.fn.max('id').as('id'))
            .where('changed_at', '<', before)
            .groupBy('user_id'),
        ),
      )
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  },

  /** Every user of the account (deleted ones too: they may have worked in the window) with their skills. */
  async users(db: Executor, accountId: string): Promise<OperationalUser[]> {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'login_name', 'nickname', 'max_chats', 'member_group_id', 'deleted'])
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute()
    const links = await db
      .selectFrom('user_skills as us')
      .innerJoin('users as u', 'u.id', 'us.user_id')
      .select(['us.user_id', 'us.skill_id'])
      .where('u.account_id', '=', accountId)
      .execute()
    const skillsOf = new Map<number, number[]>()
    for (const link of links) {
      const list = skillsOf.get(Number(link.user_id)) ?? []
      list.push(Number(link.skill_id))
      skillsOf.set(Number(link.user_id), list)
    }
    return rows.map((row) => ({
      id: Number(row.id),
      loginName: row.login_name,
      nickname: row.nickname,
      maxChats: Number(row.max_chats),
      memberGroupId: Number(row.member_group_id),
      deleted: toBool(row.deleted),
      skillIds: skillsOf.get(Number(row.id)) ?? [],
    }))
  },

  /** The account's skills that are not deleted, with their creation time (samples start there). */
  async skills(db: Executor, accountId: string): Promise<OperationalSkill[]> {
    const rows = await db
      .selectFrom('skills')
      .select(['id', 'name', 'created_at'])
      .where('account_id', '=', accountId)
      .where('deleted', '=', false)
      .orderBy('id')
      .execute()
    return rows.map((row) => ({ id: Number(row.id), name: row.name, createdAt: Number(row.created_at) }))
  },

  /**
   * Archived engagements that ended in `[from, to]`, aggregated per interval (newest first: index
   * `(end - 1 - end_time) / intervalMs`, 0 without intervals), skill, agent, agent group and
   * interactivity (archived_engagements_end_idx).
   */
  async archiveActivity(
    db: Executor,
    accountId: string,
    window: { from: number; to: number; end: number; intervalMs: number | undefined },
  ): Promise<ActivityAggregate[]> {
    // Grouped by the output name: PostgreSQL would not match the expression's own parameters twice.
    const slot =
      window.intervalMs === undefined
        ? sql<number>`0`
        : sql<number>`cast((${window.end - 1} - end_time) / ${window.intervalMs} as bigint)`
    const rows = await db
      .selectFrom('archived_engagements')
      .select((eb) => [
        slot.as('slot'),
        'skill_id',
        'agent_id',
        'agent_group_id',
        'is_interactive',
        eb.fn.countAll<number | string>().as('chats'),
        eb.fn.sum<number | string>('duration').as('duration'),
      ])
      .where('account_id', '=', accountId)
      .where('end_time', '>=', window.from)
      .where('end_time', '<=', window.to)
      .groupBy([sql`slot`, 'skill_id', 'agent_id', 'agent_group_id', 'is_interactive'])
      .execute()
    return rows.map((row) => ({
      interval: Math.max(0, Number(row.slot)),
      skillId: Number(row.skill_id),
      agentId: row.agent_id === null || Number(row.agent_id) <= 0 ? null : Number(row.agent_id),
      agentGroupId: Number(row.agent_group_id),
      interactive: toBool(row.is_interactive),
      chats: Number(row.chats),
      duration: Number(row.duration ?? 0),
    }))
  },

  /** Chats of the account waiting for an agent (ringing ones included), oldest first (chats_account_state_agent_idx). */
  async waitingChats(db: Executor, accountId: string): Promise<WaitingChat[]> {
    const rows = await db
      .selectFrom('chats')
      .select(['skill_id', 'waiting_since', 'requested_at'])
      .where('account_id', '=', accountId)
      .where('state', '=', 'waiting')
      .execute()
    return rows
      .map((row) => ({ skillId: Number(row.skill_id), since: Number(row.waiting_since ?? row.requested_at) }))
      .sort((a, b) => a.since - b.since)
  },

  /** The visitor lines of the given chats, in order, for their current MCS. */
  async visitorLines(db: Executor, chatKeys: readonly string[]): Promise<Map<string, string[]>> {
    const lines = new Map<string, string[]>()
    if (chatKeys.length === 0) return lines
    const rows = await db
      .selectFrom('chat_events')
      .select(['chat_id', 'text'])
      .where('chat_id', 'in', chatKeys)
      .where('type', '=', 'line')
      .where('source', '=', 'visitor')
      .orderBy('chat_id')
      .orderBy('id')
      .execute()
    for (const row of rows) {
      const list = lines.get(row.chat_id) ?? []
      list.push(row.text ?? '')
      lines.set(row.chat_id, list)
    }
    return lines
  },
}
