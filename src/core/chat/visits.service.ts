import { notFound } from '../errors.ts'
import { chatVisitsRepository } from '../../storage/repositories/chat-visits.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'

/** Resolves visit ids (the chat key without its secret part) to chat keys. */
export interface VisitsService {
  /** The key of the account's chat with this visit id; RESOURCE_NOT_FOUND otherwise. */
  chatKeyOf(accountId: string, visitId: string): Promise<string>
}

export function createVisitsService(deps: { db: Executor }): VisitsService {
  return {
    async chatKeyOf(accountId, visitId) {
      const key = await chatVisitsRepository.findChatKey(deps.db, accountId, visitId)
      if (key === undefined) throw notFound()
      return key
    },
  }
}
