import type { Executor } from './executor.ts'

/** A visit id as derived from a chat key (wire-conventions.md §11): `H` + digits + `K` + shard. */
const VISIT_ID = /^H(\d{1,19})K(\d{1,10})$/

/** Finds live chats by the visit id their key carries (V22, A25). */
export const chatVisitsRepository = {
  /**
   * The key of the account's chat whose key is `H{digits}-{secret}K{shard}` for visit id
   * `H{digits}K{shard}`; undefined for an unknown or malformed visit id. The key's leading digits
   * are random, so at most one chat matches in practice; the newest wins otherwise. The match is a
   * scan of the account's live chats (they are few: ended chats leave after a day), which keeps
   * the chats table free of a second key.
   */
  async findChatKey(db: Executor, accountId: string, visitId: string): Promise<string | undefined> {
    const match = VISIT_ID.exec(visitId)
    if (!match) return undefined
    const row = await db
      .selectFrom('chats')
      .select('id')
      .where('account_id', '=', accountId)
      .where('id', 'like', `H${match[1]}-%K${match[2]}`)
      .orderBy('requested_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row?.id
  },
}
