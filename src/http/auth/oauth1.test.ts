import { describe, it, expect } from 'vitest'
import {
  collectSignatureParams,
  hmacSha1Signature,
  normalizeBaseUrl,
  parseOAuthHeader,
  percentEncode,
  signRequest,
  signatureBaseString,
  signaturesMatch,
} from './oauth1.ts'

// The worked example of domain-and-login.md section 3.
const example = {
  url: 'https://parley.example.com:8443/interaction_history/api/account/12345678/interactions/search?offset=0&limit=100&sort=start:asc',
  baseUrl: 'https://parley.example.com:8443/interaction_history/api/account/12345678/interactions/search',
  params:
    'limit=100&oauth_consumer_key=ck&oauth_nonce=n1&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_token=tk&oauth_version=1.0&offset=0&sort=start%3Aasc',
  base: 'POST&https%3A%2F%2Fparley.example.com%3A8443%2Finteraction_history%2Fapi%2Faccount%2F12345678%2Finteractions%2Fsearch&limit%3D100%26oauth_consumer_key%3Dck%26oauth_nonce%3Dn1%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dtk%26oauth_version%3D1.0%26offset%3D0%26sort%3Dstart%253Aasc',
  signature: '48HCw+sVkLS+lFJug3pr4UW27UE=',
  header:
    'OAuth oauth_consumer_key="ck", oauth_nonce="n1", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1700000000", ' +
    'oauth_token="tk", oauth_version="1.0", oauth_signature="48HCw%2BsVkLS%2BlFJug3pr4UW27UE%3D"',
}

function verify(method: string, url: string, header: string, formFields?: ReadonlyArray<readonly [string, string]>) {
  const oauth = parseOAuthHeader(header)
  if (oauth === undefined) throw new Error('header did not parse')
  const target = new URL(url)
  const params = collectSignatureParams(oauth, target.search.slice(1), formFields)
  const base = signatureBaseString(method, normalizeBaseUrl(url), params)
  return { oauth, base, signature: hmacSha1Signature(base, 'cs', 'ts') }
}

describe('OAuth 1.0a worked example', () => {
  it('reproduces the base URL, parameter string, base string and signature of the spec', () => {
    const oauth = parseOAuthHeader(example.header)
    expect(oauth).toBeDefined()
    const params = collectSignatureParams(oauth ?? new Map(), 'offset=0&limit=100&sort=start:asc')
    expect(normalizeBaseUrl(example.url)).toBe(example.baseUrl)
    const base = signatureBaseString('POST', example.baseUrl, params)
    expect(base).toBe(example.base)
    expect(decodeURIComponent(base.split('&')[2] ?? '')).toBe(example.params)
    expect(hmacSha1Signature(base, 'cs', 'ts')).toBe(example.signature)
    expect(oauth?.get('oauth_signature')).toBe(example.signature)
  })

  it('signs the example request with the same signature', () => {
    const header = signRequest({
      method: 'POST',
      url: example.url,
      consumerKey: 'ck',
      consumerSecret: 'cs',
      token: 'tk',
      tokenSecret: 'ts',
      nonce: 'n1',
      timestamp: 1700000000,
    })
    expect(header).toBe(example.header)
  })

  it('leaves the JSON body out of the signature, as it is not an input', () => {
    // The body {"start":{"from":1,"to":2}} travels with the request; only URL and header are signed.
    const { base, signature } = verify('POST', example.url, example.header)
    expect(base).toBe(example.base)
    expect(signature).toBe(example.signature)
  })
})

describe('parseOAuthHeader', () => {
  it('accepts ", " and "," separators, unquoted values and any scheme case, and ignores realm', () => {
    const spaced = parseOAuthHeader('OAuth realm="Example", oauth_consumer_key="ck", oauth_nonce="n1"')
    const tight = parseOAuthHeader('oauth oauth_consumer_key="ck",oauth_nonce=n1,realm=x')
    const expected = new Map([
      ['oauth_consumer_key', 'ck'],
      ['oauth_nonce', 'n1'],
    ])
    expect(spaced).toEqual(expected)
    expect(tight).toEqual(expected)
    expect(parseOAuthHeader('OAUTH   oauth_token = "tk" ,\toauth_nonce="n"')).toEqual(
      new Map([
        ['oauth_token', 'tk'],
        ['oauth_nonce', 'n'],
      ]),
    )
  })

  it('percent-decodes values and keeps a literal plus sign', () => {
    const params = parseOAuthHeader('OAuth oauth_signature="a%2Bb%3D", oauth_nonce="x+y", oauth_token="%C3%A9"')
    expect(params?.get('oauth_signature')).toBe('a+b=')
    expect(params?.get('oauth_nonce')).toBe('x+y')
    expect(params?.get('oauth_token')).toBe('é')
  })

  it.each([
    ['another scheme', 'Bearer abc'],
    ['the LivePerson appKey scheme', 'LivePerson appKey=abc'],
    ['a scheme prefix only', 'OAuthx oauth_token="t"'],
    ['a missing equals sign', 'OAuth oauth_token'],
    ['an unterminated quote', 'OAuth oauth_token="t'],
    ['garbage after a value', 'OAuth oauth_token="t" oauth_nonce="n"'],
    ['an invalid percent-escape', 'OAuth oauth_token="%ZZ"'],
    ['a repeated parameter', 'OAuth oauth_token="a", oauth_token="b"'],
  ])('rejects %s', (_name, header) => {
    expect(parseOAuthHeader(header)).toBeUndefined()
  })
})

describe('percentEncode', () => {
  it('keeps unreserved characters and encodes reserved ones with upper-case hex', () => {
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~')
    expect(percentEncode(' !"#$%&\'()*+,/:;=?@[]')).toBe(
      '%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3D%3F%40%5B%5D',
    )
  })

  it('encodes non-ASCII characters as their UTF-8 bytes', () => {
    expect(percentEncode('é')).toBe('%C3%A9')
    expect(percentEncode('日')).toBe('%E6%97%A5')
    expect(percentEncode('😀')).toBe('%F0%9F%98%80')
  })
})

describe('normalizeBaseUrl', () => {
  it('drops the default ports 80 for http and 443 for https', () => {
    expect(normalizeBaseUrl('http://example.com:80/a')).toBe('http://example.com/a')
    expect(normalizeBaseUrl('https://example.com:443/a')).toBe('https://example.com/a')
  })

  it('keeps non-default ports, including 443 on http and 80 on https', () => {
    expect(normalizeBaseUrl('https://example.com:8443/a')).toBe('https://example.com:8443/a')
    expect(normalizeBaseUrl('http://example.com:443/a')).toBe('http://example.com:443/a')
    expect(normalizeBaseUrl('https://example.com:80/a')).toBe('https://example.com:80/a')
  })

  it('lower-cases scheme and host, keeps the path as sent and drops query and fragment', () => {
    expect(normalizeBaseUrl('HTTPS://Parley.Example.COM/api/Account/1/chat.json?v=1#x')).toBe(
      'https://parley.example.com/api/Account/1/chat.json',
    )
    expect(normalizeBaseUrl('http://example.com/r%20v/X%2f')).toBe('http://example.com/r%20v/X%2f')
    expect(normalizeBaseUrl('http://example.com')).toBe('http://example.com/')
    expect(normalizeBaseUrl('http://example.com?x=1')).toBe('http://example.com/')
  })

  it('accepts a URL object', () => {
    expect(normalizeBaseUrl(new URL('https://Example.com:443/p?q=1'))).toBe('https://example.com/p')
  })
})

describe('collectSignatureParams', () => {
  it('keeps repeated query parameters and form-decodes plus signs and escapes', () => {
    const params = collectSignatureParams(new Map(), 'skill=a&skill=b&q=hello+world&s=start%3Aasc&flag')
    expect(params).toEqual([
      ['skill', 'a'],
      ['skill', 'b'],
      ['q', 'hello world'],
      ['s', 'start:asc'],
      ['flag', ''],
    ])
    const base = signatureBaseString('GET', 'http://h/', params)
    expect(decodeURIComponent(base.split('&')[2] ?? '')).toBe('flag=&q=hello%20world&s=start%3Aasc&skill=a&skill=b')
  })

  it('tolerates extra leading question marks', () => {
    expect(collectSignatureParams(new Map(), '??v=1')).toEqual([['v', '1']])
  })

  it('excludes oauth_signature and realm and appends form fields', () => {
    const oauth = new Map([
      ['oauth_signature', 'sig'],
      ['realm', 'r'],
      ['oauth_token', 'tk'],
    ])
    expect(collectSignatureParams(oauth, 'v=1', [['field', 'x y']])).toEqual([
      ['oauth_token', 'tk'],
      ['v', '1'],
      ['field', 'x y'],
    ])
  })
})

describe('signatureBaseString', () => {
  it('sorts by encoded name, then encoded value, in byte order', () => {
    const base = signatureBaseString('get', 'http://h/', [
      ['b', '2'],
      ['a', 'z'],
      ['a', 'Z'],
      ['a', '1'],
      ['A', 'x'],
    ])
    expect(base).toBe(`GET&http%3A%2F%2Fh%2F&${percentEncode('A=x&a=1&a=Z&a=z&b=2')}`)
  })
})

describe('signaturesMatch', () => {
  it('matches equal signatures and rejects different ones', () => {
    expect(signaturesMatch(example.signature, '48HCw+sVkLS+lFJug3pr4UW27UE=')).toBe(true)
    expect(signaturesMatch(example.signature, '48HCw+sVkLS+lFJug3pr4UW27UF=')).toBe(false)
  })

  it('answers false for signatures of different lengths', () => {
    expect(signaturesMatch(example.signature, example.signature.slice(0, -1))).toBe(false)
    expect(signaturesMatch(example.signature, '')).toBe(false)
  })
})

describe('signRequest', () => {
  it('produces a header that verifies through parse, collect, base string and HMAC', () => {
    const url = 'http://Parley.example.com:80/api/account/1/chat/request.json?v=1&NC=true&q=a+b%21'
    const header = signRequest({
      method: 'post',
      url,
      consumerKey: 'ck',
      consumerSecret: 'cs',
      token: 'tk',
      tokenSecret: 'ts',
      formFields: [['name', 'Zoë & co']],
    })
    const { oauth, base, signature } = verify('POST', url, header, [['name', 'Zoë & co']])
    expect(base.startsWith('POST&http%3A%2F%2Fparley.example.com%2Fapi%2Faccount%2F1%2Fchat%2Frequest.json&')).toBe(
      true,
    )
    expect(oauth.get('oauth_signature_method')).toBe('HMAC-SHA1')
    expect(oauth.get('oauth_nonce')).toMatch(/^[0-9a-f]{32}$/)
    expect(signaturesMatch(signature, oauth.get('oauth_signature') ?? '')).toBe(true)
  })

  it('produces a signature that fails when a query parameter is changed', () => {
    const header = signRequest({
      method: 'GET',
      url: 'https://h/p?offset=0',
      consumerKey: 'ck',
      consumerSecret: 'cs',
      token: 'tk',
      tokenSecret: 'ts',
    })
    const { oauth, signature } = verify('GET', 'https://h/p?offset=1', header)
    expect(signaturesMatch(signature, oauth.get('oauth_signature') ?? '')).toBe(false)
  })
})
