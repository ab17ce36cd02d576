import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// Issue 11 item 1: engagement ids never collide.
// - archived_engagements.origin: 'live', 'generated' or 'imported'. Rows archived before origins
//   were recorded are 'live' when their live engagement is still stored, 'legacy' otherwise.
// - Every account with archived or live engagements gets a counter past the largest numeric
//   rtSessionId it holds (never below 2^32), so later allocations reuse none of them.
// - engagements: unique (account_id, rt_session_id). Duplicates (two processes that read the
//   old counter at once) are renumbered from the counter and queued for archiving again.

const BASE = 2 ** 32
// record-keys.ts NON_NUMERIC_RT_SESSION_ID: engagement ids that are not accountId + digits.
const NON_NUMERIC = Number.MAX_SAFE_INTEGER

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>

export async function up(db: Kysely<unknown>): Promise<void> {
  const k = db as Db
  await k.schema
    .alterTable('archived_engagements')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('legacy'))
    .execute()
  await sql`
    update archived_engagements set origin = 'live'
    where exists (
      select 1 from engagements e
      where e.account_id = archived_engagements.account_id
        and e.rt_session_id = archived_engagements.rt_session_id
        and archived_engagements.engagement_id = e.account_id || e.rt_session_id
    )`.execute(k)

  const next = new Map<string, number>()
  const raise = (accountId: string, value: number): void => {
    next.set(accountId, Math.max(next.get(accountId) ?? BASE, value))
  }
  const counters = await k.selectFrom('live_chat_counters').select(['account_id', 'next_rt_session_id']).execute()
  for (const row of counters) raise(row.account_id as string, Number(row.next_rt_session_id))
  const archived = await k
    .selectFrom('archived_engagements')
    .select(['account_id', (eb) => eb.fn.max('rt_session_id').as('max')])
    .where('rt_session_id', '<', NON_NUMERIC)
    .groupBy('account_id')
    .execute()
  for (const row of archived) raise(row.account_id as string, Number(row.max) + 1)
  const live = await k
    .selectFrom('engagements')
    .select(['account_id', (eb) => eb.fn.max('rt_session_id').as('max')])
    .groupBy('account_id')
    .execute()
  for (const row of live) raise(row.account_id as string, Number(row.max) + 1)

  const duplicates = await k
    .selectFrom('engagements')
    .select(['account_id', 'rt_session_id'])
    .groupBy(['account_id', 'rt_session_id'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute()
  for (const duplicate of duplicates) {
    const accountId = duplicate.account_id as string
    const rows = await k
      .selectFrom('engagements')
      .select(['chat_id', 'sequence'])
      .where('account_id', '=', accountId)
      .where('rt_session_id', '=', duplicate.rt_session_id)
      .orderBy('started_at')
      .orderBy('chat_id')
      .orderBy('sequence')
      .execute()
    // Only one of them could keep its archived record: every one is archived again.
    for (const [index, row] of rows.entries()) {
      const rtSessionId = index === 0 ? Number(duplicate.rt_session_id) : next.get(accountId)!
      if (index > 0) next.set(accountId, rtSessionId + 1)
      await k
        .updateTable('engagements')
        .set({ rt_session_id: rtSessionId, archived_at: null })
        .where('chat_id', '=', row.chat_id)
        .where('sequence', '=', row.sequence)
        .execute()
      await k
        .updateTable('chats')
        .set({ rt_session_id: rtSessionId })
        .where('id', '=', row.chat_id)
        .where('sequence', '=', row.sequence)
        .execute()
    }
  }

  for (const [accountId, value] of next) {
    await k
      .insertInto('live_chat_counters')
      .values({ account_id: accountId, next_rt_session_id: value })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ next_rt_session_id: value }))
      .execute()
  }
  await k.schema
    .createIndex('engagements_rt_session_uq')
    .on('engagements')
    .columns(['account_id', 'rt_session_id'])
    .unique()
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('engagements_rt_session_uq').execute()
  await db.schema.alterTable('archived_engagements').dropColumn('origin').execute()
}
