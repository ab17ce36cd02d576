import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createStorage } from '../../src/storage/db.ts'
import { dialectsUnderTest, testDatabase } from '../support/dialects.ts'

// A pooled PostgreSQL connection ended by the database while idle (a restart, an administrator's
// pg_terminate_backend) must not end the process: the next query simply uses a new connection.
describe.skipIf(!dialectsUnderTest().includes('postgres'))('PostgreSQL pool', () => {
  it('survives an idle connection terminated by the database, and queries again', async () => {
    const storage = createStorage(testDatabase('postgres'), { poolSize: 1 })
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown): void => {
      uncaught.push(error)
    }
    process.on('uncaughtException', onUncaught)
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(storage.db)
      const pid = rows[0]!.pid
      const admin = createStorage(testDatabase('postgres'), { poolSize: 1 })
      await sql`select pg_terminate_backend(${pid})`.execute(admin.db)
      await admin.close()
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(uncaught).toEqual([])
      const again = await sql<{ one: number }>`select 1 as one`.execute(storage.db)
      expect(again.rows[0]!.one).toBe(1)
    } finally {
      process.off('uncaughtException', onUncaught)
      await storage.close()
    }
  })
})
