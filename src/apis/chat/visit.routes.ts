import { Type } from '@fastify/type-provider-typebox'
import type { Config } from '../../config/config.ts'
import { notFound } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { hasVisitPrivilege, VISITOR_ROUTE } from '../../http/auth/visitor-auth.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { sendPresented } from './chat-links.ts'
import { presentVisit } from './chat.presenter.ts'

const VisitParams = Type.Object({ accountId: Type.String(), visitId: Type.String() })

/**
 * V22, the visit resource of a chat, addressed by its visit id (the chat key without its secret
 * part, wire-conventions.md §11), for visitor app keys with the Visit API privilege (chat-api.md
 * §11.4; 404 without it, as if the path did not exist). JSON or XML (Decision D1). The agent's A25
 * is in apis/agent-session/agent-visit.routes.ts.
 */
export function registerVisitRoutes(app: ParleyApp, deps: { config: Config }): void {
  // V22
  app.get(
    '/api/account/:accountId/visit/:visitId',
    { schema: { params: VisitParams }, ...VISITOR_ROUTE },
    async (request, reply) => {
      if (!hasVisitPrivilege(request.actor)) throw notFound()
      const { accountId, visitId } = request.params
      const chat = await app.services.chat.getChat(accountId, await app.services.visits.chatKeyOf(accountId, visitId))
      const base = { origin: linkOrigin(request, deps.config), accountId }
      return sendPresented(
        request,
        reply,
        presentVisit(
          { chatSessionKey: chat.key, visitorId: chat.visitorId, customVariables: chat.customVariables },
          { base },
        ),
      )
    },
  )
}
