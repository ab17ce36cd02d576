import type { ApiKey, ApiKeyPermission, AppKey } from '../../core/accounts/accounts.types.ts'
import type { Selectable } from 'kysely'
import type { ApiKeyRow, AppKeyRow } from '../schema.ts'
import { parseJsonArray, type Executor } from './executor.ts'
import { invalidateAccount } from '../invalidation.ts'

const toAppKey = (row: Selectable<AppKeyRow>): AppKey => ({
  id: Number(row.id),
  accountId: row.account_id,
  appKey: row.app_key,
  createdAt: Number(row.created_at),
})

const toApiKey = (row: Selectable<ApiKeyRow>): ApiKey => ({
  id: Number(row.id),
  accountId: row.account_id,
  consumerKey: row.consumer_key,
  consumerSecret: row.consumer_secret,
  accessToken: row.access_token,
  accessTokenSecret: row.access_token_secret,
  permissions: parseJsonArray<ApiKeyPermission>(row.permissions),
  userId: row.user_id === null ? null : Number(row.user_id),
  createdAt: Number(row.created_at),
})

/** Visitor app keys and OAuth 1.0a API keys. */
export const credentialsRepository = {
  async insertAppKey(db: Executor, input: { accountId: string; appKey: string; now: number }): Promise<AppKey> {
    const row = await db
      .insertInto('app_keys')
      .values({ account_id: input.accountId, app_key: input.appKey, created_at: input.now, revoked_at: null })
      .returningAll()
      .executeTakeFirstOrThrow()
    invalidateAccount(db, input.accountId)
    return toAppKey(row)
  },

  /** The active app key with this value in the account, if any. */
  async findAppKey(db: Executor, accountId: string, appKey: string): Promise<AppKey | undefined> {
    const row = await db
      .selectFrom('app_keys')
      .selectAll()
      .where('app_key', '=', appKey)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return row ? toAppKey(row) : undefined
  },

  async listAppKeys(db: Executor, accountId: string): Promise<AppKey[]> {
    const rows = await db
      .selectFrom('app_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute()
    return rows.map(toAppKey)
  },

  async insertApiKey(db: Executor, input: Omit<ApiKey, 'id' | 'createdAt'> & { now: number }): Promise<ApiKey> {
    const row = await db
      .insertInto('api_keys')
      .values({
        account_id: input.accountId,
        consumer_key: input.consumerKey,
        consumer_secret: input.consumerSecret,
        access_token: input.accessToken,
        access_token_secret: input.accessTokenSecret,
        permissions: JSON.stringify(input.permissions),
        user_id: input.userId,
        created_at: input.now,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    invalidateAccount(db, input.accountId)
    return toApiKey(row)
  },

  /** The active API key with this consumer key in the account, if any. */
  async findApiKey(db: Executor, accountId: string, consumerKey: string): Promise<ApiKey | undefined> {
    const row = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('consumer_key', '=', consumerKey)
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return row ? toApiKey(row) : undefined
  },

  async listApiKeys(db: Executor, accountId: string): Promise<ApiKey[]> {
    const rows = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .orderBy('id')
      .execute()
    return rows.map(toApiKey)
  },

  /** Revokes the account's active app key with this value; false when there is none. */
  async revokeAppKey(db: Executor, accountId: string, appKey: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('app_keys')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('app_key', '=', appKey)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    invalidateAccount(db, accountId)
    return Number(result.numUpdatedRows) > 0
  },

  /** Revokes the account's active API key with this consumer key; the revoked key's id, if any. */
  async revokeApiKey(db: Executor, accountId: string, consumerKey: string, now: number): Promise<number | undefined> {
    const row = await db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('account_id', '=', accountId)
      .where('consumer_key', '=', consumerKey)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    invalidateAccount(db, accountId)
    return row ? Number(row.id) : undefined
  },

  /**
   * Records an OAuth nonce; false when the same consumer key already used it and it has not expired.
   * Expired nonces of the key are purged first so the table stays small.
   */
  async useNonce(
    db: Executor,
    input: { consumerKey: string; nonce: string; now: number; ttlMs: number },
  ): Promise<boolean> {
    await db.deleteFrom('oauth_nonces').where('expires_at', '<', input.now).execute()
    const inserted = await db
      .insertInto('oauth_nonces')
      .values({ consumer_key: input.consumerKey, nonce: input.nonce, expires_at: input.now + input.ttlMs })
      .onConflict((oc) => oc.columns(['consumer_key', 'nonce']).doNothing())
      .returning('nonce')
      .executeTakeFirst()
    return inserted !== undefined
  },
}
