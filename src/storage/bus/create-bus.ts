import type { DatabaseConfig } from '../../config/config.ts'
import type { LiveBus } from '../../core/ports/live-bus.ts'
import { createInProcessBus } from './in-process-bus.ts'
import { createPostgresBus } from './postgres-bus.ts'

/**
 * The live bus a server on `database` uses (docs/deployment.md): PostgreSQL `LISTEN/NOTIFY`, which
 * every process on the database shares; on SQLite the in-process bus (one server per file).
 */
export async function createLiveBus(
  database: DatabaseConfig,
  options: { onError?: (error: unknown, task: string) => void } = {},
): Promise<LiveBus> {
  if (database.kind === 'postgres')
    return createPostgresBus({ url: database.url, ...(options.onError ? { onError: options.onError } : {}) })
  return createInProcessBus()
}
