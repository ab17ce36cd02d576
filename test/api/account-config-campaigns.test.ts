import { beforeAll, expect, it } from 'vitest'
import { useTestApp } from '../support/build-app.ts'
import { adminConfigApi, idsOf, namesOf, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'

interface Named {
  id: number
  name: string
  isDefault?: boolean
}

describeEachDialect(
  'account configuration: goals, visitor behaviors, visitor profiles, lines of business',
  (dialect) => {
    const context = useTestApp(dialect)
    let api: ConfigApi

    beforeAll(async () => {
      ;({ api } = await adminConfigApi(context))
    })

    it('lists the built-ins created with the account', async () => {
      expect((await api.get('/le-goals/goals')).json()).toEqual([
        { id: expect.any(Number), name: 'Interact with visitors', description: '', deleted: false },
      ])
      expect((await api.get('/le-targeting/visitor-behaviors')).json()).toEqual([
        { id: expect.any(Number), name: 'Any behavior', description: '', isDefault: true, deleted: false },
      ])
      expect((await api.get('/le-targeting/visitor-profiles')).json()).toEqual([
        { id: expect.any(Number), name: 'All visitors', description: '', isDefault: true, deleted: false },
      ])
      expect((await api.get('/le-account/lobs')).json()).toEqual([])
    })

    for (const family of [
      { path: '/le-goals/goals', targeting: false },
      { path: '/le-targeting/visitor-behaviors', targeting: true },
      { path: '/le-targeting/visitor-profiles', targeting: true },
      { path: '/le-account/lobs', targeting: false },
    ]) {
      it(`creates, reads, updates and soft-deletes ${family.path}`, async () => {
        const created = await api.post(family.path, {
          name: 'Retail',
          description: 'Retail customers',
          isDefault: true,
        })
        expect(created.statusCode).toBe(201)
        const entity = created.json<Named>()
        expect(entity).toEqual({
          id: expect.any(Number),
          name: 'Retail',
          description: 'Retail customers',
          ...(family.targeting ? { isDefault: false } : {}),
          deleted: false,
        })
        expect(created.headers.location).toMatch(new RegExp(`${family.path}/${entity.id}$`))
        expect((await api.get(`${family.path}/${entity.id}`)).json()).toEqual(entity)

        const put = await api.put(`${family.path}/${entity.id}`, { name: 'Wholesale' })
        expect(put.json()).toMatchObject({ name: 'Wholesale', description: '' })
        const override = await api.post(
          `${family.path}/${entity.id}`,
          { name: 'Trade' },
          { 'x-http-method-override': 'PUT' },
        )
        expect(override.json()).toMatchObject({ name: 'Trade' })

        expect((await api.post(family.path, {})).statusCode).toBe(400)
        expect((await api.put(`${family.path}/${entity.id}`, { id: entity.id + 1, name: 'X' })).statusCode).toBe(400)
        expect((await api.get(`${family.path}/987654321`)).statusCode).toBe(404)

        expect((await api.del(`${family.path}/${entity.id}`)).json()).toMatchObject({ deleted: true })
        expect(idsOf(await api.get(family.path))).not.toContain(entity.id)
        expect(idsOf(await api.get(`${family.path}?include_deleted=true`))).toContain(entity.id)
        expect((await api.put(`${family.path}/${entity.id}`, { name: 'Back' })).statusCode).toBe(404)
      })
    }

    it('refuses to delete the built-ins', async () => {
      for (const path of ['/le-goals/goals', '/le-targeting/visitor-behaviors', '/le-targeting/visitor-profiles']) {
        const builtIn = (await api.get(path)).json<Named[]>()[0]!
        const response = await api.del(`${path}/${builtIn.id}`)
        expect(response.statusCode, path).toBe(400)
        expect(response.json().error.message).toContain('built-in')
      }
    })
  },
)

describeEachDialect('account configuration: campaigns and engagements', (dialect) => {
  const context = useTestApp(dialect)
  let api: ConfigApi
  let goalId: number
  let profileId: number
  let behaviorId: number
  let skillId: number

  beforeAll(async () => {
    ;({ api } = await adminConfigApi(context))
    goalId = (await api.get('/le-goals/goals')).json<Named[]>()[0]!.id
    profileId = (await api.get('/le-targeting/visitor-profiles')).json<Named[]>()[0]!.id
    behaviorId = (await api.get('/le-targeting/visitor-behaviors')).json<Named[]>()[0]!.id
    skillId = (await api.post('/le-users/skills', { name: 'Sales' })).json<Named>().id
  })

  it('creates a campaign with defaults and the documented shape', async () => {
    const response = await api.post('/le-campaigns/campaigns', { name: 'Live Chat on your site' })
    expect(response.statusCode).toBe(201)
    const campaign = response.json<Named>()
    expect(campaign).toEqual({
      id: expect.any(Number),
      name: 'Live Chat on your site',
      description: '',
      goalId,
      lobId: -1,
      status: 1,
      visitorProfiles: [profileId],
      startDate: null,
      expirationDate: null,
      engagementIds: [],
      deleted: false,
    })
    expect(response.headers.location).toMatch(new RegExp(`/le-campaigns/campaigns/${campaign.id}$`))
  })

  it('validates campaign references and values', async () => {
    const lob = (await api.post('/le-account/lobs', { name: 'Retail' })).json<Named>()
    const ok = await api.post('/le-campaigns/campaigns', {
      name: 'Full',
      lobId: String(lob.id),
      status: '0',
      startDate: '2024-05-01 10:00:00',
      expirationDate: null,
    })
    expect(ok.json()).toMatchObject({ lobId: lob.id, status: 0, startDate: '2024-05-01 10:00:00' })
    for (const [body, field] of [
      [{ name: 'x', goalId: 987654321 }, 'goalId'],
      [{ name: 'x', lobId: 987654321 }, 'lobId'],
      [{ name: 'x', visitorProfiles: [987654321] }, 'visitorProfiles'],
      [{ name: 'x', status: 7 }, 'status'],
      [{ name: 'x', startDate: 'tomorrow' }, 'startDate'],
      [{ description: 'no name' }, 'name'],
    ] as const) {
      const response = await api.post('/le-campaigns/campaigns', body)
      expect(response.statusCode, field).toBe(400)
      expect(response.json().error.message, field).toContain(field)
    }
  })

  it('manages engagements under a campaign and derives engagementIds', async () => {
    const campaign = (await api.post('/le-campaigns/campaigns', { name: 'With engagements' })).json<Named>()
    const base = `/le-campaigns/campaigns/${campaign.id}/engagements`
    const response = await api.post(base, {
      name: 'Sticky chat button',
      skillId,
      agentNote: 'VIP visitors',
    })
    expect(response.statusCode).toBe(201)
    const engagement = response.json<Named>()
    expect(engagement).toEqual({
      id: expect.any(Number),
      campaignId: campaign.id,
      name: 'Sticky chat button',
      description: '',
      enabled: true,
      channel: 1,
      skillId,
      visitorBehaviors: [behaviorId],
      agentNote: 'VIP visitors',
      deleted: false,
    })
    expect(response.headers.location).toMatch(new RegExp(`${base}/${engagement.id}$`))
    const second = (await api.post(base, { name: 'Second', enabled: 'false' })).json<Named>()
    expect(second).toMatchObject({ enabled: false, skillId: -1 })

    expect((await api.get(`/le-campaigns/campaigns/${campaign.id}`)).json()).toMatchObject({
      engagementIds: [engagement.id, second.id],
    })
    expect(namesOf(await api.get(base))).toEqual(['Sticky chat button', 'Second'])
    expect((await api.get(`${base}/${engagement.id}`)).json()).toEqual(engagement)

    const put = await api.put(`${base}/${engagement.id}`, { name: 'Renamed', channel: '2' })
    expect(put.json()).toMatchObject({ name: 'Renamed', channel: 2, skillId: -1, agentNote: '' })
    const override = await api.post(`${base}/${engagement.id}`, { name: 'Again' }, { 'x-http-method-override': 'PUT' })
    expect(override.json()).toMatchObject({ name: 'Again' })

    expect((await api.del(`${base}/${second.id}`)).json()).toMatchObject({ deleted: true })
    expect((await api.get(`/le-campaigns/campaigns/${campaign.id}`)).json()).toMatchObject({
      engagementIds: [engagement.id],
    })
    expect(idsOf(await api.get(base))).toEqual([engagement.id])
    expect(idsOf(await api.get(`${base}?include_deleted=true`))).toEqual([engagement.id, second.id])
  })

  it('validates engagements and scopes them by campaign', async () => {
    const campaign = (await api.post('/le-campaigns/campaigns', { name: 'Scoped' })).json<Named>()
    const other = (await api.post('/le-campaigns/campaigns', { name: 'Other' })).json<Named>()
    const base = `/le-campaigns/campaigns/${campaign.id}/engagements`
    expect((await api.post(base, { name: 'x', skillId: 987654321 })).statusCode).toBe(400)
    expect((await api.post(base, { name: 'x', visitorBehaviors: [987654321] })).statusCode).toBe(400)
    expect((await api.post(base, {})).statusCode).toBe(400)
    expect((await api.post('/le-campaigns/campaigns/987654321/engagements', { name: 'x' })).statusCode).toBe(404)
    expect((await api.get('/le-campaigns/campaigns/987654321/engagements')).statusCode).toBe(404)
    const engagement = (await api.post(base, { name: 'Mine' })).json<Named>()
    expect((await api.get(`/le-campaigns/campaigns/${other.id}/engagements/${engagement.id}`)).statusCode).toBe(404)
    expect((await api.put(`${base}/${engagement.id}`, { id: 1, name: 'x' })).statusCode).toBe(400)
  })

  it('soft-deletes a campaign together with its engagements', async () => {
    const campaign = (await api.post('/le-campaigns/campaigns', { name: 'Doomed' })).json<Named>()
    const base = `/le-campaigns/campaigns/${campaign.id}/engagements`
    const engagement = (await api.post(base, { name: 'Doomed button' })).json<Named>()
    const deleted = await api.del(`/le-campaigns/campaigns/${campaign.id}`)
    expect(deleted.json()).toMatchObject({ deleted: true, engagementIds: [] })
    expect(idsOf(await api.get('/le-campaigns/campaigns'))).not.toContain(campaign.id)
    expect(idsOf(await api.get('/le-campaigns/campaigns?include_deleted=true'))).toContain(campaign.id)
    expect((await api.get(`${base}/${engagement.id}`)).json()).toMatchObject({ deleted: true })
    expect((await api.post(base, { name: 'Too late' })).statusCode).toBe(404)
    expect((await api.put(`/le-campaigns/campaigns/${campaign.id}`, { name: 'Undead' })).statusCode).toBe(404)
  })

  it('updates a campaign with PUT and POST + override', async () => {
    const campaign = (await api.post('/le-campaigns/campaigns', { name: 'Editable', status: 0 })).json<Named>()
    const put = await api.put(`/le-campaigns/campaigns/${campaign.id}`, { name: 'Edited', engagementIds: [5] })
    expect(put.json()).toMatchObject({ name: 'Edited', status: 1, engagementIds: [] })
    const override = await api.post(
      `/le-campaigns/campaigns/${campaign.id}`,
      { name: 'Edited again' },
      { 'x-http-method-override': 'PUT' },
    )
    expect(override.json()).toMatchObject({ name: 'Edited again' })
    expect((await api.get('/le-campaigns/campaigns/987654321')).statusCode).toBe(404)
  })
})
