import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { LiveChange } from '../../core/ports/live-bus.ts'
import type { Executor } from '../repositories/executor.ts'
import { createClusterRelayBus, relayBetweenWorkers } from './cluster-relay-bus.ts'

const plain = { isTransaction: false } as unknown as Executor
const transaction = () => ({ isTransaction: true }) as unknown as Executor
const chat = (chatKey: string): LiveChange => ({ kind: 'chat', accountId: 'a', chatKey, nextEventId: 3 })

/** A primary and `n` workers joined by asynchronous in-memory "IPC" (messages cross on the next tick, in order). */
function cluster(n: number) {
  const primarySides: Array<EventEmitter & { send(m: unknown): void; isConnected(): boolean }> = []
  const relay = relayBetweenWorkers(() => primarySides)
  const buses = Array.from({ length: n }, () => {
    const workerSide = new EventEmitter() as EventEmitter & { send(m: unknown): void }
    const primarySide = new EventEmitter() as EventEmitter & { send(m: unknown): void; isConnected(): boolean }
    // Structured-clone copies, as over a real IPC channel.
    workerSide.send = (m) => setImmediate(() => relay(primarySide, structuredClone(m)))
    primarySide.send = (m) => setImmediate(() => workerSide.emit('message', structuredClone(m)))
    primarySide.isConnected = () => true
    primarySides.push(primarySide)
    return createClusterRelayBus(workerSide)
  })
  return buses
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('cluster relay live bus', () => {
  it("delivers a worker's committed changes to itself at settle and to every other worker through the primary, in order", async () => {
    const [a, b, c] = cluster(3)
    const seen = [a!, b!, c!].map((bus) => {
      const changes: LiveChange[] = []
      bus.subscribe((change) => changes.push(change))
      return changes
    })
    const tx = transaction()
    a!.publish(tx, chat('k1'))
    a!.publish(tx, { kind: 'account', accountId: 'a' })
    await settled()
    // Nothing before the commit, anywhere.
    expect(seen.flat()).toEqual([])
    a!.settle(tx)
    expect(seen[0]).toEqual([chat('k1'), { kind: 'account', accountId: 'a' }])
    b!.publish(plain, chat('k2'))
    await settled()
    expect(seen[0]).toEqual([chat('k1'), { kind: 'account', accountId: 'a' }, chat('k2')])
    // Per sender in order; b's own change is delivered to b at once, before a's arrive.
    expect(seen[1]).toEqual([chat('k2'), chat('k1'), { kind: 'account', accountId: 'a' }])
    expect(seen[2]).toEqual([chat('k1'), { kind: 'account', accountId: 'a' }, chat('k2')])
  })

  it('stops delivering after close', async () => {
    const [a, b] = cluster(2)
    const seen: LiveChange[] = []
    b!.subscribe((change) => seen.push(change))
    await b!.close()
    a!.publish(plain, chat('k1'))
    await settled()
    expect(seen).toEqual([])
  })
})
