import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// sqlite: times 'integer' (epoch ms).
// Idempotency-Key of the chat request and the visitor and agent line calls (a Parley extension,
// docs/chat-api.md): the first result of a key per account and caller, written in the same
// transaction as the chat or line it created. The primary key decides concurrent duplicates.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('result_ref', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'scope', 'idempotency_key'])
    .execute()
  await db.schema.createIndex('idempotency_keys_created_idx').on('idempotency_keys').column('created_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idempotency_keys_created_idx').execute()
  await db.schema.dropTable('idempotency_keys').execute()
}
