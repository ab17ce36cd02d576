import { sql } from 'kysely'
import type { Js2RestRequestRow } from '../schema.ts'
import type { Executor } from './executor.ts'

/** A partial request's counters (its parts are rows of their own). */
export type PartialRequest = Omit<Js2RestRequestRow, 'id'>

/** Partial multi-part js2rest requests, shared by every process (core/browser/js2rest-parts.service.ts). */
export const js2restPartsRepository = {
  /** Deletes requests untouched since `idleBefore` or created before `createdBefore`, with their parts. */
  async sweep(db: Executor, idleBefore: number, createdBefore: number): Promise<void> {
    await db
      .deleteFrom('js2rest_request_parts')
      .where('request_id', 'in', (eb) =>
        eb
          .selectFrom('js2rest_requests')
          .select('id')
          .where((w) => w.or([w('touched_at', '<=', idleBefore), w('created_at', '<=', createdBefore)])),
      )
      .execute()
    await db
      .deleteFrom('js2rest_requests')
      .where((w) => w.or([w('touched_at', '<=', idleBefore), w('created_at', '<=', createdBefore)]))
      .execute()
  },

  /** How many requests are held, how many of them for `client`, and their characters together. */
  async load(db: Executor, client: string): Promise<{ pending: number; ofClient: number; chars: number }> {
    const row = await db
      .selectFrom('js2rest_requests')
      .select([
        sql<number>`count(*)`.as('pending'),
        sql<number>`coalesce(sum(case when client = ${client} then 1 else 0 end), 0)`.as('of_client'),
        sql<number>`coalesce(sum(chars), 0)`.as('chars'),
      ])
      .executeTakeFirstOrThrow()
    return { pending: Number(row.pending), ofClient: Number(row.of_client), chars: Number(row.chars) }
  },

  async count(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('js2rest_requests')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  async insert(db: Executor, id: string, request: PartialRequest, chunk: string): Promise<void> {
    await db
      .insertInto('js2rest_requests')
      .values({ id, ...request })
      .execute()
    await db.insertInto('js2rest_request_parts').values({ request_id: id, part_index: 1, chunk }).execute()
  },

  /**
   * Marks the live request touched at `now` and returns it, locked for the rest of the
   * transaction (the row lock on PostgreSQL, the write lock on SQLite): the parts of one request
   * are added one at a time, so exactly one of them completes it.
   */
  async lockLive(
    tx: Executor,
    id: string,
    now: number,
    idleBefore: number,
    createdBefore: number,
  ): Promise<PartialRequest | undefined> {
    return tx
      .updateTable('js2rest_requests')
      .set({ touched_at: now })
      .where('id', '=', id)
      .where('touched_at', '>', idleBefore)
      .where('created_at', '>', createdBefore)
      .returning(['account_id', 'client', 'total', 'received', 'chars', 'created_at', 'touched_at'])
      .executeTakeFirst()
  },

  /** The characters of part `index` already received, or undefined. */
  async partChars(tx: Executor, id: string, index: number): Promise<number | undefined> {
    const row = await tx
      .selectFrom('js2rest_request_parts')
      .select(sql<number>`length(chunk)`.as('chars'))
      .where('request_id', '=', id)
      .where('part_index', '=', index)
      .executeTakeFirst()
    return row === undefined ? undefined : Number(row.chars)
  },

  /** Stores (or replaces: a retried part) part `index` and the request's new counters. */
  async putPart(
    tx: Executor,
    id: string,
    index: number,
    chunk: string,
    counters: { received: number; chars: number },
  ): Promise<void> {
    await tx
      .insertInto('js2rest_request_parts')
      .values({ request_id: id, part_index: index, chunk })
      .onConflict((oc) => oc.columns(['request_id', 'part_index']).doUpdateSet({ chunk }))
      .execute()
    await tx.updateTable('js2rest_requests').set(counters).where('id', '=', id).execute()
  },

  /** Every part's chunk, in part order. */
  async chunks(tx: Executor, id: string): Promise<string[]> {
    const rows = await tx
      .selectFrom('js2rest_request_parts')
      .select('chunk')
      .where('request_id', '=', id)
      .orderBy('part_index')
      .execute()
    return rows.map((row) => row.chunk)
  },

  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('js2rest_request_parts').where('request_id', '=', id).execute()
    await db.deleteFrom('js2rest_requests').where('id', '=', id).execute()
  },
}
