import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// sqlite: ids 'integer', times 'integer' epoch ms.

export async function up(db: Kysely<unknown>): Promise<void> {
  // Agent session ids are random (not autoincrement): see docs/agent-sessions.md.
  await db.schema
    .createTable('agent_sessions')
    .addColumn('id', 'integer', (c) => c.primaryKey().notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('login_session_id', 'integer', (c) => c.references('login_sessions.id'))
    .addColumn('api_key_id', 'integer', (c) => c.references('api_keys.id'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('last_activity_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .addColumn('end_reason', 'text')
    .execute()
  await db.schema
    .createIndex('agent_sessions_live_user_idx')
    .on('agent_sessions')
    .columns(['account_id', 'user_id'])
    .where(sql<boolean>`ended_at is null`)
    .execute()
  await db.schema
    .createIndex('agent_sessions_login_session_idx')
    .on('agent_sessions')
    .column('login_session_id')
    .execute()

  await db.schema
    .createTable('agent_availability')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().notNull().references('users.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('chat_state', 'text', (c) => c.notNull())
    .addColumn('chat_reason_id', 'text')
    .addColumn('changed_at', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('agent_availability_account_idx').on('agent_availability').column('account_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_availability').execute()
  await db.schema.dropTable('agent_sessions').execute()
}
