import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// postgres: ids and times 'bigint' (epoch ms).
// Offline messages (V6 submissions, listed by admins), the per-account address notified of each
// one, and each visitor's last answer per survey question (question ids are per survey) (`lastKnownValue`).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('offline_messages')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('survey_id', 'bigint', (c) => c.notNull())
    .addColumn('survey_name', 'text', (c) => c.notNull())
    .addColumn('skill_id', 'bigint', (c) => c.notNull())
    .addColumn('skill_name', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text')
    .addColumn('visitor', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('offline_messages_account_idx')
    .on('offline_messages')
    .columns(['account_id', 'created_at', 'id'])
    .execute()
  await db.schema
    .createTable('offline_message_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey().notNull().references('accounts.id'))
    .addColumn('notification_email', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('visitor_survey_answers')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'bigint', (c) => c.notNull())
    .addColumn('question_id', 'bigint', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('visitor_survey_answers_pk', ['account_id', 'visitor_id', 'survey_id', 'question_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('visitor_survey_answers').execute()
  await db.schema.dropTable('offline_message_settings').execute()
  await db.schema.dropIndex('offline_messages_account_idx').execute()
  await db.schema.dropTable('offline_messages').execute()
}
