import type { Actor } from '../actor.ts'
import { ADMIN } from '../accounts/accounts.types.ts'
import type { Clock } from '../clock.ts'
import { ParleyError, invalid } from '../errors.ts'
import {
  loginAttemptsRepository,
  type LoginAttemptScope,
} from '../../storage/repositories/login-attempts.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { nameKey } from '../text/name-key.ts'

/** The limits (`PARLEY_LOGIN_MAX_FAILURES`, `PARLEY_LOGIN_MAX_FAILURES_PER_IP`, `PARLEY_LOGIN_FAILURE_WINDOW_MS`). */
export interface LoginLimits {
  /** Failed logins per account and login name within the window. */
  maxFailuresPerLogin: number
  /** Failed logins per account and client address within the window, whatever the names. */
  maxFailuresPerIp: number
  windowMs: number
}

/** An attempt that passed both limits; the caller reports how it ended. */
export interface ReservedAttempt {
  /** The password or key was right: clears this login name's count and gives back the address's attempt. */
  succeeded(): Promise<void>
}

/** One counter as an admin sees it (`parley user locks`, the login-locks endpoint). */
export interface LoginLock {
  /** `login`: attempts for one login name; `ip`: attempts from one client address across names. */
  scope: LoginAttemptScope
  /** The case-folded login name, or the client address. */
  subject: string
  failures: number
  /** The limit that applies to this counter. */
  limit: number
  /** True while logins are refused (`failures` reached `limit`). */
  locked: boolean
  windowStart: number
  /** When the window closes and the count starts again (epoch ms). */
  resetsAt: number
}

/** What an admin names to clear: a login name or a client address. */
export type LoginLockTarget = { loginName: string } | { clientIp: string }

/**
 * Login protection (docs/auth.md, "Login protection"). Attempts are counted in the database per
 * account and login name, and per account and client address across names; both counters are
 * reserved atomically before a password is verified, so concurrent guesses verify at most the limit
 * and every process (and a restarted one) sees the same counts. A success clears only its own name.
 */
export interface LoginLimiter {
  /** Counts an attempt; RATE_LIMITED (429) when the name or the address has used up its attempts. */
  reserve(accountId: string, loginName: string, clientIp: string): Promise<ReservedAttempt>
  /** The account's open counters, locked ones first. Admin users of the account (or Parley itself). */
  list(caller: Actor | { kind: 'system' }, accountId: string): Promise<LoginLock[]>
  /** Clears a counter (unlocks); false when there was none. Admin users of the account (or Parley itself). */
  clear(caller: Actor | { kind: 'system' }, accountId: string, target: LoginLockTarget): Promise<boolean>
}

export function createLoginLimiter(deps: { db: Executor; clock: Clock; limits: LoginLimits }): LoginLimiter {
  const { db, clock, limits } = deps
  const { windowMs } = limits
  const limitOf = (scope: LoginAttemptScope): number =>
    scope === 'login' ? limits.maxFailuresPerLogin : limits.maxFailuresPerIp
  const rateLimited = (): ParleyError => new ParleyError('RATE_LIMITED', 'Too many requests')
  let lastPrune = 0

  // Closed windows are dropped at most once a window, by whichever login comes along; a failed
  // prune only leaves rows that the next window's upsert restarts anyway.
  const pruneNow = (now: number): void => {
    if (now - lastPrune < windowMs) return
    lastPrune = now
    loginAttemptsRepository.prune(db, now - windowMs).catch(() => undefined)
  }

  const requireAdmin = (caller: Actor | { kind: 'system' }, accountId: string): void => {
    if (caller.kind === 'system') return
    if (caller.kind === 'user' && caller.accountId === accountId && caller.permissionGroups.includes(ADMIN)) return
    throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
  }

  return {
    async reserve(accountId, loginName, clientIp) {
      const now = clock.now()
      pruneNow(now)
      const name = { accountId, scope: 'login' as const, subject: nameKey(loginName) }
      const byName = await loginAttemptsRepository.reserve(db, { ...name, now, windowMs })
      if (byName.failures > limits.maxFailuresPerLogin) throw rateLimited()
      const address = { accountId, scope: 'ip' as const, subject: clientIp }
      const byAddress = await loginAttemptsRepository.reserve(db, { ...address, now, windowMs })
      if (byAddress.failures > limits.maxFailuresPerIp) {
        // Refused before any password was checked: the name keeps its attempts.
        await loginAttemptsRepository.release(db, { ...name, windowStart: byName.windowStart })
        throw rateLimited()
      }
      return {
        async succeeded() {
          await loginAttemptsRepository.clear(db, name)
          await loginAttemptsRepository.release(db, { ...address, windowStart: byAddress.windowStart })
        },
      }
    },

    async list(caller, accountId) {
      requireAdmin(caller, accountId)
      const counters = await loginAttemptsRepository.listOpen(db, accountId, {
        now: clock.now(),
        windowMs,
        minFailures: 1,
      })
      const locks = counters.map((counter) => ({
        scope: counter.scope,
        subject: counter.subject,
        failures: counter.failures,
        limit: limitOf(counter.scope),
        locked: counter.failures >= limitOf(counter.scope),
        windowStart: counter.windowStart,
        resetsAt: counter.windowStart + windowMs,
      }))
      return [...locks.filter((lock) => lock.locked), ...locks.filter((lock) => !lock.locked)]
    },

    async clear(caller, accountId, target) {
      requireAdmin(caller, accountId)
      if ('loginName' in target) {
        if (target.loginName.trim() === '') throw invalid('loginName', 'is required')
        return loginAttemptsRepository.clear(db, {
          accountId,
          scope: 'login',
          subject: nameKey(target.loginName),
        })
      }
      if (target.clientIp.trim() === '') throw invalid('clientIp', 'is required')
      return loginAttemptsRepository.clear(db, { accountId, scope: 'ip', subject: target.clientIp.trim() })
    },
  }
}
