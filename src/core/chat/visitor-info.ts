import { NO_GEO_LOCATION, type GeoIpLookup, type GeoIpSource } from '../enrichment/geo-ip.ts'
import { isPublicIp, normalizeIp } from '../enrichment/ip-address.ts'
import { userAgentInfo } from '../enrichment/user-agent.ts'
import type { VisitorInfo } from '../history/record.types.ts'

/**
 * Engagement History `visitorInfo` (engagement-history.md §5.6) from the chat request's IP and user
 * agent: geo fields from `geo` (empty without one, and for private or unknown addresses), the rest
 * from the user agent (docs/visitor-info.md).
 */
export function visitorInfoOf(ipAddress: string, userAgent: string, geo?: GeoIpLookup): VisitorInfo {
  const agent = userAgentInfo(userAgent)
  return {
    ...(geo ? geo.lookup(ipAddress) : NO_GEO_LOCATION),
    device: agent.device,
    ipAddress,
    browser: agent.browser,
    operatingSystem: agent.operatingSystem,
    browserType: agent.browserType,
  }
}

/**
 * `visitorInfoOf` with the geo-IP databases of `source`, opened only for a public address (so chats
 * from private networks never wait for the databases to load).
 */
export async function resolveVisitorInfo(
  ipAddress: string,
  userAgent: string,
  source: GeoIpSource | undefined,
): Promise<VisitorInfo> {
  const address = normalizeIp(ipAddress)
  const geo = source && address !== undefined && isPublicIp(address) ? await source.open() : undefined
  return visitorInfoOf(ipAddress, userAgent, geo)
}
