import { NoBody } from '../shared/body-schemas.ts'
import { Type } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../../core/actor.ts'
import {
  ALL_API_KEY_PERMISSIONS,
  type ApiKey,
  type ApiKeyPermission,
  type AppKey,
} from '../../core/accounts/accounts.types.ts'
import { createKeyAdmin, type ListedApiKey } from '../../core/accounts/key-admin.ts'
import { ParleyError } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'

/** Creating an app key takes nothing: no body, or an empty object. */
const AppKeyBody = Type.Union([Type.Object({}, { additionalProperties: false }), NoBody])

const BASE = '/api/account/:accountId/configuration/parley'

const AccountParams = Type.Object({ accountId: Type.String() })
const KeyParams = Type.Object({
  accountId: Type.String(),
  appKey: Type.String({ minLength: 1, maxLength: 128 }),
})
const NewApiKeyBody = Type.Object({
  // An enum rather than a union of literals: Ajv then says "must be equal to one of the allowed values".
  permissions: Type.Array(Type.Unsafe<ApiKeyPermission>({ type: 'string', enum: [...ALL_API_KEY_PERMISSIONS] }), {
    minItems: 1,
    maxItems: 32,
  }),
})

const presentAppKey = (key: AppKey) => ({ appKey: key.appKey, createdAt: key.createdAt })
const presentApiKey = (key: ListedApiKey) => ({
  appKey: key.consumerKey,
  permissions: key.permissions,
  userId: key.userId,
  createdAt: key.createdAt,
})
/** The one answer that carries the secrets; the field names are LivePerson's key export's (and the CLI's). */
const presentNewApiKey = (key: ApiKey) => ({
  ...presentApiKey(key),
  secret: key.consumerSecret,
  accessToken: key.accessToken,
  accessTokenSecret: key.accessTokenSecret,
})

function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
  return request.actor
}

/** Key material must not linger in caches or proxies. */
const noStore = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'no-store')

/**
 * Keys, a Parley extension of the configuration API (docs/account-config.md, "Keys"): the
 * account's visitor app keys and OAuth 1.0a API keys, listed, created and revoked. Admin users'
 * bearers only (not API keys, so no key can mint a wider one); JSON only, like the family. An API
 * key's secrets are in the creation answer and nowhere else.
 */
export function registerKeyRoutes(app: ParleyApp): void {
  const config = { auth: ['bearer'] } as const
  const keys = createKeyAdmin({ accounts: app.services.accounts })

  app.get(`${BASE}/appKeys`, { schema: { params: AccountParams }, config }, async (request, reply) => {
    const list = await keys.listAppKeys(actorOf(request), request.params.accountId)
    return noStore(reply).send(list.map(presentAppKey))
  })

  app.post(
    `${BASE}/appKeys`,
    { schema: { params: AccountParams, body: AppKeyBody }, config },
    async (request, reply) => {
      const key = await keys.createAppKey(actorOf(request), request.params.accountId)
      return noStore(reply).code(201).send(presentAppKey(key))
    },
  )

  app.delete(`${BASE}/appKeys/:appKey`, { schema: { params: KeyParams }, config }, async (request, reply) => {
    const { accountId, appKey } = request.params
    await keys.revokeAppKey(actorOf(request), accountId, appKey)
    return noStore(reply).send({ appKey, revoked: true })
  })

  app.get(`${BASE}/apiKeys`, { schema: { params: AccountParams }, config }, async (request, reply) => {
    const list = await keys.listApiKeys(actorOf(request), request.params.accountId)
    return noStore(reply).send(list.map(presentApiKey))
  })

  app.post(
    `${BASE}/apiKeys`,
    { schema: { params: AccountParams, body: NewApiKeyBody }, config },
    async (request, reply) => {
      const key = await keys.createApiKey(actorOf(request), request.params.accountId, request.body.permissions)
      return noStore(reply).code(201).send(presentNewApiKey(key))
    },
  )

  app.delete(`${BASE}/apiKeys/:appKey`, { schema: { params: KeyParams }, config }, async (request, reply) => {
    const { accountId, appKey } = request.params
    await keys.revokeApiKey(actorOf(request), accountId, appKey)
    return noStore(reply).send({ appKey, revoked: true })
  })
}
