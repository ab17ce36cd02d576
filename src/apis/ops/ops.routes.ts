import type { Config } from '../../config/config.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { HOME_PAGE_CSP, readParleyVersion, renderHomePage } from './home-page.ts'

/**
 * The server's own routes: `/`, a page that says what this server is and links the console, the
 * health checks and the docs; liveness (`/healthz`, no I/O) and readiness (`/readyz`, the database
 * answers).
 */
export function registerOpsRoutes(app: ParleyApp, deps: { config: Config }): void {
  const version = readParleyVersion()
  app.get('/', (request, reply) =>
    reply
      .type('text/html; charset=UTF-8')
      .header('content-security-policy', HOME_PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(renderHomePage({ version, origin: linkOrigin(request, deps.config) })),
  )
  app.get('/healthz', () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    try {
      await app.services.ping()
      return { status: 'ok' }
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}
