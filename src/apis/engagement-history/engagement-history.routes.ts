import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { HistorySearchResult } from '../../core/history/engagement-history.service.ts'
import type { RawQuery } from '../../core/history/search-request.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { presentSearchPage } from './engagement-history.presenter.ts'
import { AccountParams } from './engagement-history.schemas.ts'

const SEARCH_PATHS = [
  '/interaction_history/api/account/:accountId/interactions/search',
  '/api/account/:accountId/interactions/search',
]
const LOOKUP_PATH = '/interaction_history/api/account/:accountId/interaction/search'

/** Engagement History (engagement-history.md): JSON only, OAuth 1.0a API keys or bearer sessions. */
export function registerEngagementHistoryRoutes(app: ParleyApp, deps: { config: Config }): void {
  // No querystring or body schema: Ajv would coerce and strip values that D4 validation (core) must
  // see as sent, and links echo `sort` and `source` verbatim.
  const options = { schema: { params: AccountParams }, config: { auth: ['oauth1', 'bearer'] as const } }
  const send = (request: FastifyRequest, reply: FastifyReply, accountId: string, result: HistorySearchResult) =>
    reply
      .type('application/json; charset=UTF-8')
      .send(presentSearchPage({ origin: linkOrigin(request, deps.config), accountId }, result))

  for (const path of SEARCH_PATHS) {
    app.post(path, options, async (request, reply) => {
      const { accountId } = request.params
      const result = await app.services.engagementHistory.search(
        request.actor,
        accountId,
        request.query as RawQuery,
        request.body,
      )
      return send(request, reply, accountId, result)
    })
  }

  app.post(LOOKUP_PATH, options, async (request, reply) => {
    const { accountId } = request.params
    const result = await app.services.engagementHistory.lookup(
      request.actor,
      accountId,
      request.query as RawQuery,
      request.body,
    )
    return send(request, reply, accountId, result)
  })
}
