import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// The archive row id is chosen by the application in start-time order (start ms * 1024 + slot),
// so a time window is also an id range the search table can apply with its primary key.
// Text keys sort with the "C" collation: byte order, the same as SQLite and the reference filter.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('archived_engagements')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('engagement_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('rt_session_id', 'bigint', (c) => c.notNull())
    .addColumn('start_time', 'bigint', (c) => c.notNull())
    .addColumn('end_time', 'bigint', (c) => c.notNull())
    .addColumn('duration', 'double precision', (c) => c.notNull())
    .addColumn('visitor_id', sql`text collate "C"`, (c) => c.notNull())
    .addColumn('agent_id', 'bigint')
    .addColumn('agent_group_id', 'bigint', (c) => c.notNull())
    .addColumn('skill_id', 'bigint', (c) => c.notNull())
    .addColumn('is_interactive', 'boolean', (c) => c.notNull())
    .addColumn('channel', 'bigint', (c) => c.notNull())
    .addColumn('alerted_mcs', 'double precision')
    .addColumn('chat_mcs', 'double precision')
    .addColumn('has_rich_content', 'boolean', (c) => c.notNull())
    .addColumn('has_interactive_cobrowse', 'boolean', (c) => c.notNull())
    .execute()
  await indexes(db)

  await db.schema
    .createTable('archived_engagement_documents')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('document', 'bytea', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('archived_cobrowse_sessions')
    .addColumn('engagement_row_id', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .addColumn('interactive', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('archived_cobrowse_sessions_pk', ['engagement_row_id', 'seq'])
    .execute()
  await db.schema
    .createIndex('archived_cobrowse_sessions_duration_idx')
    .on('archived_cobrowse_sessions')
    .columns(['engagement_row_id', 'duration_ms'])
    .execute()

  // Lexemes are "<area index>.<normalised word>" with explicit positions, a gap between fields,
  // so area restriction and phrase adjacency are exact (search/postgres-tsvector.ts).
  await db.schema
    .createTable('archived_engagements_fts')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('words', sql`tsvector`, (c) => c.notNull())
    .execute()
  await sql`create index archived_engagements_fts_gin on archived_engagements_fts using gin (words)`.execute(db)
}

async function indexes(db: Kysely<unknown>): Promise<void> {
  const table = 'archived_engagements'
  await db.schema
    .createIndex('archived_engagements_engagement_uq')
    .on(table)
    .columns(['account_id', 'engagement_id'])
    .unique()
    .execute()
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
  await db.schema.dropTable('archived_engagements_fts').ifExists().execute()
  await db.schema.dropTable('archived_cobrowse_sessions').ifExists().execute()
  await db.schema.dropTable('archived_engagement_documents').ifExists().execute()
  await db.schema.dropTable('archived_engagements').ifExists().execute()
}
