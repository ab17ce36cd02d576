import cluster from 'node:cluster'
import closeWithGrace from 'close-with-grace'
import { CONFIG_VARIABLES, loadConfig, type Config } from '../config/config.ts'
import { startServer, type RunningServer } from '../server.ts'
import { createClusterRelayBus, type RelayChannel } from '../storage/bus/cluster-relay-bus.ts'
import { CLUSTER_SEED_ENV, isShutdownRequest, runClusterPrimary, type WorkerReady } from './cluster.ts'
import { createStorage, migrateToLatest } from '../storage/db.ts'
import type { Command } from './command.ts'
import { seedDemoIfEmpty } from './demo.ts'
import { out } from './output.ts'

/**
 * `parley serve`: starts the server, seeds the demo account on an empty database, closes gracefully
 * on SIGTERM/SIGINT. With `--workers N` (N > 1) this process becomes the cluster's primary
 * (cli/cluster.ts) and each worker it forks runs this same function as a worker.
 */
export async function serve(config: Config): Promise<void> {
  if (cluster.isWorker) return serveAsWorker(config)
  if (config.workers > 1) return runClusterPrimary(config)
  let demoText: string | undefined
  const server = await startServer(config, {
    beforeListen: async (services) => {
      if (config.demo) demoText = await seedDemoIfEmpty(services, config)
    },
  })
  closeGracefully(server)
  out(`Parley is listening on ${server.httpUrl}${server.httpsUrl ? ` and ${server.httpsUrl}` : ''}`)
  if (demoText) out(demoText.replaceAll('{{BASE}}', server.httpUrl))
}

/** A worker of `serve --workers N`: the primary migrated and holds the SQLite lock; it relays the SQLite bus. */
async function serveAsWorker(config: Config): Promise<void> {
  // The primary may ask for a shutdown while this worker is still starting.
  const running: { close?: (signal: string) => Promise<void> } = {}
  let shutdownRequested = false
  process.on('message', (message) => {
    if (!isShutdownRequest(message)) return
    if (running.close) void running.close('SIGTERM')
    else shutdownRequested = true
  })
  const seeds = process.env[CLUSTER_SEED_ENV] === '1'
  const bus = config.database.kind === 'sqlite' ? createClusterRelayBus(process as RelayChannel) : undefined
  let demoText: string | undefined
  const server = await startServer(
    { ...config, migrateOnBoot: false },
    {
      clusterWorker: bus ? { bus } : {},
      beforeListen: async (services) => {
        if (config.demo && seeds) demoText = await seedDemoIfEmpty(services, config)
      },
    },
  )
  running.close = closeGracefully(server, async () => {
    await bus?.close()
  })
  if (shutdownRequested) return void running.close('SIGTERM')
  const ready: WorkerReady = {
    parleyReady: true,
    httpUrl: server.httpUrl,
    httpsUrl: server.httpsUrl,
    demoText: demoText?.replaceAll('{{BASE}}', server.httpUrl),
  }
  process.send?.(ready)
}

/**
 * Drains and closes the server on SIGTERM/SIGINT (close-with-grace, 10 s at most). Returns the same
 * shutdown for other triggers (the cluster primary's request), which then exits the process.
 */
function closeGracefully(server: RunningServer, after: () => Promise<void> = async () => {}) {
  let closing: Promise<void> | undefined
  const shutdown = (signal: string | undefined, error?: unknown): Promise<void> => {
    if (error) server.app.log.error({ err: error }, 'shutting down after an error')
    else server.app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    return (closing ??= server.close().then(after))
  }
  closeWithGrace({ delay: 10_000 }, ({ signal, err }) => shutdown(signal, err))
  return (signal: string) =>
    shutdown(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    )
}

const SERVE_HELP = `Usage: parley serve [options]

Starts the server (what \`npm start\` runs): migrates the database, creates the demo account on an
empty database (credentials printed once and saved to <data dir>/demo-credentials.json), and stops
gracefully on Ctrl-C or SIGTERM. One server per SQLite file: a second one on the same file refuses
to start. --workers N (or auto, one per core) runs N server processes sharing the port, on SQLite
or PostgreSQL; a worker that dies is restarted. Several separate servers may share one PostgreSQL
database (docs/deployment.md).

Options (flags override environment variables):
${CONFIG_VARIABLES.map(([variable, flag, fallback, description]) => `  ${(flag || '').padEnd(14)} ${variable.padEnd(31)} ${description} (default: ${fallback || 'none'})`).join('\n')}

Examples:
  parley serve
  parley serve --port 9000 --no-demo --database postgres://parley@localhost/parley
  parley serve --workers auto --host 0.0.0.0
  parley serve --host 0.0.0.0 --tls-port 8443 --tls-cert cert.pem --tls-key key.pem
  PARLEY_PORT=9000 PARLEY_LOG_LEVEL=debug parley serve
`

const MIGRATE_HELP = `Usage: parley migrate [--database URL]

Creates the database if needed (SQLite) and applies every pending migration; \`parley serve\` does
the same at start-up unless PARLEY_MIGRATE_ON_BOOT=false. Prints what was applied.

Examples:
  parley migrate
  parley migrate --database sqlite:/var/lib/parley/parley.db
  parley migrate --database postgres://parley@localhost/parley
`

/** `serve` and `migrate`: the only commands that create a database. */
export const serverCommands: readonly Command[] = [
  {
    name: 'serve',
    summary: 'start the server (what `npm start` runs)',
    help: SERVE_HELP,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'tls-port': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'no-demo': { type: 'boolean' },
      'trust-proxy': { type: 'boolean' },
      workers: { type: 'string' },
    },
    async run({ values, env }) {
      await serve(loadConfig(env, values))
      return -1
    },
  },
  {
    name: 'migrate',
    summary: 'create the database if needed and apply pending migrations',
    help: MIGRATE_HELP,
    async run({ config }) {
      const storage = createStorage(config().database, { poolSize: 1 })
      try {
        const result = await migrateToLatest(storage)
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []
        out(
          applied.length === 0
            ? 'Database is up to date.'
            : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`,
        )
      } finally {
        await storage.close()
      }
      return 0
    },
  },
]
