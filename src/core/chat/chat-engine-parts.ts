import type { Clock } from '../clock.ts'
import type { IdGenerator } from '../ids.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { AgentDirectory } from './agent-directory.ts'
import type { ChatReads } from './chat-reads.ts'
import type { ChatRouting } from './chat-routing.ts'
import type { ChatSections } from './chat-sections.ts'
import type { ChatTransitions } from './chat-transitions.ts'
import type { ChatWaiters } from './chat-waiters.ts'
import type { VisitorActivity } from './visitor-activity.ts'
import type { ActivityWriter } from './visitor-activity-writer.ts'

/**
 * The engine's parts that the visitor and agent operations are built from (chat.service.ts
 * composes them); each operation module takes the ones it needs.
 */
export interface ChatEngineParts {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  ids: IdGenerator
  agents: AgentDirectory
  reads: ChatReads
  transitions: ChatTransitions
  sections: ChatSections
  routing: ChatRouting
  waiters: ChatWaiters
  activity: VisitorActivity
  activityWriter: ActivityWriter
  /** Archives an ended engagement now (failures are retried by the timers). */
  archiveNow(chatKey: string, sequence: number): Promise<void>
}
