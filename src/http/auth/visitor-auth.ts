import type { Actor } from '../../core/actor.ts'

/**
 * Route config for the visitor Server Chat API (chat-api.md §2): `Authorization: LivePerson
 * appKey=...`, the `appKey`/`appkey` query parameter, or an OAuth 1.0a request signed with an API
 * key. A missing key or another scheme (Basic, Bearer) answers the
 * `general_problem=unknown_authorization_type` envelope (401, internalCode 5); an unknown key the
 * plain-text `lp_problem=consumer_key_rejected` body.
 */
export const VISITOR_AUTH = { auth: ['appKey', 'oauth1'], authFailure: 'visitor', apiKeyPermission: 'visitor' } as const

/**
 * Options every visitor route spreads into its route options:
 * `app.get(path, { schema, ...VISITOR_ROUTE }, handler)`. An OAuth 1.0a API key needs the `visitor`
 * permission (403), checked with the credentials, before the input is validated.
 */
export const VISITOR_ROUTE = { config: VISITOR_AUTH } as const

/**
 * True when the caller has the Visit API privilege (the `visit-session` link, V22): a visitor app key
 * listed in `PARLEY_VISIT_APP_KEYS`, or an OAuth 1.0a API key with the `visit` permission.
 */
export function hasVisitPrivilege(actor: Actor | null): boolean {
  if (actor?.kind === 'apiKey') return actor.permissions.includes('visit')
  return actor?.kind === 'visitorApp' && actor.visitPrivilege
}
