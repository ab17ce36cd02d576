import type { ParleyApp } from '../../http/app.ts'

/** Liveness (`/healthz`, no I/O) and readiness (`/readyz`, the database answers). */
export function registerOpsRoutes(app: ParleyApp): void {
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
