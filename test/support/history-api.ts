import type { LightMyRequestResponse } from 'fastify'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import type { TestContext } from './build-app.ts'

/** Archives records through the application's storage archive (`services.archive`). */
export function useHistoryArchive(context: TestContext): {
  archive(accountId: string, records: readonly EngagementRecord[]): Promise<void>
} {
  return {
    async archive(accountId, records) {
      await context.services.archive.archiveRecords(accountId, records, 'imported')
    },
  }
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
