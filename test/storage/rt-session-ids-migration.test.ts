import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import { migrations as postgresMigrations } from '../../src/storage/migrations/postgres/index.ts'
import { migrations as sqliteMigrations } from '../../src/storage/migrations/sqlite/index.ts'
import { describeEachDialect } from '../support/dialects.ts'

const BASE = 2 ** 32
const BEFORE = '2026_12_06_1600_index_chats_by_state_and_agent'

// Issue 11 item 1: a database written by earlier versions gets origins, counters past every id it
// holds, and live engagements that two processes numbered alike renumbered (and archived again).
describeEachDialect('migration 2026_12_07_1000_allocate_rt_session_ids', (dialect) => {
  let storage: Storage
  let cleanup = async (): Promise<void> => {}

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'parley-rt-migration-'))
      storage = createStorage({ kind: 'sqlite', path: join(dir, 'old.db') })
      cleanup = async () => rmSync(dir, { recursive: true, force: true })
    } else {
      const url = new URL(inject('postgresUrl')!)
      const name = `parley_rt_migration_${randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: url.toString() })
      await admin.connect()
      await admin.query(`create database ${name}`)
      await admin.end()
      const own = new URL(url)
      own.pathname = `/${name}`
      storage = createStorage({ kind: 'postgres', url: own.toString() }, { poolSize: 2 })
      cleanup = async () => {
        const client = new pg.Client({ connectionString: url.toString() })
        await client.connect()
        await client.query(`drop database if exists ${name} with (force)`)
        await client.end()
      }
    }
    const migrations = dialect === 'sqlite' ? sqliteMigrations : postgresMigrations
    const migrator = new Migrator({ db: storage.db, provider: { getMigrations: async () => migrations } })
    const result = await migrator.migrateTo(BEFORE)
    expect(result.error).toBeUndefined()
  })
  afterAll(async () => {
    await storage?.close()
    await cleanup()
  })

  it('records origins, moves counters past every id and renumbers duplicate live ids', async () => {
    // Untyped: the tables as they were before the migration.
    const db = storage.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>
    const bool = (value: boolean) => (dialect === 'sqlite' ? Number(value) : value)
    await db
      .insertInto('accounts')
      .values({ id: 'acme', name: 'Acme', time_zone: 'UTC', created_at: 0, updated_at: 0 })
      .execute()
    const archived = (id: number, engagementId: string, rt: number) => ({
      id,
      account_id: 'acme',
      engagement_id: engagementId,
      rt_session_id: rt,
      start_time: 0,
      end_time: 0,
      duration: 0,
      visitor_id: 'v',
      agent_id: null,
      agent_group_id: -1,
      skill_id: -1,
      is_interactive: bool(false),
      channel: 1,
      alerted_mcs: null,
      chat_mcs: null,
      has_rich_content: bool(false),
      has_interactive_cobrowse: bool(false),
    })
    await db
      .insertInto('archived_engagements')
      .values([
        archived(1, `acme${BASE}`, BASE),
        archived(2, `acme${BASE + 9}`, BASE + 9),
        archived(3, 'not-numeric', Number.MAX_SAFE_INTEGER),
      ])
      .execute()
    const chat = (id: string, rt: number, requestedAt: number) => ({
      id,
      account_id: 'acme',
      state: 'ended',
      skill_id: -1,
      language: 'en-US',
      visitor_id: 'v',
      chat_timeout: 40,
      request: '{}',
      custom_variables: '[]',
      visitor_typing: bool(false),
      agent_typing: bool(false),
      ring_skipped: '[]',
      sequence: 0,
      rt_session_id: rt,
      requested_at: requestedAt,
      last_update: requestedAt,
      next_event_id: 0,
    })
    const engagement = (chatId: string, rt: number, startedAt: number) => ({
      chat_id: chatId,
      sequence: 0,
      account_id: 'acme',
      rt_session_id: rt,
      skill_id: -1,
      start_reason: '0',
      started_at: startedAt,
      ended_at: startedAt + 1,
      archived_at: startedAt + 2,
    })
    await db
      .insertInto('chats')
      .values([chat('c1', BASE, 10), chat('c2', BASE + 1, 20), chat('c3', BASE + 1, 30)])
      .execute()
    await db
      .insertInto('engagements')
      .values([engagement('c1', BASE, 10), engagement('c2', BASE + 1, 20), engagement('c3', BASE + 1, 30)])
      .execute()
    await db
      .insertInto('live_chat_counters')
      .values({ account_id: 'acme', next_rt_session_id: BASE + 2 })
      .execute()

    await migrateToLatest(storage)

    const origins = await storage.db
      .selectFrom('archived_engagements')
      .select(['engagement_id', 'origin'])
      .orderBy('id')
      .execute()
    expect(origins).toEqual([
      { engagement_id: `acme${BASE}`, origin: 'live' },
      { engagement_id: `acme${BASE + 9}`, origin: 'legacy' },
      { engagement_id: 'not-numeric', origin: 'legacy' },
    ])
    const engagements = await storage.db
      .selectFrom('engagements')
      .select(['chat_id', 'rt_session_id', 'archived_at'])
      .orderBy('chat_id')
      .execute()
    expect(engagements.map((row) => [row.chat_id, Number(row.rt_session_id), row.archived_at])).toEqual([
      ['c1', BASE, 12],
      ['c2', BASE + 1, null],
      ['c3', BASE + 10, null],
    ])
    const c3 = await storage.db.selectFrom('chats').select('rt_session_id').where('id', '=', 'c3').executeTakeFirst()
    expect(Number(c3?.rt_session_id)).toBe(BASE + 10)
    const counter = await storage.db.selectFrom('live_chat_counters').select('next_rt_session_id').executeTakeFirst()
    expect(Number(counter?.next_rt_session_id)).toBe(BASE + 11)
    await expect(
      db
        .insertInto('engagements')
        .values({ ...engagement('c3', BASE, 40), sequence: 1 })
        .execute(),
    ).rejects.toThrow(/unique/i)
  })
})
