import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// postgres: ids and times 'bigint' (epoch ms).
// Co-browse sessions of live chats (the Parley agent-API extension, docs/cobrowse.md), one row
// per session, tied to the engagement (sequence) active when it started. No foreign key to
// chats: the ended-chat purge deletes these rows with the chat's.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_cobrowse_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('agent_user_id', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('interactive_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('end_reason', 'text')
    .execute()
  await db.schema
    .createIndex('chat_cobrowse_sessions_chat_idx')
    .on('chat_cobrowse_sessions')
    .columns(['chat_id', 'sequence', 'started_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('chat_cobrowse_sessions').execute()
}
