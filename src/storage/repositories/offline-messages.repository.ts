import type { Selectable } from 'kysely'
import type { OfflineMessage, OfflineMessageAnswer, OfflineVisitor } from '../../core/surveys/surveys.types.ts'
import type { OfflineMessageRow } from '../schema.ts'
import { parseJsonArray, type Executor } from './executor.ts'

const toMessage = (row: Selectable<OfflineMessageRow>): OfflineMessage => ({
  id: Number(row.id),
  accountId: row.account_id,
  surveyId: Number(row.survey_id),
  surveyName: row.survey_name,
  skillId: Number(row.skill_id),
  skillName: row.skill_name,
  visitorId: row.visitor_id,
  visitor: JSON.parse(row.visitor) as OfflineVisitor,
  answers: parseJsonArray<OfflineMessageAnswer>(row.answers),
  createdAt: Number(row.created_at),
})

/** Offline messages (V6), their notification address, and visitors' last survey answers. Scoped by account. */
export const offlineMessagesRepository = {
  async insert(db: Executor, message: Omit<OfflineMessage, 'id'>): Promise<number> {
    const row = await db
      .insertInto('offline_messages')
      .values({
        account_id: message.accountId,
        survey_id: message.surveyId,
        survey_name: message.surveyName,
        skill_id: message.skillId,
        skill_name: message.skillName,
        visitor_id: message.visitorId,
        visitor: JSON.stringify(message.visitor),
        answers: JSON.stringify(message.answers),
        created_at: message.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  /** Newest first (then by id, descending), one page. */
  async list(db: Executor, accountId: string, offset: number, limit: number): Promise<OfflineMessage[]> {
    const rows = await db
      .selectFrom('offline_messages')
      .selectAll()
      .where('account_id', '=', accountId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute()
    return rows.map(toMessage)
  },

  async count(db: Executor, accountId: string): Promise<number> {
    const row = await db
      .selectFrom('offline_messages')
      .select((eb) => eb.fn.countAll().as('total'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow()
    return Number(row.total)
  },

  async notificationEmail(db: Executor, accountId: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('offline_message_settings')
      .select('notification_email')
      .where('account_id', '=', accountId)
      .executeTakeFirst()
    return row?.notification_email
  },

  /** Sets the address; an empty string removes it. */
  async setNotificationEmail(db: Executor, accountId: string, email: string, now: number): Promise<void> {
    if (email === '') {
      await db.deleteFrom('offline_message_settings').where('account_id', '=', accountId).execute()
      return
    }
    await db
      .insertInto('offline_message_settings')
      .values({ account_id: accountId, notification_email: email, updated_at: now })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ notification_email: email, updated_at: now }))
      .execute()
  },

  /** Remembers a visitor's answers (joined with `,`), replacing earlier ones per question. */
  async rememberAnswers(
    db: Executor,
    accountId: string,
    visitorId: string,
    surveyId: number,
    answers: ReadonlyArray<{ questionId: number; value: string }>,
    now: number,
  ): Promise<void> {
    for (const answer of answers) {
      await db
        .insertInto('visitor_survey_answers')
        .values({
          account_id: accountId,
          visitor_id: visitorId,
          survey_id: surveyId,
          question_id: answer.questionId,
          value: answer.value,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'visitor_id', 'survey_id', 'question_id'])
            .doUpdateSet({ value: answer.value, updated_at: now }),
        )
        .execute()
    }
  },

  /** The visitor's last answer per question id, for the given questions of a survey. */
  async lastAnswers(
    db: Executor,
    accountId: string,
    visitorId: string,
    surveyId: number,
    questionIds: readonly number[],
  ): Promise<Map<number, string>> {
    if (questionIds.length === 0) return new Map()
    const rows = await db
      .selectFrom('visitor_survey_answers')
      .select(['question_id', 'value'])
      .where('account_id', '=', accountId)
      .where('visitor_id', '=', visitorId)
      .where('survey_id', '=', surveyId)
      .where('question_id', 'in', [...questionIds])
      .execute()
    return new Map(rows.map((row) => [Number(row.question_id), row.value]))
  },
}
