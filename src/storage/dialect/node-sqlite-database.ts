import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

const STATEMENT_CACHE_SIZE = 256

/**
 * Adapts Node's built-in `node:sqlite` to the `better-sqlite3`-shaped interface that Kysely's
 * SqliteDialect drives, so SQLite needs no native add-on. Prepared statements are cached by SQL.
 */
export function openNodeSqlite(
  path: string,
  options: { readOnly?: boolean } = {},
): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { readOnly: options.readOnly ?? false })
  // `reader` is cached with the statement: `columns()` builds a descriptor object per result
  // column on every call, which cost more than running the query on the visitor poll path.
  const cache = new Map<string, { statement: StatementSync; reader: boolean }>()

  const prepare = (text: string): SqliteStatement => {
    // Kysely begins transactions with a plain (deferred) `begin`, which takes the write lock only at
    // the first write: two processes could both read, then one fails to upgrade (SQLITE_BUSY). An
    // immediate begin takes it first, so a transaction is a critical section across processes
    // (storage/locks/database-locks.ts) and waits up to busy_timeout for it.
    const sql = text === 'begin' && !options.readOnly ? 'begin immediate' : text
    let entry = cache.get(sql)
    if (entry) {
      cache.delete(sql)
    } else {
      const statement = raw.prepare(sql)
      entry = { statement, reader: statement.columns().length > 0 }
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value
        if (oldest !== undefined) cache.delete(oldest)
      }
    }
    cache.set(sql, entry)
    const stmt = entry.statement
    return {
      reader: entry.reader,
      all: (parameters) => stmt.all(...toSqliteValues(parameters)),
      run: (parameters) => {
        const result = stmt.run(...toSqliteValues(parameters))
        return { changes: result.changes, lastInsertRowid: result.lastInsertRowid }
      },
      iterate: (parameters) => stmt.iterate(...toSqliteValues(parameters)),
    }
  }

  return {
    raw,
    prepare,
    close: () => {
      cache.clear()
      if (raw.isOpen) raw.close()
    },
  }
}

function toSqliteValues(parameters: readonly unknown[]): SQLInputValue[] {
  return parameters.map(toSqliteValue)
}

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value
  if (value instanceof Uint8Array) return value
  return JSON.stringify(value)
}
