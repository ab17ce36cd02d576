import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// Issue 11 item 9: survey answers keep the questions as they were asked. `survey` is the JSON
// snapshot of the answered survey taken when the answers were submitted (null on rows written
// before); pre-chat answers are stored here too (kind 'preChat', sequence 0) with theirs.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chat_survey_answers').addColumn('survey', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chat_survey_answers').dropColumn('survey').execute()
}
