import { describe, expect, it } from 'vitest'
import { formatChatTime, formatChatTimeSlow } from './time.ts'

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/London',
  'Europe/Moscow',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Sao_Paulo',
  'Asia/Jerusalem',
]

// A small deterministic generator, so a failure names a reproducible instant.
function* instants(count: number): Generator<number> {
  let state = 0x2545f491
  const from = Date.UTC(1970, 0, 1)
  const to = Date.UTC(2100, 0, 1)
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    const fraction = state / 2 ** 32
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    yield Math.floor(from + fraction * (to - from)) + (state % 1000)
  }
}

describe('formatChatTime', () => {
  it('renders the spec examples', () => {
    expect(formatChatTime(Date.parse('2017-02-27T11:24:15.424Z'), 'America/New_York')).toBe(
      '2017-02-27T06:24:15.424-05:00',
    )
    expect(formatChatTime(Date.parse('2024-05-01T10:00:00.000Z'))).toBe('2024-05-01T10:00:00.000+00:00')
  })

  it.for(ZONES)('matches the Intl reference at random instants in %s', (zone) => {
    for (const instant of instants(3000)) {
      expect(formatChatTime(instant, zone), String(instant)).toBe(formatChatTimeSlow(instant, zone))
    }
  })

  it.for(ZONES)('matches the Intl reference around every offset change of 2020-2026 in %s', (zone) => {
    const day = 86_400_000
    const offset = (t: number) => formatChatTimeSlow(t, zone).slice(-6)
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2027, 0, 1); t += day) {
      if (offset(t) === offset(t + day)) continue
      for (let probe = t; probe <= t + day; probe += 900_000) {
        for (const delta of [-1, 0, 1, 999]) {
          expect(formatChatTime(probe + delta, zone), String(probe + delta)).toBe(
            formatChatTimeSlow(probe + delta, zone),
          )
        }
      }
    }
  })

  it('still rejects an unknown zone', () => {
    expect(() => formatChatTime(0, 'Nowhere/Special')).toThrow(RangeError)
  })
})
