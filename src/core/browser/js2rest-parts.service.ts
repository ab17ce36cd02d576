import { randomBytes } from 'node:crypto'
import type { Executor } from '../../storage/repositories/executor.ts'
import { js2restPartsRepository as repository } from '../../storage/repositories/js2rest-parts.repository.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { Clock } from '../clock.ts'
import { ParleyError } from '../errors.ts'

/** Bounds on partial multi-part js2rest requests (docs/browser-transports.md, "Limits"). */
export interface PartLimits {
  /** Largest `lpO` accepted. */
  readonly maxParts: number
  /** Largest still-encoded `lpB`, all parts of one request together, in characters. */
  readonly maxRequestChars: number
  /** Partial requests held at once (by every process together). */
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

/** Partial multi-part requests, bounded in count, size and time, held in the database. */
export interface PartStore {
  /** Records one part; throws ParleyError for a bad, unknown, expired or over-limit part. */
  add(part: PartInput): Promise<PartResult>
  /** Partial requests currently held (after dropping expired ones). */
  size(): Promise<number>
}

const tooLarge = (): ParleyError => new ParleyError('BODY_TOO_LARGE', 'lpB: multi-part request too large')
const busy = (): ParleyError => new ParleyError('BUSY', 'Too many multi-part requests in progress')
const invalidPart = (name: 'lpP' | 'lpO'): ParleyError =>
  new ParleyError('VALIDATION_FAILED', `${name}: does not fit this multi-part request`, { field: name })

/**
 * Creates the store. Partial requests live in the database, so the parts of one request may
 * reach any process behind a load balancer (no sticky sessions); the parts of one request are
 * added one at a time (its row is locked), so exactly one part completes it. Expired requests are
 * swept whenever a new one starts, so nothing runs in the background. The count and size bounds
 * are checked before a new request is stored: processes racing may exceed them by a request each.
 */
export function createPartStore(deps: {
  db: Executor
  uow: UnitOfWork
  clock: Clock
  limits?: PartLimits
  newId?: () => string
}): PartStore {
  const { db, uow, clock } = deps
  const limits = deps.limits ?? DEFAULT_PART_LIMITS
  const newId = deps.newId ?? (() => randomBytes(16).toString('hex'))
  const sweep = (now: number): Promise<void> => repository.sweep(db, now - limits.idleMs, now - limits.maxAgeMs)

  const start = async (part: PartInput, now: number): Promise<PartResult> => {
    if (part.index !== 1) throw new ParleyError('VALIDATION_FAILED', 'lpS: required on every part but the first')
    await sweep(now)
    const held = await repository.load(db, part.client)
    if (held.pending >= limits.maxPending) throw busy()
    if (held.ofClient >= limits.maxPendingPerClient)
      throw new ParleyError('RATE_LIMITED', 'Too many multi-part requests in progress for this client')
    if (part.chunk.length > limits.maxRequestChars) throw tooLarge()
    if (held.chars + part.chunk.length > limits.maxTotalChars) throw busy()
    const id = newId()
    await uow.withTransaction((tx) =>
      repository.insert(
        tx,
        id,
        {
          account_id: part.accountId,
          client: part.client,
          total: part.total,
          received: 1,
          chars: part.chunk.length,
          created_at: now,
          touched_at: now,
        },
        part.chunk,
      ),
    )
    return { pending: id }
  }

  const continueWith = async (id: string, part: PartInput, now: number): Promise<PartResult> => {
    // A part over a bound drops its whole request (after the transaction: it is not an error of it).
    const outcome = await uow.withTransaction(async (tx): Promise<PartResult | { drop: ParleyError }> => {
      const entry = await repository.lockLive(tx, id, now, now - limits.idleMs, now - limits.maxAgeMs)
      if (entry === undefined || entry.account_id !== part.accountId)
        throw new ParleyError('RESOURCE_NOT_FOUND', 'lpS: unknown or expired multi-part request')
      if (part.total !== entry.total) throw invalidPart('lpO')
      if (part.index === 1) throw invalidPart('lpP')
      const previous = await repository.partChars(tx, id, part.index)
      const growth = part.chunk.length - (previous ?? 0)
      if (entry.chars + growth > limits.maxRequestChars) return { drop: tooLarge() }
      if (growth > 0 && (await repository.load(tx, part.client)).chars + growth > limits.maxTotalChars)
        return { drop: busy() }
      const received = entry.received + (previous === undefined ? 1 : 0)
      await repository.putPart(tx, id, part.index, part.chunk, { received, chars: entry.chars + growth })
      if (received < entry.total) return { pending: id }
      const chunks = await repository.chunks(tx, id)
      await repository.delete(tx, id)
      return { complete: chunks.join('') }
    })
    if ('drop' in outcome) {
      await repository.delete(db, id)
      throw outcome.drop
    }
    return outcome
  }

  return {
    async add(part) {
      if (!Number.isInteger(part.total) || part.total < 1) throw invalidPart('lpO')
      if (part.total > limits.maxParts) throw tooLarge()
      if (!Number.isInteger(part.index) || part.index < 1 || part.index > part.total) throw invalidPart('lpP')
      if (part.id === undefined && part.total === 1) return { complete: part.chunk }
      const now = clock.now()
      return part.id === undefined ? start(part, now) : continueWith(part.id, part, now)
    },
    async size() {
      await sweep(clock.now())
      return repository.count(db)
    },
  }
}
