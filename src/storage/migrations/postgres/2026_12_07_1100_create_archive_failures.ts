import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// postgres: times 'bigint' (epoch ms).
// Engagements whose Engagement History record could not be built or written: retried with backoff
// ('next_attempt_at'), then set aside ('dead_at') until an operator retries them
// ('parley archive retry'). The row goes when the engagement is archived.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('archive_failures')
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('rt_session_id', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text', (c) => c.notNull())
    .addColumn('first_failed_at', 'bigint', (c) => c.notNull())
    .addColumn('last_failed_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('dead_at', 'bigint')
    .addPrimaryKeyConstraint('archive_failures_pk', ['chat_id', 'sequence'])
    .execute()
  await db.schema.createIndex('archive_failures_account_idx').on('archive_failures').columns(['account_id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('archive_failures').execute()
}
