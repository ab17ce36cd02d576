import { sql } from 'kysely'
import type { DialectName } from '../dialect/dialect.ts'
import type { Database } from '../schema.ts'
import type { Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

/** Rows removed per table by `deleteAccount` (tables with no row of the account are left out). */
export type DeletedRows = Record<string, number>

type AccountTable = {
  [T in keyof Database]: 'account_id' extends keyof Database[T] ? T : never
}[keyof Database]

/**
 * Tables with an `account_id` column, children before parents (foreign keys are not cascading).
 * A new table with an `account_id` column belongs here: test/server/account-delete.test.ts checks
 * that no table of the schema keeps a row of a deleted account.
 */
const ACCOUNT_TABLES = [
  'archive_failures',
  'idempotency_keys',
  'login_attempts',
  'agent_state_changes',
  'chat_cobrowse_sessions',
  'engagements',
  'engagement_attributes',
  'agent_sessions',
  'agent_availability',
  'chats',
  'login_sessions',
  'live_chat_counters',
  'visitor_survey_answers',
  'offline_messages',
  'offline_message_settings',
  'mail_outbox',
  'app_keys',
  'api_keys',
  'campaign_engagements',
  'campaigns',
  'surveys',
  'users',
  'skills',
  'agent_groups',
  'goals',
  'visitor_behaviors',
  'visitor_profiles',
  'lobs',
  'archived_engagements',
  'js2rest_requests',
] as const satisfies readonly AccountTable[]

/** Fails to compile when a table with an `account_id` column is missing from ACCOUNT_TABLES. */
type MissingAccountTables = Exclude<AccountTable, (typeof ACCOUNT_TABLES)[number]>
const everyAccountTableListed: [MissingAccountTables] extends [never] ? true : MissingAccountTables = true
void everyAccountTableListed

export const accountDeletionRepository = {
  /**
   * Deletes the account and every row that belongs to it: configuration, credentials, sessions,
   * live chats, queued mail, offline messages and the Engagement History archive with its search
   * index. Run it in a transaction (AccountsService.deleteAccount does): all or nothing.
   */
  async deleteAccount(db: Executor, dialect: DialectName, accountId: string): Promise<DeletedRows> {
    const deleted: DeletedRows = {}
    const count = (table: string, rows: bigint | number | undefined): void => {
      const n = Number(rows ?? 0)
      if (n > 0) deleted[table] = (deleted[table] ?? 0) + n
    }
    const chatIds = db.selectFrom('chats').select('id').where('account_id', '=', accountId)
    const userIds = db.selectFrom('users').select('id').where('account_id', '=', accountId)
    const archiveIds = db.selectFrom('archived_engagements').select('id').where('account_id', '=', accountId)

    // Rows that reach the account only through a parent row.
    count(
      'chat_events',
      (await db.deleteFrom('chat_events').where('chat_id', 'in', chatIds).executeTakeFirst()).numDeletedRows,
    )
    count(
      'chat_survey_answers',
      (await db.deleteFrom('chat_survey_answers').where('chat_id', 'in', chatIds).executeTakeFirst()).numDeletedRows,
    )
    count(
      'user_skills',
      (await db.deleteFrom('user_skills').where('user_id', 'in', userIds).executeTakeFirst()).numDeletedRows,
    )
    count(
      'user_managed_groups',
      (await db.deleteFrom('user_managed_groups').where('user_id', 'in', userIds).executeTakeFirst()).numDeletedRows,
    )
    count(
      'oauth_nonces',
      (
        await db
          .deleteFrom('oauth_nonces')
          .where(
            'consumer_key',
            'in',
            db.selectFrom('api_keys').select('consumer_key').where('account_id', '=', accountId),
          )
          .executeTakeFirst()
      ).numDeletedRows,
    )
    count(
      'js2rest_request_parts',
      (
        await db
          .deleteFrom('js2rest_request_parts')
          .where('request_id', 'in', db.selectFrom('js2rest_requests').select('id').where('account_id', '=', accountId))
          .executeTakeFirst()
      ).numDeletedRows,
    )
    // The archive's documents, co-browse sessions and search index share the engagement row id.
    count(
      'archived_engagement_documents',
      (await db.deleteFrom('archived_engagement_documents').where('id', 'in', archiveIds).executeTakeFirst())
        .numDeletedRows,
    )
    count(
      'archived_cobrowse_sessions',
      (
        await db
          .deleteFrom('archived_cobrowse_sessions')
          .where('engagement_row_id', 'in', archiveIds)
          .executeTakeFirst()
      ).numDeletedRows,
    )
    const ftsKey = dialect === 'sqlite' ? sql.raw('rowid') : sql.raw('id')
    await sql`delete from archived_engagements_fts where ${ftsKey} in (select id from archived_engagements where account_id = ${accountId})`.execute(
      db,
    )

    for (const table of ACCOUNT_TABLES) {
      const result = await db.deleteFrom(table).where(sql.ref('account_id'), '=', accountId).executeTakeFirst()
      count(table, result.numDeletedRows)
    }
    count('accounts', (await db.deleteFrom('accounts').where('id', '=', accountId).executeTakeFirst()).numDeletedRows)
    invalidateAccount(db, accountId)
    return deleted
  },
}
