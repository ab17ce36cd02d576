import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// One row while a server runs on this database (storage/server-lock.ts): its owner token, process
// id and host, and a heartbeat, so a second server refuses to start and a crashed one's row is
// recognised as stale.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('server_lock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('server_lock').execute()
}
