import { expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount } from '../support/live-chat.ts'
import { visitorClient } from './visitor-chat-app.ts'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The agent workspace's two Parley extensions of the Chat Agent API (docs/console.md): the
 * ringing chats with skill, wait and first answers, and A1's `availability` for a first session.
 */
describeEachDialect('console workspace extensions of the Chat Agent API', (dialect) => {
  // Its own database: the engine's timers route and archive only this file's chats.
  const ctx = useTestApp(dialect, { env: { PARLEY_GEOIP_CITY_DB: 'none' }, privateDatabase: true })
  const json = { 'content-type': 'application/json' }

  const setup = async () => {
    const live = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'] },
        { nickname: 'Omar', skills: ['Billing'] },
      ],
    })
    const survey = (
      await ctx.services.accountConfig.surveys.create(
        SYSTEM_CALLER,
        { accountId: live.accountId },
        {
          name: 'Pre-chat',
          type: 'preChat',
          isDefault: true,
          questions: [
            { type: 'Text Field', label: 'What is your name?' },
            { type: 'Dropdown Box', label: 'Topic', entries: [{ value: 'Buying' }, { value: 'Support' }] },
          ],
        },
      )
    ).value
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const visitor = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    const agentOf = async (loginName: string) =>
      agentClient(
        ctx.app,
        live.accountId,
        `Bearer ${(await login(ctx.app, live.accountId, loginName, 'pw-agent-123456')).bearer}`,
      )
    return { live, survey, visitor, natalie: await agentOf('natalie'), omar: await agentOf('omar') }
  }

  it('lists the chats ringing this agent with skill, wait, pre-chat answers and first lines (JSON), none for others', async () => {
    const s = await setup()
    const natSession = await s.natalie.start()
    const omarSession = await s.omar.start()
    const requested = ctx.clock.now()
    await s.visitor.requestChat({
      request: {
        skill: 'Sales',
        preChatLines: { line: ['Hello <img src=x onerror=alert(1)>', 'second line'] },
        survey: {
          id: s.survey.id,
          question: [
            { id: 2, answer: 'Support' },
            { id: 1, answer: 'Ada' },
          ],
        },
      },
    })
    ctx.clock.advance(7_000)
    const response = await s.natalie.request('GET', `/${natSession}/parley/ringingChats.json?v=1&NC=true`)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.json<Json>()).toEqual({
      ringingChats: {
        ringingCount: 1,
        chat: [
          {
            skillId: s.live.skills.Sales,
            skillName: 'Sales',
            visitorName: 'visitor',
            requestTime: new Date(requested).toISOString(),
            requestTimeL: requested,
            waitTime: 7,
            ringTime: 7,
            transferred: false,
            // Question order, not answer order; text as sent (the console renders it as text).
            preChatSurvey: [
              { question: 'What is your name?', answer: 'Ada' },
              { question: 'Topic', answer: 'Support' },
            ],
            firstLines: ['Hello <img src=x onerror=alert(1)>', 'second line'],
          },
        ],
      },
    })
    // A8 counts the same chats.
    const a8 = await s.natalie.request('GET', `/${natSession}/incomingRequests.json?v=1`)
    expect(a8.json<Json>().incomingRequests.ringingCount).toBe('1')

    // Omar (Billing) has nothing ringing: an empty list, never another agent's chat.
    const omar = await s.omar.request('GET', `/${omarSession}/parley/ringingChats.json?v=1`)
    expect(omar.statusCode).toBe(200)
    expect(omar.json<Json>()).toEqual({ ringingChats: { ringingCount: 0, chat: [] } })

    // Accepted, it rings no more.
    const accepted = await s.natalie.request('POST', `/${natSession}/incomingRequests.json?v=1`, {
      body: {},
      headers: json,
    })
    expect(accepted.statusCode).toBe(201)
    const after = await s.natalie.request('GET', `/${natSession}/parley/ringingChats.json?v=1`)
    expect(after.json<Json>()).toEqual({ ringingChats: { ringingCount: 0, chat: [] } })
  })

  it('answers XML too, with the visitor text escaped', async () => {
    const s = await setup()
    const natSession = await s.natalie.start()
    await s.visitor.requestChat({ request: { skill: 'Sales', preChatLines: { line: 'Hi <b>you</b> & co' } } })
    const response = await s.natalie.request('GET', `/${natSession}/parley/ringingChats?v=1`, {
      headers: { accept: 'application/xml' },
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/xml/)
    expect(response.body).toContain('<ringingChats><ringingCount>1</ringingCount><chat>')
    expect(response.body).toContain('<skillName>Sales</skillName>')
    expect(response.body).toContain('<transferred>false</transferred>')
    expect(response.body).toContain('<firstLines>Hi &lt;b&gt;you&lt;/b&gt; &amp; co</firstLines>')
    expect(response.body).not.toContain('<b>')
  })

  it('is 404 for an unknown session or another user’s session, 401 without or with a rejected bearer', async () => {
    const s = await setup()
    const natSession = await s.natalie.start()
    const omarSession = await s.omar.start()
    const foreign = await s.natalie.request('GET', `/${omarSession}/parley/ringingChats.json?v=1`)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json<Json>().error.internalCode).toBe(28)
    const unknown = await s.natalie.request('GET', '/123456789/parley/ringingChats.json?v=1')
    expect(unknown.statusCode).toBe(404)
    const path = `/api/account/${s.live.accountId}/agentSession/${natSession}/parley/ringingChats.json?v=1`
    expect((await ctx.app.inject({ method: 'GET', url: path })).statusCode).toBe(401)
    const rejected = await ctx.app.inject({ method: 'GET', url: path, headers: { authorization: 'Bearer nope' } })
    expect(rejected.statusCode).toBe(401)
    expect(rejected.body).toMatch(/^oauth_problem=token_rejected/)
    expect((await s.natalie.request('POST', `/${natSession}/parley/ringingChats.json?v=1`)).statusCode).toBe(405)
  })

  it('A1 availability=Away starts a first session Away (no chat rings), is shared by a second session, and is validated', async () => {
    const s = await setup()
    const start = (query: string, format = '.json') =>
      s.natalie.request('POST', `${format}?v=1&NC=true&${query}`, { body: { loginData: '' }, headers: json })
    const away = await start('availability=away')
    expect(away.statusCode, away.body).toBe(201)
    const session = String(away.headers.location).split('/').pop()!
    const state = await s.natalie.request('GET', `/${session}/availability.json?v=1`)
    expect(state.json<Json>().availability.chat).toBe('Away')
    await s.visitor.requestChat({ request: { skill: 'Sales' } })
    const ringing = await s.natalie.request('GET', `/${session}/parley/ringingChats.json?v=1`)
    expect(ringing.json<Json>().ringingChats.ringingCount).toBe(0)

    // A second session shares the user's availability: availability=Online does not change it …
    const second = await start('availability=Online')
    expect(second.statusCode).toBe(201)
    expect((await s.natalie.request('GET', `/${session}/availability.json?v=1`)).json<Json>().availability.chat).toBe(
      'Away',
    )
    // … and going Online (A4) rings the waiting chat.
    const online = await s.natalie.request('PUT', `/${session}/availability.json?v=1`, {
      body: { availability: { chat: 'Online' } },
      headers: json,
    })
    expect(online.statusCode).toBe(200)
    const now = await s.natalie.request('GET', `/${session}/parley/ringingChats.json?v=1`)
    expect(now.json<Json>().ringingChats.ringingCount).toBe(1)

    // Values other than A4's are a 400 envelope, in JSON and XML, and open no session.
    const bad = await start('availability=Offline')
    expect(bad.statusCode).toBe(400)
    expect(bad.json<Json>().error).toMatchObject({
      internalCode: 5,
      message: expect.stringMatching(/Online, Away or Occupied/),
    })
    const badXml = await s.natalie.request('POST', '?v=1&availability=busy', {
      body: '<loginData/>',
      headers: { 'content-type': 'application/xml', accept: 'application/xml' },
    })
    expect(badXml.statusCode).toBe(400)
    expect(badXml.body).toContain('<internalCode>5</internalCode>')
  })

  it('A1 availability=byRole starts Admins and Agent Managers Away, agents Online', async () => {
    const s = await setup()
    await ctx.services.accountConfig.users.create(
      SYSTEM_CALLER,
      { accountId: s.live.accountId },
      {
        loginName: 'mia',
        password: 'pw-agent-123456',
        nickname: 'Mia',
        email: 'mia@example.invalid',
        permissionGroups: ['1', '2'],
      },
    )
    const startAs = async (loginName: string, password: string) => {
      const bearer = (await login(ctx.app, s.live.accountId, loginName, password)).bearer
      const client = agentClient(ctx.app, s.live.accountId, `Bearer ${bearer}`)
      const started = await client.request('POST', '.json?v=1&availability=byRole', {
        body: { loginData: '' },
        headers: json,
      })
      expect(started.statusCode, started.body).toBe(201)
      const session = String(started.headers.location).split('/').pop()!
      return String((await client.request('GET', `/${session}/availability.json?v=1`)).json<Json>().availability.chat)
    }
    expect(await startAs('admin', 'pw-admin-123456')).toBe('Away')
    expect(await startAs('mia', 'pw-agent-123456')).toBe('Away')
    expect(await startAs('natalie', 'pw-agent-123456')).toBe('Online')
  })
})
