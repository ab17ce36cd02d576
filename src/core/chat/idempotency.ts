import { invalid } from '../errors.ts'

/**
 * `Idempotency-Key` (a Parley extension, docs/chat-api.md "Retries"): a client that retries a
 * chat request or a line with the same key within 24 h gets the first result and nothing is
 * written again. A key is stored with the caller it belongs to (`scope`) in the same transaction
 * as the chat or line it created, so a crash between them cannot duplicate; the table's primary
 * key (account, scope, key) decides concurrent duplicates.
 */
export interface IdempotencyRequest {
  /** As the client sent it (checked by `parseIdempotencyKey`). */
  key: string
}

/** The first result of a key: the HTTP status and what it points to (chat key or event id). */
export interface IdempotentResult {
  status: number
  ref: string
}

/** How long a key answers its first result. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/**
 * The header's value: undefined when absent; VALIDATION_FAILED (400 naming the header) unless it
 * is 1-255 visible ASCII characters, e.g. a UUID.
 */
export function parseIdempotencyKey(value: string | string[] | undefined): IdempotencyRequest | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !KEY_PATTERN.test(value))
    throw invalid('Idempotency-Key', 'must be 1 to 255 visible ASCII characters (a UUID)')
  return { key: value }
}

/** Callers whose keys never collide (docs/chat-api.md): one per credential, chat and side. */
export const idempotencyScopes = {
  /** A chat request, by the visitor credential that made it (app key or API key). */
  chatRequest: (credential: string): string => `chat-request:${credential}`,
  /** A visitor's line on one chat. */
  visitorLine: (chatKey: string): string => `visitor-line:${chatKey}`,
  /** An agent's line on one chat, by the agent user (any of their sessions). */
  agentLine: (chatKey: string, userId: number): string => `agent-line:${chatKey}:${userId}`,
}

/** Thrown inside the transaction that lost a race for the same key: it rolls the writes back. */
export class IdempotentReplay extends Error {
  constructor() {
    super('idempotency key already used')
  }
}
