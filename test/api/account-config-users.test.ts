import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { adminConfigApi, configApi, CONFIG_DATE, idsOf, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login, type TestAccount } from '../support/factories.ts'

describeEachDialect('account configuration: users', (dialect) => {
  const context = useTestApp(dialect)
  let account: TestAccount
  let api: ConfigApi
  let skillId: number

  beforeAll(async () => {
    ;({ account, api } = await adminConfigApi(context))
    skillId = (await api.post('/le-users/skills', { name: 'Sales' })).json<{ id: number }>().id
  })

  const natalie = (overrides: Record<string, unknown> = {}) => ({
    loginName: 'natalie@example.com',
    passwordSh: 's3cret!pass',
    fullName: 'Natalie Smith',
    nickname: 'Natalie',
    email: 'natalie@example.com',
    isEnabled: true,
    maxChats: 4,
    skillIds: [skillId],
    memberOf: { agentGroupId: -1 },
    permissionGroups: ['1'],
    ...overrides,
  })

  it('creates a user with the documented shape and never returns the password', async () => {
    const response = await api.post('/le-users/users', natalie())
    expect(response.statusCode).toBe(201)
    const user = response.json()
    expect(user).toEqual({
      id: expect.any(Number),
      loginName: 'natalie@example.com',
      fullName: 'Natalie Smith',
      nickname: 'Natalie',
      email: 'natalie@example.com',
      isEnabled: true,
      maxChats: 4,
      skillIds: [skillId],
      memberOf: { agentGroupId: -1, assignmentDate: expect.stringMatching(CONFIG_DATE) },
      managerOf: [],
      permissionGroups: ['1'],
      deleted: false,
      dateUpdated: expect.stringMatching(CONFIG_DATE),
    })
    expect(Object.keys(user)).toEqual([
      'id',
      'loginName',
      'fullName',
      'nickname',
      'email',
      'isEnabled',
      'maxChats',
      'skillIds',
      'memberOf',
      'managerOf',
      'permissionGroups',
      'deleted',
      'dateUpdated',
    ])
    expect(response.body).not.toContain('passwordSh')
    expect(response.body).not.toContain('scrypt')
    expect(response.headers.location).toMatch(new RegExp(`/configuration/le-users/users/${user.id}$`))
    expect(JSON.stringify((await api.get(`/le-users/users/${user.id}`)).json())).not.toContain('password')
  })

  it('lets the created user log in, case-insensitively', async () => {
    await api.post('/le-users/users', natalie({ loginName: 'Loginable', email: 'l@example.com' }))
    const session = await login(context.app, account.accountId, 'loginable', 's3cret!pass')
    expect(session.bearer).toMatch(/^[0-9a-f]{64}$/)
  })

  it('applies defaults, accepts numeric permission groups and strings for numbers and booleans', async () => {
    const response = await api.post('/le-users/users', {
      loginName: 'defaults',
      passwordSh: 'defaults-pass',
      nickname: 'D',
      email: 'd@example.com',
      maxChats: '2',
      isEnabled: 'true',
      skillIds: [String(skillId)],
      permissionGroups: [2, '4'],
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({
      fullName: '',
      isEnabled: true,
      maxChats: 2,
      skillIds: [skillId],
      memberOf: { agentGroupId: -1 },
      managerOf: [],
      permissionGroups: ['2', '4'],
    })
    const minimal = await api.post('/le-users/users', {
      loginName: 'minimal',
      passwordSh: 'minimal-pass',
      nickname: 'M',
      email: 'm@example.com',
    })
    expect(minimal.json()).toMatchObject({ maxChats: -1, skillIds: [], permissionGroups: ['1'], isEnabled: true })
  })

  it('rejects missing fields, unknown skills and groups, bad permission groups and short passwords with 400', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...natalie({ loginName: 'a1' }), nickname: undefined }, 'nickname'],
      [{ ...natalie({ loginName: 'a2' }), passwordSh: undefined }, 'passwordSh'],
      [natalie({ loginName: 'a3', skillIds: [987654321] }), 'skillIds'],
      [natalie({ loginName: 'a3b', skillIds: [-1] }), 'skillIds'],
      [natalie({ loginName: 'a4', memberOf: { agentGroupId: 987654321 } }), 'memberOf'],
      [natalie({ loginName: 'a5', managerOf: [{ agentGroupId: 987654321 }] }), 'managerOf'],
      [natalie({ loginName: 'a6', permissionGroups: ['9'] }), 'permissionGroups'],
      [natalie({ loginName: 'a7', passwordSh: 'short' }), 'passwordSh'],
      [natalie({ loginName: 'a8', maxChats: 'many' }), 'maxChats'],
      [natalie({ loginName: 'a9', maxChats: -2 }), 'maxChats'],
      [natalie({ loginName: 'a10', skillIds: 'abc' }), 'skillIds'],
    ]
    for (const [body, field] of cases) {
      const response = await api.post('/le-users/users', body)
      expect(response.statusCode, field).toBe(400)
      expect(response.json().error.message, field).toContain(field)
    }
  })

  it('rejects a deleted skill on a user', async () => {
    const skill = (await api.post('/le-users/skills', { name: 'Retired' })).json<{ id: number }>()
    await api.del(`/le-users/skills/${skill.id}`)
    const response = await api.post('/le-users/users', natalie({ loginName: 'retiree', skillIds: [skill.id] }))
    expect(response.statusCode).toBe(400)
  })

  it('rejects a duplicate login name case-insensitively with 409', async () => {
    await api.post('/le-users/users', natalie({ loginName: 'Twin' }))
    const response = await api.post('/le-users/users', natalie({ loginName: 'TWIN' }))
    expect(response.statusCode).toBe(409)
    expect(response.json().error.message).toContain('loginName')
  })

  it('updates a user, keeping the password when passwordSh is null or absent', async () => {
    const user = (await api.post('/le-users/users', natalie({ loginName: 'updatable' }))).json<{ id: number }>()
    const group = (await api.post('/le-users/agentGroups', { name: 'Managed' })).json<{ id: number }>()
    const put = await api.put(`/le-users/users/${user.id}`, {
      loginName: 'updatable',
      passwordSh: null,
      nickname: 'Up',
      email: 'up@example.com',
      managerOf: [{ agentGroupId: group.id }],
      memberOf: { agentGroupId: group.id },
      permissionGroups: ['1', '2'],
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({
      nickname: 'Up',
      fullName: '',
      maxChats: -1,
      skillIds: [],
      memberOf: { agentGroupId: group.id },
      managerOf: [{ agentGroupId: group.id, assignmentDate: expect.stringMatching(CONFIG_DATE) }],
      permissionGroups: ['1', '2'],
    })
    await login(context.app, account.accountId, 'updatable', 's3cret!pass')

    const override = await api.post(
      `/le-users/users/${user.id}`,
      { loginName: 'updatable', passwordSh: 'a-new-password', nickname: 'Up', email: 'up@example.com' },
      { 'x-http-method-override': 'PUT' },
    )
    expect(override.statusCode).toBe(200)
    await login(context.app, account.accountId, 'updatable', 'a-new-password')
    await expect(login(context.app, account.accountId, 'updatable', 's3cret!pass')).rejects.toThrow(/401/)
  })

  it('ends the bearer of a user who is disabled', async () => {
    await api.post('/le-users/users', natalie({ loginName: 'admin2', permissionGroups: ['4'] }))
    const session = await login(context.app, account.accountId, 'admin2', 's3cret!pass')
    const theirApi = configApi(context.app, account.accountId, session.bearer)
    const me = (await theirApi.get('/le-users/users')).json<Array<{ id: number; loginName: string }>>()
    const id = me.find((user) => user.loginName === 'admin2')!.id
    expect(
      (await api.put(`/le-users/users/${id}`, natalie({ loginName: 'admin2', isEnabled: false }))).statusCode,
    ).toBe(200)
    expect((await theirApi.get('/le-users/skills')).statusCode).toBe(401)
    await expect(login(context.app, account.accountId, 'admin2', 's3cret!pass')).rejects.toThrow(/401/)
  })

  it('soft-deletes a user, ends their sessions and frees the login name', async () => {
    const user = (await api.post('/le-users/users', natalie({ loginName: 'leaving' }))).json<{ id: number }>()
    const session = await login(context.app, account.accountId, 'leaving', 's3cret!pass')
    const deleted = await api.del(`/le-users/users/${user.id}`)
    expect(deleted.statusCode).toBe(200)
    expect(deleted.json()).toMatchObject({ id: user.id, deleted: true })
    expect(idsOf(await api.get('/le-users/users'))).not.toContain(user.id)
    expect(idsOf(await api.get('/le-users/users?include_deleted=true'))).toContain(user.id)
    expect((await api.get(`/le-users/users/${user.id}`)).json()).toMatchObject({ deleted: true })
    expect((await api.put(`/le-users/users/${user.id}`, natalie({ loginName: 'leaving' }))).statusCode).toBe(404)
    // The deleted user's bearer no longer works anywhere.
    expect((await configApi(context.app, account.accountId, session.bearer).get('/le-users/skills')).statusCode).toBe(
      401,
    )
    expect((await api.post('/le-users/users', natalie({ loginName: 'leaving' }))).statusCode).toBe(201)
  })

  it('answers 404 for unknown users and 400 for an id mismatch', async () => {
    expect((await api.get('/le-users/users/987654321')).statusCode).toBe(404)
    const user = (await api.post('/le-users/users', natalie({ loginName: 'mismatch' }))).json<{ id: number }>()
    const response = await api.put(`/le-users/users/${user.id}`, { ...natalie({ loginName: 'mismatch' }), id: 1 })
    expect(response.statusCode).toBe(400)
  })

  it('lists the admin created with the account', async () => {
    const users = (await api.get('/le-users/users')).json<Array<{ loginName: string; permissionGroups: string[] }>>()
    expect(users[0]).toMatchObject({ loginName: 'admin', permissionGroups: ['4'] })
  })
})
