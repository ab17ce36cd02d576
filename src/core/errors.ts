/**
 * Stable error codes thrown by services. `http/errors.ts` maps each one to a status and
 * LivePerson `internalCode`; services never know HTTP statuses.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'BODY_TOO_LARGE'
  | 'ACCOUNT_NOT_FOUND'
  /** Unknown account on the monitoring API, which answers 422 (engagement-history.md §10.2). */
  | 'ACCOUNT_UNPROCESSABLE'
  | 'RESOURCE_NOT_FOUND'
  | 'ROUTE_NOT_FOUND'
  | 'SERVICE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'LOGIN_FAILED'
  | 'CSRF_INVALID'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'VISITOR_AUTH_MISSING'
  | 'APP_KEY_REJECTED'
  | 'BEARER_REJECTED'
  | 'OAUTH_SIGNATURE_INVALID'
  | 'OAUTH_CONSUMER_KEY_UNKNOWN'
  | 'OAUTH_TIMESTAMP_REFUSED'
  | 'OAUTH_NONCE_USED'
  | 'OAUTH_PARAMETER_ABSENT'
  | 'RATE_LIMITED'
  | 'BUSY'
  | 'CHAT_NOT_FOUND'
  | 'CHAT_NOT_IN_CHAT'
  | 'CHAT_ENDED'
  | 'INTERNAL'

/** An expected failure with a stable code; `message` is safe to show to clients. */
export class ParleyError extends Error {
  readonly code: ErrorCode
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ParleyError'
    this.code = code
    this.details = details
  }
}

export const notFound = (): ParleyError => new ParleyError('RESOURCE_NOT_FOUND', 'Resource not found')

export const invalid = (field: string, problem: string): ParleyError =>
  new ParleyError('VALIDATION_FAILED', `${field}: ${problem}`, { field })

export const isParleyError = (error: unknown): error is ParleyError => error instanceof ParleyError
