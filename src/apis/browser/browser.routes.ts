import type { Config } from '../../config/config.ts'
import type { Clock } from '../../core/clock.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { loadBridgePage } from './bridge-page.ts'
import { createJs2RestHandler } from './js2rest.ts'

/** Paths of the postMessage bridge page; LivePerson's SDK uses the first in production. */
export const BRIDGE_PATHS = ['/hcp/html/postmessage.min.html', '/hcp/html/lpsunco/postmessage.html'] as const

/** Sub-paths after `js2rest` the SDK uses; the inner URL in `lpB` decides what is called. */
const JS2REST_PATHS = ['', '/chat', '/agentSession', '/visit', '/configuration'] as const

/**
 * LivePerson's browser transports (docs/browser-transports.md): the postMessage bridge page and the
 * js2rest JSONP tunnel. The Domain API's JSONP form lives with the Domain API (apis/csds).
 */
export function registerBrowserRoutes(app: ParleyApp, deps: { config: Config; clock: Clock }): void {
  const page = loadBridgePage()
  for (const path of BRIDGE_PATHS) {
    app.get(path, (request, reply) => {
      reply
        .type('text/html; charset=UTF-8')
        .header('cache-control', 'public, max-age=3600')
        .header('etag', page.etag)
        .header('content-security-policy', page.contentSecurityPolicy)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
      if (request.headers['if-none-match'] === page.etag) return reply.code(304).send()
      return reply.send(page.html)
    })
  }

  const { handler } = createJs2RestHandler(app, deps)
  for (const path of JS2REST_PATHS) {
    app.get(`/api/account/:accountId/js2rest${path}`, {
      config: { requireAccount: false },
      // Errors before the callback is known (a bad `cb`) are JSON, whatever Accept says.
      onRequest: async (request) => {
        request.wire = { format: 'json' }
      },
      handler,
    })
  }
}
