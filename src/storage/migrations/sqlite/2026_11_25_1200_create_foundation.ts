import { sql, type CreateTableBuilder, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// sqlite: ids 'integer', times 'integer' epoch ms, booleans 'integer'.

type Table = CreateTableBuilder<string, never>

const id = (t: Table): Table => t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
const entity = (t: Table): Table =>
  id(t)
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute()

  await id(db.schema.createTable('app_keys'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('app_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .execute()
  await db.schema.createIndex('app_keys_account_idx').on('app_keys').column('account_id').execute()

  await id(db.schema.createTable('api_keys'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('consumer_key', 'text', (c) => c.notNull().unique())
    .addColumn('consumer_secret', 'text', (c) => c.notNull())
    .addColumn('access_token', 'text', (c) => c.notNull())
    .addColumn('access_token_secret', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .execute()
  await db.schema.createIndex('api_keys_account_idx').on('api_keys').column('account_id').execute()

  await entity(db.schema.createTable('skills'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('max_wait_time', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('skills_name_key_uq')
    .on('skills')
    .columns(['account_id', 'name_key'])
    .unique()
    .where(sql<boolean>`deleted = 0`)
    .execute()

  await entity(db.schema.createTable('agent_groups'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('parent_group_id', 'integer', (c) => c.notNull())
    .addColumn('is_enabled', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('agent_groups_account_idx').on('agent_groups').column('account_id').execute()

  await entity(db.schema.createTable('users'))
    .addColumn('login_name', 'text', (c) => c.notNull())
    .addColumn('login_key', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('nickname', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('is_enabled', 'integer', (c) => c.notNull())
    .addColumn('max_chats', 'integer', (c) => c.notNull())
    .addColumn('member_group_id', 'integer', (c) => c.notNull())
    .addColumn('member_assigned_at', 'integer', (c) => c.notNull())
    .addColumn('permission_groups', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('users_login_key_uq')
    .on('users')
    .columns(['account_id', 'login_key'])
    .unique()
    .where(sql<boolean>`deleted = 0`)
    .execute()

  await db.schema
    .createTable('user_skills')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('skill_id', 'integer', (c) => c.notNull().references('skills.id'))
    .addPrimaryKeyConstraint('user_skills_pk', ['user_id', 'skill_id'])
    .execute()
  await db.schema.createIndex('user_skills_skill_idx').on('user_skills').column('skill_id').execute()

  await db.schema
    .createTable('user_managed_groups')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('agent_group_id', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_managed_groups_pk', ['user_id', 'agent_group_id'])
    .execute()

  for (const name of ['goals', 'visitor_behaviors', 'visitor_profiles', 'lobs']) {
    await entity(db.schema.createTable(name))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
      .execute()
    await db.schema.createIndex(`${name}_account_idx`).on(name).column('account_id').execute()
  }

  await entity(db.schema.createTable('campaigns'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('goal_id', 'integer', (c) => c.notNull())
    .addColumn('lob_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('visitor_profile_ids', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text')
    .addColumn('expiration_date', 'text')
    .execute()
  await db.schema.createIndex('campaigns_account_idx').on('campaigns').column('account_id').execute()

  await entity(db.schema.createTable('campaign_engagements'))
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('channel', 'integer', (c) => c.notNull())
    .addColumn('skill_id', 'integer', (c) => c.notNull())
    .addColumn('visitor_behavior_ids', 'text', (c) => c.notNull())
    .addColumn('agent_note', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('campaign_engagements_campaign_idx')
    .on('campaign_engagements')
    .column('campaign_id')
    .execute()

  await entity(db.schema.createTable('surveys'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('header', 'text', (c) => c.notNull())
    .addColumn('skill_ids', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('questions', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('surveys_account_idx').on('surveys').column('account_id').execute()

  await id(db.schema.createTable('login_sessions'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('session_key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('bearer_hash', 'text', (c) => c.notNull().unique())
    .addColumn('csrf_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('last_used_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .execute()
  await db.schema.createIndex('login_sessions_user_idx').on('login_sessions').column('user_id').execute()

  await db.schema
    .createTable('oauth_nonces')
    .addColumn('consumer_key', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('oauth_nonces_pk', ['consumer_key', 'nonce'])
    .execute()
  await db.schema.createIndex('oauth_nonces_expires_idx').on('oauth_nonces').column('expires_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'oauth_nonces',
    'login_sessions',
    'surveys',
    'campaign_engagements',
    'campaigns',
    'lobs',
    'visitor_profiles',
    'visitor_behaviors',
    'goals',
    'user_managed_groups',
    'user_skills',
    'users',
    'agent_groups',
    'skills',
    'api_keys',
    'app_keys',
    'accounts',
  ]) {
    await db.schema.dropTable(name).execute()
  }
}
