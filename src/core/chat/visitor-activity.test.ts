import { describe, expect, it } from 'vitest'
import { createVisitorActivity } from './visitor-activity.ts'

describe('visitor activity (coalesced last_update writes)', () => {
  it('asks for a write for an unknown chat, then leaves writes to due(), once per interval', () => {
    const activity = createVisitorActivity(5000)
    expect(activity.note('a', 'k', 1000)).toBe(false)
    activity.written('a', 'k', 1000)
    expect(activity.note('a', 'k', 3000)).toBe(true)
    expect(activity.latest('k')).toBe(3000)
    expect(activity.pending()).toEqual([{ accountId: 'a', chatKey: 'k', at: 3000 }])
    expect(activity.due(5999)).toEqual([])
    expect(activity.note('a', 'k', 6000)).toBe(true)
    expect(activity.due(6000)).toEqual([{ accountId: 'a', chatKey: 'k', at: 6000 }])
    activity.written('a', 'k', 6000)
    expect(activity.pending()).toEqual([])
    expect(activity.due(20_000)).toEqual([])
    expect(activity.latest('k')).toBe(6000)
  })

  it('never answers for a chat of another account', () => {
    const activity = createVisitorActivity(5000)
    activity.written('a', 'k', 1000)
    expect(activity.note('b', 'k', 1001)).toBe(false)
    expect(activity.latest('k')).toBe(1000)
  })

  it('keeps the newest activity when calls arrive out of order', () => {
    const activity = createVisitorActivity(5000)
    activity.written('a', 'k', 2000)
    expect(activity.note('a', 'k', 1500)).toBe(true)
    expect(activity.latest('k')).toBe(2000)
    activity.written('a', 'k', 1800)
    expect(activity.latest('k')).toBe(2000)
  })

  it('prunes written entries once the interval passed, keeps pending ones, forgets on demand', () => {
    const activity = createVisitorActivity(5000)
    activity.written('a', 'done', 1000)
    activity.written('a', 'busy', 1000)
    activity.note('a', 'busy', 4000)
    activity.prune(5999)
    expect(activity.size()).toBe(2)
    activity.prune(6000)
    expect(activity.latest('done')).toBeUndefined()
    expect(activity.latest('busy')).toBe(4000)
    activity.forget('busy')
    expect(activity.size()).toBe(0)
  })
})
