import { describe, expect, it } from 'vitest'
import { cryptoIds, type IdGenerator } from '../ids.ts'
import { newChatKey, newVisitorId } from './chat-keys.ts'

describe('chat keys', () => {
  it("have LivePerson's shape: H + 19 digits below 2^63 - 32 hex K + 7 digits", () => {
    const keys = Array.from({ length: 200 }, () => newChatKey(cryptoIds))
    for (const key of keys) {
      expect(key).toMatch(/^H\d{19}-[0-9a-f]{32}K\d{7}$/)
      expect(BigInt(key.slice(1, 20)) < 2n ** 63n).toBe(true)
    }
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('draws the leading digits again when they are not below 2^63', () => {
    const leading = ['9999999999999999999', '9223372036854775808', '3079121553394024223']
    const ids: IdGenerator = { ...cryptoIds, digits: () => leading.shift()!, hex: () => 'ab'.repeat(16) }
    expect(newChatKey(ids)).toBe(`H3079121553394024223-${'ab'.repeat(16)}K8388834`)
  })

  it('issues 16-digit visitor ids', () => {
    for (let i = 0; i < 200; i++) {
      const id = newVisitorId(cryptoIds)
      expect(id).toMatch(/^[1-9]\d{15}$/)
      expect(Number.isSafeInteger(Number(id))).toBe(true)
    }
  })
})
