import { BlockList, isIP } from 'node:net'

/**
 * `value` as a plain IP address: surrounding whitespace dropped, IPv4-mapped IPv6 (`::ffff:1.2.3.4`,
 * as dual-stack sockets report IPv4 clients) as IPv4, IPv6 lower-cased; undefined when it is not an
 * IPv4 or IPv6 address (host names, ports, CIDRs, lists).
 */
export function normalizeIp(value: string): string | undefined {
  const address = value.trim()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1]
  if (mapped !== undefined && isIP(mapped) === 4) return mapped
  const family = isIP(address)
  if (family === 4) return address
  if (family === 6) return address.toLowerCase()
  return undefined
}

// Addresses no geo-IP database places: private, loopback, link-local, shared (CGNAT), documentation,
// benchmarking, multicast and reserved ranges (RFC 6890).
const NOT_ROUTED: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 3, 'ipv4'],
  ['::', 127, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
]
const notRouted = new BlockList()
for (const [network, prefix, family] of NOT_ROUTED) notRouted.addSubnet(network, prefix, family)

/** Whether a normalised address (see `normalizeIp`) is a public internet address a geo-IP database may know. */
export function isPublicIp(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  return !notRouted.check(address, family === 4 ? 'ipv4' : 'ipv6')
}
