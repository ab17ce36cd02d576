import { beforeAll, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { agentSessionsRepository } from '../../src/storage/repositories/agent-sessions.repository.ts'
import { operationalRepository } from '../../src/storage/repositories/operational.repository.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, type TestAccount } from '../support/factories.ts'

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 11, 1)

describeEachDialect('Operational history: agent state changes', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  const users = { a: 0, b: 0 }

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    const create = async (loginName: string) =>
      (
        await ctx.services.accountConfig.users.create(
          SYSTEM_CALLER,
          { accountId: account.accountId },
          { loginName, password: 'agent-pass-123', nickname: loginName, email: `${loginName}@example.com` },
        )
      ).value.id
    users.a = await create('a')
    users.b = await create('b')
    const save = (userId: number, chat: 'Online' | 'Away' | 'Offline', at: number, reason: string | null = null) =>
      agentSessionsRepository.saveAvailability(ctx.storage.db, {
        accountId: account.accountId,
        userId,
        chat,
        chatReasonId: reason,
        now: at,
      })
    await save(users.a, 'Online', T0)
    await save(users.a, 'Away', T0 + HOUR, '4')
    await save(users.a, 'Online', T0 + 30 * HOUR)
    await save(users.b, 'Online', T0 + 2 * HOUR)
    await save(users.b, 'Offline', T0 + 3 * HOUR)
  })

  const changes = (from: number, to: number) =>
    operationalRepository.stateChanges(ctx.storage.db, account.accountId, from, to)

  it('logs every saved availability and starts a window with each user’s state before it', async () => {
    const window = await changes(T0 + 2.5 * HOUR, T0 + 40 * HOUR)
    expect(window.map((change) => [change.userId, change.state, change.reasonId, change.at])).toEqual([
      [users.a, 'Away', '4', T0 + HOUR],
      [users.b, 'Online', null, T0 + 2 * HOUR],
      [users.b, 'Offline', null, T0 + 3 * HOUR],
      [users.a, 'Online', null, T0 + 30 * HOUR],
    ])
  })

  it('prunes old changes but keeps each user’s latest one before the cut', async () => {
    const deleted = await operationalRepository.pruneStateChanges(ctx.storage.db, T0 + 29 * HOUR)
    expect(deleted).toBe(2)
    // A window starting after the cut still knows a was Away (since 1 h) and b Offline.
    const window = await changes(T0 + 29.5 * HOUR, T0 + 40 * HOUR)
    expect(window.map((change) => [change.userId, change.state, change.at])).toEqual([
      [users.a, 'Away', T0 + HOUR],
      [users.b, 'Offline', T0 + 3 * HOUR],
      [users.a, 'Online', T0 + 30 * HOUR],
    ])
    expect(await operationalRepository.pruneStateChanges(ctx.storage.db, T0 + 29 * HOUR)).toBe(0)
  })
})
