import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// Failed-login counters (docs/auth.md, "Login protection"): one row per account and login name
// (`scope` 'login', `subject` the normalised name) and one per account and client address
// (`scope` 'ip'). A row counts the attempts of a fixed window that starts at its first failure;
// every process reserves an attempt with one atomic upsert before checking a password, so the
// limits hold across processes and restarts.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_attempts_pk', ['account_id', 'scope', 'subject'])
    .execute()
  await db.schema.createIndex('login_attempts_window_idx').on('login_attempts').column('window_start').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('login_attempts_window_idx').execute()
  await db.schema.dropTable('login_attempts').execute()
}
