import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** The decoded parameters of an `Authorization: OAuth ...` header, `oauth_signature` included, `realm` excluded. */
export interface OAuthHeader {
  params: ReadonlyMap<string, string>
}

const SCHEME = /^oauth(?:[ \t]+|$)/i
const UNRESERVED = /^[A-Za-z0-9\-._~]$/
const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' }

/**
 * Parses `Authorization: OAuth k="v", k2="v2"`: the scheme is case-insensitive, pairs are separated
 * by `,` with optional whitespace, values may be quoted or unquoted and are percent-decoded (`+` stays
 * `+`), `realm` is dropped. Returns undefined when the header is not an OAuth header or is malformed
 * (bad syntax, an unterminated quote, an invalid percent-escape or a repeated parameter).
 */
export function parseOAuthHeader(header: string): Map<string, string> | undefined {
  const trimmed = header.trim()
  const scheme = SCHEME.exec(trimmed)
  if (scheme === null) return undefined
  const text = trimmed.slice(scheme[0].length)
  const params = new Map<string, string>()
  let i = 0
  const skipWhitespace = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++
  }
  while (i < text.length) {
    skipWhitespace()
    const nameStart = i
    while (i < text.length && !'=, \t"'.includes(text.charAt(i))) i++
    const rawName = text.slice(nameStart, i)
    skipWhitespace()
    if (rawName === '' || text[i] !== '=') return undefined
    i++
    skipWhitespace()
    let rawValue: string
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1)
      if (close === -1) return undefined
      rawValue = text.slice(i + 1, close)
      i = close + 1
    } else {
      const valueStart = i
      while (i < text.length && !', \t"'.includes(text.charAt(i))) i++
      rawValue = text.slice(valueStart, i)
    }
    skipWhitespace()
    if (i < text.length) {
      if (text[i] !== ',') return undefined
      i++
    }
    const name = percentDecode(rawName)
    const value = percentDecode(rawValue)
    if (name === undefined || value === undefined) return undefined
    if (name.toLowerCase() === 'realm') continue
    if (params.has(name)) return undefined
    params.set(name, value)
  }
  return params
}

function percentDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value)
  } catch {
    return undefined
  }
}

/**
 * RFC 3986 percent-encoding of the UTF-8 bytes of `value`: everything except `A-Z a-z 0-9 - . _ ~`
 * becomes `%XX` with upper-case hex. Lone surrogates encode as U+FFFD.
 */
export function percentEncode(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte)
    out += UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * Builds `METHOD&enc(baseUrl)&enc(PARAMS)`: the method upper-cased, each parameter name and value
 * percent-encoded, sorted by encoded name then encoded value (byte order), joined as `name=value`
 * with `&`; repeated parameters stay repeated. `baseUrl` must already be normalised
 * (see `normalizeBaseUrl`).
 */
export function signatureBaseString(
  method: string,
  baseUrl: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const encoded = params.map(([name, value]): [string, string] => [percentEncode(name), percentEncode(value)])
  encoded.sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
  const paramString = encoded.map(([name, value]) => `${name}=${value}`).join('&')
  return `${method.toUpperCase()}&${percentEncode(baseUrl)}&${percentEncode(paramString)}`
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Normalises a URL for the base string to `scheme://host[:port]/path`: scheme and host lower-cased,
 * user info dropped, the port dropped when it is the default (80 for http, 443 for https), no query
 * or fragment. For a string the path is kept exactly as written (percent-escapes untouched, `/` when
 * empty); a `URL` object contributes its already-normalised `pathname`. Throws a `TypeError` when
 * the URL cannot be parsed.
 */
export function normalizeBaseUrl(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url
  const port = parsed.port === '' || DEFAULT_PORTS[parsed.protocol] === parsed.port ? '' : `:${parsed.port}`
  const rawPath = typeof url === 'string' ? /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url)?.[1] : undefined
  const path = rawPath ?? parsed.pathname
  return `${parsed.protocol.toLowerCase()}//${parsed.hostname.toLowerCase()}${port}${path === '' ? '/' : path}`
}

/**
 * `base64(HMAC-SHA1(enc(consumerSecret) & enc(tokenSecret), base))`, the OAuth 1.0a HMAC-SHA1 signature.
 */
export function hmacSha1Signature(base: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`
  return createHmac('sha1', key).update(base, 'utf8').digest('base64')
}

/**
 * Compares two signatures in constant time for equal lengths (`timingSafeEqual` on their UTF-8
 * bytes); different lengths answer false at once, which reveals only the length.
 */
export function signaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(given, 'utf8')
  if (a.length !== b.length) return false
  return timingSafeEqual(a, b)
}

/**
 * Collects the decoded parameters that enter the base string: the header's parameters except
 * `oauth_signature` and `realm`, every query parameter (form-decoded: `+` is a space, repeated
 * names kept, extra leading `?` ignored), then the form fields when the body is
 * `application/x-www-form-urlencoded`. Order is irrelevant; `signatureBaseString` sorts.
 */
export function collectSignatureParams(
  oauthParams: ReadonlyMap<string, string>,
  query: string,
  formFields?: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  const params: Array<[string, string]> = []
  for (const [name, value] of oauthParams) {
    if (name !== 'oauth_signature' && name.toLowerCase() !== 'realm') params.push([name, value])
  }
  for (const [name, value] of new URLSearchParams(query.replace(/^\?+/, ''))) params.push([name, value])
  for (const [name, value] of formFields ?? []) params.push([name, value])
  return params
}

/**
 * Signs a request with HMAC-SHA1 and returns the complete `Authorization` header value
 * (`OAuth k="v", ...`, values percent-encoded). The query string of `url` and the given form fields
 * are signed; a JSON body never is. Nonce and timestamp default to a random hex string and the
 * current time in seconds.
 */
export function signRequest(input: {
  method: string
  url: string
  consumerKey: string
  consumerSecret: string
  token: string
  tokenSecret: string
  nonce?: string
  timestamp?: number
  formFields?: ReadonlyArray<readonly [string, string]>
}): string {
  const oauthParams = new Map<string, string>([
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', input.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(input.timestamp ?? Math.floor(Date.now() / 1000))],
    ['oauth_token', input.token],
    ['oauth_version', '1.0'],
  ])
  const withoutFragment = input.url.split('#', 1)[0] ?? ''
  const queryStart = withoutFragment.indexOf('?')
  const query = queryStart === -1 ? '' : withoutFragment.slice(queryStart + 1)
  const params = collectSignatureParams(oauthParams, query, input.formFields)
  const base = signatureBaseString(input.method, normalizeBaseUrl(input.url), params)
  oauthParams.set('oauth_signature', hmacSha1Signature(base, input.consumerSecret, input.tokenSecret))
  const pairs = [...oauthParams].map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
  return `OAuth ${pairs.join(', ')}`
}
