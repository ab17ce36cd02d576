import type { Clock } from '../clock.ts'
import type { ChatLocks } from '../ports/locks.ts'
import { chatsRepository } from '../../storage/repositories/chats.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { AgentDirectory, RoutableAgent } from './agent-directory.ts'
import { allocateEvents, systemLine } from './chat-events.ts'
import { currentEngagement, retryOnConflict } from './chat-reads.ts'
import type { ChatTransitions } from './chat-transitions.ts'
import type { Chat } from './chat.types.ts'
import { hasFreeSlot, planRouting } from './routing.ts'
import { SYSTEM_MESSAGE } from './system-messages.ts'

export interface ChatRoutingDeps {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  agents: AgentDirectory
  locks: ChatLocks
  transitions: ChatTransitions
  reportError(error: unknown, task: string): void
}

/** Routing (ACD): rings waiting chats at agents with a free slot. Callers hold the account's mutex. */
export interface ChatRouting {
  /** One routing pass for the account. */
  route(accountId: string): Promise<void>
  /** `route`, with a failure reported instead of thrown (the timers route again). */
  routeSafely(accountId: string): Promise<void>
  /** ChatService.requeueStranded without the routing; returns how many chats it changed. */
  requeueStranded(accountId: string, unservedSkills: boolean): Promise<number>
}

export function createChatRouting(deps: ChatRoutingDeps): ChatRouting {
  const { db, uow, clock } = deps

  async function route(accountId: string): Promise<void> {
    // Cheapest checks first: with nobody able to take a chat, the queue is not read at all.
    const agents = (await deps.agents.connectedAgents(accountId)).filter(
      (agent) => agent.availability === 'Online' || agent.availability === 'Occupied',
    )
    if (agents.length === 0) return
    // The queue before the loads: it is usually empty after an end, and the loads count every open chat.
    const waiting = await chatsRepository.listUnrouted(db, accountId)
    if (waiting.length === 0) return
    const load = await chatsRepository.chatLoad(db, accountId)
    if (!agents.some((agent) => hasFreeSlot(agent, load.get(agent.userId) ?? 0))) return
    const byKey = new Map(waiting.map((chat) => [chat.key, chat]))
    const byId = new Map(agents.map((agent) => [agent.userId, agent]))
    for (const { chatKey, userId } of planRouting(waiting, agents, load)) {
      const chat = byKey.get(chatKey) as Chat
      const agent = byId.get(userId) as RoutableAgent
      await uow.withTransaction(async (tx) => {
        // The account's lock first: no other process rings or accepts for it until this commits.
        await deps.locks.lockAccount(tx, accountId)
        // Capacity is re-checked in the transaction: the plan was computed from an earlier read.
        if (!hasFreeSlot(agent, await chatsRepository.userLoad(tx, accountId, userId))) return
        const ringing = { ...chat, ringingUserId: userId, ringStartedAt: clock.now() }
        const rung = await chatsRepository.updateChat(tx, chat, ringing, {
          nextEventId: chat.nextEventId,
          state: 'waiting',
          ringingUserId: null,
        })
        if (rung) deps.transitions.announce(tx, ringing)
      })
    }
  }

  async function requeueStranded(accountId: string, unservedSkills: boolean): Promise<number> {
    const stranded = await chatsRepository.listStranded(db, accountId, { unservedSkills })
    if (stranded.length === 0) return 0
    const users = (await usersRepository.list(db, accountId, false)).filter((user) => user.isEnabled)
    const activeUsers = new Set(users.map((user) => user.id))
    const servedSkills = new Set(users.flatMap((user) => user.skillIds))
    const liveSkills = new Set((await skillsRepository.list(db, accountId, false)).map((skill) => skill.id))
    let changed = 0
    for (const listed of stranded) {
      changed += await retryOnConflict(async () => {
        // Re-read: the chat may have been accepted, ended or changed since the list was read.
        const chat = await chatsRepository.findChat(db, listed.key)
        if (!chat || chat.state !== 'waiting') return 0
        const skillGone =
          chat.skillId !== -1 && (!liveSkills.has(chat.skillId) || (unservedSkills && !servedSkills.has(chat.skillId)))
        const patch: Partial<Chat> = {
          ...(skillGone ? { skillId: -1 } : {}),
          ...(chat.requestedAgentId !== null && !activeUsers.has(chat.requestedAgentId)
            ? { requestedAgentId: null }
            : {}),
          ...(chat.targetAgentId !== null && !activeUsers.has(chat.targetAgentId) ? { targetAgentId: null } : {}),
        }
        if (Object.keys(patch).length === 0) return 0
        const { events, nextEventId } = allocateEvents(
          chat,
          [systemLine(chat, SYSTEM_MESSAGE.returnedToQueue)],
          clock.now(),
        )
        const after = { ...chat, ...patch, nextEventId }
        await deps.transitions.commit(chat, after, events, { guard: { state: 'waiting' } }, async (tx) => {
          if (!skillGone) return
          // The engagement is archived with the skill it was finally routed on.
          await chatsRepository.updateEngagement(tx, { ...(await currentEngagement(tx, chat)), skillId: -1 })
        })
        return 1
      })
    }
    return changed
  }

  return {
    route,
    requeueStranded,
    async routeSafely(accountId) {
      try {
        await route(accountId)
      } catch (error) {
        deps.reportError(error, 'route')
      }
    },
  }
}
