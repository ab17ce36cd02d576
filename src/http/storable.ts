import { ParleyError } from '../core/errors.ts'
import { isStorableText } from '../core/text/storable-text.ts'

/**
 * The edge rule for what the databases can hold (docs/wire-conventions.md, "Input the databases cannot store"). PostgreSQL rejects
 * U+0000 in `text` and `jsonb` ("invalid byte sequence for encoding UTF8: 0x00"), and a lone UTF-16
 * surrogate has no UTF-8 form at all (Node would silently store U+FFFD instead). Integer columns
 * are 64-bit, and JavaScript numbers are exact only up to 2^53 - 1: beyond that an id or a time
 * either overflows a `bigint` or no longer means what the client sent. Every request's params,
 * query and body are checked against these rules once, after authentication, so no route and no
 * service has to remember them.
 */

/** Deeper documents than this are refused: nothing LivePerson sends nests more than a few levels. */
export const MAX_DEPTH = 32

/** Why a value was refused, and where. */
export interface StorableProblem {
  /** `body.request.LETagVisitorId`, `query.surveyApiId`, `params.chatSessionKey`: dots, array indexes as numbers. */
  field: string
  problem: string
}

/** Whether `value` is a number both databases store exactly (finite, within ±(2^53 - 1)). */
export function isStorableNumber(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
}

const TEXT_PROBLEM = 'contains a character that cannot be stored (NUL or an unpaired surrogate)'
const NUMBER_PROBLEM = `is out of range (at most ${Number.MAX_SAFE_INTEGER} in magnitude)`

/** A member name safe to put in an error message: printable and short, else its position is enough. */
const fieldName = (key: string): string => (/^[\w@$:.-]{1,64}$/.test(key) ? key : '?')

/**
 * The first value in `value` (walked iteratively, keys included) that cannot be stored, or
 * `undefined`. `root` names the part of the request (`params`, `query`, `body`).
 */
export function findUnstorable(value: unknown, root: string): StorableProblem | undefined {
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value, field: root, depth: 0 }]
  while (stack.length > 0) {
    const { value: current, field, depth } = stack.pop()!
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { field, problem: TEXT_PROBLEM }
    } else if (typeof current === 'number') {
      if (!isStorableNumber(current)) return { field, problem: NUMBER_PROBLEM }
    } else if (typeof current === 'bigint') {
      if (!isStorableNumber(Number(current))) return { field, problem: NUMBER_PROBLEM }
    } else if (typeof current === 'object' && current !== null) {
      if (depth >= MAX_DEPTH) return { field, problem: `is nested more than ${MAX_DEPTH} levels deep` }
      if (Array.isArray(current)) {
        current.forEach((item, index) => stack.push({ value: item, field: `${field}.${index}`, depth: depth + 1 }))
      } else {
        for (const [key, item] of Object.entries(current)) {
          if (!isStorableText(key)) return { field, problem: `has a member name that ${TEXT_PROBLEM}` }
          stack.push({ value: item, field: `${field}.${fieldName(key)}`, depth: depth + 1 })
        }
      }
    }
  }
  return undefined
}

/** Throws VALIDATION_FAILED naming the field when any part of the request cannot be stored. */
export function requireStorable(parts: ReadonlyArray<readonly [root: string, value: unknown]>): void {
  for (const [root, value] of parts) {
    const found = findUnstorable(value, root)
    if (found) throw new ParleyError('VALIDATION_FAILED', `${found.field}: ${found.problem}`, { field: found.field })
  }
}
