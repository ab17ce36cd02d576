import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { Actor } from '../../core/actor.ts'
import type { Clock } from '../../core/clock.ts'
import type { CredentialsService } from '../../core/accounts/credentials.service.ts'
import { ParleyError } from '../../core/errors.ts'
import { clientOrigin } from '../client-url.ts'
import { requestTarget } from '../rewrite-url.ts'
import {
  collectSignatureParams,
  hmacSha1Signature,
  normalizeBaseUrl,
  signatureBaseString,
  signaturesMatch,
} from './oauth1.ts'

const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
]

/**
 * Verifies an OAuth 1.0a HMAC-SHA1 request (domain-and-login.md §3): key and token of the path's
 * account, timestamp window, signature over the URL as the client saw it (then the public URL),
 * and finally the nonce, recorded only after the signature verified so nobody can burn nonces.
 */
export async function verifyOAuthRequest(
  request: FastifyRequest,
  accountId: string,
  oauth: ReadonlyMap<string, string>,
  deps: { credentials: CredentialsService; clock: Clock; config: Config },
): Promise<Actor & { kind: 'apiKey' }> {
  if (REQUIRED.some((name) => !oauth.get(name)))
    throw new ParleyError('OAUTH_PARAMETER_ABSENT', 'OAuth parameter absent')
  if (oauth.get('oauth_signature_method')?.toUpperCase() !== 'HMAC-SHA1')
    throw new ParleyError('OAUTH_SIGNATURE_INVALID', 'Unsupported signature method')
  const key = await deps.credentials.findApiKey(accountId, oauth.get('oauth_consumer_key') ?? '')
  if (!key) throw new ParleyError('OAUTH_CONSUMER_KEY_UNKNOWN', 'Unknown consumer key')
  if (key.accessToken !== oauth.get('oauth_token')) throw new ParleyError('BEARER_REJECTED', 'Unknown access token')

  const windowSec = deps.config.oauthTimestampWindowSec
  const timestamp = Number(oauth.get('oauth_timestamp'))
  const nowSec = deps.clock.now() / 1000
  if (!Number.isFinite(timestamp) || Math.abs(nowSec - timestamp) > windowSec) {
    throw new ParleyError('OAUTH_TIMESTAMP_REFUSED', 'Timestamp outside the accepted window')
  }

  const target = requestTarget(request.raw)
  const params = collectSignatureParams(oauth, target.query, formFields(request))
  const origins = [clientOrigin(request, deps.config)]
  if (deps.config.publicUrl) origins.push(deps.config.publicUrl.origin)
  const given = oauth.get('oauth_signature') ?? ''
  const verified = origins.some((origin) => {
    const base = signatureBaseString(target.method, normalizeBaseUrl(`${origin}${target.path}`), params)
    return signaturesMatch(hmacSha1Signature(base, key.consumerSecret, key.accessTokenSecret), given)
  })
  if (!verified) throw new ParleyError('OAUTH_SIGNATURE_INVALID', 'Signature invalid')

  const fresh = await deps.credentials.useNonce(key.consumerKey, oauth.get('oauth_nonce') ?? '', 2 * windowSec * 1000)
  if (!fresh) throw new ParleyError('OAUTH_NONCE_USED', 'Nonce already used')
  return { kind: 'apiKey', accountId, apiKeyId: key.id, permissions: key.permissions, userId: key.userId }
}

/** Form fields take part in the signature only for `application/x-www-form-urlencoded` bodies. */
function formFields(request: FastifyRequest): Array<[string, string]> | undefined {
  const type = request.headers['content-type'] ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined
  const body = request.body
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
  return Object.entries(body as Record<string, unknown>).flatMap(([name, value]) =>
    Array.isArray(value)
      ? value.map((item): [string, string] => [name, String(item)])
      : [[name, String(value)] as [string, string]],
  )
}
