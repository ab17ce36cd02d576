import type { Clock } from '../clock.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { idempotencyKeysRepository } from '../../storage/repositories/idempotency-keys.repository.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { AgentDirectory } from './agent-directory.ts'
import type { ChatArchiver } from './chat-archiver.ts'
import type { ChatRouting } from './chat-routing.ts'
import type { ChatSections } from './chat-sections.ts'
import { RING_TIMEOUT_MS, TIMER_INTERVAL_MS, type Scheduler } from './chat-service.types.ts'
import type { ChatTransitions } from './chat-transitions.ts'
import type { ChatWaiters } from './chat-waiters.ts'
import type { Chat } from './chat.types.ts'
import { END_REASON } from './engagement-reasons.ts'
import { IDEMPOTENCY_TTL_MS } from './idempotency.ts'
import { SYSTEM_MESSAGE } from './system-messages.ts'
import type { VisitorActivity } from './visitor-activity.ts'
import type { ActivityWriter } from './visitor-activity-writer.ts'

const TIMER_BATCH = 500
/** Expired idempotency keys deleted per timer tick at most (about). */
const IDEMPOTENCY_PURGE_BATCH = 5_000

type TimeoutKind = 'inactive' | 'maxWait' | 'ring'

export interface ChatTimersDeps {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  scheduler: Scheduler
  agents: AgentDirectory
  /** How long an ended chat stays readable; its rows are purged afterwards. */
  retentionMs: number
  activity: VisitorActivity
  activityWriter: ActivityWriter
  archiver: ChatArchiver
  sections: ChatSections
  transitions: ChatTransitions
  routing: ChatRouting
  waiters: ChatWaiters
  reportError(error: unknown, task: string): void
}

/**
 * The engine's timers: inactivity and maxWaitTime ends, ring timeouts, routing and requeues of
 * stranded chats, visitor activity writes, archive retries and purges (docs/live-chat.md).
 */
export interface ChatTimers {
  /** Archives engagements left unarchived by a crash and starts the ticker. */
  start(): Promise<void>
  /** One timer pass. */
  runOnce(): Promise<void>
  /** Stops the ticker and waits for a running pass. */
  stop(): Promise<void>
}

export function createChatTimers(deps: ChatTimersDeps): ChatTimers {
  const { db, clock, activity, sections, transitions, routing } = deps
  let ticker: { stop(): void } | undefined
  let running: Promise<void> | undefined

  /** Inactivity that is not: a held poll, or activity the database has not seen yet. */
  async function stillActive(chat: Chat, now: number): Promise<boolean> {
    const write = async (at: number): Promise<void> => {
      if (await chatsRepository.touch(db, chat.accountId, chat.key, at))
        deps.activityWriter.written(chat.accountId, chat.key, at)
    }
    if (deps.waiters.holdsVisitorPoll(chat.key)) {
      await write(now)
      return true
    }
    // The database may lag behind the activity kept in memory: write it instead of ending.
    const latest = Math.max(chat.lastUpdate, activity.latest(chat.key) ?? 0)
    if (now - latest > chat.chatTimeout * 1000) return false
    if (latest > chat.lastUpdate) await write(latest)
    return true
  }

  async function timeoutChat(accountId: string, chatKey: string, kind: TimeoutKind): Promise<void> {
    await sections.mutate(accountId, async (ended) => {
      const chat = await chatsRepository.findChat(db, chatKey)
      if (!chat || chat.state === 'ended') return
      const now = clock.now()
      if (kind === 'inactive') {
        if (await stillActive(chat, now)) return
        await transitions.endChat(chat, {
          systemMessageId: SYSTEM_MESSAGE.disconnected,
          endReason: END_REASON.visitorGone,
        })
        ended.push({ key: chat.key, sequence: chat.sequence })
      } else if (kind === 'maxWait') {
        if (chat.state !== 'waiting' || chat.maxWaitTime === null || chat.waitingSince === null) return
        if (now < chat.waitingSince + chat.maxWaitTime * 1000) return
        await transitions.endChat(chat, {
          systemMessageId: SYSTEM_MESSAGE.allAgentsBusy,
          endReason: END_REASON.visitorGone,
        })
        ended.push({ key: chat.key, sequence: chat.sequence })
      } else {
        const userId = chat.ringingUserId
        if (chat.state !== 'waiting' || userId === null || chat.ringStartedAt === null) return
        if (now < chat.ringStartedAt + RING_TIMEOUT_MS) return
        const after: Chat = {
          ...chat,
          ringingUserId: null,
          ringStartedAt: null,
          ringSkipped: [...chat.ringSkipped.filter((id) => id !== userId), userId],
          // An agent-targeted transfer falls back to its skill queue (agent-api.md §4.1).
          targetAgentId: null,
        }
        await transitions.commit(chat, after, [], { guard: { state: 'waiting', ringingUserId: userId } })
        try {
          await deps.agents.markAway(accountId, userId)
        } catch (error) {
          deps.reportError(error, 'markAway')
        }
      }
      await routing.routeSafely(accountId)
    })
  }

  async function dueTimeouts(now: number): Promise<Array<[string, string, TimeoutKind]>> {
    const tagged =
      (kind: TimeoutKind) =>
      (chat: { accountId: string; key: string }): [string, string, TimeoutKind] => [chat.accountId, chat.key, kind]
    return [
      ...(await chatsRepository.listExpired(db, now, TIMER_BATCH)).map(tagged('inactive')),
      ...(await chatsRepository.listWaitExceeded(db, now, TIMER_BATCH)).map(tagged('maxWait')),
      ...(await chatsRepository.listRingExpired(db, now - RING_TIMEOUT_MS, TIMER_BATCH)).map(tagged('ring')),
    ]
  }

  async function runOnce(): Promise<void> {
    const now = clock.now()
    await deps.activityWriter.write(activity.due(now))
    activity.prune(now)
    for (const [accountId, key, kind] of await dueTimeouts(now)) {
      try {
        await timeoutChat(accountId, key, kind)
      } catch (error) {
        deps.reportError(error, `timer:${kind}`)
      }
    }
    for (const accountId of await chatsRepository.accountsWithUnroutedChats(db)) {
      await sections.withAccount(accountId, async () => {
        // A configuration change (here or in another process) may have left chats no agent can take.
        try {
          await routing.requeueStranded(accountId, false)
        } catch (error) {
          deps.reportError(error, 'requeueStranded')
        }
        await routing.routeSafely(accountId)
      })
    }
    await deps.archiver.archivePending(TIMER_BATCH)
    await idempotencyKeysRepository.purge(db, clock.now() - IDEMPOTENCY_TTL_MS, IDEMPOTENCY_PURGE_BATCH)
    // Chats past their retention answer 404 already; their rows go once they are archived.
    await deps.uow.withTransaction((tx) => chatsRepository.purgeEnded(tx, clock.now() - deps.retentionMs, TIMER_BATCH))
  }

  return {
    runOnce,
    async start() {
      await deps.archiver.archivePending(TIMER_BATCH, { ignoreBackoff: true })
      ticker ??= deps.scheduler.every(TIMER_INTERVAL_MS, () => {
        if (running) return
        running = runOnce()
          .catch((error: unknown) => deps.reportError(error, 'timers'))
          .finally(() => {
            running = undefined
          })
      })
    },
    async stop() {
      ticker?.stop()
      ticker = undefined
      await running
    },
  }
}
