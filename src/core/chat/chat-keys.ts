import type { IdGenerator } from '../ids.ts'

/** The 7-digit server/shard number that ends every chat key (wire-conventions.md §11). */
export const CHAT_KEY_SHARD = '8388834'

const LIMIT_63_BITS = 2n ** 63n

/**
 * A chat key in LivePerson's shape (wire-conventions.md §11): `H`, 19 random digits below 2^63,
 * `-`, 32 hex digits (128 bits from the CSPRNG: the part that makes the key unguessable), `K`
 * and the shard number. Clients derive the visit id from this shape, so it is kept exactly.
 */
export function newChatKey(ids: IdGenerator): string {
  let leading = ids.digits(19)
  while (BigInt(leading) >= LIMIT_63_BITS) leading = ids.digits(19)
  return `H${leading}-${ids.hex(16)}K${CHAT_KEY_SHARD}`
}

/**
 * A visitor id as LivePerson issues them: 16 decimal digits (wire-conventions.md §11), below 2^53
 * so that it stays a JSON number in chat `info`.
 */
export function newVisitorId(ids: IdGenerator): string {
  let id = ids.digits(16)
  while (!Number.isSafeInteger(Number(id))) id = ids.digits(16)
  return id
}
