import type { FastifyRequest } from 'fastify'
import type { Config } from '../config/config.ts'
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
