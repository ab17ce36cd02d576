import { describe, expect, it } from 'vitest'
import type { LiveChange } from '../../core/ports/live-bus.ts'
import type { Executor } from '../repositories/executor.ts'
import { createInProcessBus } from './in-process-bus.ts'

const plain = { isTransaction: false } as unknown as Executor
const transaction = () => ({ isTransaction: true }) as unknown as Executor
const chat = (chatKey: string): LiveChange => ({ kind: 'chat', accountId: 'a', chatKey })

describe('in-process live bus', () => {
  it('delivers a change made outside a transaction at once', () => {
    const bus = createInProcessBus()
    const seen: LiveChange[] = []
    bus.subscribe((change) => seen.push(change))
    bus.publish(plain, chat('k1'))
    expect(seen).toEqual([chat('k1')])
  })

  it('holds changes made in a transaction until it settles, then delivers them in order', () => {
    const bus = createInProcessBus()
    const seen: LiveChange[] = []
    bus.subscribe((change) => seen.push(change))
    const tx = transaction()
    bus.publish(tx, chat('k1'))
    bus.publish(tx, { kind: 'account', accountId: 'a' })
    expect(seen).toEqual([])
    bus.settle(tx)
    expect(seen).toEqual([chat('k1'), { kind: 'account', accountId: 'a' }])
    bus.settle(tx)
    expect(seen).toHaveLength(2)
  })

  it('stops delivering to an unsubscribed listener and after close', async () => {
    const bus = createInProcessBus()
    const seen: LiveChange[] = []
    const unsubscribe = bus.subscribe((change) => seen.push(change))
    unsubscribe()
    bus.publish(plain, chat('k1'))
    bus.subscribe((change) => seen.push(change))
    await bus.close()
    bus.publish(plain, chat('k2'))
    expect(seen).toEqual([])
  })
})
