import { randomBytes, randomInt } from 'node:crypto'

/** Random identifiers and secrets; injected so tests can seed them. All output comes from a CSPRNG. */
export interface IdGenerator {
  /** `bytes` random bytes as lowercase hex (64 hex digits for 32 bytes). */
  hex(bytes: number): string
  /** A string of `digits` random decimal digits, never starting with 0. */
  digits(digits: number): string
  /** URL-safe random token of `bytes` random bytes (base64url, no padding). */
  token(bytes: number): string
}

export const cryptoIds: IdGenerator = {
  hex: (bytes) => randomBytes(bytes).toString('hex'),
  token: (bytes) => randomBytes(bytes).toString('base64url'),
  digits: (count) => {
    let out = String(randomInt(1, 10))
    while (out.length < count) out += String(randomInt(0, 10))
    return out
  },
}
