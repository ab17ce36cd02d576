import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/config.ts'
import { startServer } from '../../src/server.ts'
import { testDatabase } from '../support/dialects.ts'

/**
 * Browsers (an open Parley Console tab) keep spare connections that never carry a request; Node's
 * close() neither counts them idle nor busy and waited for the client to drop them, so a restart
 * took a minute or more. Shutdown now ends them, and still lets a request in flight finish.
 */
describe('server shutdown with connections that never carried a request', () => {
  const start = async () => {
    const database = testDatabase('sqlite')
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', PARLEY_HISTORY_WORKERS: '0', PARLEY_GEOIP_CITY_DB: 'none' },
      { database: database.kind === 'sqlite' ? database.path : '', port: '0', host: '127.0.0.1' },
    )
    return startServer(config)
  }
  const open = async (url: string): Promise<Socket> => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1')
    await new Promise((resolve) => socket.once('connect', resolve))
    return socket
  }

  it('closes at once although a client holds an unused connection, and that connection is ended', async () => {
    const server = await start()
    const socket = await open(server.httpUrl)
    const ended = new Promise((resolve) => socket.once('close', resolve))
    const started = Date.now()
    await server.close()
    expect(Date.now() - started).toBeLessThan(10_000)
    await ended
  })

  it('leaves a connection that carried a request to close gracefully, its answer complete', async () => {
    const server = await start()
    const socket = await open(server.httpUrl)
    let answer = ''
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()))
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    await new Promise((resolve) => socket.once('data', resolve))
    await server.close()
    expect(answer).toMatch(/^HTTP\/1\.1 200/)
  })
})
