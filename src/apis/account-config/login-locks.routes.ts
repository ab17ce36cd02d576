import { Type } from '@fastify/type-provider-typebox'
import type { LoginLock } from '../../core/auth/login-limiter.ts'
import { ParleyError, invalid } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'

const PATH = '/api/account/:accountId/configuration/le-users/loginLocks'

const Params = Type.Object({ accountId: Type.String() })
const ClearQuery = Type.Object({
  loginName: Type.Optional(Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000]*$' })),
  clientIp: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000]*$' })),
})

/** One counter on the wire: times as epoch ms, like the rest of the configuration API's numbers. */
function presentLoginLock(lock: LoginLock) {
  return {
    type: lock.scope === 'login' ? 'loginName' : 'clientIp',
    value: lock.subject,
    failures: lock.failures,
    limit: lock.limit,
    locked: lock.locked,
    windowStart: lock.windowStart,
    resetsAt: lock.resetsAt,
  }
}

/**
 * Login locks, a Parley extension of the configuration API (docs/auth.md, "Login protection"):
 * `GET` lists the account's failed-login counters (locked first), `DELETE ?loginName=` or
 * `?clientIp=` clears one. Admin users of the account only; JSON only, like the family.
 */
export function registerLoginLockRoutes(app: ParleyApp): void {
  const config = { auth: ['bearer'] } as const

  app.get(PATH, { schema: { params: Params }, config }, async (request) => {
    const actor = request.actor
    if (!actor) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
    const locks = await app.services.loginLimiter.list(actor, request.params.accountId)
    return locks.map(presentLoginLock)
  })

  app.delete(PATH, { schema: { params: Params, querystring: ClearQuery }, config }, async (request) => {
    const actor = request.actor
    if (!actor) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
    const { loginName, clientIp } = request.query
    if ((loginName === undefined) === (clientIp === undefined))
      throw invalid('loginName', 'give either loginName or clientIp')
    const target = loginName !== undefined ? { loginName } : { clientIp: clientIp ?? '' }
    const cleared = await app.services.loginLimiter.clear(actor, request.params.accountId, target)
    if (!cleared) throw new ParleyError('RESOURCE_NOT_FOUND', 'No failed logins are counted for it')
    return { cleared: true, ...target }
  })
}
