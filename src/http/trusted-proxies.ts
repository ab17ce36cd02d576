import { BlockList, isIP } from 'node:net'
import type { FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Config } from '../config/config.ts'

type ProxyConfig = Pick<Config, 'trustedProxies'>

/**
 * Fastify's `trustProxy`: the configured proxy list (`PARLEY_TRUSTED_PROXIES`; the deprecated
 * `PARLEY_TRUST_PROXY` fills it with the loopback ranges), else nothing. `request.ip` is then the
 * right-most `X-Forwarded-For` address not added by a trusted proxy, and the header is ignored on
 * connections from any other peer. Every peer is never trusted: a client could name its own address.
 */
export function fastifyTrustProxy(config: ProxyConfig): NonNullable<FastifyServerOptions['trustProxy']> {
  return config.trustedProxies.length > 0 ? [...config.trustedProxies] : false
}

const lists = new WeakMap<readonly string[], BlockList>()

function blockListOf(entries: readonly string[]): BlockList {
  let list = lists.get(entries)
  if (!list) {
    list = new BlockList()
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/')
      const type = isIP(address) === 6 ? 'ipv6' : 'ipv4'
      if (prefix === undefined) list.addAddress(address, type)
      else list.addSubnet(address, Number(prefix), type)
    }
    lists.set(entries, list)
  }
  return list
}

/** Whether this request's `X-Forwarded-Proto`/`-Host` may be believed: the peer is a listed proxy. */
export function forwardedHeadersTrusted(request: FastifyRequest, config: ProxyConfig): boolean {
  if (config.trustedProxies.length === 0) return false
  const peer = (request.raw.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
  const family = isIP(peer)
  return family !== 0 && blockListOf(config.trustedProxies).check(peer, family === 4 ? 'ipv4' : 'ipv6')
}
