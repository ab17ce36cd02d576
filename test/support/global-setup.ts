import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'
import { createStorage, migrateToLatest } from '../../src/storage/db.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string
    postgresUrl: string | null
  }
}

/**
 * Prepares one migrated SQLite template (copied per test file) and, when PARLEY_TEST_POSTGRES_URL
 * is set, a fresh PostgreSQL database for this run, dropped afterwards. In CI the PostgreSQL leg
 * is mandatory: a missing or unreachable server fails the run instead of skipping it. Builds the
 * console once (under a second) for the browser tests, which run side by side and must not
 * rebuild the dist/console a running server is serving.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (existsSync('/usr/bin/chromium'))
    await build({ configFile: join(import.meta.dirname, '../../web/vite.config.ts'), logLevel: 'error' })
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-'))
  const sqliteTemplate = join(dir, 'template.db')
  const sqlite = createStorage({ kind: 'sqlite', path: sqliteTemplate })
  await migrateToLatest(sqlite)
  await sqlite.close()
  project.provide('sqliteTemplate', sqliteTemplate)

  const adminUrl = process.env.PARLEY_TEST_POSTGRES_URL
  if (!adminUrl && process.env.CI) {
    throw new Error('CI is set but PARLEY_TEST_POSTGRES_URL is not: the PostgreSQL leg must run in CI')
  }
  let dropDatabase = async (): Promise<void> => {}
  if (adminUrl) {
    const name = `parley_test_${Date.now()}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    const postgres = createStorage({ kind: 'postgres', url: url.toString() })
    await migrateToLatest(postgres)
    await postgres.close()
    project.provide('postgresUrl', url.toString())
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    }
  } else {
    project.provide('postgresUrl', null)
  }

  return async () => {
    rmSync(dir, { recursive: true, force: true })
    await dropDatabase()
  }
}
