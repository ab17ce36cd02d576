import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// postgres: ids and times 'bigint' (epoch ms), booleans 'boolean'.
// Engagement attributes (SDEs) reported through the monitoring API, per account, visitor (the
// path's visitor id as given) and monitoring session (`sid`), in the order received; the
// attribute itself is JSON in its validated input shape.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('engagement_attributes')
    .$call((t) => t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('visitor_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('attribute', 'text', (c) => c.notNull())
    .addColumn('is_authenticated', 'boolean', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute()
  // A chat's attributes (engagement-history.md §6.2): by visitor id, then receive time.
  await db.schema
    .createIndex('engagement_attributes_visitor_idx')
    .on('engagement_attributes')
    .columns(['account_id', 'visitor_id', 'received_at'])
    .execute()
  // Retention: reports older than a week are deleted.
  await db.schema
    .createIndex('engagement_attributes_received_idx')
    .on('engagement_attributes')
    .column('received_at')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('engagement_attributes_received_idx').execute()
  await db.schema.dropIndex('engagement_attributes_visitor_idx').execute()
  await db.schema.dropTable('engagement_attributes').execute()
}
