import { afterAll, beforeAll } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type Config, type ConfigFlags } from '../../src/config/config.ts'
import { buildApp, type AppDeps, type ParleyApp } from '../../src/http/app.ts'
import { createStorage, migrateToLatest, type Storage } from '../../src/storage/db.ts'
import type { DialectName } from '../../src/storage/dialect/dialect.ts'
import { privateTestDatabase, testDatabase } from './dialects.ts'
import { createManualClock, type ManualClock } from './manual-clock.ts'

/** What an API test needs: the app (use `app.inject`), its services and storage, config and a manual clock. */
export interface TestContext {
  app: ParleyApp
  services: Services
  storage: Storage
  config: Config
  clock: ManualClock
}

/**
 * Builds the real application on a fresh database of `dialect` before the suite and closes it after.
 * Returns a holder whose fields are filled in `beforeAll`.
 */
export function useTestApp(
  dialect: DialectName,
  options: {
    env?: Record<string, string>
    flags?: ConfigFlags
    routes?: (app: ParleyApp) => void
    /** Sees every route as buildApp registers it (its schema included). */
    onRoute?: AppDeps['onRoute']
    /** A database no other test file shares (support/dialects.ts `privateTestDatabase`). */
    privateDatabase?: boolean
  } = {},
): TestContext {
  const context = {} as TestContext
  let dropDatabase = async (): Promise<void> => {}
  beforeAll(async () => {
    let database = testDatabase(dialect)
    if (options.privateDatabase) {
      const own = await privateTestDatabase(dialect)
      database = own.database
      dropDatabase = own.drop
    }
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent', ...options.env },
      { database: database.kind === 'sqlite' ? database.path : database.url, ...options.flags },
    )
    const storage = createStorage(config.database, { poolSize: 4 })
    if (options.privateDatabase) await migrateToLatest(storage)
    const clock = createManualClock(Date.now())
    const services = createServices({ storage, config, clock })
    const app = await buildApp({ config, services, clock, ...(options.onRoute ? { onRoute: options.onRoute } : {}) })
    const addRoutes: ((app: ParleyApp) => void) | undefined = options.routes
    if (addRoutes) addRoutes(app)
    await app.ready()
    Object.assign(context, { app, services, storage, config, clock })
  })
  afterAll(async () => {
    await context.app?.close()
    await context.services?.close()
    await context.storage?.close()
    await dropDatabase()
  })
  return context
}
