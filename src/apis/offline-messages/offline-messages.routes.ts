import { Type } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Actor } from '../../core/actor.ts'
import { ParleyError } from '../../core/errors.ts'
import { OFFLINE_PAGE_MAX } from '../../core/surveys/surveys.service.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { sendPresented } from '../chat/chat-links.ts'
import { presentOfflineMessages } from './offline-messages.presenter.ts'

const AccountParams = Type.Object({ accountId: Type.String() })
const PageQuery = Type.Object({
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: OFFLINE_PAGE_MAX })),
})
const SettingsBody = Type.Object({ notificationEmail: Type.String({ maxLength: 254 }) })

function callerOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
  return request.actor
}

/**
 * Offline messages (Parley's own, docs/surveys.md): the listing for Admin users (bearer) and API
 * keys of the account (OAuth 1.0a), JSON or XML; and the account's notification address under the
 * configuration API (Admin bearer, JSON only).
 */
export function registerOfflineMessageRoutes(app: ParleyApp): void {
  const surveys = () => app.services.surveys

  app.get(
    '/api/account/:accountId/offlineMessages',
    { schema: { params: AccountParams, querystring: PageQuery }, config: { auth: ['bearer', 'oauth1'] } },
    async (request, reply) => {
      const { accountId } = request.params
      const page = await surveys().listOfflineMessages(callerOf(request), accountId, {
        ...(request.query.offset === undefined ? {} : { offset: request.query.offset }),
        ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
      })
      const account = await app.services.accounts.requireAccount(accountId)
      return sendPresented(request, reply, presentOfflineMessages(page, account.timeZone))
    },
  )

  const settings = '/api/account/:accountId/configuration/le-surveys/offlineMessageSettings'
  app.get(settings, { schema: { params: AccountParams }, config: { auth: ['bearer'] } }, async (request, reply) => {
    const caller = callerOf(request)
    if (caller.kind !== 'user') throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
    const notificationEmail = await surveys().notificationEmail(caller, request.params.accountId)
    return reply.send({ notificationEmail })
  })
  app.put(
    settings,
    { schema: { params: AccountParams, body: SettingsBody }, config: { auth: ['bearer'] } },
    async (request, reply) => {
      const notificationEmail = await surveys().setNotificationEmail(
        callerOf(request),
        request.params.accountId,
        request.body.notificationEmail,
      )
      return reply.send({ notificationEmail })
    },
  )
}
