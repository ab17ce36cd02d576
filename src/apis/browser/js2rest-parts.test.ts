import { describe, expect, it } from 'vitest'
import { isParleyError } from '../../core/errors.ts'
import { createPartStore, DEFAULT_PART_LIMITS, type PartInput, type PartLimits } from './js2rest-parts.ts'

const clockAt = (start: number) => {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}
const limits: PartLimits = {
  maxParts: 4,
  maxRequestChars: 10,
  maxPending: 3,
  maxPendingPerClient: 2,
  maxTotalChars: 12,
  idleMs: 1_000,
  maxAgeMs: 5_000,
}
const part = (input: Partial<PartInput>): PartInput => ({
  accountId: 'a1',
  client: '10.0.0.1',
  index: 1,
  total: 2,
  id: undefined,
  chunk: 'ab',
  ...input,
})
const codeOf = (action: () => unknown): string => {
  try {
    action()
  } catch (error) {
    if (isParleyError(error)) return error.code
    throw error
  }
  return 'none'
}

describe('js2rest partial multi-part state', () => {
  it('joins chunks in part order, whatever order parts 2..n arrive in, then forgets the request', () => {
    let next = 0
    const store = createPartStore(clockAt(0), limits, () => `id${next++}`)
    expect(store.add(part({ total: 3, chunk: '%7B' }))).toEqual({ pending: 'id0' })
    expect(store.add(part({ total: 3, index: 3, id: 'id0', chunk: '%7D' }))).toEqual({ pending: 'id0' })
    expect(store.add(part({ total: 3, index: 2, id: 'id0', chunk: '%22' }))).toEqual({ complete: '%7B%22%7D' })
    expect(store.size()).toBe(0)
    expect(codeOf(() => store.add(part({ total: 3, index: 2, id: 'id0' })))).toBe('RESOURCE_NOT_FOUND')
  })

  it('treats a single part (lpO=1) as complete at once', () => {
    const store = createPartStore(clockAt(0), limits)
    expect(store.add(part({ total: 1 }))).toEqual({ complete: 'ab' })
    expect(store.size()).toBe(0)
  })

  it('expires a request after idleMs without parts, and after maxAgeMs in any case', () => {
    const clock = clockAt(0)
    let next = 0
    const store = createPartStore(clock, { ...limits, maxParts: 4 }, () => `id${next++}`)
    store.add(part({ total: 4, chunk: 'a' }))
    clock.advance(limits.idleMs - 1)
    expect(store.add(part({ total: 4, index: 2, id: 'id0', chunk: 'b' }))).toEqual({ pending: 'id0' })
    clock.advance(limits.idleMs)
    expect(codeOf(() => store.add(part({ total: 4, index: 3, id: 'id0' })))).toBe('RESOURCE_NOT_FOUND')

    store.add(part({ total: 4, chunk: 'a' }))
    let code = 'none'
    let age = 0
    while (code === 'none') {
      clock.advance(limits.idleMs - 1)
      age += limits.idleMs - 1
      code = codeOf(() => store.add(part({ total: 4, index: 2, id: 'id1', chunk: 'b' })))
    }
    expect(code).toBe('RESOURCE_NOT_FOUND')
    expect(age).toBeGreaterThanOrEqual(limits.maxAgeMs)
    expect(age).toBeLessThan(limits.maxAgeMs + limits.idleMs)
    expect(store.size()).toBe(0)
  })

  it('bounds parts, characters per request, pending requests per client and in total', () => {
    let next = 0
    const store = createPartStore(clockAt(0), limits, () => `id${next++}`)
    expect(codeOf(() => store.add(part({ total: limits.maxParts + 1 })))).toBe('BODY_TOO_LARGE')
    expect(codeOf(() => store.add(part({ chunk: 'x'.repeat(limits.maxRequestChars + 1) })))).toBe('BODY_TOO_LARGE')

    store.add(part({ chunk: 'x'.repeat(6) }))
    expect(codeOf(() => store.add(part({ index: 2, id: 'id0', chunk: 'x'.repeat(5) })))).toBe('BODY_TOO_LARGE')
    expect(store.size()).toBe(0)

    store.add(part({ client: 'c1' }))
    store.add(part({ client: 'c1' }))
    expect(codeOf(() => store.add(part({ client: 'c1' })))).toBe('RATE_LIMITED')
    store.add(part({ client: 'c2' }))
    expect(codeOf(() => store.add(part({ client: 'c3' })))).toBe('BUSY')
    expect(store.size()).toBe(3)
  })

  it('bounds the characters held by all requests together', () => {
    const store = createPartStore(clockAt(0), { ...limits, maxPendingPerClient: 10, maxPending: 10 })
    store.add(part({ chunk: 'x'.repeat(10) }))
    expect(codeOf(() => store.add(part({ chunk: 'x'.repeat(3) })))).toBe('BUSY')
  })

  it('refuses parts that do not fit: lpP out of range, lpS missing, another account, another lpO', () => {
    let next = 0
    const store = createPartStore(clockAt(0), limits, () => `id${next++}`)
    expect(codeOf(() => store.add(part({ index: 0 })))).toBe('VALIDATION_FAILED')
    expect(codeOf(() => store.add(part({ index: 3 })))).toBe('VALIDATION_FAILED')
    expect(codeOf(() => store.add(part({ index: 2 })))).toBe('VALIDATION_FAILED')
    expect(codeOf(() => store.add(part({ total: 0 })))).toBe('VALIDATION_FAILED')
    store.add(part({ total: 3 }))
    expect(codeOf(() => store.add(part({ total: 3, index: 2, id: 'id0', accountId: 'other' })))).toBe(
      'RESOURCE_NOT_FOUND',
    )
    expect(codeOf(() => store.add(part({ total: 2, index: 2, id: 'id0' })))).toBe('VALIDATION_FAILED')
    expect(codeOf(() => store.add(part({ total: 3, index: 1, id: 'id0' })))).toBe('VALIDATION_FAILED')
  })

  it('has documented defaults', () => {
    expect(DEFAULT_PART_LIMITS).toEqual({
      maxParts: 500,
      maxRequestChars: 1_048_576,
      maxPending: 1_000,
      maxPendingPerClient: 20,
      maxTotalChars: 33_554_432,
      idleMs: 30_000,
      maxAgeMs: 120_000,
    })
  })
})
