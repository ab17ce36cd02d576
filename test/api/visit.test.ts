import { beforeAll, expect, it } from 'vitest'
import { agentClient, type AgentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { login } from '../support/factories.ts'
import { createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { visitorClient, type VisitorClient } from './visitor-chat-app.ts'

/** LivePerson's documented app key; this run gives it the Visit API privilege. */
const DOCUMENTED_KEY = '721c180b09eb463d9f3191c41762bb68'
const PUBLIC = 'https://chat.example.com'
const JSON_BODY = { 'content-type': 'application/json' }

const visitIdOf = (chatKey: string): string => chatKey.replace(/-[0-9a-f]+K/, 'K')

describeEachDialect('Visit resources: V22 (visitor) and A25 (agent)', (dialect) => {
  const ctx = useTestApp(dialect, { env: { PARLEY_VISIT_APP_KEYS: DOCUMENTED_KEY, PARLEY_PUBLIC_URL: PUBLIC } })
  let live: LiveAccount
  let privileged: VisitorClient
  let ordinary: VisitorClient
  let natalie: AgentClient
  let natalieSession: string
  let bob: AgentClient
  let bobSession: string
  let chatKey: string
  let visitId: string

  beforeAll(async () => {
    live = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'] },
        { nickname: 'Bob', skills: ['Billing'] },
      ],
    })
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    ordinary = visitorClient(ctx.app, live.accountId, appKey!.appKey)
    privileged = visitorClient(ctx.app, live.accountId, DOCUMENTED_KEY)
    natalie = agentClient(
      ctx.app,
      live.accountId,
      `Bearer ${(await login(ctx.app, live.accountId, 'natalie', 'pw-agent-123456')).bearer}`,
    )
    natalieSession = await natalie.start()
    bob = agentClient(
      ctx.app,
      live.accountId,
      `Bearer ${(await login(ctx.app, live.accountId, 'bob', 'pw-agent-123456')).bearer}`,
    )
    bobSession = await bob.start()

    chatKey = await ordinary.requestChat({
      request: {
        skill: 'Sales',
        chatReferrer: 'https://shop.example.com/cart',
        visitorIp: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (test)',
        LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
      },
    })
    visitId = visitIdOf(chatKey)
    await ctx.services.chat.acceptChat(live.accountId, live.agents[0]!.userId)
    const variables = await ordinary.call('PUT', `/chat/${chatKey}/customVariables.json?v=1`, {
      body: { customVariables: { customVariable: [{ name: 'orderId', value: 'A-17' }] } },
      headers: JSON_BODY,
    })
    expect(variables.statusCode).toBe(200)
  })

  it('V22 answers the visit document in JSON for an app key with the Visit API privilege', async () => {
    const response = await privileged.call('GET', `/visit/${visitId}.json?v=1`)
    expect(response.statusCode).toBe(200)
    const chat = await ctx.services.chat.getChat(live.accountId, chatKey)
    expect(response.json()).toEqual({
      visit: {
        '@id': visitId,
        link: { '@href': `${PUBLIC}/api/account/${live.accountId}/visit/${visitId}`, '@rel': 'self' },
        visitorId: Number(chat.visitorId),
        chatSessionKey: chatKey,
        customVariables: { customVariable: { name: 'orderId', value: 'A-17' } },
      },
    })
  })

  it('V22 answers XML with the id as an attribute', async () => {
    const response = await privileged.call('GET', `/visit/${visitId}?v=1`, { headers: { accept: 'application/xml' } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/xml/)
    expect(response.body).toContain(`<visit id="${visitId}">`)
    expect(response.body).toContain(`<chatSessionKey>${chatKey}</chatSessionKey>`)
    expect(response.body).toMatch(/<customVariable><name>orderId<\/name><value>A-17<\/value><\/customVariable>/)
  })

  it('V22 is a 404 without the privilege, for unknown or malformed visit ids, and for another account', async () => {
    expect((await ordinary.call('GET', `/visit/${visitId}.json`)).statusCode).toBe(404)
    const unknown = await privileged.call('GET', `/visit/H1234567890123456789K8388834.json`)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ error: { message: 'Resource not found' } })
    expect((await privileged.call('GET', `/visit/${chatKey}.json`)).statusCode).toBe(404)
    expect((await privileged.call('GET', `/visit/H%25K8388834.json`)).statusCode).toBe(404)
    const other = await createLiveAccount(ctx.services, { agents: [] })
    const elsewhere = visitorClient(ctx.app, other.accountId, DOCUMENTED_KEY)
    expect((await elsewhere.call('GET', `/visit/${visitId}.json`)).statusCode).toBe(404)
  })

  it('the chat links agents to A25, which shows the visit with its links, request fields and shark id', async () => {
    const chat = (await natalie.request('GET', `/${natalieSession}/chat/${chatKey}.json?v=1`)).json<{
      chat: { link: Array<{ '@href': string; '@rel': string }> }
    }>().chat
    const visitLink = chat.link.find((candidate) => candidate['@rel'] === 'visit-id')!
    const sessionUrl = `${PUBLIC}/api/account/${live.accountId}/agentSession/${natalieSession}`
    expect(visitLink['@href']).toBe(`${sessionUrl}/visits/visit/${visitId}`)

    const response = await natalie.request('GET', `/${natalieSession}/visits/visit/${visitId}.json?v=1`)
    expect(response.statusCode).toBe(200)
    const stored = await ctx.services.chat.getChat(live.accountId, chatKey)
    expect(response.json()).toEqual({
      visit: {
        link: [
          { '@href': `${sessionUrl}/visits/visit/${visitId}`, '@rel': 'self' },
          { '@href': `${sessionUrl}/visits/visit/${visitId}/customVariables`, '@rel': 'custom-variables' },
        ],
        visitorId: Number(stored.visitorId),
        visitorIp: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (test)',
        chatReferrer: 'https://shop.example.com/cart',
        sharkVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
      },
    })
    const xml = await natalie.request('GET', `/${natalieSession}/visits/visit/${visitId}?v=1`, {
      headers: { accept: 'application/xml' },
    })
    expect(xml.statusCode).toBe(200)
    expect(xml.body).toContain(`<link href="${sessionUrl}/visits/visit/${visitId}" rel="self"`)
    expect(xml.body).toContain('<visitorIp>203.0.113.7</visitorIp>')
  })

  it('A25 customVariables keeps the list an array (JSON) and answers XML', async () => {
    const response = await natalie.request('GET', `/${natalieSession}/visits/visit/${visitId}/customVariables.json`)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ customVariables: { customVariable: [{ name: 'orderId', value: 'A-17' }] } })
    const xml = await natalie.request('GET', `/${natalieSession}/visits/visit/${visitId}/customVariables`, {
      headers: { accept: 'application/xml' },
    })
    expect(xml.body).toMatch(/<customVariable><name>orderId<\/name><value>A-17<\/value><\/customVariable>/)
  })

  it('A25 is a 404 for an agent who may not use the chat, an unknown visit, or no credentials', async () => {
    expect((await bob.request('GET', `/${bobSession}/visits/visit/${visitId}.json`)).statusCode).toBe(404)
    expect((await bob.request('GET', `/${bobSession}/visits/visit/${visitId}/customVariables.json`)).statusCode).toBe(
      404,
    )
    expect((await natalie.request('GET', `/${natalieSession}/visits/visit/H1K8388834.json`)).statusCode).toBe(404)
    // Natalie's bearer does not open Bob's session.
    expect((await natalie.request('GET', `/${bobSession}/visits/visit/${visitId}.json`)).statusCode).toBe(404)
    const anonymous = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${live.accountId}/agentSession/${natalieSession}/visits/visit/${visitId}.json`,
    })
    expect(anonymous.statusCode).toBe(401)
  })
})
