import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// The archive row id is chosen by the application in start-time order (start ms * 1024 + slot),
// so a time window is also an id range, which FTS5 applies inside its own index.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('archived_engagements')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('engagement_id', 'text', (c) => c.notNull())
    .addColumn('rt_session_id', 'integer', (c) => c.notNull())
    .addColumn('start_time', 'integer', (c) => c.notNull())
    .addColumn('end_time', 'integer', (c) => c.notNull())
    .addColumn('duration', 'integer', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'integer')
    .addColumn('agent_group_id', 'integer', (c) => c.notNull())
    .addColumn('skill_id', 'integer', (c) => c.notNull())
    .addColumn('is_interactive', 'integer', (c) => c.notNull())
    .addColumn('channel', 'integer', (c) => c.notNull())
    .addColumn('alerted_mcs', 'integer')
    .addColumn('chat_mcs', 'integer')
    .addColumn('has_rich_content', 'integer', (c) => c.notNull())
    .addColumn('has_interactive_cobrowse', 'integer', (c) => c.notNull())
    .execute()
  await indexes(db)

  await db.schema
    .createTable('archived_engagement_documents')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('document', 'blob', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('archived_cobrowse_sessions')
    .addColumn('engagement_row_id', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('interactive', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('archived_cobrowse_sessions_pk', ['engagement_row_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('archived_cobrowse_sessions_duration_idx')
    .on('archived_cobrowse_sessions')
    .columns(['engagement_row_id', 'duration_ms'])
    .execute()

  // One column per keyword area; rows hold already-normalised words separated by spaces, and
  // fields of one area are separated by a token no search word can equal (search-index.ts).
  await sql`
    create virtual table archived_engagements_fts using fts5(
      chat_line, survey_answer, survey_question, visitor_info,
      ea_purchase, ea_viewed_product, ea_cart_status, ea_service_activity, ea_visitor_error,
      ea_lead, ea_customer_info, ea_marketing_campaign_info, ea_personal_info,
      content = '', contentless_delete = 1, tokenize = 'ascii'
    )`.execute(db)
}

async function indexes(db: Kysely<unknown>): Promise<void> {
  const table = 'archived_engagements'
  await db.schema
    .createIndex('archived_engagements_engagement_uq')
    .on(table)
    .columns(['account_id', 'engagement_id'])
    .unique()
    .execute()
  // Covers the common filters so exact counts over a window read the index only.
  await db.schema
    .createIndex('archived_engagements_window_idx')
    .on(table)
    .columns([
      'account_id',
      'start_time',
      'skill_id',
      'agent_id',
      'agent_group_id',
      'duration',
      'chat_mcs',
      'alerted_mcs',
      'is_interactive',
      'channel',
      'has_rich_content',
      'has_interactive_cobrowse',
    ])
    .execute()
  const single: [string, string[]][] = [
    ['archived_engagements_end_idx', ['account_id', 'end_time']],
    ['archived_engagements_duration_idx', ['account_id', 'duration']],
    ['archived_engagements_visitor_idx', ['account_id', 'visitor_id']],
    ['archived_engagements_rt_session_idx', ['account_id', 'rt_session_id']],
    ['archived_engagements_agent_idx', ['account_id', 'agent_id', 'start_time']],
    ['archived_engagements_skill_idx', ['account_id', 'skill_id', 'start_time']],
    ['archived_engagements_agent_group_idx', ['account_id', 'agent_group_id', 'start_time']],
    ['archived_engagements_chat_mcs_idx', ['account_id', 'chat_mcs']],
  ]
  for (const [name, columns] of single) await db.schema.createIndex(name).on(table).columns(columns).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table if exists archived_engagements_fts`.execute(db)
  await db.schema.dropTable('archived_cobrowse_sessions').ifExists().execute()
  await db.schema.dropTable('archived_engagement_documents').ifExists().execute()
  await db.schema.dropTable('archived_engagements').ifExists().execute()
}
