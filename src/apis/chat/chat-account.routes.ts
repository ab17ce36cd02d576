import { Type } from '@fastify/type-provider-typebox'
import type { Config } from '../../config/config.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { VISITOR_ROUTE } from '../../http/auth/visitor-auth.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { presentChatAccount } from './chat-account.presenter.ts'
import { sendPresented } from './chat-links.ts'

const AccountParams = Type.Object({ accountId: Type.String() })

/**
 * V0 `GET /api/account/{accountId}` (chat-api.md §4), the visitor client's entry point: the account
 * resource with its links, JSON or XML (Decision D1), visitor authentication (§2). An account Parley
 * does not host answers 404 before authentication.
 */
export function registerChatAccountRoutes(app: ParleyApp, deps: { config: Config }): void {
  app.get('/api/account/:accountId', { schema: { params: AccountParams }, ...VISITOR_ROUTE }, (request, reply) =>
    sendPresented(
      request,
      reply,
      presentChatAccount({ origin: linkOrigin(request, deps.config), accountId: request.params.accountId }),
    ),
  )
}
