import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// Leadership leases (storage/lease-leadership.ts): one row per lease, held by the process whose
// holder token it names until expires_at (milliseconds, database clock). Background tasks (chat
// timers, sweeps, mail, purges) run only in the process holding the lease.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey().notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute()
}
