import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import { Migrator, type MigrationResultSet } from 'kysely/migration'
import pg from 'pg'
import type { DatabaseConfig } from '../config/config.ts'
import { postgresOps, sqliteOps, type DialectOps } from './dialect/dialect.ts'
import { openNodeSqlite } from './dialect/node-sqlite-database.ts'
import { migrations as postgresMigrations } from './migrations/postgres/index.ts'
import { migrations as sqliteMigrations } from './migrations/sqlite/index.ts'
import type { Database } from './schema.ts'

/** An open database: the Kysely instance, its dialect operations, and how to close it. */
export interface Storage {
  readonly db: Kysely<Database>
  readonly ops: DialectOps
  /** Checks the database answers (readiness probe). */
  ping(): Promise<void>
  close(): Promise<void>
}

/**
 * Opens SQLite (WAL, foreign keys on, busy timeout, synchronous=NORMAL) or a PostgreSQL pool.
 * `synchronous=NORMAL` in WAL mode keeps commits cheap: a power loss can lose the last
 * transactions, never corrupt the file (docs/architecture.md).
 */
export function createStorage(config: DatabaseConfig, options: { poolSize?: number } = {}): Storage {
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true })
    const database = openNodeSqlite(config.path)
    database.raw.exec('PRAGMA journal_mode = WAL')
    database.raw.exec('PRAGMA synchronous = NORMAL')
    database.raw.exec('PRAGMA foreign_keys = ON')
    database.raw.exec('PRAGMA busy_timeout = 5000')
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
    return {
      db,
      ops: sqliteOps,
      ping: async () => {
        database.raw.prepare('select 1').get()
      },
      close: () => db.destroy(),
    }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10, types: pgTypes })
  // An idle pooled connection that the database ends (a restart, pg_terminate_backend, a dropped
  // database) makes the pool emit 'error'; unhandled, that would end the process. The pool has
  // already discarded the connection and the next query opens a new one, so there is nothing to do.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    ops: postgresOps,
    ping: async () => {
      await pool.query('select 1')
    },
    close: () => db.destroy(),
  }
}

// int8 (bigint ids and epoch-ms times) comes back as a JS number instead of a string.
const builtinParser = pg.types.getTypeParser.bind(pg.types) as (
  oid: number,
  format: 'text' | 'binary',
) => (value: string) => unknown
const pgTypes = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text') =>
    oid === 20 ? (value: string) => Number(value) : builtinParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** Applies every pending migration of the storage's dialect; throws when one fails. */
export async function migrateToLatest(storage: Storage): Promise<MigrationResultSet> {
  const migrations = storage.ops.name === 'sqlite' ? sqliteMigrations : postgresMigrations
  const migrator = new Migrator({
    db: storage.db,
    provider: { getMigrations: async () => migrations },
  })
  const result = await migrator.migrateToLatest()
  if (result.error)
    throw result.error instanceof Error ? result.error : new Error(`migration failed: ${JSON.stringify(result.error)}`)
  return result
}
