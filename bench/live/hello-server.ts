/**
 * The ceiling of `bench/live.ts`: a bare Fastify 5 server (no logger, no plugins) answering
 * `GET /hello` with a small JSON document. `node bench/live/hello-server.ts PORT`.
 */
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/hello', async () => ({ hello: 'world' }))
app.get('/healthz', async () => ({ status: 'ok' }))
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' })
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
