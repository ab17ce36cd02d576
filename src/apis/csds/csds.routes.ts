import { Type } from '@fastify/type-provider-typebox'
import type { Config } from '../../config/config.ts'
import { ParleyError } from '../../core/errors.ts'
import { isKnownService } from '../../core/csds/service-names.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { publicHost } from '../../http/client-url.ts'
import { requireCallbackName } from '../browser/jsonp.ts'
import { presentAllBaseUris, presentBaseUri } from './csds.presenter.ts'

const AllParams = Type.Object({ accountId: Type.String() })
const OneParams = Type.Object({ accountId: Type.String(), serviceName: Type.String() })
const JsonpQuery = Type.Object({ cb: Type.Optional(Type.String()) })

/**
 * Domain API (CSDS), no authentication (an Authorization header is ignored): every known service
 * name resolves to Parley's public host[:port] (Decision D9), under `/api` and `/csdr`.
 */
export function registerCsdsRoutes(app: ParleyApp, deps: { config: Config }): void {
  for (const prefix of ['/api', '/csdr']) {
    app.get(`${prefix}/account/:accountId/service/baseURI`, { schema: { params: AllParams } }, (request) =>
      presentAllBaseUris(request.params.accountId, publicHost(request, deps.config)),
    )
    app.get(
      `${prefix}/account/:accountId/service/:serviceName/baseURI`,
      { schema: { params: OneParams } },
      (request) => {
        const { accountId, serviceName } = request.params
        if (!isKnownService(serviceName)) throw new ParleyError('SERVICE_NOT_FOUND', `Service ${serviceName} not found`)
        return presentBaseUri(serviceName, accountId, publicHost(request, deps.config))
      },
    )
    // Legacy JSONP form used by old browser SDKs (domain-and-login.md §1.4).
    app.get(
      `${prefix}/account/:accountId/service/:serviceName/baseURI.lpCsds`,
      { schema: { params: OneParams, querystring: JsonpQuery } },
      (request, reply) => {
        const { serviceName } = request.params
        const callback = requireCallbackName(request.query.cb)
        if (!isKnownService(serviceName)) throw new ParleyError('SERVICE_NOT_FOUND', `Service ${serviceName} not found`)
        const payload = JSON.stringify({ ResultSet: { lpData: [{ lpServer: publicHost(request, deps.config) }] } })
        return reply.type('application/javascript; charset=UTF-8').send(`${callback}(${payload});`)
      },
    )
  }
}
