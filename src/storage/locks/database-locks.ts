import { sql } from 'kysely'
import type { ChatLocks } from '../../core/ports/locks.ts'
import type { DialectName } from '../dialect/dialect.ts'
import type { Executor } from '../repositories/executor.ts'

/** The first key of `pg_advisory_xact_lock(int4, int4)`: which kind of lock ("PRLA", "PRLC"). */
const ACCOUNT_SPACE = 0x50524c41
const CHAT_SPACE = 0x50524c43

/**
 * 32-bit FNV-1a of `text` as a signed int4: the second advisory key. Two ids with the same hash
 * only share a lock (they wait for each other), which costs time, never correctness.
 */
export function lockKey(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash | 0
}

const advisoryLock = async (tx: Executor, space: number, id: string): Promise<void> => {
  if (!tx.isTransaction) throw new Error('a database lock is taken inside a transaction')
  await sql`select pg_advisory_xact_lock(${space}::int4, ${lockKey(id)}::int4)`.execute(tx)
}

/**
 * PostgreSQL: transaction-scoped advisory locks, released by the commit or rollback. Every
 * process on the database waits for the same keys.
 */
export const postgresLocks: ChatLocks = {
  lockAccount: (tx, accountId) => advisoryLock(tx, ACCOUNT_SPACE, accountId),
  lockChat: (tx, chatKey) => advisoryLock(tx, CHAT_SPACE, chatKey),
}

/**
 * SQLite: one writer at a time per database file, and every transaction begins as a write
 * transaction (`BEGIN IMMEDIATE`, storage/dialect/node-sqlite-database.ts), so a transaction
 * already excludes every other process's writers from its first statement: nothing to add.
 */
export const sqliteLocks: ChatLocks = {
  lockAccount: async () => {},
  lockChat: async () => {},
}

export const databaseLocks = (dialect: DialectName): ChatLocks => (dialect === 'postgres' ? postgresLocks : sqliteLocks)
