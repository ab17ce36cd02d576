import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// postgres: times 'bigint' (epoch ms).
// Partial multi-part js2rest requests (docs/browser-transports.md, "Limits"): held in the database
// so that any process behind a load balancer can receive any part (no sticky sessions). A request
// row holds its counters; its parts are rows of their own. Expired requests are swept on arrival.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('js2rest_requests')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addColumn('chars', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('touched_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('js2rest_requests_touched_idx').on('js2rest_requests').column('touched_at').execute()
  await db.schema
    .createTable('js2rest_request_parts')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('part_index', 'integer', (c) => c.notNull())
    .addColumn('chunk', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('js2rest_request_parts_pk', ['request_id', 'part_index'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('js2rest_request_parts').execute()
  await db.schema.dropIndex('js2rest_requests_touched_idx').execute()
  await db.schema.dropTable('js2rest_requests').execute()
}
