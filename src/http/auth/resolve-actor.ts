import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { ApiKeyPermission } from '../../core/accounts/accounts.types.ts'
import type { Actor } from '../../core/actor.ts'
import type { Clock } from '../../core/clock.ts'
import { ParleyError, isParleyError } from '../../core/errors.ts'
import type { Services } from '../../compose.ts'
import { isCrossSiteRequest } from '../cross-site.ts'
import { requestTarget } from '../rewrite-url.ts'
import { parseOAuthHeader } from './oauth1.ts'
import { verifyOAuthRequest } from './oauth1-verifier.ts'

/**
 * Ways a route accepts callers. `agentCookie` is the bearer of a legacy Agent API login in the
 * `parley_agent_bearer` cookie, used only when no `Authorization` header is present and only from
 * Parley's own pages or clients outside a browser (a cross-site request is 403).
 */
export type AuthMethod = 'bearer' | 'oauth1' | 'appKey' | 'agentCookie'

/**
 * Carries the bearer of a login made through A1's legacy `loginData` credentials, for clients that
 * never see a bearer; Parley never requires it (wire-conventions.md §14).
 */
export const AGENT_COOKIE = 'parley_agent_bearer'

/**
 * How a rejected or missing credential is reported: `envelope` (JSON-only APIs: 401 `Unauthorized`),
 * `agent` (unknown bearer is the form-encoded `token_rejected` body), `visitor` (missing key is the
 * `general_problem=unknown_authorization_type` envelope, a bearer counts as unknown).
 */
export type AuthFailureStyle = 'envelope' | 'agent' | 'visitor'

const VISITOR_AUTH_MISSING =
  'Bad authorization request. general_problem=unknown_authorization_type&general_problem_advice=unknown authorization type received'

/**
 * Resolves `request.actor` from the Authorization header (or the `appKey` query parameter) for a
 * route's accepted methods. Credentials are always checked against the path's account, so a
 * credential of account A is rejected on every path of account B.
 */
export async function resolveActor(
  request: FastifyRequest,
  accountId: string,
  methods: readonly AuthMethod[],
  failureStyle: AuthFailureStyle,
  deps: { services: Services; config: Config; clock: Clock },
): Promise<Actor> {
  const header = request.headers.authorization?.trim() ?? ''
  const scheme = header.split(/\s+/, 1)[0]?.toLowerCase() ?? ''
  const missing = (): ParleyError =>
    failureStyle === 'visitor'
      ? new ParleyError('VISITOR_AUTH_MISSING', VISITOR_AUTH_MISSING)
      : new ParleyError('UNAUTHORIZED', 'Unauthorized')

  if (scheme === 'bearer' && methods.includes('bearer')) {
    const token = header.slice(6).trim()
    try {
      return await deps.services.login.authenticateBearer(accountId, token)
    } catch (error) {
      if (isParleyError(error) && error.code === 'UNAUTHORIZED' && failureStyle === 'agent') {
        throw new ParleyError('BEARER_REJECTED', 'Bearer rejected')
      }
      throw error
    }
  }
  if (scheme === 'oauth' && methods.includes('oauth1')) {
    const params = parseOAuthHeader(header)
    if (!params) throw new ParleyError('OAUTH_PARAMETER_ABSENT', 'Malformed OAuth header')
    return verifyOAuthRequest(request, accountId, params, {
      credentials: deps.services.credentials,
      clock: deps.clock,
      config: deps.config,
    })
  }
  if (methods.includes('appKey')) {
    const appKey = appKeyFromHeader(header) ?? appKeyFromQuery(requestTarget(request.raw).query)
    if (appKey !== undefined) return deps.services.credentials.authenticateAppKey(accountId, appKey)
  }
  const cookie = request.cookies[AGENT_COOKIE]
  if (header === '' && methods.includes('agentCookie') && cookie !== undefined && cookie !== '') {
    // A browser attaches the cookie to requests from any page of the site: only Parley's own may use it.
    if (isCrossSiteRequest(request, deps.config))
      throw new ParleyError('FORBIDDEN', 'Cross-site request refused: send the bearer in Authorization')
    try {
      return await deps.services.login.authenticateBearer(accountId, cookie)
    } catch {
      throw new ParleyError('BEARER_REJECTED', 'Bearer rejected')
    }
  }
  throw missing()
}

/** True when the request carries something `resolveActor` would try for these methods. */
export function hasCredentials(request: FastifyRequest, methods: readonly AuthMethod[]): boolean {
  if ((request.headers.authorization ?? '').trim() !== '') return true
  if (methods.includes('appKey') && appKeyFromQuery(requestTarget(request.raw).query) !== undefined) return true
  return methods.includes('agentCookie') && (request.cookies[AGENT_COOKIE] ?? '') !== ''
}

/**
 * An OAuth 1.0a API key may only call an API its permissions name (domain-and-login.md §3.3):
 * FORBIDDEN (403) otherwise. Other actors pass; their access is checked by the services.
 */
export function requireApiKeyPermission(actor: Actor | null, permission: ApiKeyPermission): void {
  if (actor?.kind === 'apiKey' && !actor.permissions.includes(permission)) {
    throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
  }
}

/** `Authorization: LivePerson appKey=...` (LivePerson's own scheme word, case-insensitive). */
function appKeyFromHeader(header: string): string | undefined {
  const match = /^liveperson\s+appkey\s*=\s*"?([^",\s]+)"?/i.exec(header)
  return match?.[1]
}

function appKeyFromQuery(query: string): string | undefined {
  for (const [name, value] of new URLSearchParams(query)) {
    if (name === 'appKey' || name === 'appkey') return value
  }
  return undefined
}
