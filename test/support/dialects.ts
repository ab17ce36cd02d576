import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/** Runs a suite once per dialect under test, as `describe('<title> [sqlite]')` and `[postgres]`. */
export function describeEachDialect(title: string, suite: (dialect: DialectName) => void): void {
  for (const dialect of dialectsUnderTest()) {
    describe(`${title} [${dialect}]`, () => suite(dialect))
  }
}
