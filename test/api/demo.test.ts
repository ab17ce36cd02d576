import { expect, it } from 'vitest'
import { createDemoAccount } from '../../src/cli/demo.ts'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'

describeEachDialect('Demo account', (dialect) => {
  const ctx = useTestApp(dialect)

  it('has an admin, two agents with a skill each in one group, and a campaign with an engagement, all usable', async () => {
    const demo = await createDemoAccount(ctx.services)
    const admin = await login(ctx.app, 'demo', 'admin', demo.admin.password)
    const get = async (path: string) => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/demo/configuration/${path}`,
        headers: { authorization: `Bearer ${admin.bearer}` },
      })
      expect(response.statusCode, path).toBe(200)
      return response.json<unknown>()
    }
    const skills = (await get('le-users/skills')) as Array<{ id: number; name: string }>
    expect(skills.map((skill) => skill.name).sort()).toEqual(['Sales', 'Support'])
    const users = (await get('le-users/users')) as Array<{
      loginName: string
      skillIds: number[]
      memberOf: { agentGroupId: number }
    }>
    for (const agent of demo.agents) {
      const user = users.find((u) => u.loginName === agent.loginName)
      expect(user?.skillIds).toEqual([skills.find((skill) => skill.name === agent.skill)?.id])
      expect(user?.memberOf.agentGroupId).toBe(demo.agentGroup.id)
      await expect(login(ctx.app, 'demo', agent.loginName, agent.password)).resolves.toMatchObject({
        bearer: expect.any(String),
      })
    }
    const campaigns = (await get('le-campaigns/campaigns')) as Array<{ id: number; engagementIds: number[] }>
    expect(campaigns).toEqual([
      expect.objectContaining({ id: demo.campaign.id, engagementIds: [demo.campaign.engagementId] }),
    ])
    const csds = await ctx.app.inject({ method: 'GET', url: '/api/account/demo/service/agentVep/baseURI.json' })
    expect(csds.statusCode).toBe(200)
    expect(demo.apiKey.secret).toMatch(/^[0-9a-f]{32}$/)
    // The demo API key reads the Operational Realtime API (docs/operational-realtime.md).
    const path = '/operations/api/account/demo/queuestate?v=1'
    const realtime = await ctx.app.inject({
      method: 'GET',
      url: path,
      headers: {
        host: 'localhost',
        authorization: signRequest({
          method: 'GET',
          url: `http://localhost${path}`,
          consumerKey: demo.apiKey.appKey,
          consumerSecret: demo.apiKey.secret,
          token: demo.apiKey.accessToken,
          tokenSecret: demo.apiKey.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        }),
      },
    })
    expect(realtime.statusCode, realtime.body).toBe(200)
  })
})
