import { sql } from 'kysely'
import type { TextArea } from '../../core/history/history-query.types.ts'
import { insertRows } from '../repositories/bulk-insert.ts'
import type { KeywordQuery, SearchDocument, SearchIndex } from './search-index.ts'

/** FTS5 column of each area (column order is the migration's). */
const COLUMNS: Readonly<Record<TextArea, string>> = {
  chatLine: 'chat_line',
  surveyAnswer: 'survey_answer',
  surveyQuestion: 'survey_question',
  visitorInfo: 'visitor_info',
  'ea.purchase': 'ea_purchase',
  'ea.viewedProduct': 'ea_viewed_product',
  'ea.cartStatus': 'ea_cart_status',
  'ea.serviceActivity': 'ea_service_activity',
  'ea.visitorError': 'ea_visitor_error',
  'ea.lead': 'ea_lead',
  'ea.customerInfo': 'ea_customer_info',
  'ea.marketingCampaignInfo': 'ea_marketing_campaign_info',
  'ea.personalInfo': 'ea_personal_info',
}
const AREAS = Object.keys(COLUMNS) as TextArea[]

// The `ascii` tokenizer splits only on ASCII non-alphanumerics and keeps every other character,
// so the already-normalised words come back exactly as searchWords produced them. Fields are
// joined with "§", which the tokenizer keeps as a token of its own and which no search word can
// equal (it is not a letter or digit), so a phrase never spans two fields.
const FIELD_SEPARATOR = ' § '

const columnText = (fields: readonly (readonly string[])[]): string =>
  fields.map((words) => words.join(' ')).join(FIELD_SEPARATOR)

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`

const DELETE_CHUNK = 500

/** SQLite FTS5 (contentless, rowid = archive row id, so a time window is a rowid range). */
export const sqliteFts5Index: SearchIndex = {
  async add(db, documents: readonly SearchDocument[]) {
    await insertRows(
      db,
      'sqlite',
      'archived_engagements_fts',
      ['rowid', ...AREAS.map((area) => COLUMNS[area])],
      documents.map((doc) => [doc.id, ...AREAS.map((area) => columnText(doc.fields[area]))]),
    )
  },

  async remove(db, ids) {
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      await sql`delete from archived_engagements_fts where rowid in (${sql.join(ids.slice(i, i + DELETE_CHUNK))})`.execute(
        db,
      )
    }
  },

  matches(keyword, idRange) {
    const match = this.queryText(keyword)
    // Without a window (visitor/engagementId lookups) the candidates are few: probe each row.
    if (!idRange)
      return sql<boolean>`exists (select 1 from archived_engagements_fts where archived_engagements_fts match ${match} and rowid = archived_engagements.id)`
    return sql<boolean>`archived_engagements.id in (select rowid from archived_engagements_fts where archived_engagements_fts match ${match} and rowid between ${idRange.from} and ${idRange.to})`
  },

  queryText(keyword: KeywordQuery) {
    // Each word is quoted separately inside one phrase: "a" + "b" is FTS5's adjacency operator.
    const phrase = keyword.words.map(quote).join(' + ')
    return `{${keyword.areas.map((area) => COLUMNS[area]).join(' ')}} : (${phrase})`
  },
}
