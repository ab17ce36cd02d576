import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// sqlite: ids and times 'integer' (epoch ms), booleans 'integer'.
// Live chats (chat key = random URL-safe id), their event log (ids contiguous from 0 per chat),
// one engagement row per agent segment (Decision D6; `archived_at` null = still to archive, the
// outbox the chat service drains), and the per-account rtSessionId counter.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('live_chat_counters')
    .addColumn('account_id', 'text', (c) => c.primaryKey().notNull().references('accounts.id'))
    .addColumn('next_rt_session_id', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('chats')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('skill_id', 'integer', (c) => c.notNull())
    .addColumn('requested_agent_id', 'integer')
    .addColumn('target_agent_id', 'integer')
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('campaign_engagement_id', 'text')
    .addColumn('max_wait_time', 'integer')
    .addColumn('chat_timeout', 'integer', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('custom_variables', 'text', (c) => c.notNull())
    .addColumn('visitor_name', 'text')
    .addColumn('visitor_typing', 'integer', (c) => c.notNull())
    .addColumn('agent_typing', 'integer', (c) => c.notNull())
    .addColumn('agent_user_id', 'integer')
    .addColumn('agent_nickname', 'text')
    .addColumn('ringing_user_id', 'integer')
    .addColumn('ring_started_at', 'integer')
    .addColumn('ring_skipped', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('rt_session_id', 'integer', (c) => c.notNull())
    .addColumn('waiting_since', 'integer')
    .addColumn('wait_deadline_at', 'integer')
    .addColumn('requested_at', 'integer', (c) => c.notNull())
    .addColumn('last_update', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer')
    .addColumn('next_event_id', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .addColumn('end_event_id', 'integer')
    .execute()
  await db.schema
    .createIndex('chats_account_state_idx')
    .on('chats')
    .columns(['account_id', 'state', 'requested_at'])
    .execute()
  await db.schema.createIndex('chats_expires_idx').on('chats').column('expires_at').execute()
  await db.schema.createIndex('chats_wait_deadline_idx').on('chats').column('wait_deadline_at').execute()
  await db.schema.createIndex('chats_ring_idx').on('chats').columns(['ringing_user_id', 'ring_started_at']).execute()
  await db.schema.createIndex('chats_agent_idx').on('chats').columns(['account_id', 'agent_user_id', 'state']).execute()
  // The timer's routing safety net looks for waiting chats across accounts.
  await db.schema.createIndex('chats_state_idx').on('chats').columns(['state', 'account_id']).execute()

  await db.schema
    .createTable('chat_events')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id'))
    .addColumn('id', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('time', 'integer', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('state', 'text')
    .addColumn('source', 'text')
    .addColumn('by_name', 'text')
    .addColumn('text', 'text')
    .addColumn('text_type', 'text')
    .addColumn('json', 'text')
    .addColumn('system_message_id', 'integer')
    .addColumn('sub_type', 'text')
    .addColumn('agent_user_id', 'integer')
    .addPrimaryKeyConstraint('chat_events_pk', ['chat_id', 'id'])
    .execute()

  await db.schema
    .createTable('engagements')
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id'))
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('rt_session_id', 'integer', (c) => c.notNull())
    .addColumn('skill_id', 'integer', (c) => c.notNull())
    .addColumn('start_reason', 'text', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('accepted_at', 'integer')
    .addColumn('agent_user_id', 'integer')
    .addColumn('agent_group_id', 'integer')
    .addColumn('end_reason', 'text')
    .addColumn('ended_at', 'integer')
    .addColumn('archived_at', 'integer')
    .addPrimaryKeyConstraint('engagements_pk', ['chat_id', 'sequence'])
    .execute()
  await db.schema
    .createIndex('engagements_pending_idx')
    .on('engagements')
    .columns(['archived_at', 'ended_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('engagements').execute()
  await db.schema.dropTable('chat_events').execute()
  await db.schema.dropTable('chats').execute()
  await db.schema.dropTable('live_chat_counters').execute()
}
