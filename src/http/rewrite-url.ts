import type { IncomingMessage } from 'node:http'

/** What the client actually sent, kept before the URL is normalised for routing. */
export interface RequestTarget {
  /** Method in the request line (OAuth base strings use it even when overridden). */
  method: string
  /** Path as sent, without query (OAuth base strings use it, suffix included). */
  path: string
  /** Raw query string as sent, without the leading `?` characters. */
  query: string
  /** `.json`/`.xml` suffix stripped from the last path segment, if any. */
  suffix: 'json' | 'xml' | undefined
  /** Scheme and authority of an absolute-form request target (`GET http://host/...`). */
  absolute: { protocol: 'http' | 'https'; host: string } | undefined
}

const targets = new WeakMap<IncomingMessage, RequestTarget>()

/** The original target of a request, as recorded by `rewriteUrl`. */
export function requestTarget(raw: IncomingMessage): RequestTarget {
  return (
    targets.get(raw) ?? {
      method: raw.method ?? 'GET',
      path: raw.url ?? '/',
      query: '',
      suffix: undefined,
      absolute: undefined,
    }
  )
}

const ABSOLUTE_FORM = /^(https?):\/\/([^/?#]*)(.*)$/i

/**
 * Normalises a request before routing, so no route ever sees these LivePerson transport details:
 * absolute-form targets become origin-form, repeated slashes collapse, leading extra `?` go,
 * a `.json`/`.xml` suffix on the last segment is stripped and remembered, and POST with
 * `X-HTTP-Method-Override: PUT|DELETE` becomes that method.
 */
export function rewriteUrl(raw: IncomingMessage): string {
  const method = raw.method ?? 'GET'
  let url = raw.url ?? '/'
  let absolute: RequestTarget['absolute']
  const match = ABSOLUTE_FORM.exec(url)
  if (match) {
    absolute = { protocol: match[1]!.toLowerCase() === 'https' ? 'https' : 'http', host: match[2] ?? '' }
    url = match[3] || '/'
    if (!url.startsWith('/')) url = `/${url}`
  }
  const queryStart = url.indexOf('?')
  const path = queryStart === -1 ? url : url.slice(0, queryStart)
  const query = queryStart === -1 ? '' : url.slice(queryStart).replace(/^\?+/, '')

  let routedPath = path.replace(/\/{2,}/g, '/')
  let suffix: RequestTarget['suffix']
  const suffixMatch = /\.(json|xml)$/i.exec(routedPath)
  if (suffixMatch) {
    suffix = suffixMatch[1]!.toLowerCase() === 'xml' ? 'xml' : 'json'
    routedPath = routedPath.slice(0, -suffixMatch[0].length)
  }
  if (routedPath.length > 1 && routedPath.endsWith('/')) routedPath = routedPath.slice(0, -1)

  targets.set(raw, { method, path, query, suffix, absolute })

  if (method === 'POST') {
    const override = raw.headers['x-http-method-override']
    const value = (Array.isArray(override) ? override[0] : override)?.trim().toUpperCase()
    if (value === 'PUT' || value === 'DELETE') raw.method = value
  }
  return query === '' ? routedPath : `${routedPath}?${query}`
}
