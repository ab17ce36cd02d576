import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// The window index also carries the tie-break keys, so a windowed page in any sort order except
// end/visitor is answered from the index alone; the visitor index carries start_time so a lookup
// sorted by start needs no sort step and is never traded for the window index.

const WINDOW_COLUMNS = [
  'account_id',
  'start_time',
  'rt_session_id',
  'engagement_id',
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
]

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('archived_engagements_window_idx').execute()
  await db.schema
    .createIndex('archived_engagements_window_idx')
    .on('archived_engagements')
    .columns(WINDOW_COLUMNS)
    .execute()
  await db.schema.dropIndex('archived_engagements_visitor_idx').execute()
  await db.schema
    .createIndex('archived_engagements_visitor_idx')
    .on('archived_engagements')
    .columns(['account_id', 'visitor_id', 'start_time'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('archived_engagements_visitor_idx').execute()
  await db.schema
    .createIndex('archived_engagements_visitor_idx')
    .on('archived_engagements')
    .columns(['account_id', 'visitor_id'])
    .execute()
  await db.schema.dropIndex('archived_engagements_window_idx').execute()
  await db.schema
    .createIndex('archived_engagements_window_idx')
    .on('archived_engagements')
    .columns(WINDOW_COLUMNS.filter((column) => column !== 'rt_session_id' && column !== 'engagement_id'))
    .execute()
}
