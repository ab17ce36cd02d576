import { beforeAll, expect, it } from 'vitest'
import { formatConfigDate } from '../../src/core/time.ts'
import { useTestApp } from '../support/build-app.ts'
import { adminConfigApi, configApi, CONFIG_DATE, idsOf, namesOf, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

describeEachDialect('account configuration: skills', (dialect) => {
  const context = useTestApp(dialect)
  let api: ConfigApi

  beforeAll(async () => {
    ;({ api } = await adminConfigApi(context))
  })

  it('creates a skill with 201, Location and the documented shape', async () => {
    const response = await api.post('/le-users/skills?v=2.0', { name: 'Sales', description: 'Sales questions' })
    expect(response.statusCode).toBe(201)
    const body = response.json()
    expect(body).toEqual({
      id: expect.any(Number),
      name: 'Sales',
      description: 'Sales questions',
      maxWaitTime: 120,
      deleted: false,
      dateUpdated: expect.stringMatching(CONFIG_DATE),
    })
    expect(Object.keys(body)).toEqual(['id', 'name', 'description', 'maxWaitTime', 'deleted', 'dateUpdated'])
    expect(body.id).toBeGreaterThan(0)
    expect(response.headers.location).toBe(`http://localhost:80${api.base}/le-users/skills/${body.id}`)
    expect(response.headers['content-type']).toContain('application/json')
  })

  it('accepts numbers as strings and ignores read-only and unknown fields', async () => {
    const response = await api.post('/le-users/skills', {
      name: 'Strings',
      maxWaitTime: '45',
      deleted: true,
      dateUpdated: 'x',
      bogus: 1,
    })
    expect(response.statusCode).toBe(201)
    expect(response.json()).toMatchObject({ name: 'Strings', maxWaitTime: 45, deleted: false })
    expect(response.json()).not.toHaveProperty('bogus')
  })

  it('creates several skills from an array body, without Location', async () => {
    const response = await api.post('/le-users/skills', [{ name: 'Batch A' }, { name: 'Batch B' }])
    expect(response.statusCode).toBe(201)
    expect(response.headers.location).toBeUndefined()
    expect(namesOf(response)).toEqual(['Batch A', 'Batch B'])
  })

  it('rejects a duplicate name case-insensitively with 409, also within a batch', async () => {
    await api.post('/le-users/skills', { name: 'Billing' })
    const duplicate = await api.post('/le-users/skills', { name: 'BILLING' })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json().error.message).toContain('name')
    const batch = await api.post('/le-users/skills', [{ name: 'Unique one' }, { name: 'billing' }])
    expect(batch.statusCode).toBe(409)
    const list = await api.get('/le-users/skills')
    expect(namesOf(list)).not.toContain('Unique one')
  })

  it('rejects a missing name and a wrong type with 400 naming the field', async () => {
    const missing = await api.post('/le-users/skills', { description: 'no name' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error).toMatchObject({ internalCode: 5, message: expect.stringContaining('name') })
    const wrongType = await api.post('/le-users/skills', { name: 'Typed', maxWaitTime: 'soon' })
    expect(wrongType.statusCode).toBe(400)
    expect(wrongType.json().error.message).toContain('maxWaitTime')
    const malformed = await app().inject({
      method: 'POST',
      url: `${api.base}/le-users/skills`,
      headers: { authorization: `Bearer ${api.bearer}`, 'content-type': 'application/json' },
      payload: '{"name":',
    })
    expect(malformed.statusCode).toBe(400)
  })

  const app = () => context.app

  it('gets, updates (PUT and POST + override) and soft-deletes a skill', async () => {
    const created = (await api.post('/le-users/skills', { name: 'Lifecycle', maxWaitTime: 30 })).json()
    const path = `/le-users/skills/${created.id}`
    expect((await api.get(path)).json()).toEqual(created)

    const put = await api.put(path, { id: created.id, name: 'Lifecycle 2' })
    expect(put.statusCode).toBe(200)
    // PUT replaces: the omitted maxWaitTime returns to its default.
    expect(put.json()).toMatchObject({ id: created.id, name: 'Lifecycle 2', maxWaitTime: 120 })

    const override = await api.post(
      path,
      { name: 'Lifecycle 3', maxWaitTime: '10' },
      { 'x-http-method-override': 'PUT' },
    )
    expect(override.statusCode).toBe(200)
    expect(override.json()).toMatchObject({ name: 'Lifecycle 3', maxWaitTime: 10 })

    const deleted = await api.post(path, undefined, { 'x-http-method-override': 'DELETE' })
    expect(deleted.statusCode).toBe(200)
    expect(deleted.json()).toMatchObject({ id: created.id, deleted: true })

    expect((await api.get(path)).json()).toMatchObject({ deleted: true })
    expect(idsOf(await api.get('/le-users/skills'))).not.toContain(created.id)
    expect(idsOf(await api.get('/le-users/skills?include_deleted=true'))).toContain(created.id)

    expect((await api.put(path, { name: 'Zombie' })).statusCode).toBe(404)
    expect((await api.del(path)).statusCode).toBe(404)
    // The name of a deleted skill is free again.
    expect((await api.post('/le-users/skills', { name: 'Lifecycle 3' })).statusCode).toBe(201)
  })

  it('answers 404 for unknown ids and 400 for an id mismatch on PUT', async () => {
    expect((await api.get('/le-users/skills/999999999')).statusCode).toBe(404)
    expect((await api.get('/le-users/skills/999999999')).json().error).toMatchObject({
      message: 'Resource not found',
      internalCode: 28,
    })
    expect((await api.get('/le-users/skills/-1')).statusCode).toBe(404)
    const created = (await api.post('/le-users/skills', { name: 'Mismatch' })).json()
    const mismatch = await api.put(`/le-users/skills/${created.id}`, { id: created.id + 1, name: 'Mismatch' })
    expect(mismatch.statusCode).toBe(400)
    expect(mismatch.json().error.message).toContain('id')
    const sameAsString = await api.put(`/le-users/skills/${created.id}`, { id: String(created.id), name: 'Mismatch' })
    expect(sameAsString.statusCode).toBe(200)
  })

  it('never answers 500 for hostile input', async () => {
    expect((await api.post('/le-users/skills', { name: 'nul\u0000byte' })).statusCode).toBe(400)
    expect((await api.post('/le-users/skills', { name: 'Huge', maxWaitTime: 1e20 })).statusCode).toBe(400)
    expect((await api.get('/le-users/skills/99999999999999999999')).statusCode).toBe(400)
    expect((await api.get('/le-users/skills/abc')).statusCode).toBe(400)
    expect((await api.post('/le-users/skills', 'not json', { 'content-type': 'text/plain' })).statusCode).toBeLessThan(
      500,
    )
    expect((await api.post('/le-users/skills', [])).statusCode).toBe(400)
    const badItem = await api.post('/le-users/skills', [{ name: 'Fine' }, { description: 'no name' }])
    expect(badItem.statusCode).toBe(400)
    expect(badItem.json().error.message).toContain('body.1.name')
  })

  it('formats dates in the account time zone', async () => {
    const { api: zoned } = await adminConfigApi(context, { timeZone: 'America/New_York' })
    const skill = (await zoned.post('/le-users/skills', { name: 'Zoned' })).json<{ dateUpdated: string }>()
    expect(skill.dateUpdated).toBe(formatConfigDate(context.clock.now(), 'America/New_York'))
  })

  it('supports select and fields', async () => {
    await api.post('/le-users/skills', { name: 'Selected' })
    const selected = (await api.get('/le-users/skills?select=id,name,unknown')).json()
    expect(Object.keys(selected[0])).toEqual(['id', 'name'])
    const fields = (await api.get('/le-users/skills?fields=name&fields=deleted')).json()
    expect(Object.keys(fields[0])).toEqual(['name', 'deleted'])
    const onlyUnknown = (await api.get('/le-users/skills?select=nothing')).json()
    expect(Object.keys(onlyUnknown[0])).toContain('maxWaitTime')
  })
})

describeEachDialect('account configuration: access and revisions', (dialect) => {
  const context = useTestApp(dialect)
  let account: TestAccount
  let api: ConfigApi

  beforeAll(async () => {
    ;({ account, api } = await adminConfigApi(context))
  })

  it('answers 401 without a bearer and with an unknown one', async () => {
    const none = await context.app.inject({ method: 'GET', url: `${api.base}/le-users/skills` })
    expect(none.statusCode).toBe(401)
    expect(none.json().error).toMatchObject({ message: 'Unauthorized', internalCode: 10 })
    const unknown = await configApi(context.app, account.accountId, 'f'.repeat(64)).get('/le-users/skills')
    expect(unknown.statusCode).toBe(401)
  })

  it('answers 401 for a bearer of another account', async () => {
    const other = await adminConfigApi(context)
    const crossed = configApi(context.app, account.accountId, other.api.bearer)
    expect((await crossed.get('/le-users/skills')).statusCode).toBe(401)
  })

  it('answers 404 for an unknown account and another account’s entity id', async () => {
    const unknownAccount = await context.app.inject({
      method: 'GET',
      url: '/api/account/nosuchaccount/configuration/le-users/skills',
      headers: { authorization: `Bearer ${api.bearer}` },
    })
    expect(unknownAccount.statusCode).toBe(404)
    const other = await adminConfigApi(context)
    const foreign = (await other.api.post('/le-users/skills', { name: 'Foreign' })).json()
    expect((await api.get(`/le-users/skills/${foreign.id}`)).statusCode).toBe(404)
    expect((await api.put(`/le-users/skills/${foreign.id}`, { name: 'Stolen' })).statusCode).toBe(404)
    expect((await api.del(`/le-users/skills/${foreign.id}`)).statusCode).toBe(404)
    const foreignGroup = (await other.api.post('/le-users/agentGroups', { name: 'Foreign group' })).json()
    expect((await api.get(`/le-users/agentGroups/${foreignGroup.id}`)).statusCode).toBe(404)
  })

  it('answers 403 to a user without the Admin permission group', async () => {
    const agent = await api.post('/le-users/users', {
      loginName: 'plain.agent',
      passwordSh: 'agent-password-1',
      nickname: 'Agent',
      email: 'agent@example.com',
      permissionGroups: ['1'],
    })
    expect(agent.statusCode).toBe(201)
    const { bearer } = await login(context.app, account.accountId, 'plain.agent', 'agent-password-1')
    const forbidden = await configApi(context.app, account.accountId, bearer).get('/le-users/skills')
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json().error).toMatchObject({ message: 'Unauthorized account access', internalCode: 10 })
  })

  it('increments the revision on every change and honours If-Match', async () => {
    const before = await api.get('/le-users/skills')
    const revision = Number(before.headers['ac-revision'])
    expect(revision).toBeGreaterThan(0)
    expect(before.headers.etag).toBe(`"${revision}"`)

    const created = await api.post('/le-users/skills', { name: 'Revisioned' })
    expect(Number(created.headers['ac-revision'])).toBe(revision + 1)
    expect(created.headers.etag).toBe(`"${revision + 1}"`)
    const id = created.json().id

    const notModified = await api.get(`/le-users/skills/${id}`, { 'if-match': `"${revision + 1}"` })
    expect(notModified.statusCode).toBe(304)
    expect(notModified.body).toBe('')
    const listNotModified = await api.get('/le-users/skills', { 'if-match': String(revision + 1) })
    expect(listNotModified.statusCode).toBe(304)
    expect((await api.get(`/le-users/skills/${id}`, { 'if-match': `"${revision}"` })).statusCode).toBe(200)

    const stale = await api.put(`/le-users/skills/${id}`, { name: 'Stale' }, { 'if-match': `"${revision}"` })
    expect(stale.statusCode).toBe(412)
    expect((await api.del(`/le-users/skills/${id}`, { 'if-match': `"${revision}"` })).statusCode).toBe(412)
    expect((await api.get(`/le-users/skills/${id}`)).json().name).toBe('Revisioned')

    const fresh = await api.put(`/le-users/skills/${id}`, { name: 'Fresh' }, { 'if-match': `"${revision + 1}"` })
    expect(fresh.statusCode).toBe(200)
    expect(Number(fresh.headers['ac-revision'])).toBe(revision + 2)
    const any = await api.put(`/le-users/skills/${id}`, { name: 'Any' }, { 'if-match': '-1' })
    expect(any.statusCode).toBe(200)
    expect(Number(any.headers['ac-revision'])).toBe(revision + 3)
    const batch = await api.post('/le-users/skills', [{ name: 'Rev A' }, { name: 'Rev B' }])
    expect(Number(batch.headers['ac-revision'])).toBe(revision + 4)
  })

  it('does not change the revision when a change is rejected', async () => {
    const revision = Number((await api.get('/le-users/skills')).headers['ac-revision'])
    expect((await api.post('/le-users/skills', { description: 'no name' })).statusCode).toBe(400)
    expect((await api.post('/le-users/users', { loginName: 'x' })).statusCode).toBe(400)
    expect(Number((await api.get('/le-users/skills')).headers['ac-revision'])).toBe(revision)
  })

  it('reports the revision in the login document', async () => {
    const revision = Number((await api.get('/le-users/skills')).headers['ac-revision'])
    const response = await context.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/login`,
      payload: { username: account.adminLogin, password: account.adminPassword },
    })
    expect(response.json().accountData.agentGroupsData.revision).toBe(revision)
  })

  it('answers 405 for an unsupported method on a collection', async () => {
    const response = await context.app.inject({
      method: 'PUT',
      url: `${api.base}/le-users/skills`,
      headers: { authorization: `Bearer ${api.bearer}` },
      payload: {},
    })
    expect(response.statusCode).toBe(405)
  })
})

describeEachDialect('account configuration: agent groups', (dialect) => {
  const context = useTestApp(dialect)
  let api: ConfigApi

  beforeAll(async () => {
    ;({ api } = await adminConfigApi(context))
  })

  it('lists the built-in Main Group first and reads it by id', async () => {
    const list = (await api.get('/le-users/agentGroups')).json()
    expect(list[0]).toMatchObject({ id: -1, name: 'Main Group', parentGroupId: null, isEnabled: true, deleted: false })
    expect((await api.get('/le-users/agentGroups/-1')).json()).toMatchObject({ id: -1, name: 'Main Group' })
  })

  it('refuses to update or delete the built-in group', async () => {
    expect((await api.put('/le-users/agentGroups/-1', { name: 'Renamed' })).statusCode).toBe(400)
    expect((await api.del('/le-users/agentGroups/-1')).statusCode).toBe(400)
  })

  it('creates, updates and deletes a group', async () => {
    const created = await api.post('/le-users/agentGroups', {
      name: 'Night shift',
      description: 'a new group of agents',
    })
    expect(created.statusCode).toBe(201)
    const group = created.json()
    expect(group).toEqual({
      id: expect.any(Number),
      name: 'Night shift',
      description: 'a new group of agents',
      parentGroupId: -1,
      isEnabled: true,
      deleted: false,
      dateUpdated: expect.stringMatching(CONFIG_DATE),
    })
    expect(created.headers.location).toMatch(new RegExp(`/le-users/agentGroups/${group.id}$`))
    // A group named like the built-in root is allowed (names need not be unique).
    expect((await api.post('/le-users/agentGroups', { name: 'Main Group' })).statusCode).toBe(201)

    const child = (await api.post('/le-users/agentGroups', { name: 'Child', parentGroupId: String(group.id) })).json()
    expect(child.parentGroupId).toBe(group.id)

    const updated = await api.post(
      `/le-users/agentGroups/${group.id}`,
      { name: 'Late shift', isEnabled: 'false' },
      { 'X-HTTP-Method-Override': 'put' },
    )
    expect(updated.statusCode).toBe(200)
    expect(updated.json()).toMatchObject({ name: 'Late shift', isEnabled: false, parentGroupId: -1 })

    // A group cannot become its own descendant.
    expect(
      (await api.put(`/le-users/agentGroups/${group.id}`, { name: 'Loop', parentGroupId: child.id })).statusCode,
    ).toBe(400)

    const blocked = await api.del(`/le-users/agentGroups/${group.id}`)
    expect(blocked.statusCode).toBe(400)
    expect((await api.del(`/le-users/agentGroups/${child.id}`)).json()).toMatchObject({ deleted: true })
    expect((await api.del(`/le-users/agentGroups/${group.id}`)).json()).toMatchObject({ deleted: true })

    expect(idsOf(await api.get('/le-users/agentGroups'))).not.toContain(group.id)
    expect(idsOf(await api.get('/le-users/agentGroups?include_deleted=true'))).toContain(group.id)
    expect((await api.put(`/le-users/agentGroups/${group.id}`, { name: 'Back' })).statusCode).toBe(404)
  })

  it('refuses an unknown or deleted parent, and a missing name', async () => {
    expect((await api.post('/le-users/agentGroups', { name: 'Orphan', parentGroupId: 987654321 })).statusCode).toBe(400)
    const gone = (await api.post('/le-users/agentGroups', { name: 'Gone' })).json()
    await api.del(`/le-users/agentGroups/${gone.id}`)
    const response = await api.post('/le-users/agentGroups', { name: 'Orphan', parentGroupId: gone.id })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain('parentGroupId')
    expect((await api.post('/le-users/agentGroups', { description: 'x' })).statusCode).toBe(400)
  })

  it('refuses to delete a group that still has members', async () => {
    const group = (await api.post('/le-users/agentGroups', { name: 'Staffed' })).json()
    const user = await api.post('/le-users/users', {
      loginName: 'member',
      passwordSh: 'member-password',
      nickname: 'Member',
      email: 'm@example.com',
      memberOf: { agentGroupId: group.id },
    })
    expect(user.statusCode).toBe(201)
    const response = await api.del(`/le-users/agentGroups/${group.id}`)
    expect(response.statusCode).toBe(400)
    expect(response.json().error.message).toContain('members')
    await api.del(`/le-users/users/${user.json().id}`)
    expect((await api.del(`/le-users/agentGroups/${group.id}`)).statusCode).toBe(200)
  })

  it('keeps each account’s groups apart', async () => {
    const other = await createAccount(context.services)
    const otherLogin = await login(context.app, other.accountId, other.adminLogin, other.adminPassword)
    const otherApi = configApi(context.app, other.accountId, otherLogin.bearer)
    const list = (await otherApi.get('/le-users/agentGroups')).json()
    expect(list).toHaveLength(1)
  })
})
