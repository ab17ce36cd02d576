import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import { migrations as postgresMigrations } from '../../src/storage/migrations/postgres/index.ts'
import { migrations as sqliteMigrations } from '../../src/storage/migrations/sqlite/index.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'

const migrationsDir = fileURLToPath(new URL('../../src/storage/migrations/', import.meta.url))
const migrationFiles = (dialect: 'sqlite' | 'postgres'): string[] =>
  readdirSync(join(migrationsDir, dialect))
    .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
    .sort()

// Full-text objects differ by design (FTS5 virtual and shadow tables, a tsvector table); the
// archive search tests cover them.
const isSearchIndexObject = (name: string): boolean => name.startsWith('archived_engagements_fts')

interface TableShape {
  name: string
  columns: { name: string; isNullable: boolean }[]
}

/** Tables with their columns (sorted by name) and nullability, without Kysely's migration tables. */
async function describeSchema(storage: Storage): Promise<TableShape[]> {
  const tables = await storage.db.introspection.getTables()
  const primaryKeys = storage.ops.name === 'sqlite' ? await sqlitePrimaryKeyColumns(storage) : new Set<string>()
  return tables
    .filter((table) => !isSearchIndexObject(table.name))
    .map((table) => ({
      name: table.name,
      columns: table.columns
        .map((column) => ({
          name: column.name,
          // PRAGMA table_info reports `integer primary key` (the rowid alias) as nullable, though it never is.
          isNullable: column.isNullable && !primaryKeys.has(`${table.name}.${column.name}`),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

async function sqlitePrimaryKeyColumns(storage: Storage): Promise<Set<string>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select m.name as table_name, p.name as column_name
    from sqlite_master m join pragma_table_info(m.name) p
    where m.type = 'table' and p.pk > 0 and lower(p.type) = 'integer'
  `.execute(storage.db)
  return new Set(rows.map((row) => `${row.table_name}.${row.column_name}`))
}

/** Names of indexes created by migrations (not those backing primary keys or unique constraints). */
async function namedIndexes(storage: Storage): Promise<string[]> {
  const query =
    storage.ops.name === 'sqlite'
      ? sql<{ name: string }>`
          select name from sqlite_master
          where type = 'index' and sql is not null and tbl_name not like 'kysely_%'`
      : sql<{ name: string }>`
          select indexname as name from pg_indexes
          where schemaname = current_schema() and tablename not like 'kysely_%'
            and indexname not in (select conname from pg_constraint)`
  const { rows } = await query.execute(storage.db)
  return rows
    .map((row) => row.name)
    .filter((name) => !isSearchIndexObject(name))
    .sort()
}

describe('migration folders', () => {
  it('hold the same migration file names for SQLite and PostgreSQL', () => {
    const sqliteFiles = migrationFiles('sqlite')
    expect(sqliteFiles.length).toBeGreaterThan(0)
    expect(migrationFiles('postgres')).toEqual(sqliteFiles)
  })

  it('export the same migration names as the files they hold, in both dialects', () => {
    const fromFiles = migrationFiles('sqlite').map((file) => file.replace(/\.ts$/, ''))
    expect(Object.keys(sqliteMigrations).sort()).toEqual(fromFiles)
    expect(Object.keys(postgresMigrations).sort()).toEqual(fromFiles)
  })

  it('name every migration YYYY_MM_DD_HHMM_verb_noun', () => {
    for (const name of Object.keys(sqliteMigrations))
      expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{4}_[a-z]+(_[a-z0-9]+)+$/)
  })
})

describe('migrated schemas', () => {
  const postgresUrl = inject('postgresUrl')
  const dir = mkdtempSync(join(tmpdir(), 'parley-migrations-'))
  let sqlite: Storage
  let postgres: Storage | undefined

  beforeAll(async () => {
    sqlite = createStorage({ kind: 'sqlite', path: join(dir, 'fresh.db') })
    await migrateToLatest(sqlite)
    if (postgresUrl) postgres = createStorage({ kind: 'postgres', url: postgresUrl }, { poolSize: 1 })
  })
  afterAll(async () => {
    await sqlite?.close()
    await postgres?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it.runIf(postgresUrl)('have the same tables, columns and nullability in SQLite and PostgreSQL', async () => {
    const sqliteSchema = await describeSchema(sqlite)
    expect(sqliteSchema.length).toBeGreaterThan(0)
    expect(await describeSchema(postgres!)).toEqual(sqliteSchema)
  })

  it.runIf(postgresUrl)('have the same named indexes in SQLite and PostgreSQL', async () => {
    const sqliteIndexes = await namedIndexes(sqlite)
    expect(sqliteIndexes.length).toBeGreaterThan(0)
    expect(await namedIndexes(postgres!)).toEqual(sqliteIndexes)
  })
})

describeEachDialect('migrateToLatest', (dialect) => {
  it('applies nothing on an up-to-date database', async () => {
    const storage = createStorage(testDatabase(dialect), { poolSize: 1 })
    try {
      const before = await describeSchema(storage)
      const first = await migrateToLatest(storage)
      const second = await migrateToLatest(storage)
      expect(first.results).toEqual([])
      expect(second.results).toEqual([])
      expect(await describeSchema(storage)).toEqual(before)
    } finally {
      await storage.close()
    }
  })

  it.runIf(dialect === 'sqlite')('applies every migration once on an empty database, then nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-migrate-twice-'))
    const storage = createStorage({ kind: 'sqlite', path: join(dir, 'empty.db') })
    try {
      const first = await migrateToLatest(storage)
      expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual(
        Object.keys(sqliteMigrations)
          .sort()
          .map((name) => [name, 'Success']),
      )
      expect((await migrateToLatest(storage)).results).toEqual([])
    } finally {
      await storage.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
