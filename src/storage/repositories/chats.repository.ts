import type { ExpressionBuilder, Selectable, Updateable } from 'kysely'
import type {
  Chat,
  ChatEvent,
  ChatRequestFields,
  ChatState,
  ChatSurveyAnswers,
  CustomVariable,
  Engagement,
  EventSource,
  ChatTextType,
  LineSubType,
  SurveyAnswerInput,
  SurveySnapshot,
} from '../../core/chat/chat.types.ts'
import type { ChatEventRow, ChatRow, Database, EngagementRow } from '../schema.ts'
import { invalidateChat } from '../invalidation.ts'
import { toBool, type Executor } from './executor.ts'
import { rtSessionIdsRepository } from './rt-session-ids.repository.ts'

const num = (value: number | null): number | null => (value === null ? null : Number(value))

function toChat(row: Selectable<ChatRow>): Chat {
  return {
    key: row.id,
    accountId: row.account_id,
    state: row.state as ChatState,
    skillId: Number(row.skill_id),
    requestedAgentId: num(row.requested_agent_id),
    targetAgentId: num(row.target_agent_id),
    language: row.language,
    visitorId: row.visitor_id,
    campaignId: row.campaign_id,
    campaignEngagementId: row.campaign_engagement_id,
    maxWaitTime: num(row.max_wait_time),
    chatTimeout: Number(row.chat_timeout),
    request: JSON.parse(row.request) as ChatRequestFields,
    customVariables: JSON.parse(row.custom_variables) as CustomVariable[],
    visitorName: row.visitor_name,
    visitorTyping: toBool(row.visitor_typing),
    agentTyping: toBool(row.agent_typing),
    agentUserId: num(row.agent_user_id),
    agentNickname: row.agent_nickname,
    ringingUserId: num(row.ringing_user_id),
    ringStartedAt: num(row.ring_started_at),
    ringSkipped: JSON.parse(row.ring_skipped) as number[],
    sequence: Number(row.sequence),
    rtSessionId: Number(row.rt_session_id),
    waitingSince: num(row.waiting_since),
    requestedAt: Number(row.requested_at),
    lastUpdate: Number(row.last_update),
    nextEventId: Number(row.next_event_id),
    endedAt: num(row.ended_at),
    endEventId: num(row.end_event_id),
  }
}

/** Columns derived from a chat for timers: inactivity expiry and the maxWaitTime deadline. */
function timerColumns(chat: Chat): Pick<ChatRow, 'expires_at' | 'wait_deadline_at'> {
  const live = chat.state !== 'ended'
  return {
    expires_at: live ? chat.lastUpdate + chat.chatTimeout * 1000 : null,
    wait_deadline_at:
      chat.state === 'waiting' && chat.maxWaitTime !== null && chat.waitingSince !== null
        ? chat.waitingSince + chat.maxWaitTime * 1000
        : null,
  }
}

function toChatRow(chat: Chat): ChatRow {
  return {
    id: chat.key,
    account_id: chat.accountId,
    state: chat.state,
    skill_id: chat.skillId,
    requested_agent_id: chat.requestedAgentId,
    target_agent_id: chat.targetAgentId,
    language: chat.language,
    visitor_id: chat.visitorId,
    campaign_id: chat.campaignId,
    campaign_engagement_id: chat.campaignEngagementId,
    max_wait_time: chat.maxWaitTime,
    chat_timeout: chat.chatTimeout,
    request: JSON.stringify(chat.request),
    custom_variables: JSON.stringify(chat.customVariables),
    visitor_name: chat.visitorName,
    visitor_typing: chat.visitorTyping,
    agent_typing: chat.agentTyping,
    agent_user_id: chat.agentUserId,
    agent_nickname: chat.agentNickname,
    ringing_user_id: chat.ringingUserId,
    ring_started_at: chat.ringStartedAt,
    ring_skipped: JSON.stringify(chat.ringSkipped),
    sequence: chat.sequence,
    rt_session_id: chat.rtSessionId,
    waiting_since: chat.waitingSince,
    requested_at: chat.requestedAt,
    last_update: chat.lastUpdate,
    next_event_id: chat.nextEventId,
    ended_at: chat.endedAt,
    end_event_id: chat.endEventId,
    ...timerColumns(chat),
  }
}

function toEvent(row: Selectable<ChatEventRow>): ChatEvent {
  const base = { id: Number(row.id), time: Number(row.time), sequence: Number(row.sequence) }
  if (row.type === 'state') return { ...base, type: 'state', state: row.state as ChatState }
  return {
    ...base,
    type: 'line',
    source: row.source as EventSource,
    by: row.by_name ?? '',
    textType: row.text_type as ChatTextType,
    ...(row.text === null ? {} : { text: row.text }),
    ...(row.json === null ? {} : { json: JSON.parse(row.json) as unknown }),
    ...(row.system_message_id === null ? {} : { systemMessageId: Number(row.system_message_id) }),
    subType: row.sub_type as LineSubType,
    ...(row.agent_user_id === null ? {} : { agentUserId: Number(row.agent_user_id) }),
  }
}

function toEventRow(chatKey: string, event: ChatEvent): ChatEventRow {
  if (event.type === 'state')
    return {
      chat_id: chatKey,
      id: event.id,
      type: 'state',
      time: event.time,
      sequence: event.sequence,
      state: event.state,
      source: null,
      by_name: null,
      text: null,
      text_type: null,
      json: null,
      system_message_id: null,
      sub_type: null,
      agent_user_id: null,
    }
  return {
    chat_id: chatKey,
    id: event.id,
    type: 'line',
    time: event.time,
    sequence: event.sequence,
    state: null,
    source: event.source,
    by_name: event.by,
    text: event.text ?? null,
    text_type: event.textType,
    json: event.json === undefined ? null : JSON.stringify(event.json),
    system_message_id: event.systemMessageId ?? null,
    sub_type: event.subType,
    agent_user_id: event.agentUserId ?? null,
  }
}

function toEngagement(row: Selectable<EngagementRow>): Engagement {
  return {
    chatKey: row.chat_id,
    sequence: Number(row.sequence),
    accountId: row.account_id,
    rtSessionId: Number(row.rt_session_id),
    skillId: Number(row.skill_id),
    startReason: row.start_reason,
    startedAt: Number(row.started_at),
    acceptedAt: num(row.accepted_at),
    agentUserId: num(row.agent_user_id),
    agentGroupId: num(row.agent_group_id),
    endReason: row.end_reason,
    endedAt: num(row.ended_at),
    archivedAt: num(row.archived_at),
  }
}

function toEngagementRow(engagement: Engagement): EngagementRow {
  return {
    chat_id: engagement.chatKey,
    sequence: engagement.sequence,
    account_id: engagement.accountId,
    rt_session_id: engagement.rtSessionId,
    skill_id: engagement.skillId,
    start_reason: engagement.startReason,
    started_at: engagement.startedAt,
    accepted_at: engagement.acceptedAt,
    agent_user_id: engagement.agentUserId,
    agent_group_id: engagement.agentGroupId,
    end_reason: engagement.endReason,
    ended_at: engagement.endedAt,
    archived_at: engagement.archivedAt,
  }
}

/** The state a conditional chat update requires (compare-and-set guard). */
export interface ChatGuard {
  /** The event counter the caller read: no event was appended since. */
  nextEventId: number
  state?: ChatState
  ringingUserId?: number | null
}

/** Live chats, their event log, engagements and the rtSessionId counter. */
export const chatsRepository = {
  /** Allocates the next rtSessionId of the account from its shared, atomic allocator. */
  nextRtSessionId: (tx: Executor, accountId: string): Promise<number> => rtSessionIdsRepository.allocate(tx, accountId),

  async insertChat(tx: Executor, chat: Chat): Promise<void> {
    invalidateChat(tx, chat.accountId, chat.key)
    await tx.insertInto('chats').values(toChatRow(chat)).execute()
  },

  async findChat(db: Executor, key: string): Promise<Chat | undefined> {
    const row = await db.selectFrom('chats').selectAll().where('id', '=', key).executeTakeFirst()
    return row ? toChat(row) : undefined
  },

  /**
   * Writes the columns that differ between `before` and `after` when the stored row still
   * matches `guard` (compare-and-set); false when another writer got there first. Writing only
   * the changed columns keeps concurrent writers of other fields (typing flags, the visitor's
   * polls moving `last_update`) from being overwritten with values read earlier. Columns in
   * `force` are written even when unchanged: a reset (typing flags at the end) must win over a
   * concurrent change the guard cannot see.
   */
  async updateChat(
    tx: Executor,
    before: Chat,
    after: Chat,
    guard: ChatGuard,
    force: ReadonlyArray<keyof ChatRow> = [],
  ): Promise<boolean> {
    const previous = toChatRow(before)
    const next = toChatRow(after)
    const values: Record<string, unknown> = {}
    for (const column of Object.keys(next) as Array<keyof ChatRow>) {
      if (previous[column] !== next[column] || force.includes(column)) values[column] = next[column]
    }
    if (Object.keys(values).length === 0) return true
    invalidateChat(tx, after.accountId, after.key)
    let query = tx
      .updateTable('chats')
      .set(values as Updateable<ChatRow>)
      .where('id', '=', after.key)
      .where('next_event_id', '=', guard.nextEventId)
    if (guard.state !== undefined) query = query.where('state', '=', guard.state)
    if (guard.ringingUserId === null) query = query.where('ringing_user_id', 'is', null)
    else if (guard.ringingUserId !== undefined) query = query.where('ringing_user_id', '=', guard.ringingUserId)
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  /**
   * Moves `last_update` of a live chat of the account; false when no such live chat exists.
   * Deliberately no invalidation: only `last_update`/`expires_at` change, and readers of cached
   * chats take the newest activity from memory (core/chat/visitor-activity.ts) anyway.
   */
  async touch(db: Executor, accountId: string, key: string, lastUpdate: number): Promise<boolean> {
    const result = await db
      .updateTable('chats')
      .set((eb) => ({ last_update: lastUpdate, expires_at: eb(eb('chat_timeout', '*', 1000), '+', lastUpdate) }))
      .where('id', '=', key)
      .where('account_id', '=', accountId)
      .where('state', '<>', 'ended')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async insertEvents(tx: Executor, chatKey: string, events: readonly ChatEvent[]): Promise<void> {
    if (events.length === 0) return
    await tx
      .insertInto('chat_events')
      .values(events.map((event) => toEventRow(chatKey, event)))
      .execute()
  },

  /** Events with id >= `from`, by id. */
  async listEvents(db: Executor, chatKey: string, from = 0): Promise<ChatEvent[]> {
    const rows = await db
      .selectFrom('chat_events')
      .selectAll()
      .where('chat_id', '=', chatKey)
      .where('id', '>=', from)
      .orderBy('id')
      .execute()
    return rows.map(toEvent)
  },

  /** Line events of one engagement, by id. */
  async listSegmentLines(db: Executor, chatKey: string, sequence: number): Promise<ChatEvent[]> {
    const rows = await db
      .selectFrom('chat_events')
      .selectAll()
      .where('chat_id', '=', chatKey)
      .where('sequence', '=', sequence)
      .where('type', '=', 'line')
      .orderBy('id')
      .execute()
    return rows.map(toEvent)
  },

  async findEvent(db: Executor, chatKey: string, id: number): Promise<ChatEvent | undefined> {
    const row = await db
      .selectFrom('chat_events')
      .selectAll()
      .where('chat_id', '=', chatKey)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toEvent(row) : undefined
  },

  async insertEngagement(tx: Executor, engagement: Engagement): Promise<void> {
    await tx.insertInto('engagements').values(toEngagementRow(engagement)).execute()
  },

  async updateEngagement(tx: Executor, engagement: Engagement): Promise<void> {
    const values: Updateable<EngagementRow> = toEngagementRow(engagement)
    delete values.chat_id
    delete values.sequence
    await tx
      .updateTable('engagements')
      .set(values)
      .where('chat_id', '=', engagement.chatKey)
      .where('sequence', '=', engagement.sequence)
      .execute()
  },

  async findEngagement(db: Executor, chatKey: string, sequence: number): Promise<Engagement | undefined> {
    const row = await db
      .selectFrom('engagements')
      .selectAll()
      .where('chat_id', '=', chatKey)
      .where('sequence', '=', sequence)
      .executeTakeFirst()
    return row ? toEngagement(row) : undefined
  },

  /** Ended engagements not archived yet (the archive outbox), oldest end first. */
  async listUnarchived(db: Executor, limit: number): Promise<Engagement[]> {
    const rows = await db
      .selectFrom('engagements')
      .selectAll()
      .where('archived_at', 'is', null)
      .where('ended_at', 'is not', null)
      .orderBy('ended_at')
      .limit(limit)
      .execute()
    return rows.map(toEngagement)
  },

  async markArchived(db: Executor, chatKey: string, sequence: number, now: number): Promise<void> {
    await db
      .updateTable('engagements')
      .set({ archived_at: now })
      .where('chat_id', '=', chatKey)
      .where('sequence', '=', sequence)
      .execute()
  },

  /** Waiting chats of the account that ring nobody, oldest request first. */
  async listUnrouted(db: Executor, accountId: string): Promise<Chat[]> {
    const rows = await db
      .selectFrom('chats')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('state', '=', 'waiting')
      .where('ringing_user_id', 'is', null)
      .orderBy('requested_at')
      .orderBy('id')
      .execute()
    return rows.map(toChat)
  },

  /**
   * Waiting chats of the account that no agent can ever take as they are (docs/live-chat.md,
   * "Configuration changes"): their skill is deleted (or gone), or the agent they were requested
   * for or transferred to is deleted or disabled; with `unservedSkills`, also chats whose skill no
   * enabled, non-deleted user is assigned to. Oldest request first.
   */
  async listStranded(db: Executor, accountId: string, options: { unservedSkills: boolean }): Promise<Chat[]> {
    const activeUser = (eb: ExpressionBuilder<Database, 'chats'>, column: 'requested_agent_id' | 'target_agent_id') =>
      eb.exists(
        eb
          .selectFrom('users as u')
          .select('u.id')
          .whereRef('u.id', '=', `chats.${column}`)
          .where('u.account_id', '=', accountId)
          .where('u.deleted', '=', false)
          .where('u.is_enabled', '=', true),
      )
    const rows = await db
      .selectFrom('chats')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('state', '=', 'waiting')
      .where((eb) => {
        const liveSkill = eb.exists(
          eb
            .selectFrom('skills as s')
            .select('s.id')
            .whereRef('s.id', '=', 'chats.skill_id')
            .where('s.account_id', '=', accountId)
            .where('s.deleted', '=', false),
        )
        const servedSkill = eb.exists(
          eb
            .selectFrom('user_skills as us')
            .innerJoin('users as u', 'u.id', 'us.user_id')
            .select('us.user_id')
            .whereRef('us.skill_id', '=', 'chats.skill_id')
            .where('u.account_id', '=', accountId)
            .where('u.deleted', '=', false)
            .where('u.is_enabled', '=', true),
        )
        return eb.or([
          eb.and([
            eb('skill_id', '!=', -1),
            eb.not(options.unservedSkills ? eb.and([liveSkill, servedSkill]) : liveSkill),
          ]),
          eb.and([eb('requested_agent_id', 'is not', null), eb.not(activeUser(eb, 'requested_agent_id'))]),
          eb.and([eb('target_agent_id', 'is not', null), eb.not(activeUser(eb, 'target_agent_id'))]),
        ])
      })
      .orderBy('requested_at')
      .orderBy('id')
      .execute()
    return rows.map(toChat)
  },

  /** Chats a user holds (`chatting`) or that ring them, oldest request first. */
  async listByAgent(db: Executor, accountId: string, userId: number): Promise<Chat[]> {
    // Two indexed reads instead of one OR, which SQLite answered by walking every chat of the account.
    const held = await db
      .selectFrom('chats')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('agent_user_id', '=', userId)
      .where('state', '=', 'chatting')
      .execute()
    const ringing = await db
      .selectFrom('chats')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('state', '=', 'waiting')
      .where('ringing_user_id', '=', userId)
      .execute()
    return [...held, ...ringing]
      .map(toChat)
      .sort((a, b) => a.requestedAt - b.requestedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  },

  /** How many waiting chats ring this user (A8). */
  async countRinging(db: Executor, accountId: string, userId: number): Promise<number> {
    const row = await db
      .selectFrom('chats')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('state', '=', 'waiting')
      .where('ringing_user_id', '=', userId)
      .executeTakeFirst()
    return Number(row?.count ?? 0)
  },

  /** Chats held plus ringing per user id. */
  async chatLoad(db: Executor, accountId: string): Promise<Map<number, number>> {
    const held = await db
      .selectFrom('chats')
      .select(['agent_user_id as userId', (eb) => eb.fn.countAll<number>().as('count')])
      .where('account_id', '=', accountId)
      .where('state', '=', 'chatting')
      .groupBy('agent_user_id')
      .execute()
    const ringing = await db
      .selectFrom('chats')
      .select(['ringing_user_id as userId', (eb) => eb.fn.countAll<number>().as('count')])
      .where('account_id', '=', accountId)
      .where('state', '=', 'waiting')
      .where('ringing_user_id', 'is not', null)
      .groupBy('ringing_user_id')
      .execute()
    const load = new Map<number, number>()
    for (const row of [...held, ...ringing]) {
      if (row.userId === null) continue
      const userId = Number(row.userId)
      load.set(userId, (load.get(userId) ?? 0) + Number(row.count))
    }
    return load
  },

  /** Chats held plus ringing for one user. */
  async userLoad(db: Executor, accountId: string, userId: number): Promise<number> {
    const held = await db
      .selectFrom('chats')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .where('agent_user_id', '=', userId)
      .where('state', '=', 'chatting')
      .executeTakeFirst()
    return Number(held?.count ?? 0) + (await chatsRepository.countRinging(db, accountId, userId))
  },

  /** Keys of non-ended chats whose visitor stopped polling (`expires_at` < now). */
  async listExpired(db: Executor, now: number, limit: number): Promise<Array<{ key: string; accountId: string }>> {
    const rows = await db
      .selectFrom('chats')
      .select(['id', 'account_id'])
      .where('expires_at', '<', now)
      .where('state', '<>', 'ended')
      .limit(limit)
      .execute()
    return rows.map((row) => ({ key: row.id, accountId: row.account_id }))
  },

  /** Keys of waiting chats past their maxWaitTime. */
  async listWaitExceeded(db: Executor, now: number, limit: number): Promise<Array<{ key: string; accountId: string }>> {
    const rows = await db
      .selectFrom('chats')
      .select(['id', 'account_id'])
      .where('wait_deadline_at', '<=', now)
      .where('state', '=', 'waiting')
      .limit(limit)
      .execute()
    return rows.map((row) => ({ key: row.id, accountId: row.account_id }))
  },

  /** Keys of chats that have rung one agent since `startedBefore` or earlier. */
  async listRingExpired(
    db: Executor,
    startedBefore: number,
    limit: number,
  ): Promise<Array<{ key: string; accountId: string }>> {
    const rows = await db
      .selectFrom('chats')
      .select(['id', 'account_id'])
      .where('ringing_user_id', 'is not', null)
      .where('ring_started_at', '<=', startedBefore)
      .where('state', '=', 'waiting')
      .limit(limit)
      .execute()
    return rows.map((row) => ({ key: row.id, accountId: row.account_id }))
  },

  /** Accounts with a waiting chat that rings nobody (routing work to do). */
  async accountsWithUnroutedChats(db: Executor): Promise<string[]> {
    const rows = await db
      .selectFrom('chats')
      .select('account_id')
      .distinct()
      .where('state', '=', 'waiting')
      .where('ringing_user_id', 'is', null)
      .execute()
    return rows.map((row) => row.account_id)
  },

  /** Stores survey answers, replacing an earlier submission of the same kind and engagement. */
  async replaceSurveyAnswers(tx: Executor, chatKey: string, answers: ChatSurveyAnswers): Promise<void> {
    await tx
      .deleteFrom('chat_survey_answers')
      .where('chat_id', '=', chatKey)
      .where('kind', '=', answers.kind)
      .where('sequence', '=', answers.sequence)
      .execute()
    await tx
      .insertInto('chat_survey_answers')
      .values({
        chat_id: chatKey,
        kind: answers.kind,
        sequence: answers.sequence,
        survey_id: answers.surveyId,
        answers: JSON.stringify(answers.answers),
        user_id: answers.userId,
        submitted_at: answers.submittedAt,
        survey: answers.survey === null ? null : JSON.stringify(answers.survey),
      })
      .execute()
  },

  async listSurveyAnswers(db: Executor, chatKey: string): Promise<ChatSurveyAnswers[]> {
    const rows = await db.selectFrom('chat_survey_answers').selectAll().where('chat_id', '=', chatKey).execute()
    return rows.map((row) => ({
      kind: row.kind === 'agent' || row.kind === 'preChat' ? row.kind : 'exit',
      sequence: Number(row.sequence),
      surveyId: Number(row.survey_id),
      answers: JSON.parse(row.answers) as SurveyAnswerInput[],
      userId: num(row.user_id),
      submittedAt: Number(row.submitted_at),
      survey: row.survey === null ? null : (JSON.parse(row.survey) as SurveySnapshot),
    }))
  },

  /**
   * Request-to-accept times (ms) of the latest engagements accepted since `since`, newest first:
   * of one skill, or of the whole account without `skillId`.
   */
  async recentAcceptWaits(
    db: Executor,
    accountId: string,
    skillId: number | undefined,
    since: number,
    limit: number,
  ): Promise<number[]> {
    let query = db
      .selectFrom('engagements')
      .select(['started_at', 'accepted_at'])
      .where('account_id', '=', accountId)
      .where('accepted_at', '>=', since)
    if (skillId !== undefined) query = query.where('skill_id', '=', skillId)
    const rows = await query.orderBy('accepted_at', 'desc').limit(limit).execute()
    return rows.map((row) => Number(row.accepted_at) - Number(row.started_at))
  },

  /**
   * Deletes up to `limit` chats that ended before `endedBefore` and whose engagements are all
   * archived, with their events, engagements and survey answers; returns how many.
   */
  async purgeEnded(tx: Executor, endedBefore: number, limit: number): Promise<number> {
    const rows = await tx
      .selectFrom('chats')
      .select(['id', 'account_id'])
      .where('ended_at', '<', endedBefore)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('engagements')
              .select('engagements.chat_id')
              .whereRef('engagements.chat_id', '=', 'chats.id')
              .where('engagements.archived_at', 'is', null),
          ),
        ),
      )
      .limit(limit)
      .execute()
    const ids = rows.map((row) => row.id)
    if (ids.length === 0) return 0
    for (const row of rows) invalidateChat(tx, row.account_id, row.id)
    await tx.deleteFrom('chat_survey_answers').where('chat_id', 'in', ids).execute()
    await tx.deleteFrom('chat_cobrowse_sessions').where('chat_id', 'in', ids).execute()
    await tx.deleteFrom('chat_events').where('chat_id', 'in', ids).execute()
    await tx.deleteFrom('engagements').where('chat_id', 'in', ids).execute()
    await tx.deleteFrom('chats').where('id', 'in', ids).execute()
    return ids.length
  },
}
