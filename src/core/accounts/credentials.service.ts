import { createHash, timingSafeEqual } from 'node:crypto'
import type { Actor } from '../actor.ts'
import { createAccountCache } from '../cache/account-cache.ts'
import type { Invalidation } from '../cache/invalidation.ts'
import type { Clock } from '../clock.ts'
import { ParleyError } from '../errors.ts'
import { credentialsRepository } from '../../storage/repositories/credentials.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { ApiKey } from './accounts.types.ts'

/** The visitor app key printed in LivePerson's documentation; clients copy it (chat-api.md §2). */
export const DEFAULT_APP_KEY = '721c180b09eb463d9f3191c41762bb68'

/** `appKeyId` of the visitor actor authenticated with `DEFAULT_APP_KEY` (it has no row). */
export const DEFAULT_APP_KEY_ID = 0

export interface CredentialsService {
  /**
   * Resolves a visitor app key of this account, or `DEFAULT_APP_KEY` (as `DEFAULT_APP_KEY_ID`) when
   * it is accepted; APP_KEY_REJECTED otherwise (also for another account's key). The given key is
   * compared in constant time with each candidate, never used as a lookup value.
   */
  authenticateAppKey(accountId: string, appKey: string): Promise<Actor & { kind: 'visitorApp' }>
  /** The active API key with this consumer key in this account, if any. */
  findApiKey(accountId: string, consumerKey: string): Promise<ApiKey | undefined>
  /** Records a nonce for the key; false when it was already used within `ttlMs`. */
  useNonce(consumerKey: string, nonce: string, ttlMs: number): Promise<boolean>
}

export function createCredentialsService(deps: {
  db: Executor
  clock: Clock
  /** What tells the caches that another write (of any process) changed an account. */
  invalidation: Invalidation
  /** Accept `DEFAULT_APP_KEY` on every account (config `acceptDefaultAppKey`; default true). */
  acceptDefaultAppKey?: boolean
  /** App keys with the Visit API privilege (config `visitAppKeys`; default none). */
  visitAppKeys?: readonly string[]
}): CredentialsService {
  const { db, clock } = deps
  const acceptDefault = deps.acceptDefaultAppKey ?? true
  const visitDigests = (deps.visitAppKeys ?? []).map(digest)
  /** The account's active app keys as digests (invalidated when keys are added or revoked). */
  const appKeyDigests = createAccountCache<Array<{ id: number; digest: Buffer }>>({
    clock,
    invalidation: deps.invalidation,
  })
  const hasVisitPrivilege = (given: Buffer): boolean => {
    let found = false
    for (const candidate of visitDigests) if (timingSafeEqual(given, candidate)) found = true
    return found
  }
  return {
    async authenticateAppKey(accountId, appKey) {
      const given = digest(appKey)
      if (acceptDefault && timingSafeEqual(given, DEFAULT_APP_KEY_DIGEST)) {
        return { kind: 'visitorApp', accountId, appKeyId: DEFAULT_APP_KEY_ID, visitPrivilege: hasVisitPrivilege(given) }
      }
      // An account has a handful of keys; comparing each digest in constant time avoids an index
      // lookup on the secret itself, whose timing would depend on the key's value.
      const keys =
        (await appKeyDigests.get(accountId, '', async () =>
          (await credentialsRepository.listAppKeys(db, accountId)).map((key) => ({
            id: key.id,
            digest: digest(key.appKey),
          })),
        )) ?? []
      let matched: number | undefined
      for (const key of keys) {
        if (timingSafeEqual(given, key.digest)) matched = key.id
      }
      if (matched === undefined) throw new ParleyError('APP_KEY_REJECTED', 'appKey rejected')
      return { kind: 'visitorApp', accountId, appKeyId: matched, visitPrivilege: hasVisitPrivilege(given) }
    },
    findApiKey: (accountId, consumerKey) => credentialsRepository.findApiKey(db, accountId, consumerKey),
    useNonce: (consumerKey, nonce, ttlMs) =>
      credentialsRepository.useNonce(db, { consumerKey, nonce, now: clock.now(), ttlMs }),
  }
}

// Fixed-length digests, so `timingSafeEqual` applies whatever the lengths of the keys compared.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

const DEFAULT_APP_KEY_DIGEST = digest(DEFAULT_APP_KEY)
