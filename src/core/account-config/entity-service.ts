import { ADMIN, type Account } from '../accounts/accounts.types.ts'
import type { Clock } from '../clock.ts'
import { ParleyError, invalid, notFound } from '../errors.ts'
import { accountsRepository } from '../../storage/repositories/accounts.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { UnitOfWork } from '../../storage/unit-of-work.ts'
import type { ConfigCaller, ConfigEntity } from './account-config.types.ts'

/** Where an entity lives: its account, and for campaign engagements their campaign. */
export interface AccountScope {
  accountId: string
}
export interface CampaignScope extends AccountScope {
  campaignId: number
}

/** A result together with the account revision it was read at or produced, and the account's time zone. */
export interface Versioned<T> {
  value: T
  revision: number
  timeZone: string
}

export interface ListOptions {
  includeDeleted?: boolean | undefined
}

export interface WriteOptions {
  /**
   * The revision the caller last saw (`If-Match`); -1 or absent skips the check, any other
   * value that differs from the current revision fails with PRECONDITION_FAILED.
   */
  expectedRevision?: number | undefined
}

/**
 * Operations every configuration entity offers. Each method checks access first (an Admin user
 * of the account, or the system caller), and every write runs in one transaction that also
 * increments the account revision.
 */
export interface EntityService<T extends ConfigEntity, I, S extends AccountScope = AccountScope> {
  /** Non-deleted entities by id (built-ins first); deleted ones too with `includeDeleted`. */
  list(caller: ConfigCaller, scope: S, options?: ListOptions): Promise<Versioned<T[]>>
  /** The entity, also when deleted; RESOURCE_NOT_FOUND when the account has no such id. */
  get(caller: ConfigCaller, scope: S, id: number): Promise<Versioned<T>>
  create(caller: ConfigCaller, scope: S, input: I): Promise<Versioned<T>>
  /** Creates every input or none, with one revision increment. */
  createMany(caller: ConfigCaller, scope: S, inputs: readonly I[]): Promise<Versioned<T[]>>
  /** Replaces the entity (missing optional fields take their defaults); deleted entities are not found. */
  update(caller: ConfigCaller, scope: S, id: number, input: I, options?: WriteOptions): Promise<Versioned<T>>
  /** Soft delete: the entity stays readable by id with `deleted: true`. */
  remove(caller: ConfigCaller, scope: S, id: number, options?: WriteOptions): Promise<Versioned<T>>
}

/**
 * How one entity kind is read, validated and written. `prepare` runs outside the transaction
 * (password hashing); `resolve` runs inside it and turns an input into stored values, applying
 * defaults and checking references and uniqueness.
 */
export interface EntityKind<T extends ConfigEntity, I, P, V, S extends AccountScope = AccountScope> {
  /** Human label used in messages, e.g. `skill`. */
  label: string
  list(db: Executor, scope: S, includeDeleted: boolean): Promise<T[]>
  find(db: Executor, scope: S, id: number): Promise<T | undefined>
  /** Virtual entities that are not stored (the root agent group); they cannot be changed. */
  builtIns?(account: Account): T[]
  /** Checks the path's parent entity exists (and, for writes, is not deleted). */
  checkScope?(db: Executor, scope: S, write: boolean): Promise<void>
  prepare(input: I, mode: 'create' | 'update'): Promise<P>
  resolve(tx: Executor, scope: S, input: P, existing: T | undefined): Promise<V>
  insert(tx: Executor, scope: S, values: V, now: number): Promise<number>
  /** `caller` made the change (a user changing their own password keeps the session they made it with). */
  update(tx: Executor, scope: S, existing: T, values: V, now: number, caller: ConfigCaller): Promise<void>
  /** Throws when the entity may not be deleted (built-ins, groups with members). */
  checkDelete?(tx: Executor, scope: S, existing: T): Promise<void>
  remove(tx: Executor, scope: S, existing: T, now: number): Promise<void>
  /** Side effects of a change in the same transaction (ending a disabled user's sessions). */
  afterChange?(tx: Executor, scope: S, entity: T, now: number): Promise<void>
}

export interface EntityServiceDeps {
  db: Executor
  uow: UnitOfWork
  clock: Clock
}

/**
 * Access rule of the whole configuration API: Admin users of the account, OAuth 1.0a API keys of the
 * account with `configRead` (reads) or `configWrite` (reads and writes), or Parley itself.
 */
export function requireConfigAccess(caller: ConfigCaller, accountId: string, access: 'read' | 'write'): void {
  if (caller.kind === 'system') return
  if (caller.kind === 'user' && caller.accountId === accountId && caller.permissionGroups.includes(ADMIN)) return
  if (caller.kind === 'apiKey' && caller.accountId === accountId) {
    if (caller.permissions.includes('configWrite')) return
    if (access === 'read' && caller.permissions.includes('configRead')) return
  }
  throw new ParleyError('FORBIDDEN', 'Unauthorized account access')
}

async function loadAccount(db: Executor, accountId: string): Promise<Account> {
  const account = await accountsRepository.findById(db, accountId)
  if (!account) throw new ParleyError('ACCOUNT_NOT_FOUND', `Account ${accountId} not found`)
  return account
}

/** The generic list/get/create/update/delete flow shared by every entity kind. */
export function createEntityService<T extends ConfigEntity, I, P, V, S extends AccountScope>(
  kind: EntityKind<T, I, P, V, S>,
  deps: EntityServiceDeps,
): EntityService<T, I, S> {
  const { db, uow, clock } = deps

  const builtInsOf = (account: Account): T[] => kind.builtIns?.(account) ?? []

  const findIn = async (executor: Executor, account: Account, scope: S, id: number): Promise<T | undefined> =>
    builtInsOf(account).find((entity) => entity.id === id) ?? (await kind.find(executor, scope, id))

  /** Runs a change: revision first (it locks the account row on PostgreSQL, serialising writers). */
  const write = async <R>(
    scope: S,
    options: WriteOptions,
    change: (tx: Executor, account: Account, now: number) => Promise<R>,
  ): Promise<Versioned<R>> =>
    uow.withTransaction(async (tx) => {
      const now = clock.now()
      const account = await loadAccount(tx, scope.accountId)
      const revision = await accountsRepository.bumpRevision(tx, scope.accountId, now)
      const expected = options.expectedRevision
      if (expected !== undefined && expected !== -1 && expected !== revision - 1) {
        throw new ParleyError('PRECONDITION_FAILED', `Revision mismatch: current revision is ${revision - 1}`)
      }
      await kind.checkScope?.(tx, scope, true)
      return { value: await change(tx, account, now), revision, timeZone: account.timeZone }
    })

  const insertOne = async (tx: Executor, scope: S, input: P, now: number): Promise<T> => {
    const values = await kind.resolve(tx, scope, input, undefined)
    const id = await kind.insert(tx, scope, values, now)
    const created = await kind.find(tx, scope, id)
    if (!created) throw notFound()
    await kind.afterChange?.(tx, scope, created, now)
    return created
  }

  const requireChangeable = async (tx: Executor, account: Account, scope: S, id: number): Promise<T> => {
    if (builtInsOf(account).some((entity) => entity.id === id)) {
      throw invalid('id', `the built-in ${kind.label} ${id} cannot be changed`)
    }
    const existing = await kind.find(tx, scope, id)
    if (!existing || existing.deleted) throw notFound()
    return existing
  }

  const reread = async (tx: Executor, scope: S, id: number): Promise<T> => {
    const entity = await kind.find(tx, scope, id)
    if (!entity) throw notFound()
    return entity
  }

  return {
    async list(caller, scope, options = {}) {
      requireConfigAccess(caller, scope.accountId, 'read')
      const account = await loadAccount(db, scope.accountId)
      await kind.checkScope?.(db, scope, false)
      const stored = await kind.list(db, scope, options.includeDeleted === true)
      return { value: [...builtInsOf(account), ...stored], revision: account.revision, timeZone: account.timeZone }
    },

    async get(caller, scope, id) {
      requireConfigAccess(caller, scope.accountId, 'read')
      const account = await loadAccount(db, scope.accountId)
      await kind.checkScope?.(db, scope, false)
      const entity = await findIn(db, account, scope, id)
      if (!entity) throw notFound()
      return { value: entity, revision: account.revision, timeZone: account.timeZone }
    },

    async create(caller, scope, input) {
      requireConfigAccess(caller, scope.accountId, 'write')
      const prepared = await kind.prepare(input, 'create')
      return write(scope, {}, (tx, _account, now) => insertOne(tx, scope, prepared, now))
    },

    async createMany(caller, scope, inputs) {
      requireConfigAccess(caller, scope.accountId, 'write')
      const prepared: P[] = []
      for (const input of inputs) prepared.push(await kind.prepare(input, 'create'))
      return write(scope, {}, async (tx, _account, now) => {
        const created: T[] = []
        for (const input of prepared) created.push(await insertOne(tx, scope, input, now))
        return created
      })
    },

    async update(caller, scope, id, input, options = {}) {
      requireConfigAccess(caller, scope.accountId, 'write')
      const prepared = await kind.prepare(input, 'update')
      return write(scope, options, async (tx, account, now) => {
        const existing = await requireChangeable(tx, account, scope, id)
        const values = await kind.resolve(tx, scope, prepared, existing)
        await kind.update(tx, scope, existing, values, now, caller)
        const updated = await reread(tx, scope, id)
        await kind.afterChange?.(tx, scope, updated, now)
        return updated
      })
    },

    async remove(caller, scope, id, options = {}) {
      requireConfigAccess(caller, scope.accountId, 'write')
      return write(scope, options, async (tx, account, now) => {
        const existing = await requireChangeable(tx, account, scope, id)
        await kind.checkDelete?.(tx, scope, existing)
        await kind.remove(tx, scope, existing, now)
        const deleted = await reread(tx, scope, id)
        await kind.afterChange?.(tx, scope, deleted, now)
        return deleted
      })
    },
  }
}
