import type { LightMyRequestResponse } from 'fastify'
import { beforeAll } from 'vitest'
import { createEngagementHistoryService } from '../../src/core/history/engagement-history.service.ts'
import { createInMemoryHistoryQuery } from '../../src/core/history/in-memory-history-query.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import type { TestContext } from './build-app.ts'

type ArchiveRecords = (accountId: string, records: readonly EngagementRecord[]) => Promise<void>
interface ArchivePort {
  archiveRecords(accountId: string, records: readonly EngagementRecord[]): Promise<unknown>
}

/**
 * How a suite archives records: through `services.archive` (the storage archive) when the
 * application has one, else into an in-memory archive swapped into the running service.
 */
export function useHistoryArchive(context: TestContext): { archive: ArchiveRecords } {
  const holder: { archive: ArchiveRecords } = {
    archive: () => Promise.reject(new Error('archive used before beforeAll')),
  }
  beforeAll(() => {
    const storageArchive = (context.services as unknown as { archive?: ArchivePort }).archive
    if (storageArchive) {
      holder.archive = async (accountId, records) => {
        await storageArchive.archiveRecords(accountId, records)
      }
      return
    }
    const memory = createInMemoryHistoryQuery()
    context.services.engagementHistory = createEngagementHistoryService({
      db: context.storage.db,
      historyQuery: memory,
    })
    holder.archive = async (accountId, records) => memory.archiveRecords(accountId, records)
  })
  return holder
}

export const searchPath = (accountId: string): string =>
  `/interaction_history/api/account/${accountId}/interactions/search`

/** POSTs a search with a bearer; `query` is appended as given. */
export function searchWithBearer(
  context: TestContext,
  accountId: string,
  bearer: string,
  body: unknown,
  query = '',
): Promise<LightMyRequestResponse> {
  return context.app.inject({
    method: 'POST',
    url: `${searchPath(accountId)}${query === '' ? '' : `?${query}`}`,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  })
}

/** The rtSessionIds (engagementId without the account prefix) of a response, in order. */
export function rtIdsOf(response: LightMyRequestResponse, accountId: string): string[] {
  return response
    .json<{ interactionHistoryRecords: Array<{ info: { engagementId: string } }> }>()
    .interactionHistoryRecords.map((record) => record.info.engagementId.slice(accountId.length))
}
