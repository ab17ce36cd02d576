import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import { acquireServerLock, LOCK_STALE_MS, ServerLockError } from '../../src/storage/server-lock.ts'
import { runCli, startCli, type CliProcess } from '../support/cli.ts'

const LISTENING = /Parley is listening on (http:\/\/127\.0\.0\.1:\d+)/

// Each case spawns the CLI; on a busy machine one spawn takes seconds.
describe('parley: no accidental databases', { timeout: 120_000 }, () => {
  const dirs: string[] = []
  const processes: CliProcess[] = []
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-db-'))
    dirs.push(dir)
    return dir
  }
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((server) => server.stop()))
  })
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  it.for<[string, string]>([
    [
      'postgres:/oops',
      'parley: PARLEY_DATABASE_URL/--database is not a valid postgres:// URL (expected postgres://user@host:5432/database)',
    ],
    [
      'mysql://h/d',
      'parley: PARLEY_DATABASE_URL/--database: unsupported database URL "mysql://h/d"; use a file path, sqlite:PATH or postgres://user@host/database',
    ],
    [
      'file:parley.db',
      'parley: PARLEY_DATABASE_URL/--database: unsupported database URL "file:parley.db"; use a file path, sqlite:PATH or postgres://user@host/database',
    ],
  ])('refuses --database %s and creates nothing', async ([value, line]) => {
    const dir = tempDir()
    for (const args of [['migrate'], ['serve', '--port', '0']]) {
      const result = await runCli([...args, '--database', value], { cwd: dir })
      expect(result.stderr).toBe(`${line}\n`)
      expect(result.code).toBe(2)
    }
    expect(readdirSync(dir)).toEqual([])
  })

  it('commands other than serve and migrate refuse a database file that does not exist', async () => {
    const dir = tempDir()
    const database = join(dir, 'typo.db')
    for (const args of [
      ['account', 'list'],
      ['account', 'create', '--id', 'acme', '--admin-user', 'a', '--admin-password', 'long-enough-1'],
      ['user', 'list', '--account', 'acme'],
      ['history', 'export', '--account', 'acme'],
      ['mail', 'list'],
    ]) {
      const result = await runCli([...args, '--database', database], { cwd: dir })
      expect(result.stderr).toBe(
        `parley: no database at ${database}: start the server once (npx parley serve) or create it with "parley migrate", or point --database or PARLEY_DATABASE_URL at an existing one\n`,
      )
      expect(result.code).toBe(1)
    }
    expect(readdirSync(dir)).toEqual([])
    expect((await runCli(['migrate', '--database', database])).code).toBe(0)
    expect((await runCli(['account', 'list', '--database', database])).stdout).toBe('No accounts.\n')
  })

  describe('one server per SQLite file', () => {
    const serve = (database: string): CliProcess => {
      const server = startCli(['serve', '--port', '0', '--no-demo', '--log-level', 'warn', '--database', database])
      processes.push(server)
      return server
    }

    it('a second serve on the same file refuses to start; the CLI still works next to the first', async () => {
      const dir = tempDir()
      const database = join(dir, 'parley.db')
      const first = serve(database)
      const [, url] = await first.waitForOutput(LISTENING)

      const second = serve(database)
      expect(await second.exited).toEqual({ code: 1, signal: null })
      expect(second.stderr()).toBe(
        `parley: another Parley server (process ${first.child.pid}) is running on ${database}; stop it first, or give this one its own --database\n`,
      )
      expect(second.stdout()).toBe('')

      const created = await runCli(
        ['account', 'create', '--id', 'next_to_it', '--admin-user', 'admin', '--database', database, '--json'],
        { env: { PARLEY_PASSWORD: 'long-enough-1' } },
      )
      expect(created.code).toBe(0)
      const generated = await runCli([
        'history',
        'generate',
        '--account',
        'next_to_it',
        '--count',
        '3',
        '--database',
        database,
      ])
      expect(generated.code).toBe(0)
      expect((await fetch(`${url}/api/account/next_to_it/service/agentVep/baseURI.json?version=1.0`)).status).toBe(200)
    })

    it('starts again at once after the first server was killed with SIGKILL (a stale lock)', async () => {
      const dir = tempDir()
      const database = join(dir, 'parley.db')
      const first = serve(database)
      await first.waitForOutput(LISTENING)
      first.child.kill('SIGKILL')
      await first.exited

      const again = serve(database)
      const [, url] = await again.waitForOutput(LISTENING)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
      await again.stop()
      // A clean stop releases the lock.
      const storage = createStorage({ kind: 'sqlite', path: database })
      try {
        expect(await storage.db.selectFrom('server_lock').selectAll().execute()).toEqual([])
      } finally {
        await storage.close()
      }
    })
  })

  describe('the lock row', () => {
    let storage: Storage
    afterEach(async () => {
      await storage?.close()
    })
    const open = async (): Promise<Storage> => {
      storage = createStorage({ kind: 'sqlite', path: join(tempDir(), 'parley.db') })
      await migrateToLatest(storage)
      return storage
    }

    it('refuses while the holder is alive and fresh, on this host or another one', async () => {
      const { db } = await open()
      let now = 1_000_000
      const held = await acquireServerLock(db, {
        label: 'x.db',
        pid: 10,
        host: 'h1',
        now: () => now,
        isAlive: () => true,
      })
      for (const host of ['h1', 'h2'])
        await expect(
          acquireServerLock(db, { label: 'x.db', pid: 11, host, now: () => now, isAlive: () => true }),
        ).rejects.toBeInstanceOf(ServerLockError)
      // A holder that stopped beating (frozen, or on another host) is stale after LOCK_STALE_MS.
      now += LOCK_STALE_MS + 1
      const taken = await acquireServerLock(db, {
        label: 'x.db',
        pid: 12,
        host: 'h2',
        now: () => now,
        isAlive: () => true,
      })
      await held.release()
      // The old holder's release does not drop the new holder's claim.
      expect(await db.selectFrom('server_lock').select(['pid', 'host']).execute()).toEqual([{ pid: 12, host: 'h2' }])
      await taken.release()
      expect(await db.selectFrom('server_lock').selectAll().execute()).toEqual([])
    })

    it("takes over at once from a process of this host that no longer runs, or that has this process's id", async () => {
      const { db } = await open()
      const now = () => 5_000_000
      await acquireServerLock(db, { label: 'x.db', pid: 20, host: 'h', now, isAlive: () => true })
      const dead = await acquireServerLock(db, { label: 'x.db', pid: 21, host: 'h', now, isAlive: (pid) => pid !== 20 })
      expect(dead.lost).toBe(false)
      // A container restarted with the same pid as its previous life.
      await acquireServerLock(db, { label: 'x.db', pid: 21, host: 'h', now, isAlive: () => true })
      expect(existsSync(join(dirs.at(-1)!, 'parley.db'))).toBe(true)
    })
  })
})
