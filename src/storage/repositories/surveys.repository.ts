import type { Selectable } from 'kysely'
import type {
  Survey,
  SurveyQuestion,
  SurveyType,
  SurveyValues,
} from '../../core/account-config/account-config.types.ts'
import type { SurveyRow } from '../schema.ts'
import { parseJsonArray, toBool, type Executor } from './executor.ts'

const toSurvey = (row: Selectable<SurveyRow>): Survey => ({
  id: Number(row.id),
  accountId: row.account_id,
  name: row.name,
  type: row.type as SurveyType,
  header: row.header,
  skillIds: parseJsonArray<number>(row.skill_ids),
  isDefault: toBool(row.is_default),
  questions: parseJsonArray<SurveyQuestion>(row.questions),
  deleted: toBool(row.deleted),
  updatedAt: Number(row.updated_at),
})

const surveyColumns = (values: SurveyValues) => ({
  name: values.name,
  type: values.type,
  header: values.header,
  skill_ids: JSON.stringify(values.skillIds),
  is_default: values.isDefault,
  questions: JSON.stringify(values.questions),
})

/** Surveys (Parley's own); questions are stored as JSON with the survey. Scoped by account. */
export const surveysRepository = {
  async list(db: Executor, accountId: string, includeDeleted: boolean): Promise<Survey[]> {
    let query = db.selectFrom('surveys').selectAll().where('account_id', '=', accountId)
    if (!includeDeleted) query = query.where('deleted', '=', false)
    return (await query.orderBy('id').execute()).map(toSurvey)
  },

  async findById(db: Executor, accountId: string, id: number): Promise<Survey | undefined> {
    const row = await db
      .selectFrom('surveys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toSurvey(row) : undefined
  },

  async insert(db: Executor, accountId: string, values: SurveyValues, now: number): Promise<number> {
    const row = await db
      .insertInto('surveys')
      .values({ account_id: accountId, ...surveyColumns(values), deleted: false, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },

  async update(db: Executor, accountId: string, id: number, values: SurveyValues, now: number): Promise<void> {
    await db
      .updateTable('surveys')
      .set({ ...surveyColumns(values), updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },

  /** Clears `isDefault` on the account's other non-deleted surveys of the type (at most one default per type). */
  async clearDefault(db: Executor, accountId: string, type: SurveyType, exceptId: number, now: number): Promise<void> {
    await db
      .updateTable('surveys')
      .set({ is_default: false, updated_at: now })
      .where('account_id', '=', accountId)
      .where('type', '=', type)
      .where('id', '!=', exceptId)
      .where('is_default', '=', true)
      .execute()
  },

  async markDeleted(db: Executor, accountId: string, id: number, now: number): Promise<void> {
    await db
      .updateTable('surveys')
      .set({ deleted: true, is_default: false, updated_at: now })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .execute()
  },
}
