import { describe, expect, it } from 'vitest'
import { queueMetrics, slaHistogram, emptyEvents } from '../../src/core/operational/metrics.ts'
import {
  intervalIndexOf,
  parseHistogram,
  parseIds,
  parseInterval,
  parseTimeframe,
  parseVersion,
  windowOf,
} from '../../src/core/operational/operational-request.ts'
import { agentSegments, sampleSeries } from '../../src/core/operational/timelines.ts'

const MINUTE = 60_000
const at = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 0, 5, hh, mm, ss)

describe('Operational Realtime windows (operational-realtime.md §3)', () => {
  it('gives the documented intervals: now 08:07, timeframe 20, interval 10', () => {
    const window = windowOf(at(8, 7), 20, 10, false)
    expect(window.from).toBe(at(7, 45))
    expect(window.intervals).toEqual([
      { from: at(8, 0), to: at(8, 7), timestamp: at(8, 10) },
      { from: at(7, 50), to: at(8, 0), timestamp: at(8, 0) },
      { from: at(7, 45), to: at(7, 50), timestamp: at(7, 50) },
    ])
  })

  it('starts Agent Activity exactly at now - timeframe', () => {
    const window = windowOf(at(8, 7), 20, 10, true)
    expect(window.intervals.at(-1)).toEqual({ from: at(7, 47), to: at(7, 50), timestamp: at(7, 50) })
  })

  it('starts bucket-based windows at the 5-minute bucket: now 13:29, timeframe 7 reads from 13:20', () => {
    expect(windowOf(at(13, 29), 7, undefined, false).from).toBe(at(13, 20))
  })

  it('gives 289 intervals for timeframe 1440 with interval 5 off a boundary, and two for 1440/1440', () => {
    expect(windowOf(at(8, 7), 1440, 5, false).intervals).toHaveLength(289)
    expect(windowOf(at(8, 7), 1440, 1440, false).intervals.map((i) => i.timestamp)).toEqual([
      at(8, 10),
      at(8, 10) - 1440 * MINUTE,
    ])
  })

  it('places times in their interval, newest first', () => {
    const window = windowOf(at(8, 7), 20, 10, false)
    expect(intervalIndexOf(window, at(8, 7))).toBe(0)
    expect(intervalIndexOf(window, at(8, 0))).toBe(0)
    expect(intervalIndexOf(window, at(7, 59, 59))).toBe(1)
    expect(intervalIndexOf(window, at(7, 45))).toBe(2)
  })
})

describe('Operational Realtime parameters', () => {
  it('parses v, timeframe and interval with their bounds', () => {
    expect(parseVersion({})).toBeUndefined()
    expect(parseVersion({ v: '2' })).toBe(2)
    expect(() => parseVersion({ v: '0' })).toThrow('v: must be 1 or more')
    expect(parseTimeframe({ timeframe: ' 1440 ' })).toBe(1440)
    expect(parseTimeframe({ timeframe: 15 })).toBe(15)
    expect(() => parseTimeframe({ timeframe: '1.5' })).toThrow('timeframe: must be an integer')
    expect(parseInterval({ interval: '30' }, 60)).toBe(30)
    expect(parseInterval({ interval: ['5', '10'] }, 60)).toBe(5)
    expect(() => parseInterval({ interval: '31' }, 60)).toThrow('interval: must divide timeframe')
  })

  it('parses id lists: all, numbers, arrays, blanks, duplicates, -1', () => {
    expect(parseIds({ skillIds: 'ALL' }, 'skillIds')).toEqual({ all: true })
    expect(parseIds({ skillIds: ' 12, 14 ,12,-1' }, 'skillIds')).toEqual({ all: false, ids: [12, 14, -1] })
    expect(parseIds({ agentIds: [3, '4,5'] }, 'agentIds')).toEqual({ all: false, ids: [3, 4, 5] })
    expect(parseIds({ agentsIds: '7' }, 'agentIds', 'agentsIds')).toEqual({ all: false, ids: [7] })
    expect(parseIds({ skillIds: '' }, 'skillIds')).toBeUndefined()
    expect(() => parseIds({ skillIds: '1,x' }, 'skillIds')).toThrow('skillIds')
    expect(() => parseIds({ skillIds: { a: 1 } }, 'skillIds')).toThrow('skillIds')
  })

  it('parses histograms: 0 always present, sorted, de-duplicated, multiples of 5', () => {
    expect(parseHistogram({})).toEqual([0, 15, 30, 45, 60, 90, 120])
    expect(parseHistogram({ histogram: '30,10,10' })).toEqual([0, 10, 30])
    expect(() => parseHistogram({ histogram: '0,12' })).toThrow('histogram')
  })
})

describe('Operational Realtime figures', () => {
  it('reproduces the SLA example: waits 2, 2, 7, 7, 27 s with histogram 0,5,10,20,30', () => {
    const buckets = slaHistogram([2000, 2000, 7000, 7000, 27000], [0, 5, 10, 20, 30])
    expect(buckets).toEqual([
      { bound: 0, chats: 2, percentageFromTotal: 0.4, accumulated: 0.4 },
      { bound: 5, chats: 2, percentageFromTotal: 0.4, accumulated: 0.8 },
      { bound: 10, chats: 0, percentageFromTotal: 0, accumulated: 0.8 },
      { bound: 20, chats: 1, percentageFromTotal: 0.2, accumulated: 1 },
      { bound: 30, chats: 0, percentageFromTotal: 0, accumulated: 1 },
    ])
    expect(slaHistogram([], [0, 15]).every((bucket) => bucket.accumulated === 0)).toBe(true)
  })

  it('rounds rates to 2 decimals and averages half up, with -1 sample statistics without data', () => {
    const metrics = (connected: number, abandoned: number, answerMs: number) =>
      queueMetrics({
        events: { ...emptyEvents(), connected, abandoned, answerMs },
        queue: null,
        slots: null,
        currentQueueSize: -1,
        currentAvailableSlots: -1,
      })
    expect(metrics(25, 1, 0).abandonmentRate).toBe(0.04)
    expect(metrics(5, 1, 0).abandonmentRate).toBe(0.17)
    expect(metrics(2, 0, 5000).avgTimeToAnswer).toBe(3)
    expect(metrics(0, 0, 0)).toMatchObject({ avgTimeToAnswer: 0, maxQueueSize: -1, averageAvailableSlots: -1 })
  })

  it('samples a step function every 5 seconds, per interval too', () => {
    const window = windowOf(at(10, 10), 10, 5, false)
    const stats = sampleSeries(
      [
        [
          { at: at(9, 0), delta: 1 },
          { at: at(10, 5), delta: 1 },
          { at: at(10, 5, 30), delta: -2 },
        ],
      ],
      window,
      0,
      ([v]) => v!,
    )
    expect(stats.whole).toEqual({ sum: 60 + 6 * 2, count: 120, min: 0, max: 2 })
    expect(stats.intervals[0]).toEqual({ sum: 12, count: 60, min: 0, max: 2 })
    expect(stats.intervals[1]).toEqual({ sum: 60, count: 60, min: 1, max: 1 })
  })

  it('builds an agent timeline that starts in the state held before the window', () => {
    const segments = agentSegments(
      [
        { userId: 1, state: 'Away', reasonId: '9', at: at(9, 0) },
        { userId: 1, state: 'Online', reasonId: null, at: at(10, 2) },
        { userId: 1, state: 'Offline', reasonId: null, at: at(10, 8) },
      ],
      [
        {
          chatKey: 'k',
          sequence: 0,
          rtSessionId: 1,
          skillId: 1,
          startedAt: at(9, 59),
          acceptedAt: at(10, 3),
          endedAt: at(10, 4),
          endReason: null,
          agentUserId: 1,
          agentGroupId: -1,
        },
      ],
      at(10, 0),
      at(10, 10),
    )
    expect(segments.map((s) => [s.state, s.reasonId, s.chats, (s.to - s.from) / MINUTE])).toEqual([
      ['Away', '9', 0, 2],
      ['Online', null, 0, 1],
      ['Online', null, 1, 1],
      ['Online', null, 0, 4],
      ['Offline', null, 0, 2],
    ])
  })
})
