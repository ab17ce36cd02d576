import { createHash, timingSafeEqual } from 'node:crypto'

/** SHA-256 hex of a bearer, session key or CSRF token: only this is stored, so a database copy yields no usable token. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** Constant-time string equality (hashes both sides so lengths never leak through early exit). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}
