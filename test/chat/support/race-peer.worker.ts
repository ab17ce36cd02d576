import { parentPort, workerData } from 'node:worker_threads'
import { createRacePeer, type RacePeer } from './race-peer.ts'

/** A RacePeer in a worker thread: `{ id, method, args }` in, `{ id, result }` or `{ id, error }` out. */
const { database, accountId, agents } = workerData as {
  database: Parameters<typeof createRacePeer>[0]
  accountId: string
  agents: Parameters<typeof createRacePeer>[2]
}
const peer = createRacePeer(database, accountId, agents)
parentPort?.on('message', (message: { id: number; method: keyof RacePeer; args: unknown[] }) => {
  const call = peer[message.method] as (...args: unknown[]) => Promise<unknown>
  call(...message.args).then(
    (result) => parentPort?.postMessage({ id: message.id, result }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: String(error) }),
  )
})
