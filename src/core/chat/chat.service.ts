import { createChatCache } from '../cache/chat-cache.ts'
import { processLocalLocks } from '../ports/locks.ts'
import { createInProcessBus } from '../../storage/bus/in-process-bus.ts'
import { createAgentOperations } from './agent-operations.ts'
import { createChatArchiver } from './chat-archiver.ts'
import type { LiveBus } from '../ports/live-bus.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { ChatEngineParts } from './chat-engine-parts.ts'
import { createChatReads } from './chat-reads.ts'
import { createChatRouting } from './chat-routing.ts'
import { createChatSections } from './chat-sections.ts'
import {
  DEFAULT_ENDED_CHAT_RETENTION_MS,
  intervalScheduler,
  type ChatService,
  type ChatServiceDeps,
} from './chat-service.types.ts'
import { createChatTimers } from './chat-timers.ts'
import { createChatTransitions } from './chat-transitions.ts'
import { createChatWaiters } from './chat-waiters.ts'
import { createVisitorActivity } from './visitor-activity.ts'
import { createActivityWriter } from './visitor-activity-writer.ts'
import { createVisitorOperations } from './visitor-operations.ts'

export * from './chat-service.types.ts'

/**
 * The live chat engine (ChatService), composed of its parts: reads, transitions (commit, append,
 * end, restart waiting), critical sections, routing, long-poll waiters, timers, and the visitor's
 * and the agent's operations. Each part gets what it uses passed in; nothing lives at module level.
 */
export function createChatService(deps: ChatServiceDeps): ChatService {
  const { db, clock } = deps
  const retentionMs = deps.endedChatRetentionMs ?? DEFAULT_ENDED_CHAT_RETENTION_MS
  const reportError = (error: unknown, task: string): void => deps.onError?.(error, task)
  const bus = deps.bus ?? createInProcessBus()
  // A bus of the engine's own is settled here; a given one by the unit of work that publishes on it.
  const uow = deps.bus ? deps.uow : settlingUnitOfWork(deps.uow, bus)
  const locks = deps.locks ?? processLocalLocks
  // A record that cannot be archived is retried, then set aside; reported once (task 'archive:set-aside').
  const archiver = createChatArchiver({
    db,
    archive: deps.archive,
    clock,
    geoIp: deps.geoIp,
    onSetAside: (error) => reportError(error, 'archive:set-aside'),
  })
  async function archiveNow(chatKey: string, sequence: number): Promise<void> {
    try {
      await archiver.archive(chatKey, sequence)
    } catch (error) {
      reportError(error, 'archive')
    }
  }
  /** Visitor activity not yet written to `last_update` (coalesced, visitor-activity.ts). */
  const activity = createVisitorActivity()
  /** Chat rows for read-only calls (polls); changes always read the database. */
  const chatCache = createChatCache({ clock, ...(deps.invalidation ? { invalidation: deps.invalidation } : {}) })
  // A change committed by any process (this one included) makes the cached row stale.
  const unsubscribe = [
    bus.subscribe((change) => {
      if (change.kind === 'chat') chatCache.forget(change.chatKey)
    }),
    bus.onReset(() => chatCache.clear()),
  ]
  const reads = createChatReads({ db, clock, retentionMs, activity, chatCache })
  const activityWriter = createActivityWriter({
    db,
    uow,
    activity,
    chatCache,
    groupWrites: deps.groupActivityWrites ?? false,
    reportError,
  })
  const transitions = createChatTransitions({ db, uow, clock, bus, locks, activity })
  const sections = createChatSections({ archiveNow })
  const routing = createChatRouting({ db, uow, clock, agents: deps.agents, locks, transitions, reportError })
  const waiters = createChatWaiters({ bus })
  const parts: ChatEngineParts = {
    db,
    uow,
    clock,
    ids: deps.ids,
    agents: deps.agents,
    reads,
    transitions,
    sections,
    routing,
    waiters,
    activity,
    activityWriter,
    archiveNow,
  }
  const timers = createChatTimers({
    ...parts,
    scheduler: deps.scheduler ?? intervalScheduler,
    retentionMs,
    archiver,
    reportError,
  })

  const service: ChatService = {
    ...createVisitorOperations(parts),
    ...createAgentOperations({ ...parts, sanitizeHtml: (html) => deps.sanitizeHtml(html) }),

    async waitForEvents(accountId, chatKey, from, waitMs, viewer) {
      const visible = async (): Promise<boolean> => {
        // Agents see every event and event ids have no gaps: the chat row alone answers.
        if (viewer.kind === 'agent')
          return (await reads.agentAccess(accountId, viewer.userId, chatKey, 'cache')).nextEventId > Math.max(0, from)
        return (await service.visitorEvents(accountId, chatKey, from)).length > 0
      }
      if (waitMs <= 0 || waiters.closed || viewer.kind === 'agent')
        return waiters.wait(chatKey, Math.max(0, from), waitMs, visible)
      // A visitor's held poll counts as activity for its whole duration.
      const hold = waiters.holdVisitorPoll(chatKey)
      try {
        return await waiters.wait(chatKey, Math.max(0, from), waitMs, visible)
      } finally {
        hold.release()
        await activityWriter.record(accountId, chatKey, clock.now())
      }
    },

    start: () => timers.start(),
    runTimers: () => timers.runOnce(),

    async close() {
      for (const stop of unsubscribe) stop()
      waiters.close()
      await timers.stop()
      // Coalesced visitor activity is written now: the server calls close() once when shutdown
      // starts and again after the listeners drained, both while the database is open.
      await service.flushVisitorActivity()
    },
  }
  return service
}

/** `uow`, delivering what its transactions published on `bus` once each settles. */
function settlingUnitOfWork(uow: UnitOfWork, bus: LiveBus): UnitOfWork {
  return {
    async withTransaction(fn) {
      let transaction: Parameters<typeof fn>[0] | undefined
      try {
        return await uow.withTransaction((tx) => {
          transaction = tx
          return fn(tx)
        })
      } finally {
        if (transaction) bus.settle(transaction)
      }
    },
  }
}
