import type { Actor } from '../actor.ts'
import { createAccountCache } from '../cache/account-cache.ts'
import type { Invalidation } from '../cache/invalidation.ts'
import type { LoginLimiter } from '../auth/login-limiter.ts'
import { DUMMY_PASSWORD_HASH, verifyPassword } from '../auth/passwords.ts'
import { hashToken, secretsEqual } from '../auth/tokens.ts'
import type { Clock } from '../clock.ts'
import { ParleyError, invalid } from '../errors.ts'
import type { IdGenerator } from '../ids.ts'
import { accountsRepository } from '../../storage/repositories/accounts.repository.ts'
import { agentGroupsRepository } from '../../storage/repositories/agent-groups.repository.ts'
import { credentialsRepository } from '../../storage/repositories/credentials.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { loginSessionsRepository } from '../../storage/repositories/login-sessions.repository.ts'
import { usersRepository } from '../../storage/repositories/users.repository.ts'
import { ADMIN, MAIN_GROUP_ID, MAIN_GROUP_NAME, type Account, type UserIdentity } from './accounts.types.ts'
import { nameKey } from '../text/name-key.ts'

/** Login body: user credentials, or an API key's four values plus a user name. */
export type LoginCredentials =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'apiKey'; username: string; appKey: string; secret: string; accessToken: string; accessTokenSecret: string }

/** Everything the login document is built from; tokens are returned once and stored only as hashes. */
export interface LoginResult {
  account: Account
  user: UserIdentity
  bearer: string
  csrf: string
  sessionKey: string
  wsuk: string
  sessionTtlMs: number
  serverTime: number
  agentGroups: Array<{ id: number; name: string; deleted: boolean }>
}

/** How refresh and logout find the session: cookie first, then bearer, then the CSRF value alone. */
export interface SessionLookup {
  sessionKey?: string | undefined
  bearer?: string | undefined
  csrf: string
}

export interface LoginService {
  login(accountId: string, credentials: LoginCredentials, clientIp: string): Promise<LoginResult>
  refresh(accountId: string, lookup: SessionLookup): Promise<void>
  logout(accountId: string, lookup: SessionLookup): Promise<void>
  /** Resolves a bearer of this account to a user actor, sliding the session's expiry; UNAUTHORIZED otherwise. */
  authenticateBearer(accountId: string, bearer: string): Promise<Actor & { kind: 'user' }>
}

// A session's expiry slides with use; writing it at most once a minute keeps reads cheap.
const TOUCH_INTERVAL_MS = 60_000

export function createLoginService(deps: {
  db: Executor
  clock: Clock
  ids: IdGenerator
  limiter: LoginLimiter
  sessionTtlMs: number
  /** What tells the caches that another write (of any process) changed an account. */
  invalidation: Invalidation
}): LoginService {
  const { db, clock, ids, limiter, sessionTtlMs } = deps
  /** Live sessions with their enabled user, by bearer hash (invalidated by every write that ends or changes them). */
  const bearers = createAccountCache<{
    session: { id: number; lastUsedAt: number; expiresAt: number }
    user: UserIdentity
  }>({ clock, invalidation: deps.invalidation })
  const loadBearer = async (accountId: string, hash: string, now: number) => {
    const session = await loginSessionsRepository.findLive(db, accountId, 'bearer_hash', hash, now)
    const user = session ? await usersRepository.findIdentityById(db, accountId, session.userId) : undefined
    if (!session || !user || !user.isEnabled || user.deleted) return undefined
    return { session: { id: session.id, lastUsedAt: session.lastUsedAt, expiresAt: session.expiresAt }, user }
  }
  const badLogin = (): ParleyError => new ParleyError('LOGIN_FAILED', 'Bad Authentication (invalid site or agent)')
  const csrfInvalid = (): ParleyError =>
    new ParleyError(
      'CSRF_INVALID',
      'CSRF token invalid! The CSRF token on request does not match the CSRF token on the session',
    )

  const checkCredentials = async (
    accountId: string,
    credentials: LoginCredentials,
    user: UserIdentity | undefined,
  ): Promise<boolean> => {
    if (credentials.kind === 'password') {
      const ok = await verifyPassword(credentials.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH)
      return ok && user !== undefined
    }
    const key = await credentialsRepository.findApiKey(db, accountId, credentials.appKey)
    if (!key || !user) return false
    const matches = [
      secretsEqual(key.consumerSecret, credentials.secret),
      secretsEqual(key.accessToken, credentials.accessToken),
      secretsEqual(key.accessTokenSecret, credentials.accessTokenSecret),
    ].every(Boolean)
    return matches && (key.userId === null || key.userId === user.id)
  }

  const findSession = async (accountId: string, lookup: SessionLookup) => {
    const now = clock.now()
    if (lookup.csrf === '') throw csrfInvalid()
    const session =
      (lookup.sessionKey
        ? await loginSessionsRepository.findLive(db, accountId, 'session_key_hash', hashToken(lookup.sessionKey), now)
        : undefined) ??
      (lookup.bearer
        ? await loginSessionsRepository.findLive(db, accountId, 'bearer_hash', hashToken(lookup.bearer), now)
        : undefined) ??
      (await loginSessionsRepository.findLive(db, accountId, 'csrf_hash', hashToken(lookup.csrf), now))
    if (!session || !secretsEqual(session.csrfHash, hashToken(lookup.csrf))) throw csrfInvalid()
    return session
  }

  return {
    async login(accountId, credentials, clientIp) {
      if (credentials.username.trim() === '') throw invalid('username', 'is required')
      const account = await accountsRepository.findById(db, accountId)
      if (!account) {
        // Unknown accounts answer like bad credentials, after the same work (no counter: no account).
        await checkCredentials(accountId, credentials, undefined)
        throw badLogin()
      }
      // Reserved before the password is checked, so a flood of guesses costs no scrypt work and
      // concurrent guesses check at most the limit (docs/auth.md, "Login protection").
      const attempt = await limiter.reserve(accountId, credentials.username, clientIp)
      const user = await usersRepository.findIdentityByLogin(db, accountId, nameKey(credentials.username))
      const valid = await checkCredentials(accountId, credentials, user)
      if (!user || !valid || !user.isEnabled || user.deleted) throw badLogin()
      await attempt.succeeded()
      const bearer = ids.hex(32)
      const csrf = ids.hex(32)
      const sessionKey = ids.hex(32)
      const loginTime = clock.now()
      await loginSessionsRepository.insert(db, {
        accountId,
        userId: user.id,
        bearerHash: hashToken(bearer),
        sessionKeyHash: hashToken(sessionKey),
        csrfHash: hashToken(csrf),
        now: loginTime,
        expiresAt: loginTime + sessionTtlMs,
      })
      const groups = await agentGroupsRepository.listSummaries(db, accountId)
      return {
        account,
        user,
        bearer,
        csrf,
        sessionKey,
        wsuk: ids.digits(18),
        sessionTtlMs,
        serverTime: loginTime,
        agentGroups: [{ id: MAIN_GROUP_ID, name: MAIN_GROUP_NAME, deleted: false }, ...groups],
      }
    },

    async refresh(accountId, lookup) {
      const session = await findSession(accountId, lookup)
      const now = clock.now()
      await loginSessionsRepository.touch(db, session.id, now, now + sessionTtlMs)
    },

    async logout(accountId, lookup) {
      const session = await findSession(accountId, lookup)
      await loginSessionsRepository.end(db, session.id, clock.now())
    },

    async authenticateBearer(accountId, bearer) {
      const now = clock.now()
      const hash = hashToken(bearer)
      let found = await bearers.get(accountId, hash, () => loadBearer(accountId, hash, now))
      if (found && found.session.expiresAt <= now) {
        // Expired as far as this process knows; another process may have slid it: read again.
        bearers.delete(accountId, hash)
        found = await bearers.get(accountId, hash, () => loadBearer(accountId, hash, now))
      }
      if (!found) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
      const { session, user } = found
      if (now - session.lastUsedAt >= TOUCH_INTERVAL_MS) {
        await loginSessionsRepository.touch(db, session.id, now, now + sessionTtlMs)
        bearers.update(accountId, hash, (value) => ({
          ...value,
          session: { ...value.session, lastUsedAt: now, expiresAt: now + sessionTtlMs },
        }))
      }
      return {
        kind: 'user',
        accountId,
        userId: user.id,
        loginName: user.loginName,
        sessionId: session.id,
        permissionGroups: user.permissionGroups,
        managedGroupIds: user.managedGroupIds,
      }
    },
  }
}

/** True when the user has the Admin permission group. */
export const isAdmin = (permissionGroups: readonly string[]): boolean => permissionGroups.includes(ADMIN)
