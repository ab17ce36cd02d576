import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { Clock } from '../../core/clock.ts'
import { ParleyError } from '../../core/errors.ts'
import { formatChatTime } from '../../core/time.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { clientOrigin, TUNNEL_ORIGIN_HEADER } from '../../http/client-url.ts'
import { ERROR_MAPPINGS, toParleyError } from '../../http/errors.ts'
import { requestTarget } from '../../http/rewrite-url.ts'
import type { PartStore } from '../../core/browser/js2rest-parts.service.ts'
import { JAVASCRIPT, renderJsonp, requireCallbackName } from './jsonp.ts'

/** What the client's callback receives (docs/browser-transports.md). */
export interface TunnelAnswer {
  responseCode: number
  headers?: { Location?: string }
  body?: unknown
  lpMeta?: { lpS: string }
}

/** The decoded `lpB`: inner URL, method, body and headers. */
interface InnerCall {
  url: string
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body: unknown
  headers: Record<string, string>
}

// Idempotency-Key: Parley's retry extension (docs/chat-api.md), so browser clients can retry safely.
const FORWARDED_HEADERS = new Set(['authorization', 'content-type', 'x-http-method-override', 'idempotency-key'])
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE'])
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const PART_NUMBER = /^\d{1,6}$/

const invalid = (field: string, problem: string): ParleyError =>
  new ParleyError('VALIDATION_FAILED', `${field}: ${problem}`, { field })

/** Query parameters with decoded names and still-encoded values, in order (`lpB` is decoded only once complete). */
function parseRawQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>()
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const name = decodeComponent(equals === -1 ? pair : pair.slice(0, equals), 'querystring')
    const values = params.get(name) ?? []
    values.push(equals === -1 ? '' : pair.slice(equals + 1))
    params.set(name, values)
  }
  return params
}

function decodeComponent(value: string, field: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'))
  } catch {
    throw invalid(field, 'malformed URL encoding')
  }
}

const first = (params: Map<string, string[]>, name: string): string | undefined => params.get(name)?.[0]

function decodeInnerCall(encoded: string): InnerCall {
  let parsed: unknown
  try {
    parsed = JSON.parse(decodeComponent(encoded, 'lpB'))
  } catch (error) {
    if (error instanceof ParleyError) throw error
    throw invalid('lpB', 'malformed JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('lpB', 'must be an object')
  const call = parsed as Record<string, unknown>
  if (typeof call.u !== 'string' || call.u === '') throw invalid('lpB.u', 'must be a URL')
  const method = call.m === undefined ? 'GET' : typeof call.m === 'string' ? call.m.toUpperCase() : ''
  if (!METHODS.has(method)) throw invalid('lpB.m', 'must be GET or POST')
  const headers: Record<string, string> = {}
  if (call.h !== undefined && call.h !== null) {
    if (typeof call.h !== 'object' || Array.isArray(call.h)) throw invalid('lpB.h', 'must be an object')
    for (const [name, value] of Object.entries(call.h as Record<string, unknown>)) {
      const lower = name.toLowerCase()
      if (!FORWARDED_HEADERS.has(lower)) continue
      if (typeof value !== 'string' || !HEADER_VALUE.test(value))
        throw invalid(`lpB.h.${name}`, 'must be a header value')
      headers[lower] = value
    }
  }
  return { url: call.u, method: method as InnerCall['method'], body: call.b, headers }
}

/**
 * The inner path and query to dispatch, always with the `.json` suffix: only the account's own
 * `/api/account/{accountId}` paths, never the tunnel itself, no dot segments or encoded separators.
 */
function innerTarget(rawUrl: string, accountId: string): string {
  let url: URL
  try {
    url = new URL(rawUrl, 'http://parley.invalid')
  } catch {
    throw invalid('lpB.u', 'must be a URL')
  }
  const refused = (): ParleyError =>
    new ParleyError('FORBIDDEN', 'lpB.u: only this account\u2019s /api/ paths can be tunnelled')
  const prefix = `/api/account/${accountId}`
  const path = url.pathname.replace(/\/{2,}/g, '/')
  if (path !== prefix && !path.startsWith(`${prefix}/`) && !path.startsWith(`${prefix}.`)) throw refused()
  if (/%(2e|2f|5c|00)/i.test(path) || /\\/.test(rawUrl)) throw refused()
  if (path.split('/').some((segment) => segment === '.' || segment === '..' || /^js2rest(\.|$)/.test(segment)))
    throw refused()
  const bare = path.replace(/\.(json|xml)$/i, '').replace(/\/+$/, '')
  return `${bare}.json${url.search}`
}

function errorAnswer(error: ParleyError, now: number): TunnelAnswer {
  const mapping = ERROR_MAPPINGS[error.code]
  if (mapping.form !== undefined) return { responseCode: mapping.status, headers: {}, body: mapping.form }
  return {
    responseCode: mapping.status,
    headers: {},
    body: { error: { time: formatChatTime(now), message: error.message, internalCode: mapping.internalCode } },
  }
}

/** The client only takes 200 and 201 as success, so any other 2xx (none today) is reported as 200. */
export const tunnelStatus = (status: number): number => (status >= 200 && status < 300 && status !== 201 ? 200 : status)

/** Dependencies of the js2rest handler. */
export interface Js2RestDeps {
  config: Config
  clock: Clock
}

/**
 * `GET /api/account/{accountId}/js2rest[/...]`: decodes `lpB` (joining multi-part requests first),
 * dispatches the inner call in-process so auth, validation and errors are the real ones, and answers
 * `cb({...});`. Only a bad callback name is an HTTP error; everything else reaches the callback.
 */
export function createJs2RestHandler(
  app: ParleyApp,
  deps: Js2RestDeps,
): { handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>; parts: PartStore } {
  // Partial requests are in the database: any process may receive any part (no sticky sessions).
  const parts = app.services.js2restParts

  const tunnel = async (request: FastifyRequest, accountId: string, params: Map<string, string[]>) => {
    await app.services.accounts.requireAccount(accountId)
    const chunk = first(params, 'lpB')
    if (chunk === undefined) throw invalid('lpB', 'is required')
    const total = first(params, 'lpO')
    const index = first(params, 'lpP')
    const id = first(params, 'lpS')
    let encoded = chunk
    if (total !== undefined || index !== undefined || id !== undefined) {
      if (total === undefined || !PART_NUMBER.test(total)) throw invalid('lpO', 'must be a positive integer')
      if (index === undefined || !PART_NUMBER.test(index)) throw invalid('lpP', 'must be a positive integer')
      const result = await parts.add({
        accountId,
        client: request.ip,
        index: Number(index),
        total: Number(total),
        id: id === undefined || id === '' ? undefined : decodeComponent(id, 'lpS'),
        chunk,
      })
      if ('pending' in result) return { responseCode: 200, lpMeta: { lpS: result.pending } }
      encoded = result.complete
    }
    const call = decodeInnerCall(encoded)
    const url = innerTarget(call.url, accountId)
    const headers: Record<string, string> = {
      ...call.headers,
      accept: 'application/json',
      [TUNNEL_ORIGIN_HEADER]: clientOrigin(request, deps.config),
    }
    if (request.headers.host !== undefined) headers.host = request.headers.host
    if (request.headers['user-agent'] !== undefined) headers['user-agent'] = request.headers['user-agent']
    let payload: string | undefined
    if (call.method !== 'GET' && call.body !== undefined && call.body !== null) {
      payload = typeof call.body === 'string' ? call.body : JSON.stringify(call.body)
      headers['content-type'] ??= 'application/json'
    }
    const inner = await app.inject({
      method: call.method,
      url,
      headers,
      remoteAddress: request.ip,
      ...(payload === undefined ? {} : { payload }),
    })
    const answer: TunnelAnswer = { responseCode: tunnelStatus(inner.statusCode), headers: {} }
    const location = inner.headers.location
    if (typeof location === 'string') answer.headers = { Location: location }
    if (inner.body !== '') {
      const json = /json/i.test(String(inner.headers['content-type'] ?? ''))
      try {
        answer.body = json ? (JSON.parse(inner.body) as unknown) : inner.body
      } catch {
        answer.body = inner.body
      }
    }
    return answer
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const params = parseRawQuery(requestTarget(request.raw).query)
    const raw = first(params, 'cb')
    const callback = requireCallbackName(raw === undefined ? undefined : decodeComponent(raw, 'querystring.cb'))
    const { accountId } = request.params as { accountId: string }
    let answer: TunnelAnswer
    try {
      answer = await tunnel(request, accountId, params)
    } catch (error) {
      const parleyError = toParleyError(error, request)
      if (parleyError.code !== 'INTERNAL') request.log.info({ code: parleyError.code }, 'js2rest call rejected')
      answer = errorAnswer(parleyError, deps.clock.now())
    }
    return reply
      .code(200)
      .type(JAVASCRIPT)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(renderJsonp(callback, answer))
  }
  return { handler, parts }
}
