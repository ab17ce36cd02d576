import { ParleyError } from '../core/errors.ts'
import type { ParleyApp } from './parley-app.ts'

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const

/**
 * Collects the methods registered per URL; `finish()` then registers the missing ones to answer
 * 405 with an `Allow` header instead of Fastify's 404 (wire-conventions.md §5).
 */
export function installMethodNotAllowed(app: ParleyApp): { finish(): void } {
  const methodsByUrl = new Map<string, Set<string>>()
  app.addHook('onRoute', (route) => {
    if (route.url === '/*') return
    const methods = methodsByUrl.get(route.url) ?? new Set<string>()
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) methods.add(method)
    methodsByUrl.set(route.url, methods)
  })
  return {
    finish() {
      for (const [url, methods] of [...methodsByUrl]) {
        const missing = METHODS.filter((method) => !methods.has(method))
        if (missing.length === 0) continue
        const allow = METHODS.filter((method) => methods.has(method)).join(', ')
        app.route({
          method: [...missing],
          url,
          config: { requireAccount: false },
          handler: async (request) => {
            throw new ParleyError('METHOD_NOT_ALLOWED', `Method ${request.method} not allowed`, { allow })
          },
        })
      }
    },
  }
}
