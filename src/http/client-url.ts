import type { FastifyRequest } from 'fastify'
import type { Config } from '../config/config.ts'
import { ParleyError } from '../core/errors.ts'
import { requestTarget } from './rewrite-url.ts'
import { forwardedHeadersTrusted } from './trusted-proxies.ts'

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined

/** Header through which the js2rest tunnel hands its outer request's origin to the inner request. */
export const TUNNEL_ORIGIN_HEADER = 'x-parley-tunnel-origin'

/**
 * `scheme://host[:port]` as the client addressed this request: the absolute-form target, else the
 * trusted proxy's X-Forwarded-Proto/Host, else the listener's scheme and the Host header.
 */
export function clientOrigin(request: FastifyRequest, config: Pick<Config, 'trustProxy' | 'trustedProxies'>): string {
  // Only in-process requests (js2rest, docs/browser-transports.md) can carry this header: a socket never sets isLightMyRequest.
  const tunnelled = request.raw.headers[TUNNEL_ORIGIN_HEADER]
  if (typeof tunnelled === 'string' && (request.raw as { isLightMyRequest?: boolean }).isLightMyRequest === true)
    return tunnelled.toLowerCase()
  const target = requestTarget(request.raw)
  if (target.absolute && target.absolute.host !== '')
    return `${target.absolute.protocol}://${target.absolute.host}`.toLowerCase()
  const encrypted = 'encrypted' in request.raw.socket && request.raw.socket.encrypted === true
  let protocol = encrypted ? 'https' : 'http'
  let host = request.raw.headers.host ?? 'localhost'
  if (forwardedHeadersTrusted(request, config)) {
    protocol = firstHeader(request.raw.headers['x-forwarded-proto']) ?? protocol
    host = firstHeader(request.raw.headers['x-forwarded-host']) ?? host
  }
  return `${protocol}://${host}`.toLowerCase()
}

/** Origin used for absolute links: the configured public URL, else the client's view. */
export function linkOrigin(request: FastifyRequest, config: Config): string {
  return config.publicUrl ? config.publicUrl.origin : clientOrigin(request, config)
}

/**
 * `host[:port]` that the Domain API hands out (clients prepend `https://`): the public URL's host,
 * else, for a plain-HTTP request while HTTPS is on, the request's host with the HTTPS port, else the
 * request's host and port.
 * Port 443 is omitted.
 */
export function publicHost(request: FastifyRequest, config: Config): string {
  if (config.publicUrl) return config.publicUrl.port === '443' ? config.publicUrl.hostname : config.publicUrl.host
  const origin = new URL(clientOrigin(request, config))
  if (origin.protocol === 'http:' && config.tls && config.tls.port !== 0) {
    return config.tls.port === 443 ? origin.hostname : `${origin.hostname}:${config.tls.port}`
  }
  return origin.host
}

/**
 * VALIDATION_FAILED when the origin this request would be answered for is not a URL (a `Host` of
 * `a b`, an X-Forwarded-Host from a trusted proxy with a slash in it). Checked for every request
 * before routing work starts, so no route builds a link from it, or creates a session and then fails.
 */
export function requireWellFormedOrigin(
  request: FastifyRequest,
  config: Pick<Config, 'trustProxy' | 'trustedProxies'>,
): void {
  const origin = clientOrigin(request, config)
  let parsed: URL | undefined
  try {
    parsed = new URL(origin)
  } catch {
    parsed = undefined
  }
  // `a/b`, `a?b` or `u@a` parse, but as a host with a path, query or user: not a host either.
  const hostOnly =
    parsed !== undefined &&
    parsed.pathname === '/' &&
    parsed.search === '' &&
    parsed.hash === '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    !origin.endsWith('?') &&
    !origin.endsWith('#')
  if (!hostOnly) {
    const field =
      forwardedHeadersTrusted(request, config) && request.raw.headers['x-forwarded-host'] ? 'x-forwarded-host' : 'host'
    throw new ParleyError('VALIDATION_FAILED', `headers.${field}: is not a valid host`, { field: `headers.${field}` })
  }
}
