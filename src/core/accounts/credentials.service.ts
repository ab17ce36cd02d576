import type { Actor } from '../actor.ts'
import type { Clock } from '../clock.ts'
import { ParleyError } from '../errors.ts'
import { credentialsRepository } from '../../storage/repositories/credentials.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { ApiKey } from './accounts.types.ts'

export interface CredentialsService {
  /** Resolves a visitor app key of this account; APP_KEY_REJECTED otherwise (also for another account's key). */
  authenticateAppKey(accountId: string, appKey: string): Promise<Actor & { kind: 'visitorApp' }>
  /** The active API key with this consumer key in this account, if any. */
  findApiKey(accountId: string, consumerKey: string): Promise<ApiKey | undefined>
  /** Records a nonce for the key; false when it was already used within `ttlMs`. */
  useNonce(consumerKey: string, nonce: string, ttlMs: number): Promise<boolean>
}

export function createCredentialsService(deps: { db: Executor; clock: Clock }): CredentialsService {
  const { db, clock } = deps
  return {
    async authenticateAppKey(accountId, appKey) {
      const key = await credentialsRepository.findAppKey(db, accountId, appKey)
      if (!key) throw new ParleyError('APP_KEY_REJECTED', 'appKey rejected')
      return { kind: 'visitorApp', accountId, appKeyId: key.id }
    },
    findApiKey: (accountId, consumerKey) => credentialsRepository.findApiKey(db, accountId, consumerKey),
    useNonce: (consumerKey, nonce, ttlMs) =>
      credentialsRepository.useNonce(db, { consumerKey, nonce, now: clock.now(), ttlMs }),
  }
}
