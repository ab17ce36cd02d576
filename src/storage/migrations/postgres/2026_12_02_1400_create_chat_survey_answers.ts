import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// postgres: ids and times 'bigint' (epoch ms).
// Exit-survey (kind 'exit', sequence -1: the chat's last engagement) and agent-survey (kind
// 'agent', the agent's engagement) answers of live chats; a new submission replaces the old one;
// and the index behind estimatedWaitTime.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_survey_answers')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('survey_id', 'bigint', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('user_id', 'bigint')
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_survey_answers_pk', ['chat_id', 'kind', 'sequence'])
    .execute()
  // estimatedWaitTime (chat-api.md §5 V3): the latest accepts of a skill.
  await db.schema
    .createIndex('engagements_accepted_idx')
    .on('engagements')
    .columns(['account_id', 'skill_id', 'accepted_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('engagements_accepted_idx').execute()
  await db.schema.dropTable('chat_survey_answers').execute()
}
