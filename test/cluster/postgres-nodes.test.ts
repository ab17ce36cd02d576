import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Storage } from '../../src/storage/db.ts'
import { migrateToLatest } from '../../src/storage/db.ts'
import { dialectsUnderTest, privateTestDatabase } from '../support/dialects.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { pollUntil } from '../support/poll-until.ts'
import {
  agentSession,
  call,
  kill9,
  leaderPid,
  linesOf,
  on,
  requestChat,
  startNode,
  testServices,
  type ParleyNode,
} from './nodes.ts'
import type { DatabaseConfig } from '../../src/config/config.ts'

const AGENT_PASSWORD = 'pw-agent-123456'

// Issue 14: three separate `parley serve` processes on one PostgreSQL database, no sticky sessions.
describe.skipIf(!dialectsUnderTest().includes('postgres'))('three parley serve processes on one PostgreSQL', () => {
  let database: DatabaseConfig
  let drop: () => Promise<void> = async () => {}
  let setup: ReturnType<typeof testServices>
  let storage: Storage
  let account: LiveAccount
  // LivePerson's documented visitor app key, accepted for every account by default.
  const appKey = '721c180b09eb463d9f3191c41762bb68'
  const nodes: ParleyNode[] = []

  beforeAll(async () => {
    ;({ database, drop } = await privateTestDatabase('postgres'))
    setup = testServices(database)
    storage = setup.storage
    await migrateToLatest(storage)
    account = await createLiveAccount(setup.services, {
      skills: ['Sales'],
      agents: [
        { nickname: 'Natalie', skills: ['Sales'], maxChats: 3 },
        { nickname: 'Oscar', skills: ['Sales'], maxChats: 3 },
      ],
    })
    nodes.push(...(await Promise.all([1, 2, 3].map((i) => startNode(database, `p${i}`)))))
  })
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.cli.stop()))
    await setup?.close()
    await drop()
  })

  it('requests a chat through process 1, accepts it through process 2, and lines flow through any process', async () => {
    const [p1, p2, p3] = nodes as [ParleyNode, ParleyNode, ParleyNode]
    const natalie = await agentSession(p2, account.accountId, 'natalie', AGENT_PASSWORD)
    const chatUrl = await requestChat(p1, account.accountId, appKey, 'Sales')
    const incoming = `${natalie.session}/incomingRequests.json?v=1&NC=true`
    // It rings Natalie (routed by process 1, or by the leader's routing pass), seen from process 3.
    await pollUntil(async () => {
      const ringing = await call('GET', on(p3, incoming), { auth: natalie.auth })
      return JSON.stringify(ringing.json).includes('ringing')
    })
    const accepted = await call('POST', on(p2, incoming), { auth: natalie.auth, body: {} })
    expect(accepted.status).toBe(201)
    const agentChat = accepted.location!.replace(/\.json$/, '')
    const visitor = { auth: `LivePerson appKey=${appKey}` }

    const posted = await call('POST', on(p3, `${chatUrl}/events.json?v=1&NC=true`), {
      ...visitor,
      body: { event: { '@type': 'line', text: 'hello from the visitor via p3' } },
    })
    expect(posted.status).toBe(201)
    await call('POST', on(p1, `${agentChat}/events.json?v=1&NC=true`), {
      auth: natalie.auth,
      body: { event: { '@type': 'line', text: 'hello from the agent via p1', textType: 'plain' } },
    })
    // Read through every process (the database is the truth; caches may lag without the live bus).
    for (const node of nodes) {
      await pollUntil(
        async () =>
          linesOf((await call('GET', on(node, `${agentChat}/events.json?v=1&NC=true`), { auth: natalie.auth })).json)
            .join('|')
            .includes('hello from the visitor via p3'),
        { timeoutMs: 8_000 },
      )
      await pollUntil(
        async () =>
          linesOf((await call('GET', on(node, `${chatUrl}/events.json?v=1&NC=true`), visitor)).json)
            .join('|')
            .includes('hello from the agent via p1'),
        { timeoutMs: 8_000 },
      )
    }
    const ended = await call('POST', on(p2, `${chatUrl}/events.json?v=1&NC=true`), {
      ...visitor,
      body: { event: { '@type': 'state', state: 'ended' } },
    })
    expect(ended.status).toBe(201)
  })

  it('a killed leader is replaced within 2 s: its ring timeout and inactivity timer still fire; a restarted process rejoins', async () => {
    const pid = await leaderPid(storage)
    const leader = nodes.find((node) => node.pid === pid)
    expect(leader, `the leader (${pid}) is one of the three`).toBeDefined()
    const other = nodes.find((node) => node !== leader)!
    const oscar = await agentSession(other, account.accountId, 'oscar', AGENT_PASSWORD)
    // Two chats, requested through the leader (so no survivor remembers their visitors' activity),
    // whose timers fall due just after the kill: one ringing, one inactive.
    const ringingUrl = await requestChat(leader!, account.accountId, appKey, 'Sales')
    const idleUrl = await requestChat(leader!, account.accountId, appKey, 'Sales')
    const key = (url: string): string => url.split('/').pop()!
    let ringingUser: number | null = null
    await pollUntil(async () => {
      const row = await storage.db
        .selectFrom('chats')
        .select('ringing_user_id')
        .where('id', '=', key(ringingUrl))
        .executeTakeFirstOrThrow()
      ringingUser = row.ringing_user_id
      return ringingUser !== null
    })
    const killedAt = Date.now()
    const dueAt = killedAt + 300
    await storage.db
      .updateTable('chats')
      .set({ ring_started_at: dueAt - 20_000 })
      .where('id', '=', key(ringingUrl))
      .execute()
    const idle = await storage.db
      .selectFrom('chats')
      .select('chat_timeout')
      .where('id', '=', key(idleUrl))
      .executeTakeFirstOrThrow()
    await storage.db
      .updateTable('chats')
      .set({ last_update: dueAt - Number(idle.chat_timeout) * 1000, expires_at: dueAt })
      .where('id', '=', key(idleUrl))
      .execute()
    await kill9(leader!.pid, leader!.cli.exited)
    nodes.splice(nodes.indexOf(leader!), 1)

    await pollUntil(
      async () => {
        const next = await leaderPid(storage)
        return next !== undefined && next !== pid
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    )
    const takeover = Date.now() - killedAt
    expect(nodes.map((node) => node.pid)).toContain(await leaderPid(storage))
    expect(takeover).toBeLessThan(2_000)

    // One timer tick (1 s) after the takeover, both timers have fired.
    await pollUntil(
      async () => {
        const rows = await storage.db
          .selectFrom('chats')
          .select(['id', 'state', 'ringing_user_id', 'ring_skipped'])
          .where('id', 'in', [key(ringingUrl), key(idleUrl)])
          .execute()
        const ringing = rows.find((row) => row.id === key(ringingUrl))!
        const inactive = rows.find((row) => row.id === key(idleUrl))!
        return (JSON.parse(ringing.ring_skipped) as number[]).includes(ringingUser!) && inactive.state === 'ended'
      },
      { timeoutMs: 6_000, intervalMs: 50 },
    )
    expect(Date.now() - killedAt).toBeLessThan(3_500)

    // The restarted process serves at once (and competes for the lease again).
    const restarted = await startNode(database, `${leader!.name}-restarted`)
    nodes.push(restarted)
    const session = await call('GET', on(restarted, `${oscar.session}.json?v=1&NC=true`), { auth: oscar.auth })
    expect(session.status).toBe(200)
  })
})
