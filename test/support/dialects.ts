import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, inject } from 'vitest'
import type { DatabaseConfig } from '../../src/config/config.ts'
import type { DialectName } from '../../src/storage/dialect/dialect.ts'

/** The dialects this run covers: SQLite always, PostgreSQL when the global setup created a database. */
export function dialectsUnderTest(): DialectName[] {
  return inject('postgresUrl') ? ['sqlite', 'postgres'] : ['sqlite']
}

/** A database for one test file: a private copy of the migrated SQLite template, or the run's PostgreSQL database. */
export function testDatabase(dialect: DialectName): DatabaseConfig {
  if (dialect === 'postgres') {
    const url = inject('postgresUrl')
    if (!url) throw new Error('PostgreSQL is not configured for this run')
    return { kind: 'postgres', url }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'parley-file-')), 'parley.db')
  copyFileSync(inject('sqliteTemplate'), path)
  return { kind: 'sqlite', path }
}

/**
 * A database no other test file uses, dropped by `drop()`. Test files share the run's PostgreSQL
 * database, and every app's timers (archiving, sweeps) work on every account in it: a file whose
 * outcome depends on which process does that work (its configuration, its clock) needs its own.
 * The caller migrates it. On SQLite every file has a private copy already.
 */
export async function privateTestDatabase(
  dialect: DialectName,
): Promise<{ database: DatabaseConfig; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') return { database: testDatabase('sqlite'), drop: async () => {} }
  const shared = inject('postgresUrl')
  if (!shared) throw new Error('PostgreSQL is not configured for this run')
  const name = `parley_private_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: shared })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(shared)
  url.pathname = `/${name}`
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: () => admin(`drop database if exists ${name} with (force)`),
  }
}

/** Runs a suite once per dialect under test, as `describe('<title> [sqlite]')` and `[postgres]`. */
export function describeEachDialect(title: string, suite: (dialect: DialectName) => void): void {
  for (const dialect of dialectsUnderTest()) {
    describe(`${title} [${dialect}]`, () => suite(dialect))
  }
}
