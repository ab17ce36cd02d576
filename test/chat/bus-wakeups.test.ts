import { expect, it } from 'vitest'
import { createChatService, manualScheduler, type ChatService } from '../../src/core/chat/chat.service.ts'
import { cryptoIds } from '../../src/core/ids.ts'
import type { LiveBus } from '../../src/core/ports/live-bus.ts'
import { createInProcessBus } from '../../src/storage/bus/in-process-bus.ts'
import { createUnitOfWork } from '../../src/storage/unit-of-work.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createFakeDirectory, createLiveAccount, stripScripts } from '../support/live-chat.ts'

const context = { visitorIp: '203.0.113.9', userAgent: 'test' }

/** A bus whose `reset()` tells its reset listeners that changes may have been missed. */
function resettableBus(): LiveBus & { reset(): void } {
  const bus = createInProcessBus()
  const listeners = new Set<() => void>()
  return {
    ...bus,
    onReset(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    reset: () => listeners.forEach((listener) => listener()),
  }
}

describeEachDialect('live chat wakeups through the live bus', (dialect) => {
  const ctx = useTestApp(dialect)

  /** An engine as one process would build it: the unit of work settles the process's bus. */
  function engine(bus: LiveBus, directory = createFakeDirectory()): ChatService {
    return createChatService({
      db: ctx.storage.db,
      uow: createUnitOfWork(ctx.storage.db, bus),
      clock: ctx.clock,
      ids: cryptoIds,
      archive: ctx.services.archive,
      agents: directory,
      sanitizeHtml: stripScripts,
      scheduler: manualScheduler,
      bus,
    })
  }

  it('a line committed by another engine wakes the polls held here; a reset re-checks them all', async () => {
    const account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const natalie = account.agents[0]!.userId
    const directory = createFakeDirectory()
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    // Two "processes" whose buses are connected (what LISTEN/NOTIFY does between processes)...
    const shared = resettableBus()
    const here = engine(shared)
    const there = engine(shared, directory)
    // ...and one that is not connected to them.
    const lonely = resettableBus()
    const elsewhere = engine(lonely, directory)
    try {
      const chat = await there.requestChat(account.accountId, { request: { skill: 'Sales' } }, context)
      await there.acceptChat(account.accountId, natalie)
      const from = (await here.getChat(account.accountId, chat.key)).nextEventId

      const visitorPoll = here.waitForEvents(account.accountId, chat.key, from, 60_000, { kind: 'visitor' })
      const started = Date.now()
      await there.addAgentLine(account.accountId, natalie, chat.key, { text: 'Hello from the other process' })
      expect(await visitorPoll).toBe(true)
      expect(Date.now() - started).toBeLessThan(5_000)

      // A change this process never hears of wakes nothing until the bus resets.
      const next = from + 1
      let answered = false
      const agentPoll = here
        .waitForEvents(account.accountId, chat.key, next, 60_000, { kind: 'agent', userId: natalie })
        .then((woken) => {
          answered = true
          return woken
        })
      await elsewhere.addAgentLine(account.accountId, natalie, chat.key, { text: 'unheard' })
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(answered).toBe(false)
      shared.reset()
      expect(await agentPoll).toBe(true)
    } finally {
      await Promise.all([here.close(), there.close(), elsewhere.close()])
    }
  })
})
