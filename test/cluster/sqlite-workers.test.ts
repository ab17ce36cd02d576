import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatabaseConfig } from '../../src/config/config.ts'
import { testDatabase } from '../support/dialects.ts'
import { runCli } from '../support/cli.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { pollUntil } from '../support/poll-until.ts'
import {
  agentSession,
  call,
  childPids,
  isAlive,
  kill9,
  leaderPid,
  linesOf,
  on,
  requestChat,
  startNode,
  testServices,
  type ParleyNode,
} from './nodes.ts'

const APP_KEY = '721c180b09eb463d9f3191c41762bb68'

// Issue 14: `parley serve --workers 2` on one SQLite file.
describe('parley serve --workers 2 on SQLite', () => {
  let database: DatabaseConfig
  let setup: ReturnType<typeof testServices>
  let account: LiveAccount
  let node: ParleyNode

  beforeAll(async () => {
    database = testDatabase('sqlite')
    setup = testServices(database)
    account = await createLiveAccount(setup.services, {
      skills: ['Sales'],
      agents: [{ nickname: 'Natalie', skills: ['Sales'], maxChats: 3 }],
    })
    node = await startNode(database, 'cluster', ['--workers', '2'])
  })
  afterAll(async () => {
    await node?.cli.stop()
    await setup?.close()
  })

  it('serves a chat from both workers, refuses an unrelated second server, survives a worker kill, and drains on SIGTERM', async () => {
    const workers = childPids(node.pid)
    expect(workers).toHaveLength(2)
    const natalie = await agentSession(node, account.accountId, 'natalie', 'pw-agent-123456')
    const chatUrl = await requestChat(node, account.accountId, APP_KEY, 'Sales')
    const incoming = `${natalie.session}/incomingRequests.json?v=1&NC=true`
    await pollUntil(async () =>
      JSON.stringify((await call('GET', incoming, { auth: natalie.auth })).json).includes('ringing'),
    )
    const accepted = await call('POST', incoming, { auth: natalie.auth, body: {} })
    expect(accepted.status).toBe(201)
    const visitor = { auth: `LivePerson appKey=${APP_KEY}` }
    // Connections are dealt round-robin: a handful of lines and reads cross both workers.
    for (let i = 0; i < 4; i++) {
      const posted = await call('POST', `${chatUrl}/events.json?v=1&NC=true`, {
        ...visitor,
        body: { event: { '@type': 'line', text: `line ${i}` } },
      })
      expect(posted.status).toBe(201)
    }
    const agentChat = accepted.location!.replace(/\.json$/, '')
    await pollUntil(
      async () =>
        linesOf((await call('GET', `${agentChat}/events.json?v=1&NC=true`, { auth: natalie.auth })).json).filter(
          (text) => text.startsWith('line '),
        ).length === 4,
      { timeoutMs: 8_000 },
    )

    // One server per SQLite file still holds for anything but the cluster's own workers.
    const second = await runCli([
      'serve',
      '--port',
      '0',
      '--no-demo',
      '--database',
      (database as { path: string }).path,
    ])
    expect(second.code).toBe(1)
    expect(second.stderr).toContain(`another Parley server (process ${node.pid})`)

    // The leader worker dies: the other takes the lease within 2 s, the primary starts a new one.
    const leader = await leaderPid(setup.storage)
    expect(workers).toContain(leader)
    const killedAt = Date.now()
    await kill9(leader!)
    await pollUntil(
      async () => {
        const next = await leaderPid(setup.storage)
        return next !== undefined && next !== leader
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    )
    expect(Date.now() - killedAt).toBeLessThan(2_000)
    await pollUntil(() => childPids(node.pid).filter((pid) => pid !== leader).length === 2, { timeoutMs: 60_000 })
    expect(node.cli.stderr()).toMatch(new RegExp(`server worker ${leader} died \\(SIGKILL\\)`))
    // The chat goes on, whichever worker answers.
    for (let i = 0; i < 4; i++) {
      const read = await call('GET', on(node, `${chatUrl}/events.json?v=1&NC=true`), visitor)
      expect(read.status).toBe(200)
    }

    const remaining = childPids(node.pid)
    await node.cli.stop()
    expect(await node.cli.exited).toEqual({ code: 0, signal: null })
    expect(remaining.filter(isAlive)).toEqual([])
  })
})
