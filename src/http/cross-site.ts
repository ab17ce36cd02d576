import type { FastifyRequest } from 'fastify'
import type { Config } from '../config/config.ts'
import { clientOrigin } from './client-url.ts'

type CrossSiteConfig = Pick<Config, 'trustProxy' | 'trustedProxies' | 'publicUrl' | 'corsOrigins'>

/**
 * True when a browser sent this request from a page that is neither Parley's own nor an origin the
 * operator allows (`PARLEY_CORS_ORIGINS`). Browsers say where a request comes from in `Origin`
 * (every POST, PUT and DELETE, and every cross-origin request) and in `Sec-Fetch-Site`; clients
 * outside a browser send neither and are not affected. Used for credentials a browser attaches by
 * itself (cookies): a request authenticated by a cookie alone must come from Parley's own pages
 * (docs/auth.md, "Cookies and cross-site requests").
 */
export function isCrossSiteRequest(request: FastifyRequest, config: CrossSiteConfig): boolean {
  const origin = request.headers.origin
  if (origin !== undefined && origin !== '') {
    const given = origin.toLowerCase()
    if (config.corsOrigins.includes(given)) return false
    const own = [clientOrigin(request, config)]
    if (config.publicUrl) own.push(config.publicUrl.origin.toLowerCase())
    return !own.includes(given)
  }
  const site = request.headers['sec-fetch-site']
  // `same-site` is another origin of the same site (a sibling subdomain): not Parley's own page.
  return typeof site === 'string' && site !== '' && site !== 'same-origin' && site !== 'none'
}
