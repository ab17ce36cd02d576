import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { startLeaseLeadership } from '../../src/storage/lease-leadership.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { pollUntil } from '../support/poll-until.ts'

// Issue 14: exactly one process leads the background tasks; another takes over when it dies.
describeEachDialect('lease leadership', (dialect) => {
  let storage: Storage
  const timing = { leaseMs: 300, renewMs: 100 }
  // A lease of its own per test: other test files' servers share the PostgreSQL database.
  const lease = (): string => `test-${randomBytes(6).toString('hex')}`
  const start = (name: string) => startLeaseLeadership({ db: storage.db, dialect, name, ...timing })

  beforeAll(() => {
    storage = createStorage(testDatabase(dialect))
  })
  afterAll(async () => {
    await storage?.close()
  })

  it('lets exactly one of several contenders lead, and hands over at once on close', async () => {
    const name = lease()
    const contenders = await Promise.all([start(name), start(name), start(name)])
    try {
      // Sampled over a few renewals: never zero leaders after the first round, never two.
      for (let i = 0; i < 10; i++) {
        expect(contenders.filter((c) => c.isLeader('chat-timers'))).toHaveLength(1)
        await new Promise((resolve) => setTimeout(resolve, 40))
      }
      const leader = contenders.find((c) => c.isLeader('mail'))!
      const row = await storage.db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
      expect(row.holder).toBe(leader.holder)
      expect(leader.holder).toContain(`/${process.pid}/`)

      await leader.close()
      expect(leader.isLeader('mail')).toBe(false)
      const rest = contenders.filter((c) => c !== leader)
      const closedAt = Date.now()
      await pollUntil(() => rest.some((c) => c.isLeader('mail')), { timeoutMs: 2_000, intervalMs: 5 })
      // Released, not expired: the next renewal round takes it.
      expect(Date.now() - closedAt).toBeLessThan(timing.renewMs + 150)
      expect(rest.filter((c) => c.isLeader('mail'))).toHaveLength(1)
    } finally {
      await Promise.all(contenders.map((c) => c.close()))
    }
  })

  it('takes over from a holder that stopped renewing (killed) once its lease expires, not before', async () => {
    const name = lease()
    // A dead process's row, valid for another 400 ms (the database runs on this machine's clock).
    const now = Date.now()
    await storage.db
      .insertInto('leases')
      .values({ name, holder: 'elsewhere/1/dead', expires_at: now + 400 })
      .execute()
    const startedAt = Date.now()
    const survivor = await start(name)
    try {
      expect(survivor.isLeader('chat-timers')).toBe(false)
      await pollUntil(() => survivor.isLeader('chat-timers'), { timeoutMs: 3_000, intervalMs: 5 })
      const took = Date.now() - startedAt
      expect(took).toBeGreaterThanOrEqual(300)
      // Expiry plus at most one renewal round (and scheduling slack on a shared machine).
      expect(took).toBeLessThan(400 + timing.renewMs + 300)
    } finally {
      await survivor.close()
    }
  })
})
