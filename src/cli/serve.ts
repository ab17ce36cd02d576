import closeWithGrace from 'close-with-grace'
import { CONFIG_VARIABLES, loadConfig, type Config } from '../config/config.ts'
import { startServer } from '../server.ts'
import { createStorage, migrateToLatest } from '../storage/db.ts'
import type { Command } from './command.ts'
import { seedDemoIfEmpty } from './demo.ts'
import { out } from './output.ts'

/** `parley serve`: starts the server, seeds the demo account on an empty database, closes gracefully on SIGTERM/SIGINT. */
export async function serve(config: Config): Promise<void> {
  let demoText: string | undefined
  const server = await startServer(config, {
    beforeListen: async (services) => {
      if (config.demo) demoText = await seedDemoIfEmpty(services, config)
    },
  })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) server.app.log.error({ err }, 'shutting down after an error')
    else server.app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    await server.close()
  })
  out(`Parley is listening on ${server.httpUrl}${server.httpsUrl ? ` and ${server.httpsUrl}` : ''}`)
  if (demoText) out(demoText.replaceAll('{{BASE}}', server.httpUrl))
}

const SERVE_HELP = `Usage: parley serve [options]

Starts the server (what \`npm start\` runs): migrates the database, creates the demo account on an
empty database (credentials printed once and saved to <data dir>/demo-credentials.json), and stops
gracefully on Ctrl-C or SIGTERM. One server per SQLite file: a second one on the same file refuses
to start.

Options (flags override environment variables):
${CONFIG_VARIABLES.map(([variable, flag, fallback, description]) => `  ${(flag || '').padEnd(14)} ${variable.padEnd(31)} ${description} (default: ${fallback || 'none'})`).join('\n')}

Examples:
  parley serve
  parley serve --port 9000 --no-demo --database postgres://parley@localhost/parley
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
