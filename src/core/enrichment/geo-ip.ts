import type { VisitorInfo } from '../history/record.types.ts'

/** The geo half of Engagement History `visitorInfo` (engagement-history.md §5.6); "" when unknown. */
export type GeoLocation = Pick<VisitorInfo, 'country' | 'countryCode' | 'state' | 'city' | 'isp' | 'org'>

export const NO_GEO_LOCATION: Readonly<GeoLocation> = Object.freeze({
  country: '',
  countryCode: '',
  state: '',
  city: '',
  isp: '',
  org: '',
})

/** Open geo-IP databases. `lookup` is synchronous; private, invalid and unknown addresses give `NO_GEO_LOCATION`. */
export interface GeoIpLookup {
  lookup(ipAddress: string): GeoLocation
}

/** Opens the geo-IP databases once (the first call reads them; later calls share it); never rejects. */
export interface GeoIpSource {
  open(): Promise<GeoIpLookup>
}

/** No database configured: every address is unknown. */
export const NO_GEO_IP: GeoIpSource = {
  open: async () => ({ lookup: () => ({ ...NO_GEO_LOCATION }) }),
}
