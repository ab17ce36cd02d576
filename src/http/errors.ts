import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorCode } from '../core/errors.ts'
import { ParleyError, isParleyError } from '../core/errors.ts'
import { formatChatTime, formatLoginErrorTime } from '../core/time.ts'
import { isJsonOnlyPath, negotiateFormat } from './format.ts'
import { requestTarget } from './rewrite-url.ts'
import { renderJson, renderXml } from './wire/codec.ts'

/** How an error code goes on the wire: LivePerson's envelope with a status and internal code, or a form-encoded auth body. */
type ErrorMapping =
  | { status: number; internalCode: number; form?: undefined }
  | { status: number; form: string; internalCode?: undefined }

/** Every code must be mapped: a new ErrorCode does not compile until it appears here. */
export const ERROR_MAPPINGS: Record<ErrorCode, ErrorMapping> = {
  VALIDATION_FAILED: { status: 400, internalCode: 5 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, internalCode: 5 },
  BODY_TOO_LARGE: { status: 413, internalCode: 5 },
  ACCOUNT_NOT_FOUND: { status: 404, internalCode: 28 },
  ACCOUNT_UNPROCESSABLE: { status: 422, internalCode: 28 },
  RESOURCE_NOT_FOUND: { status: 404, internalCode: 28 },
  ROUTE_NOT_FOUND: { status: 404, internalCode: 28 },
  SERVICE_NOT_FOUND: { status: 404, internalCode: 28 },
  METHOD_NOT_ALLOWED: { status: 405, internalCode: 28 },
  CONFLICT: { status: 409, internalCode: 5 },
  PRECONDITION_FAILED: { status: 412, internalCode: 5 },
  LOGIN_FAILED: { status: 401, internalCode: 10 },
  CSRF_INVALID: { status: 401, internalCode: 10 },
  UNAUTHORIZED: { status: 401, internalCode: 10 },
  FORBIDDEN: { status: 403, internalCode: 10 },
  VISITOR_AUTH_MISSING: { status: 401, internalCode: 5 },
  RATE_LIMITED: { status: 429, internalCode: 29 },
  BUSY: { status: 429, internalCode: 29 },
  CHAT_NOT_FOUND: { status: 404, internalCode: 28 },
  CHAT_NOT_IN_CHAT: { status: 400, internalCode: 5 },
  CHAT_ENDED: { status: 400, internalCode: 5 },
  INTERNAL: { status: 500, internalCode: 8 },
  APP_KEY_REJECTED: {
    status: 401,
    form: 'lp_problem=consumer_key_rejected&lp_problem_advice=the appKey is permanently unacceptable to the Service Provider',
  },
  BEARER_REJECTED: {
    status: 401,
    form: 'oauth_problem=token_rejected&oauth_problem_advice=the oauth_token is unacceptable to the Service Provider',
  },
  OAUTH_SIGNATURE_INVALID: {
    status: 401,
    form: 'oauth_problem=signature_invalid&oauth_problem_advice=the oauth_signature is invalid',
  },
  OAUTH_CONSUMER_KEY_UNKNOWN: {
    status: 401,
    form: 'oauth_problem=consumer_key_unknown&oauth_problem_advice=the oauth_consumer_key is unknown',
  },
  OAUTH_TIMESTAMP_REFUSED: { status: 401, form: 'oauth_problem=timestamp_refused' },
  OAUTH_NONCE_USED: { status: 401, form: 'oauth_problem=nonce_used' },
  OAUTH_PARAMETER_ABSENT: { status: 401, form: 'oauth_problem=parameter_absent' },
}

/** Error documents use the Login Service's time style on login, refresh and logout (as LivePerson documents). */
export type ErrorTimeStyle = 'chat' | 'login'

/** Writes an error in LivePerson's envelope, in the request's negotiated format, or as a form-encoded auth body. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ParleyError, now: number): FastifyReply {
  const mapping = ERROR_MAPPINGS[error.code]
  if (mapping.form !== undefined) {
    return reply.code(mapping.status).type('text/plain; charset=UTF-8').send(mapping.form)
  }
  const loginStyle = request.routeOptions.config.errorTimeStyle === 'login'
  const envelope = {
    error: {
      time: loginStyle ? formatLoginErrorTime(now) : formatChatTime(now),
      message: error.message,
      internalCode: mapping.internalCode,
      responseStatus: error.code === 'CSRF_INVALID' ? 'UNAUTHORIZED' : undefined,
    },
  }
  if (error.code === 'METHOD_NOT_ALLOWED' && typeof error.details?.allow === 'string')
    reply.header('allow', error.details.allow)
  reply.code(mapping.status)
  if ((request.wire as FastifyRequest['wire'] | null)?.format === 'xml')
    return reply.type('application/xml; charset=UTF-8').send(renderXml(envelope))
  return reply.type('application/json; charset=UTF-8').send(renderJson(envelope))
}

const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string } | undefined> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE', message: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'body: malformed request body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'body: malformed request body' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'VALIDATION_FAILED', message: 'body: malformed request body' },
}

/**
 * Fastify's `frameworkErrors`: errors found while routing, before any hook runs (a path with bad
 * percent-encoding, a path parameter longer than the router keeps). They answer in LivePerson's
 * envelope like every other error, without naming the framework or echoing the path.
 */
export function frameworkErrorHandler(now: () => number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const message =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path: a path segment is too long' : 'path: is not a valid URL path'
    // No onRequest hook ran, so the format is negotiated here as that hook would have.
    const target = requestTarget(request.raw)
    const format = isJsonOnlyPath(target.path) ? 'json' : negotiateFormat(target.suffix, request.headers)
    ;(request as { wire: FastifyRequest['wire'] }).wire = { format }
    void sendError(request, reply, new ParleyError('VALIDATION_FAILED', message, { field: 'path' }), now())
  }
}

/**
 * Node's `clientError` (a request Node could not parse: a malformed request line or header, headers
 * over the size limit, a request that took too long): LivePerson's envelope in JSON, as there is
 * no request to negotiate with, instead of the framework's own body.
 */
export function clientErrorHandler(now: () => number) {
  return (error: Error & { code?: string }, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const [status, reason, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'Request timeout']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', 'Request headers too large']
          : [400, 'Bad Request', 'Malformed request']
    const body = renderJson({ error: { time: formatChatTime(now()), message, internalCode: 5 } })
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Content-Type: application/json; charset=UTF-8\r\nConnection: close\r\n\r\n${body}`,
      )
    }
    socket.destroy()
  }
}

/** Turns framework and unknown errors into ParleyErrors; unknown ones become INTERNAL and are logged once. */
export function toParleyError(error: unknown, request: FastifyRequest): ParleyError {
  if (isParleyError(error)) return error
  const fastifyError = error as Partial<FastifyError>
  if (fastifyError.validation) {
    const first = fastifyError.validation[0]
    const context = fastifyError.validationContext ?? 'body'
    const field = first ? `${context}${first.instancePath.replace(/\//g, '.')}` : context
    const missing =
      first?.keyword === 'required' ? `.${String((first.params as { missingProperty?: string }).missingProperty)}` : ''
    return new ParleyError('VALIDATION_FAILED', `${field}${missing}: ${first?.message ?? 'is invalid'}`, {
      field: `${field}${missing}`,
    })
  }
  const known = fastifyError.code ? FASTIFY_ERRORS[fastifyError.code] : undefined
  if (known) return new ParleyError(known.code, known.message)
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // The framework's own messages can name it or echo the request; they are not passed on.
    const message = fastifyError.code?.startsWith('FST_') === true ? undefined : fastifyError.message
    return new ParleyError('VALIDATION_FAILED', message ?? 'Bad request')
  }
  request.log.error({ err: error }, 'unhandled error')
  return new ParleyError('INTERNAL', 'Internal server error')
}
