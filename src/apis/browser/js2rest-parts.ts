import { randomBytes } from 'node:crypto'
import type { Clock } from '../../core/clock.ts'
import { ParleyError } from '../../core/errors.ts'

/** Bounds on partial multi-part js2rest requests (docs/browser-transports.md, "Limits"). */
export interface PartLimits {
  /** Largest `lpO` accepted. */
  readonly maxParts: number
  /** Largest still-encoded `lpB`, all parts of one request together, in characters. */
  readonly maxRequestChars: number
  /** Partial requests held by the process at once. */
  readonly maxPending: number
  /** Partial requests held at once for one client address. */
  readonly maxPendingPerClient: number
  /** Characters held by all partial requests together. */
  readonly maxTotalChars: number
  /** A partial request that receives no part for this long is dropped, in ms. */
  readonly idleMs: number
  /** A partial request is dropped this long after its first part, whatever arrives, in ms. */
  readonly maxAgeMs: number
}

export const DEFAULT_PART_LIMITS: PartLimits = {
  maxParts: 500,
  maxRequestChars: 1_048_576,
  maxPending: 1_000,
  maxPendingPerClient: 20,
  maxTotalChars: 32 * 1_048_576,
  idleMs: 30_000,
  maxAgeMs: 120_000,
}

/** One part of a multi-part request: `lpP` of `lpO` (1-based), `lpS` from the second part on. */
export interface PartInput {
  accountId: string
  /** Client address; only used to bound how many partial requests one client may hold. */
  client: string
  index: number
  total: number
  id: string | undefined
  /** The part's `lpB` chunk exactly as sent, still URL-encoded. */
  chunk: string
}

/** Either the id to send back in `lpMeta.lpS` (more parts expected) or every chunk concatenated in order. */
export type PartResult = { pending: string } | { complete: string }

interface Pending {
  accountId: string
  client: string
  total: number
  chunks: Array<string | undefined>
  received: number
  chars: number
  createdAt: number
  touchedAt: number
}

/** In-memory store of partial multi-part requests, bounded in count, size and time. */
export interface PartStore {
  /** Records one part; throws ParleyError for a bad, unknown, expired or over-limit part. */
  add(part: PartInput): PartResult
  /** Partial requests currently held (after dropping expired ones). */
  size(): number
}

const tooLarge = (): ParleyError => new ParleyError('BODY_TOO_LARGE', 'lpB: multi-part request too large')

/**
 * Creates the store. Expiry is checked against `clock` whenever a part arrives, so nothing runs in
 * the background; state lives in this process only (a multi-node deployment needs sticky sessions).
 */
export function createPartStore(
  clock: Clock,
  limits: PartLimits = DEFAULT_PART_LIMITS,
  newId: () => string = () => randomBytes(16).toString('hex'),
): PartStore {
  const pending = new Map<string, Pending>()
  let totalChars = 0

  const drop = (id: string, entry: Pending): void => {
    pending.delete(id)
    totalChars -= entry.chars
  }

  const sweep = (now: number): void => {
    for (const [id, entry] of pending) {
      if (now - entry.touchedAt >= limits.idleMs || now - entry.createdAt >= limits.maxAgeMs) drop(id, entry)
    }
  }

  const store = (entry: Pending, index: number, chunk: string): void => {
    const previous = entry.chunks[index - 1]
    const growth = chunk.length - (previous?.length ?? 0)
    if (entry.chars + growth > limits.maxRequestChars) throw tooLarge()
    if (totalChars + growth > limits.maxTotalChars)
      throw new ParleyError('BUSY', 'Too many multi-part requests in progress')
    if (previous === undefined) entry.received++
    entry.chunks[index - 1] = chunk
    entry.chars += growth
    totalChars += growth
  }

  return {
    add(part) {
      const now = clock.now()
      sweep(now)
      if (!Number.isInteger(part.total) || part.total < 1) throw invalidPart('lpO')
      if (part.total > limits.maxParts) throw tooLarge()
      if (!Number.isInteger(part.index) || part.index < 1 || part.index > part.total) throw invalidPart('lpP')

      if (part.id === undefined) {
        if (part.total === 1) return { complete: part.chunk }
        if (part.index !== 1) throw new ParleyError('VALIDATION_FAILED', 'lpS: required on every part but the first')
        if (pending.size >= limits.maxPending) throw new ParleyError('BUSY', 'Too many multi-part requests in progress')
        let ofClient = 0
        for (const entry of pending.values()) if (entry.client === part.client) ofClient++
        if (ofClient >= limits.maxPendingPerClient)
          throw new ParleyError('RATE_LIMITED', 'Too many multi-part requests in progress for this client')
        const entry: Pending = {
          accountId: part.accountId,
          client: part.client,
          total: part.total,
          chunks: Array.from({ length: part.total }, () => undefined),
          received: 0,
          chars: 0,
          createdAt: now,
          touchedAt: now,
        }
        store(entry, 1, part.chunk)
        const id = newId()
        pending.set(id, entry)
        return { pending: id }
      }

      const entry = pending.get(part.id)
      if (entry === undefined || entry.accountId !== part.accountId)
        throw new ParleyError('RESOURCE_NOT_FOUND', 'lpS: unknown or expired multi-part request')
      if (part.total !== entry.total) throw invalidPart('lpO')
      if (part.index === 1) throw invalidPart('lpP')
      try {
        store(entry, part.index, part.chunk)
      } catch (error) {
        drop(part.id, entry)
        throw error
      }
      entry.touchedAt = now
      if (entry.received < entry.total) return { pending: part.id }
      drop(part.id, entry)
      return { complete: entry.chunks.join('') }
    },
    size() {
      sweep(clock.now())
      return pending.size
    },
  }
}

const invalidPart = (name: 'lpP' | 'lpO'): ParleyError =>
  new ParleyError('VALIDATION_FAILED', `${name}: does not fit this multi-part request`, { field: name })
