import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// sqlite: ids and times 'integer' (epoch ms).
// The Operational Realtime API (docs/operational-realtime.md) needs 24 hours of history that the
// live tables do not keep: every availability change of every agent (Offline = no live agent
// session), and engagement queries by account and event time (queue entry, accept, end) instead
// of by skill or archive state.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_state_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('chat_state', 'text', (c) => c.notNull())
    .addColumn('chat_reason_id', 'text')
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .execute()
  // A window's changes, and each user's last change before it (max id per user below the start).
  await db.schema
    .createIndex('agent_state_changes_account_time_idx')
    .on('agent_state_changes')
    .columns(['account_id', 'changed_at', 'user_id'])
    .execute()
  for (const column of ['started_at', 'accepted_at', 'ended_at']) {
    await db.schema
      .createIndex(`engagements_account_${column}_idx`)
      .on('engagements')
      .columns(['account_id', column])
      .execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['started_at', 'accepted_at', 'ended_at'])
    await db.schema.dropIndex(`engagements_account_${column}_idx`).execute()
  await db.schema.dropTable('agent_state_changes').execute()
}
