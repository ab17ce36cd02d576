import type { Config } from './config/config.ts'
import { createAccountConfigService, type AccountConfigService } from './core/account-config/account-config.service.ts'
import { createAccountsService, type AccountsService } from './core/accounts/accounts.service.ts'
import { createCredentialsService, type CredentialsService } from './core/accounts/credentials.service.ts'
import { createLoginService, type LoginService } from './core/accounts/login.service.ts'
import { createLoginLimiter } from './core/auth/login-limiter.ts'
import { systemClock, type Clock } from './core/clock.ts'
import { cryptoIds, type IdGenerator } from './core/ids.ts'
import type { Storage } from './storage/db.ts'
import { createUnitOfWork } from './storage/unit-of-work.ts'

/** Every service the HTTP layer and the CLI use, wired once. */
export interface Services {
  accounts: AccountsService
  credentials: CredentialsService
  login: LoginService
  /** Account configuration API: skills, agent groups, users, campaigns, surveys, ... */
  accountConfig: AccountConfigService
  /** Readiness: resolves when the database answers. */
  ping(): Promise<void>
}

export interface ServiceDeps {
  storage: Storage
  config: Config
  clock?: Clock
  ids?: IdGenerator
}

/** The one place that wires repositories into services. */
export function createServices(deps: ServiceDeps): Services {
  const { storage, config } = deps
  const clock = deps.clock ?? systemClock
  const ids = deps.ids ?? cryptoIds
  const db = storage.db
  const uow = createUnitOfWork(db)
  return {
    accounts: createAccountsService({ db, uow, clock, ids }),
    credentials: createCredentialsService({ db, clock }),
    login: createLoginService({
      db,
      clock,
      ids,
      limiter: createLoginLimiter({ maxFailures: config.loginMaxFailures, windowMs: config.loginFailureWindowMs }),
      sessionTtlMs: config.sessionTtlMs,
    }),
    accountConfig: createAccountConfigService({ db, uow, clock }),
    ping: () => storage.ping(),
  }
}
