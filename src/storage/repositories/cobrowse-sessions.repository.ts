import type { Selectable } from 'kysely'
import type { CoBrowseEndReason, CoBrowseSessionState } from '../../core/cobrowse/cobrowse.types.ts'
import type { ChatCoBrowseSessionRow } from '../schema.ts'
import type { Executor } from './executor.ts'

const num = (value: number | null): number | null => (value === null ? null : Number(value))

function toSession(row: Selectable<ChatCoBrowseSessionRow>): CoBrowseSessionState {
  return {
    sessionId: row.id,
    accountId: row.account_id,
    chatKey: row.chat_id,
    sequence: Number(row.sequence),
    agentUserId: Number(row.agent_user_id),
    startedAt: Number(row.started_at),
    interactiveAt: num(row.interactive_at),
    endedAt: num(row.ended_at),
    endReason: row.end_reason as CoBrowseEndReason | null,
  }
}

/** Co-browse sessions of live chats (`chat_cobrowse_sessions`). */
export const coBrowseSessionsRepository = {
  async insert(db: Executor, session: CoBrowseSessionState): Promise<void> {
    await db
      .insertInto('chat_cobrowse_sessions')
      .values({
        id: session.sessionId,
        account_id: session.accountId,
        chat_id: session.chatKey,
        sequence: session.sequence,
        agent_user_id: session.agentUserId,
        started_at: session.startedAt,
        interactive_at: session.interactiveAt,
        ended_at: session.endedAt,
        end_reason: session.endReason,
      })
      .execute()
  },

  async delete(db: Executor, sessionId: string): Promise<void> {
    await db.deleteFrom('chat_cobrowse_sessions').where('id', '=', sessionId).execute()
  },

  async find(db: Executor, chatKey: string, sessionId: string): Promise<CoBrowseSessionState | undefined> {
    const row = await db
      .selectFrom('chat_cobrowse_sessions')
      .selectAll()
      .where('id', '=', sessionId)
      .where('chat_id', '=', chatKey)
      .executeTakeFirst()
    return row ? toSession(row) : undefined
  },

  /** The chat's sessions, or one engagement's, oldest first. */
  async list(db: Executor, chatKey: string, sequence?: number): Promise<CoBrowseSessionState[]> {
    let query = db.selectFrom('chat_cobrowse_sessions').selectAll().where('chat_id', '=', chatKey)
    if (sequence !== undefined) query = query.where('sequence', '=', sequence)
    const rows = await query.orderBy('started_at').orderBy('id').execute()
    return rows.map(toSession)
  },

  /** Sets `interactive_at` of an open, not yet interactive session; false when it is ended (or gone). */
  async markInteractive(db: Executor, sessionId: string, at: number): Promise<boolean> {
    const result = await db
      .updateTable('chat_cobrowse_sessions')
      .set({ interactive_at: at })
      .where('id', '=', sessionId)
      .where('ended_at', 'is', null)
      .where('interactive_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  },

  /** Ends an open session; false when it had already ended (or is gone). */
  async end(db: Executor, sessionId: string, at: number, reason: CoBrowseEndReason): Promise<boolean> {
    const result = await db
      .updateTable('chat_cobrowse_sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('id', '=', sessionId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  },

  /**
   * Ends every open session of one engagement at `at` with `reason` (a session started after `at`
   * ends when it started, so durations are never negative).
   */
  async endOpen(db: Executor, chatKey: string, sequence: number, at: number, reason: CoBrowseEndReason): Promise<void> {
    const open = await db
      .selectFrom('chat_cobrowse_sessions')
      .select(['id', 'started_at'])
      .where('chat_id', '=', chatKey)
      .where('sequence', '=', sequence)
      .where('ended_at', 'is', null)
      .execute()
    for (const row of open)
      await coBrowseSessionsRepository.end(db, row.id, Math.max(at, Number(row.started_at)), reason)
  },
}
