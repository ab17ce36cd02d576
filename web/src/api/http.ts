/**
 * The one place where the console talks HTTP: bearer header, JSON, same-origin paths, retries with
 * backoff for requests that are safe to repeat, and LivePerson's error envelopes turned into
 * `ApiError`. Cookies are never sent (`credentials: 'omit'`): the console authenticates with
 * `Authorization: Bearer` only.
 */

/** What went wrong, in the terms the views show to a person. */
export type ApiErrorKind = 'auth' | 'forbidden' | 'not-found' | 'invalid' | 'rate-limited' | 'server' | 'network'

export class ApiError extends Error {
  readonly kind: ApiErrorKind
  readonly status: number
  readonly internalCode: number | undefined
  /** A 429's `Retry-After`, in seconds (0 when absent). */
  readonly retryAfter: number

  constructor(kind: ApiErrorKind, message: string, status: number, internalCode?: number, retryAfter = 0) {
    super(message)
    this.name = 'ApiError'
    this.kind = kind
    this.status = status
    this.internalCode = internalCode
    this.retryAfter = retryAfter
  }
}

export interface RequestOptions {
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Repeat on network errors, 429 and 5xx (GETs always may; a POST only with an idempotency key). */
  retry?: boolean
  /** Leave the bearer out (login). */
  anonymous?: boolean
  /** Attempts before giving up (default: the client's `maxAttempts`). */
  attempts?: number
}

export interface ApiResponse<T> {
  status: number
  /** The `Location` header as a same-origin path, when there is one. */
  location: string | undefined
  /** The `ETag` header (the configuration API's revision, `"7"`), when there is one. */
  etag: string | undefined
  /** The response headers (the account configuration API's `ac-revision`, for instance). */
  headers?: Headers
  data: T
}

export interface HttpClient {
  request<T = unknown>(method: string, url: string, options?: RequestOptions): Promise<ApiResponse<T>>
}

export interface HttpDeps {
  /** The current bearer, if signed in. */
  bearer: () => string | undefined
  /** Called once per 401 on an authenticated request (expired or revoked session). */
  onUnauthorized: (error: ApiError) => void
  /** Called with true while retries are under way, false after the next success. */
  onConnectivity?: (reconnecting: boolean) => void
  /** Called with the seconds to wait when a retried request got a 429, and with 0 after the next success. */
  onRateLimited?: (seconds: number) => void
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  sleep?: (ms: number) => Promise<void>
  maxAttempts?: number
}

/**
 * LivePerson documents carry absolute URLs of the host the server saw; the console follows them
 * on its own origin, so a proxy (or Vite's dev server) in front changes nothing.
 */
export function toPath(url: string): string {
  if (!/^https?:\/\//i.test(url)) return url
  const parsed = new URL(url)
  return `${parsed.pathname}${parsed.search}`
}

/** Adds query parameters to a path that may already have some. */
export function withQuery(url: string, params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined)
  if (entries.length === 0) return url
  const query = entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  return `${url}${url.includes('?') ? '&' : '?'}${query.join('&')}`
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Backoff before attempt `attempt` (1-based): 0.5 s, 1 s, 2 s … capped at 10 s, with jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(10_000, 500 * 2 ** (attempt - 1))
  return Math.round(base * (0.75 + Math.random() * 0.5))
}

function kindOf(status: number): ApiErrorKind {
  if (status === 401) return 'auth'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not-found'
  if (status === 429) return 'rate-limited'
  if (status >= 500) return 'server'
  return 'invalid'
}

/** `Retry-After` as seconds (a number or an HTTP date), at most 5 minutes; 0 when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return 0
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now) / 1000
  return Number.isFinite(seconds) ? Math.min(300, Math.max(0, Math.ceil(seconds))) : 0
}

/** Reads the message from a Chat/Agent envelope, an Engagement History error, or a plain-text OAuth problem. */
function errorFrom(status: number, text: string, retryAfter = 0): ApiError {
  let message = ''
  let internalCode: number | undefined
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    if (typeof parsed.error === 'string') message = parsed.error
    else {
      const envelope = (parsed.error ?? parsed) as Record<string, unknown>
      if (typeof envelope.message === 'string') message = envelope.message
      if (typeof envelope.internalCode === 'number') internalCode = envelope.internalCode
    }
  } catch {
    message = text.startsWith('oauth_problem=') ? 'Your session is no longer valid' : text.slice(0, 200)
  }
  if (message === '') message = `Request failed (${status})`
  return new ApiError(kindOf(status), message, status, internalCode, retryAfter)
}

const RETRYABLE = new Set<ApiErrorKind>(['network', 'server', 'rate-limited'])

export function createHttpClient(deps: HttpDeps): HttpClient {
  const doFetch = deps.fetch ?? ((url: string, init: RequestInit) => fetch(url, init))
  const sleep = deps.sleep ?? defaultSleep
  const maxAttempts = deps.maxAttempts ?? 6
  let reconnecting = false
  const setReconnecting = (value: boolean) => {
    if (value === reconnecting) return
    reconnecting = value
    deps.onConnectivity?.(value)
  }

  async function once<T>(method: string, url: string, options: RequestOptions): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers }
    const bearer = options.anonymous ? undefined : deps.bearer()
    if (bearer) headers.Authorization = `Bearer ${bearer}`
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    let response: Response
    try {
      response = await doFetch(toPath(url), {
        method,
        headers,
        credentials: 'omit',
        cache: 'no-store',
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      })
    } catch (error) {
      if (options.signal?.aborted) throw error
      throw new ApiError('network', 'The server cannot be reached', 0)
    }
    const text = await response.text()
    if (!response.ok)
      throw errorFrom(
        response.status,
        text,
        response.status === 429 ? retryAfterSeconds(response.headers.get('retry-after')) : 0,
      )
    const location = response.headers.get('location')
    return {
      status: response.status,
      location: location ? toPath(location) : undefined,
      etag: response.headers.get('etag') ?? undefined,
      headers: response.headers,
      data: (text === '' ? undefined : JSON.parse(text)) as T,
    }
  }

  return {
    async request<T>(method: string, url: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
      const retry = options.retry ?? method === 'GET'
      // The note stays until this request, the one the server slowed down, gets through.
      let limited = false
      for (let attempt = 1; ; attempt++) {
        try {
          const answer = await once<T>(method, url, options)
          setReconnecting(false)
          if (limited) deps.onRateLimited?.(0)
          return answer
        } catch (error) {
          if (!(error instanceof ApiError)) throw error
          if (error.kind === 'auth' && !options.anonymous) deps.onUnauthorized(error)
          const limit = options.attempts ?? maxAttempts
          if (!retry || !RETRYABLE.has(error.kind) || attempt >= limit || options.signal?.aborted) {
            if (error.kind === 'network' || error.kind === 'server') setReconnecting(retry)
            throw error
          }
          if (error.kind !== 'rate-limited') setReconnecting(true)
          let wait = backoffMs(attempt)
          if (error.kind === 'rate-limited') {
            // The server says when to come back (Retry-After); never sooner, and the person is told.
            wait = Math.max(wait, error.retryAfter * 1000)
            limited = true
            deps.onRateLimited?.(Math.ceil(wait / 1000))
          }
          await sleep(wait)
        }
      }
    },
  }
}
