import type { Config } from '../config/config.ts'
import type { ParleyApp } from './parley-app.ts'
import { requireWellFormedOrigin } from './client-url.ts'
import { requireStorable } from './storable.ts'

/**
 * Input rules that hold for every route, installed once (docs/wire-conventions.md, "Input the databases cannot store"):
 * - before anything reads it, the request's origin (`Host`, or a trusted proxy's forwarded host)
 *   must be a host, and `:accountId` must be storable text (it is looked up before authentication);
 * - after authentication and schema validation, every param, query field and body member must be
 *   storable (storable.ts): otherwise 400 naming the field, before any handler runs.
 *
 * Call after the authentication hooks are added: hooks of one phase run in the order they were
 * added, and `preHandler` runs after `onRequest`, `preValidation` and validation, wherever the
 * account and credential checks live.
 */
export function installEdgeRules(app: ParleyApp, config: Pick<Config, 'trustProxy' | 'trustedProxies'>): void {
  app.addHook('onRequest', async (request) => {
    requireWellFormedOrigin(request, config)
    const params = request.params as Record<string, unknown> | null | undefined
    if (params && 'accountId' in params) requireStorable([['params.accountId', params.accountId]])
  })
  app.addHook('preHandler', async (request) => {
    requireStorable([
      ['params', request.params],
      ['query', request.query],
      ['body', request.body],
    ])
  })
}
