import { beforeAll, describe, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { agentClient, fakeChatHooks, useAgentTestApp, type AgentClient } from '../support/agent-api.ts'
import { configApi, type ConfigApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const ORIGIN = 'http://localhost:80'
const TOKEN_REJECTED =
  'oauth_problem=token_rejected&oauth_problem_advice=the oauth_token is unacceptable to the Service Provider'
const PASSWORD = 'agent-pass-123'
const json = { accept: 'application/json' }
const jsonBody = { 'content-type': 'application/json' }
const putOverride = { 'x-http-method-override': 'PUT', 'content-type': 'application/json' }

describeEachDialect('Chat Agent API: agent sessions and availability', (dialect) => {
  const hooks = fakeChatHooks()
  const ctx = useAgentTestApp(dialect, hooks)
  let account: TestAccount
  let api: ConfigApi
  const skills = { sales: 0, billing: 0, support: 0 }
  const users = { natalie: 0, bob: 0, carl: 0 }

  const createUser = async (loginName: string, fields: Record<string, unknown>): Promise<number> => {
    const response = await api.post('/le-users/users', {
      loginName,
      passwordSh: PASSWORD,
      nickname: loginName,
      email: `${loginName}@example.com`,
      ...fields,
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json<{ id: number }>().id
  }
  const bearerOf = async (loginName: string): Promise<string> =>
    (await login(ctx.app, account.accountId, loginName, PASSWORD)).bearer
  const clientOf = async (loginName: string): Promise<AgentClient> =>
    agentClient(ctx.app, account.accountId, `Bearer ${await bearerOf(loginName)}`)
  const sessionUrl = (id: string) => `${ORIGIN}/api/account/${account.accountId}/agentSession/${id}`

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    api = configApi(
      ctx.app,
      account.accountId,
      (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer,
    )
    const skill = async (name: string) => (await api.post('/le-users/skills', { name })).json<{ id: number }>().id
    skills.sales = await skill('Sales')
    skills.billing = await skill('Billing')
    skills.support = await skill('Support')
    users.natalie = await createUser('natalie', {
      fullName: 'Natalie Smith',
      nickname: 'Nat',
      maxChats: 4,
      skillIds: [skills.sales, skills.billing],
    })
    users.bob = await createUser('bob', { maxChats: -1, skillIds: [skills.sales] })
    users.carl = await createUser('carl', { maxChats: 2, skillIds: [skills.support], permissionGroups: ['1', '2'] })
  })

  describe('A1 start agent session', () => {
    it('answers 201 with Location and agentSessionLocation in JSON for every accepted body', async () => {
      const client = await clientOf('bob')
      for (const body of ['{"loginData": ""}', '{"loginData": {}}', '', '{}']) {
        const response = await client.request('POST', '.json?v=1&NC=true', { body, headers: jsonBody })
        expect(response.statusCode, body).toBe(201)
        const location = String(response.headers.location)
        expect(location).toMatch(new RegExp(`^${sessionUrl('')}\\d{15,16}$`))
        expect(Number.isSafeInteger(Number(location.split('/').pop()))).toBe(true)
        expect(response.headers['content-type']).toBe('application/json; charset=UTF-8')
        expect(response.body).toBe(
          JSON.stringify({ agentSessionLocation: { link: { '@href': location, '@rel': 'location' } } }),
        )
      }
    })

    it('answers XML without a suffix or Accept, and accepts an XML body', async () => {
      const client = await clientOf('bob')
      const response = await client.request('POST', '?v=1&NC=true', {
        body: '<loginData/>',
        headers: { 'content-type': 'application/xml' },
      })
      expect(response.statusCode).toBe(201)
      const location = String(response.headers.location)
      expect(response.body).toBe(
        `${XML}<agentSessionLocation><link href="${location}" rel="location"/></agentSessionLocation>`,
      )
    })

    it('gives every session a different random id', async () => {
      const client = await clientOf('bob')
      const ids = new Set([await client.start(), await client.start(), await client.start()])
      expect(ids.size).toBe(3)
    })

    it('rejects a bad bearer with the plain-text token_rejected body, whatever loginData holds', async () => {
      const client = agentClient(ctx.app, account.accountId, 'Bearer 0123abcd')
      const response = await client.request('POST', '.json', {
        body: { loginData: { userName: 'bob', password: PASSWORD } },
        headers: jsonBody,
      })
      expect(response.statusCode).toBe(401)
      expect(response.headers['content-type']).toBe('text/plain; charset=UTF-8')
      expect(response.body).toBe(TOKEN_REJECTED)
    })

    it('answers 401 without credentials', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/agentSession.json`,
        payload: { loginData: '' },
      })
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ error: { message: 'Unauthorized', internalCode: 10 } })
    })

    it('checks legacy loginData credentials like a login and carries the session in a cookie', async () => {
      const base = `/api/account/${account.accountId}/agentSession`
      const wrong = await ctx.app.inject({
        method: 'POST',
        url: `${base}.json`,
        payload: { loginData: { userName: 'natalie', password: 'wrong-password' } },
      })
      expect(wrong.statusCode).toBe(401)
      expect(wrong.json()).toMatchObject({
        error: { message: 'Bad Authentication (invalid site or agent)', internalCode: 10 },
      })

      const response = await ctx.app.inject({
        method: 'POST',
        url: `${base}.json?v=1&NC=true`,
        payload: { loginData: { userName: 'NATALIE', password: PASSWORD } },
      })
      expect(response.statusCode, response.body).toBe(201)
      const cookie = response.cookies.find((c) => c.name === 'parley_agent_bearer')
      expect(cookie).toMatchObject({ path: base, httpOnly: true })
      const id = String(response.headers.location).split('/').pop()!
      const info = await ctx.app.inject({
        method: 'GET',
        url: `${base}/${id}/info.json`,
        cookies: { parley_agent_bearer: cookie!.value },
      })
      expect(info.statusCode).toBe(200)
      expect(info.json()).toMatchObject({ info: { loginName: 'natalie' } })
      await ctx.app.inject({ method: 'DELETE', url: `${base}/${id}`, cookies: { parley_agent_bearer: cookie!.value } })

      const xml = await ctx.app.inject({
        method: 'POST',
        url: `${base}?v=1&NC=true`,
        headers: { 'content-type': 'text/xml' },
        payload: `<loginData><userName>natalie</userName><password>${PASSWORD}</password></loginData>`,
      })
      expect(xml.statusCode, xml.body).toBe(201)
      expect(xml.body).toMatch(
        /^<\?xml .*\?><agentSessionLocation><link href="[^"]+" rel="location"\/><\/agentSessionLocation>$/,
      )
      const xmlId = String(xml.headers.location).split('/').pop()!
      const xmlCookie = xml.cookies.find((c) => c.name === 'parley_agent_bearer')!.value
      const ended = await ctx.app.inject({
        method: 'POST',
        url: `${base}/${xmlId}`,
        headers: { 'x-http-method-override': 'DELETE' },
        cookies: { parley_agent_bearer: xmlCookie },
      })
      expect(ended.statusCode).toBe(200)
    })

    it('accepts an OAuth 1.0a key bound to a user with the agent permission, and refuses other keys', async () => {
      const signedStart = (key: {
        consumerKey: string
        consumerSecret: string
        accessToken: string
        accessTokenSecret: string
      }) => {
        const url = `http://localhost/api/account/${account.accountId}/agentSession.json?v=1&NC=true`
        return ctx.app.inject({
          method: 'POST',
          url: `/api/account/${account.accountId}/agentSession.json?v=1&NC=true`,
          headers: {
            host: 'localhost',
            'content-type': 'application/json',
            authorization: signRequest({
              method: 'POST',
              url,
              consumerKey: key.consumerKey,
              consumerSecret: key.consumerSecret,
              token: key.accessToken,
              tokenSecret: key.accessTokenSecret,
              timestamp: Math.floor(ctx.clock.now() / 1000),
            }),
          },
          payload: { loginData: '' },
        })
      }
      const bound = await ctx.services.accounts.createApiKey(account.accountId, {
        permissions: ['agent'],
        userId: users.carl,
      })
      const ok = await signedStart(bound)
      expect(ok.statusCode, ok.body).toBe(201)
      const id = String(ok.headers.location).split('/').pop()!
      const carl = await clientOf('carl')
      expect((await carl.request('GET', `/${id}/info.json`)).json()).toMatchObject({ info: { loginName: 'carl' } })
      await carl.request('DELETE', `/${id}`)

      const unbound = await ctx.services.accounts.createApiKey(account.accountId, { permissions: ['agent'] })
      expect((await signedStart(unbound)).statusCode).toBe(403)
      const noAgent = await ctx.services.accounts.createApiKey(account.accountId, {
        permissions: ['engagementHistory'],
        userId: users.carl,
      })
      const refused = await signedStart(noAgent)
      expect(refused.statusCode).toBe(403)
      expect(refused.json()).toMatchObject({ error: { message: 'Unauthorized account access', internalCode: 10 } })
    })
  })

  describe('A2 agent session resource', () => {
    it('lists the six links in order, in JSON and XML', async () => {
      const client = await clientOf('bob')
      const id = await client.start()
      const url = sessionUrl(id)
      const response = await client.request('GET', `/${id}.json?v=1&NC=true`)
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe(
        JSON.stringify({
          agentSession: {
            link: [
              { '@href': url, '@rel': 'self' },
              { '@href': `${url}/availability`, '@rel': 'availability' },
              { '@href': `${url}/info`, '@rel': 'info' },
              { '@href': `${url}/incomingRequests`, '@rel': 'incoming-requests' },
              { '@href': `${url}/chatSessions`, '@rel': 'chat-sessions' },
              { '@href': `${url}/availableAgents`, '@rel': 'available-agents' },
            ],
          },
        }),
      )
      const xml = await client.request('GET', `/${id}`)
      expect(xml.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(xml.body).toBe(
        `${XML}<agentSession><link href="${url}" rel="self"/><link href="${url}/availability" rel="availability"/>` +
          `<link href="${url}/info" rel="info"/><link href="${url}/incomingRequests" rel="incoming-requests"/>` +
          `<link href="${url}/chatSessions" rel="chat-sessions"/><link href="${url}/availableAgents" rel="available-agents"/></agentSession>`,
      )
    })

    it('adds the open chats with cs=1 as an always-array list without @ keys', async () => {
      const client = await clientOf('bob')
      const id = await client.start()
      const url = sessionUrl(id)
      const key = 'H31879676690579736-632532233958645150K8414055'
      hooks.chats.set(`${account.accountId}|${users.bob}`, [{ chatId: key, startTime: 1440934609097 }])
      const response = await client.request('GET', `/${id}?cs=1`, { headers: json })
      expect(response.json()).toEqual({
        agentSession: {
          link: expect.any(Array),
          chatSessions: {
            chatSession: [
              {
                link: { href: `${url}/chat/${key}`, rel: 'chat-session' },
                chatSessionKey: key,
                startTime: 1440934609097,
              },
            ],
          },
        },
      })
      const xml = await client.request('GET', `/${id}.xml?cs=1`)
      expect(xml.body).toContain(
        `<chatSessions><chatSession><link><href>${url}/chat/${key}</href><rel>chat-session</rel></link>` +
          `<chatSessionKey>${key}</chatSessionKey><startTime>1440934609097</startTime></chatSession></chatSessions></agentSession>`,
      )
      hooks.chats.clear()
      const empty = await client.request('GET', `/${id}.json?cs=1`)
      expect(empty.json().agentSession.chatSessions).toEqual({ chatSession: [] })
      expect((await client.request('GET', `/${id}.json`)).json().agentSession.chatSessions).toBeUndefined()
    })
  })

  describe('A3 / A4 availability', () => {
    it('starts Online and shows it in JSON and XML', async () => {
      const client = await clientOf('natalie')
      const id = await client.start()
      const response = await client.request('GET', `/${id}/availability.json?v=1&NC=true`)
      expect(response.body).toBe('{"availability":{"chat":"Online","voice":"Offline"}}')
      const xml = await client.request('GET', `/${id}/availability`, { headers: { accept: '*/*' } })
      expect(xml.body).toBe(`${XML}<availability><chat>Online</chat><voice>Offline</voice></availability>`)
      await client.request('DELETE', `/${id}`)
    })

    it('sets availability through POST + override and real PUT, case-insensitively, echoing chatReasonId', async () => {
      const client = await clientOf('natalie')
      const id = await client.start()
      const away = await client.request('POST', `/${id}/availability.json?v=1&NC=true`, {
        body: { availability: { chat: 'away', chatReasonId: 12 } },
        headers: putOverride,
      })
      expect(away.statusCode).toBe(200)
      expect(away.body).toBe('{"availability":{"chat":"Away","voice":"Offline","chatReasonId":"12"}}')
      expect((await client.request('GET', `/${id}/availability.json`)).body).toBe(away.body)

      const occupied = await client.request('PUT', `/${id}/availability`, {
        body: '<availability><chat>OCCUPIED</chat></availability>',
        headers: { 'content-type': 'application/xml' },
      })
      expect(occupied.statusCode).toBe(200)
      expect(occupied.body).toBe(`${XML}<availability><chat>Occupied</chat><voice>Offline</voice></availability>`)

      const routedBefore = hooks.routed.length
      const online = await client.request('PUT', `/${id}/availability.json`, {
        body: { availability: { chat: 'Online' } },
        headers: jsonBody,
      })
      expect(online.json()).toEqual({ availability: { chat: 'Online', voice: 'Offline' } })
      expect(hooks.routed.length).toBe(routedBefore + 1)
      await client.request('DELETE', `/${id}`)
    })

    it('answers 400 for any other value, and for a body without availability', async () => {
      const client = await clientOf('natalie')
      const id = await client.start()
      for (const body of [
        { availability: { chat: 'Busy' } },
        { availability: { chat: 'Offline' } },
        { availability: {} },
        { chat: 'Online' },
      ]) {
        const response = await client.request('PUT', `/${id}/availability.json`, { body, headers: jsonBody })
        expect(response.statusCode, JSON.stringify(body)).toBe(400)
        expect(response.json()).toMatchObject({ error: { internalCode: 5 } })
      }
      const xml = await client.request('PUT', `/${id}/availability`, {
        body: { availability: { chat: 'Busy' } },
        headers: jsonBody,
      })
      expect(xml.body).toMatch(
        /^<\?xml .*<error><time>.*<\/time><message>availability\.chat: .*<\/message><internalCode>5<\/internalCode><\/error>$/,
      )
      await client.request('DELETE', `/${id}`)
    })

    it('is shared by all sessions of the user, and a new session inherits it', async () => {
      const phone = await clientOf('natalie')
      const desktop = await clientOf('natalie')
      const first = await phone.start()
      const second = await desktop.start()
      await phone.request('PUT', `/${first}/availability.json`, {
        body: { availability: { chat: 'Away', chatReasonId: '7' } },
        headers: jsonBody,
      })
      expect((await desktop.request('GET', `/${second}/availability.json`)).json()).toEqual({
        availability: { chat: 'Away', voice: 'Offline', chatReasonId: '7' },
      })
      const routedBefore = hooks.routed.length
      const third = await desktop.start()
      expect((await desktop.request('GET', `/${third}/availability.json`)).json().availability.chat).toBe('Away')
      expect(hooks.routed.length).toBe(routedBefore)
      for (const id of [first, second, third]) await phone.request('DELETE', `/${id}`)

      const fresh = await phone.start()
      expect((await phone.request('GET', `/${fresh}/availability.json`)).json().availability.chat).toBe('Online')
      await phone.request('DELETE', `/${fresh}`)
    })
  })

  describe('A5 agent info', () => {
    it('shows the user as the spec example, in JSON and XML', async () => {
      const client = await clientOf('natalie')
      const id = await client.start()
      const url = sessionUrl(id)
      const response = await client.request('GET', `/${id}/info.json?v=1&NC=true`)
      expect(response.body).toBe(
        JSON.stringify({
          info: {
            link: { '@href': `${url}/info`, '@rel': 'self' },
            agentName: 'Nat',
            displayName: 'Natalie Smith',
            loginName: 'natalie',
            id: String(users.natalie),
            maxChats: '4',
            availability: { chat: 'Online', voice: 'Offline' },
            skillsInfo: {
              skillInfo: [
                { id: String(skills.sales), name: 'Sales' },
                { id: String(skills.billing), name: 'Billing' },
              ],
            },
          },
        }),
      )
      const xml = await client.request('GET', `/${id}/info`)
      expect(xml.body).toBe(
        `${XML}<info><link href="${url}/info" rel="self"/><agentName>Nat</agentName><displayName>Natalie Smith</displayName>` +
          `<loginName>natalie</loginName><id>${users.natalie}</id><maxChats>4</maxChats>` +
          `<availability><chat>Online</chat><voice>Offline</voice></availability>` +
          `<skillsInfo><skillInfo><id>${skills.sales}</id><name>Sales</name></skillInfo>` +
          `<skillInfo><id>${skills.billing}</id><name>Billing</name></skillInfo></skillsInfo></info>`,
      )
      await client.request('DELETE', `/${id}`)
    })

    it('uses the nickname as displayName without a full name, "-1" for unlimited, and a bare skillInfo for one skill', async () => {
      const client = await clientOf('bob')
      const id = await client.start()
      const info = (await client.request('GET', `/${id}/info.json`)).json().info
      expect(info).toMatchObject({
        agentName: 'bob',
        displayName: 'bob',
        maxChats: '-1',
        skillsInfo: { skillInfo: { id: String(skills.sales), name: 'Sales' } },
      })
      await client.request('DELETE', `/${id}`)
    })
  })

  describe('A6 available agents', () => {
    it('lists every enabled user with state codes, chats and privilege group, online or not', async () => {
      const nat = await clientOf('natalie')
      const bob = await clientOf('bob')
      const natSession = await nat.start()
      const bobSession = await bob.start()
      await bob.request('PUT', `/${bobSession}/availability.json`, {
        body: { availability: { chat: 'Away', chatReasonId: '3' } },
        headers: jsonBody,
      })
      hooks.load.set(account.accountId, new Map([[users.natalie, 2]]))
      const response = await nat.request('GET', `/${natSession}/availableAgents.json?v=1&NC=true`)
      expect(response.statusCode).toBe(200)
      const url = sessionUrl(natSession)
      expect(response.json()).toEqual({
        availableAgents: {
          agents: {
            agent: [
              {
                '@chatState': '1',
                '@id': String(account.adminUserId),
                '@maxChats': '-1',
                '@voiceState': '1',
                chats: '0',
                email: expect.any(String),
                nickname: expect.any(String),
                privilegeGroup: 'administrators',
                skills: {},
                userName: 'admin',
              },
              {
                '@chatState': '2',
                '@id': String(users.natalie),
                '@maxChats': '4',
                '@voiceState': '1',
                chats: '2',
                email: 'natalie@example.com',
                nickname: 'Nat',
                privilegeGroup: 'agents',
                skills: { skill: [String(skills.sales), String(skills.billing)] },
                userName: 'natalie',
              },
              {
                '@chatState': '4',
                '@id': String(users.bob),
                '@maxChats': '-1',
                '@voiceState': '1',
                chats: '0',
                chatReasonId: '3',
                email: 'bob@example.com',
                nickname: 'bob',
                privilegeGroup: 'agents',
                skills: { skill: String(skills.sales) },
                userName: 'bob',
              },
              {
                '@chatState': '1',
                '@id': String(users.carl),
                '@maxChats': '2',
                '@voiceState': '1',
                chats: '0',
                email: 'carl@example.com',
                nickname: 'carl',
                privilegeGroup: 'agentManagers',
                skills: { skill: String(skills.support) },
                userName: 'carl',
              },
            ],
          },
          link: { '@href': `${url}/availableAgents?timeStamp=${ctx.clock.now()}`, '@rel': 'next' },
        },
      })

      type Agent = { userName: string }
      type AgentList = { agents: { agent?: Agent & Agent[] }; link: Record<string, string> }
      const filtered = async (query: string): Promise<AgentList> =>
        (await nat.request('GET', `/${natSession}/availableAgents.json?${query}`)).json<{
          availableAgents: AgentList
        }>().availableAgents
      const names = (list: AgentList): string[] => (list.agents.agent ?? []).map((a) => a.userName)
      expect(names(await filtered('skill=sales'))).toEqual(['natalie', 'bob'])
      const online = await filtered('chatState=Online')
      expect(online.agents.agent?.userName).toBe('natalie')
      expect(online.link['@href']).toBe(`${url}/availableAgents?chatState=Online&timeStamp=${ctx.clock.now()}`)
      expect((await filtered('chatState=away&chatReasonId=3')).agents.agent?.userName).toBe('bob')
      expect((await filtered('chatState=Offline')).agents.agent).toHaveLength(2)
      expect((await filtered('skill=Sales&chatState=Occupied')).agents).toEqual({})
      expect((await filtered('voiceState=Online')).agents).toEqual({})
      expect((await filtered('voiceState=Offline')).agents.agent).toHaveLength(4)
      expect((await filtered('skill=Nope')).agents).toEqual({})

      const xml = await nat.request('GET', `/${natSession}/availableAgents?chatState=Online`)
      expect(xml.body).toBe(
        `${XML}<availableAgents><agents><agent chatState="2" id="${users.natalie}" maxChats="4" voiceState="1">` +
          `<chats>2</chats><email>natalie@example.com</email><nickname>Nat</nickname><privilegeGroup>agents</privilegeGroup>` +
          `<skills><skill>${skills.sales}</skill><skill>${skills.billing}</skill></skills><userName>natalie</userName></agent></agents>` +
          `<link href="${url}/availableAgents?chatState=Online&amp;timeStamp=${ctx.clock.now()}" rel="next"/></availableAgents>`,
      )
      hooks.load.clear()
      await nat.request('DELETE', `/${natSession}`)
      await bob.request('DELETE', `/${bobSession}`)
    })
  })

  describe('A7 available slots', () => {
    it('sums free slots of Online agents by skill, answers -1 for unlimited, and one agent alone', async () => {
      const nat = await clientOf('natalie')
      const bob = await clientOf('bob')
      const natSession = await nat.start()
      const bobSession = await bob.start()
      // Sessions left by earlier tests share bob's availability; start from Online.
      await bob.request('PUT', `/${bobSession}/availability.json`, {
        body: { availability: { chat: 'Online' } },
        headers: jsonBody,
      })
      hooks.load.set(account.accountId, new Map([[users.natalie, 1]]))
      const slots = async (query: string) => {
        const response = await nat.request('GET', `/${natSession}/chat/availableSlots.json?${query}&v=1&NC=true`)
        expect(response.statusCode).toBe(200)
        return response.json().availableSlots as number
      }
      expect(await slots('skill=Billing&maxWaitTime=30')).toBe(3)
      expect(await slots('skill=Sales')).toBe(-1)
      expect(await slots('skill=Support')).toBe(0)
      expect(await slots('agent=natalie')).toBe(3)
      expect(await slots('agent=BOB')).toBe(-1)
      expect(await slots('agent=carl')).toBe(0)
      await bob.request('PUT', `/${bobSession}/availability.json`, {
        body: { availability: { chat: 'Away' } },
        headers: jsonBody,
      })
      expect(await slots('skill=Sales')).toBe(3)
      expect(await slots('skill=NoSuchSkill')).toBe(3)
      expect(await slots('x=1')).toBe(3)
      const xml = await nat.request('GET', `/${natSession}/chat/availableSlots?skill=Billing`)
      expect(xml.body).toBe(`${XML}<availableSlots>3</availableSlots>`)
      hooks.load.clear()
      await nat.request('DELETE', `/${natSession}`)
      await bob.request('DELETE', `/${bobSession}`)
    })
  })

  describe('A27 end of the agent session', () => {
    it('ends the session with DELETE or POST + override; only the last session requeues and goes Offline', async () => {
      const client = await clientOf('carl')
      const first = await client.start()
      const second = await client.start()
      const requeuedBefore = hooks.requeued.length
      const deleted = await client.request('DELETE', `/${first}.json?v=1&NC=true`)
      expect(deleted.statusCode).toBe(200)
      expect(deleted.body).toBe('')
      expect(hooks.requeued.length).toBe(requeuedBefore)
      const gone = await client.request('GET', `/${first}.json`)
      expect(gone.statusCode).toBe(404)
      expect(gone.json()).toMatchObject({ error: { message: 'Resource not found', internalCode: 28 } })

      const overridden = await client.request('POST', `/${second}?v=1`, {
        headers: { 'x-http-method-override': 'DELETE' },
      })
      expect(overridden.statusCode).toBe(200)
      expect(hooks.requeued.slice(requeuedBefore)).toEqual([{ accountId: account.accountId, userId: users.carl }])
      expect((await client.request('GET', `/${second}`)).statusCode).toBe(404)
      expect((await ctx.services.agents.connectedAgents(account.accountId)).map((a) => a.userId)).not.toContain(
        users.carl,
      )
    })

    it('ends the sessions of a login session when it logs out', async () => {
      const loginDocument = await login(ctx.app, account.accountId, 'carl', PASSWORD)
      const client = agentClient(ctx.app, account.accountId, `Bearer ${loginDocument.bearer}`)
      const id = await client.start()
      const other = await clientOf('carl')
      const requeuedBefore = hooks.requeued.length
      const logout = await ctx.app.inject({
        method: 'POST',
        url: `/api/account/${account.accountId}/logout`,
        headers: { authorization: `Bearer ${loginDocument.bearer}` },
        payload: { csrf: loginDocument.csrf },
      })
      expect(logout.statusCode).toBe(200)
      expect((await other.request('GET', `/${id}.json`)).statusCode).toBe(404)
      expect(hooks.requeued.slice(requeuedBefore)).toEqual([{ accountId: account.accountId, userId: users.carl }])
    })

    it('ends sessions whose login session expired, and sessions idle for 400 s, on the sweep', async () => {
      const requeuedBefore = hooks.requeued.length
      const carl = await clientOf('carl')
      const idle = await carl.start()
      ctx.clock.advance(399_000)
      await ctx.services.agents.sweep()
      expect((await carl.request('GET', `/${idle}.json`)).statusCode).toBe(200)
      ctx.clock.advance(400_001)
      await ctx.services.agents.sweep()
      expect((await carl.request('GET', `/${idle}.json`)).statusCode).toBe(404)
      expect(hooks.requeued.slice(requeuedBefore)).toContainEqual({ accountId: account.accountId, userId: users.carl })

      const bob = await clientOf('bob')
      const kept = await bob.start()
      // Activity every 5 minutes keeps the agent session; the bearer's login session is never used again.
      const loginDocument = await login(ctx.app, account.accountId, 'carl', PASSWORD)
      const expiring = await agentClient(ctx.app, account.accountId, `Bearer ${loginDocument.bearer}`).start()
      const keeper = await clientOf('carl')
      for (let elapsed = 0; elapsed <= ctx.config.sessionTtlMs; elapsed += 300_000) {
        ctx.clock.advance(300_000)
        await ctx.services.agents.sweep()
        if (elapsed < ctx.config.sessionTtlMs - 300_000) {
          const poll = await keeper.request('GET', `/${expiring}.json`)
          expect(poll.statusCode, `after ${elapsed} ms`).toBe(200)
        }
        await bob.request('GET', `/${kept}.json`)
      }
      expect((await keeper.request('GET', `/${expiring}.json`)).statusCode).toBe(404)
      expect((await bob.request('GET', `/${kept}.json`)).statusCode).toBe(200)
      await bob.request('DELETE', `/${kept}`)
    })
  })

  describe('isolation and errors', () => {
    it("answers 404 for another user's session, an unknown id and a malformed id", async () => {
      const nat = await clientOf('natalie')
      const bob = await clientOf('bob')
      const id = await nat.start()
      for (const path of [
        `/${id}`,
        `/${id}/availability`,
        `/${id}/info`,
        `/${id}/availableAgents`,
        `/${id}/chat/availableSlots`,
      ]) {
        const response = await bob.request('GET', `${path}.json`)
        expect(response.statusCode, path).toBe(404)
      }
      expect((await bob.request('DELETE', `/${id}`)).statusCode).toBe(404)
      expect((await nat.request('GET', '/1234567890123456.json')).statusCode).toBe(404)
      expect((await nat.request('GET', '/abc.json')).statusCode).toBe(404)
      expect((await nat.request('GET', `/${id}.json`)).statusCode).toBe(200)
      await nat.request('DELETE', `/${id}`)
    })

    it('keeps accounts apart: a bearer of another account is rejected, a session id of another account is 404', async () => {
      const other = await createAccount(ctx.services)
      const otherAdmin = agentClient(
        ctx.app,
        other.accountId,
        `Bearer ${(await login(ctx.app, other.accountId, other.adminLogin, other.adminPassword)).bearer}`,
      )
      const otherSession = await otherAdmin.start()
      const natBearer = await bearerOf('natalie')
      const nat = agentClient(ctx.app, account.accountId, `Bearer ${natBearer}`)
      const natSession = await nat.start()

      const crossBearer = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${other.accountId}/agentSession/${otherSession}.json`,
        headers: { authorization: `Bearer ${natBearer}` },
      })
      expect(crossBearer.statusCode).toBe(401)
      expect(crossBearer.body).toBe(TOKEN_REJECTED)
      expect((await otherAdmin.request('GET', `/${natSession}.json`)).statusCode).toBe(404)
      expect((await ctx.services.agents.connectedAgents(other.accountId)).map((a) => a.loginName)).toEqual(['admin'])
      await nat.request('DELETE', `/${natSession}`)
    })

    it('answers 404 in XML without Accept, and 401 signature_invalid for a bad OAuth 1.0a signature', async () => {
      const nat = await clientOf('natalie')
      const missing = await nat.request('GET', '/1234567890123456/availability')
      expect(missing.statusCode).toBe(404)
      expect(missing.body).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8" standalone="yes"\?><error><time>[^<]+<\/time><message>Resource not found<\/message><internalCode>28<\/internalCode><\/error>$/,
      )
      const key = await ctx.services.accounts.createApiKey(account.accountId, {
        permissions: ['agent'],
        userId: users.natalie,
      })
      const path = `/api/account/${account.accountId}/agentSession.json`
      const response = await ctx.app.inject({
        method: 'POST',
        url: path,
        headers: {
          host: 'localhost',
          authorization: signRequest({
            method: 'POST',
            url: `http://localhost${path}`,
            consumerKey: key.consumerKey,
            consumerSecret: 'not-the-secret',
            token: key.accessToken,
            tokenSecret: key.accessTokenSecret,
            timestamp: Math.floor(ctx.clock.now() / 1000),
          }),
        },
      })
      expect(response.statusCode).toBe(401)
      expect(response.body).toBe('oauth_problem=signature_invalid&oauth_problem_advice=the oauth_signature is invalid')
    })

    it('answers 404 for an unknown account and 405 with Allow for an unsupported method', async () => {
      const nat = await clientOf('natalie')
      const id = await nat.start()
      const unknown = await ctx.app.inject({ method: 'GET', url: `/api/account/nope123/agentSession/${id}.json` })
      expect(unknown.statusCode).toBe(404)
      const post = await nat.request('POST', `/${id}/availability.json`, { body: {}, headers: jsonBody })
      expect(post.statusCode).toBe(405)
      expect(post.headers.allow).toBe('GET, PUT')
      expect(post.json()).toMatchObject({ error: { message: 'Method POST not allowed', internalCode: 28 } })
      await nat.request('DELETE', `/${id}`)
    })
  })

  describe('AgentDirectory for the chat engine', () => {
    it('lists connected agents only, with skills, maxChats and shared availability', async () => {
      const directory = ctx.services.agents
      expect(
        (await directory.connectedAgents(account.accountId)).filter((a) => a.userId !== account.adminUserId),
      ).toEqual([])
      const routedBefore = hooks.routed.length
      const nat = await clientOf('natalie')
      const natSession = await nat.start()
      expect(hooks.routed.length).toBe(routedBefore + 1)
      const agents = await directory.connectedAgents(account.accountId)
      expect(agents).toEqual([
        {
          userId: users.natalie,
          loginName: 'natalie',
          nickname: 'Nat',
          fullName: 'Natalie Smith',
          skillIds: [skills.sales, skills.billing],
          maxChats: 4,
          memberGroupId: -1,
          availability: 'Online',
          idleSince: ctx.clock.now(),
        },
      ])
      const second = await nat.start()
      expect(hooks.routed.length).toBe(routedBefore + 1)

      await directory.markAway(account.accountId, users.natalie)
      expect((await directory.connectedAgents(account.accountId))[0]?.availability).toBe('Away')
      expect((await nat.request('GET', `/${second}/availability.json`)).json().availability.chat).toBe('Away')

      await directory.markAway(account.accountId, users.bob)
      expect((await directory.connectedAgents(account.accountId)).map((a) => a.userId)).toEqual([users.natalie])
      await nat.request('DELETE', `/${natSession}`)
      await nat.request('DELETE', `/${second}`)
      expect(await directory.connectedAgents(account.accountId)).toEqual([])
    })

    it('drops agents whose user is disabled and ends their sessions on the sweep', async () => {
      const bob = await clientOf('bob')
      const id = await bob.start()
      // Earlier tests moved the clock past the admin's login session lifetime.
      const admin = configApi(
        ctx.app,
        account.accountId,
        (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer,
      )
      const user = (await admin.get(`/le-users/users/${users.bob}`)).json()
      const disabled = await admin.put(`/le-users/users/${users.bob}`, { ...user, isEnabled: false })
      expect(disabled.statusCode, disabled.body).toBe(200)
      expect((await ctx.services.agents.connectedAgents(account.accountId)).map((a) => a.userId)).not.toContain(
        users.bob,
      )
      expect(await ctx.services.agents.sweep(account.accountId)).toBeGreaterThanOrEqual(1)
      expect(hooks.requeued.at(-1)).toEqual({ accountId: account.accountId, userId: users.bob })
      void id
    })
  })
})
