import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { configApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { pollUntil } from '../support/poll-until.ts'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
/** A JSON array of objects, typed for the assertions. */
const list = (value: unknown): Json[] => value as Json[]

const SECOND = 1000
const MINUTE = 60 * SECOND
/** A 5-minute boundary, so buckets and samples are easy to count. */
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0)
const PASSWORD = 'agent-pass-123'
const jsonBody = { 'content-type': 'application/json' }
const putOverride = { 'x-http-method-override': 'PUT', 'content-type': 'application/json' }

/**
 * The scenario every figure below is checked against (times from T0, all through the real APIs):
 *   0 s   nat (Sales, maxChats 2, group Team) and bob (Sales + Support, maxChats 1) log in; bob goes Away (reason 17)
 *  60 s   visitor 1 requests Sales: it rings nat;        90 s  nat accepts (30 s wait)
 * 100 s   visitor 1 writes a line (interactive chat)
 * 120 s   visitor 2 requests Support: nobody Online serves it, it waits
 * 300 s   visitor 2 closes the chat (abandoned after 180 s)
 * 600 s   nat ends chat 1 (510 s handled)
 * 660 s   visitor 3 requests Sales: it rings nat and stays waiting
 * 900 s   now
 */
describeEachDialect('Operational Realtime API', (dialect) => {
  // The scenario advances a manual clock by hours between agent calls: agents stay present (issue 11 item 6) and their sessions alive throughout.
  // Its agent sessions must live for the whole file: another file's server sweeping idle sessions
  // of every account on a shared database would end them, so it gets a database of its own.
  const ctx = useTestApp(dialect, {
    privateDatabase: true,
    env: { PARLEY_AGENT_SESSION_IDLE_MS: String(24 * 3600 * 1000), PARLEY_AGENT_PRESENCE_MS: String(24 * 3600 * 1000) },
  })
  let account: TestAccount
  let adminBearer: string
  const skills = { sales: 0, support: 0 }
  const users = { nat: 0, bob: 0, mgr: 0, lonely: 0, agent: 0 }
  const groups = { team: 0, child: 0, other: 0 }
  const bearers: Record<string, string> = {}

  const base = () => `/operations/api/account/${account.accountId}`

  const at = (ms: number) => ctx.clock.set(T0 + ms)

  const withBearer = (bearer: string, path: string, init: { method?: 'GET' | 'POST'; body?: unknown } = {}) =>
    ctx.app.inject({
      method: init.method ?? 'GET',
      url: `${base()}${path}`,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { payload: JSON.stringify(init.body) }),
    })

  const get = (path: string): Promise<LightMyRequestResponse> => withBearer(adminBearer, path)
  const ok = async (path: string): Promise<Json> => {
    const response = await get(path)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    return response.json()
  }

  const signed = (
    keys: TestAccount['apiKey'],
    path: string,
    method: 'GET' | 'POST' = 'GET',
    body?: unknown,
  ): Promise<LightMyRequestResponse> => {
    const href = `http://localhost${base()}${path}`
    return ctx.app.inject({
      method,
      url: `${base()}${path}`,
      headers: {
        host: 'localhost',
        'content-type': 'application/json',
        authorization: signRequest({
          method,
          url: href,
          consumerKey: keys.consumerKey,
          consumerSecret: keys.consumerSecret,
          token: keys.accessToken,
          tokenSecret: keys.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
  }

  const visitor = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    ctx.app.inject({
      method,
      url: `/api/account/${account.accountId}/chat${path}`,
      headers: { authorization: `LivePerson appKey=${account.appKey}`, ...jsonBody },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })

  const requestChat = async (skill: string): Promise<string> => {
    const response = await visitor('POST', '/request.json?v=1&NC=true', { request: { skill } })
    expect(response.statusCode, response.body).toBe(201)
    return String(response.headers.location).split('/').pop()!
  }

  const createUser = async (
    loginName: string,
    skillIds: number[],
    maxChats: number,
    extra: { memberGroupId?: number; permissionGroups?: string[]; managerOf?: number[] } = {},
  ) => {
    const response = await configApi(ctx.app, account.accountId, adminBearer).post('/le-users/users', {
      loginName,
      passwordSh: PASSWORD,
      fullName: loginName,
      nickname: loginName,
      email: `${loginName}@example.com`,
      isEnabled: true,
      maxChats,
      skillIds,
      memberOf: { agentGroupId: extra.memberGroupId ?? -1 },
      managerOf: (extra.managerOf ?? []).map((agentGroupId) => ({ agentGroupId })),
      permissionGroups: extra.permissionGroups ?? ['1'],
    })
    expect(response.statusCode, response.body).toBe(201)
    return response.json<{ id: number }>().id
  }

  const agentSession = async (loginName: string) => {
    const { bearer } = await login(ctx.app, account.accountId, loginName, PASSWORD)
    bearers[loginName] = bearer
    const client = agentClient(ctx.app, account.accountId, `Bearer ${bearer}`)
    const id = await client.start()
    return {
      post: (path: string, body: unknown, headers = jsonBody) =>
        client.request('POST', `/${id}${path}`, { body, headers }),
    }
  }

  let chat3 = ''

  beforeAll(async () => {
    at(-10 * MINUTE)
    account = await createAccount(ctx.services)
    adminBearer = (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer
    const skill = async (name: string) =>
      (await ctx.services.accountConfig.skills.create(SYSTEM_CALLER, { accountId: account.accountId }, { name })).value
        .id
    skills.sales = await skill('Sales')
    skills.support = await skill('Support')
    const config = configApi(ctx.app, account.accountId, adminBearer)
    const group = async (name: string, parentGroupId: number) =>
      (await config.post('/le-users/agentGroups', { name, parentGroupId })).json<{ id: number }>().id
    groups.team = await group('Team', -1)
    groups.child = await group('Team tier 2', groups.team)
    groups.other = await group('Other', -1)
    users.nat = await createUser('nat', [skills.sales], 2, { memberGroupId: groups.child })
    users.bob = await createUser('bob', [skills.sales, skills.support], 1, { memberGroupId: groups.other })
    users.mgr = await createUser('mgr', [], 0, { permissionGroups: ['2'], managerOf: [groups.team] })
    users.lonely = await createUser('lonely', [], 0, { permissionGroups: ['2'] })
    users.agent = await createUser('agent', [], 1)
    for (const name of ['mgr', 'lonely', 'agent'])
      bearers[name] = (await login(ctx.app, account.accountId, name, PASSWORD)).bearer

    at(0)
    const nat = await agentSession('nat')
    const bob = await agentSession('bob')
    const away = await bob.post(
      '/availability.json?v=1',
      { availability: { chat: 'Away', chatReasonId: '17' } },
      putOverride,
    )
    expect(away.statusCode, away.body).toBe(200)

    at(60 * SECOND)
    const chat1 = await requestChat('Sales')
    at(90 * SECOND)
    const accepted = await nat.post('/incomingRequests.json', {})
    expect(accepted.statusCode, accepted.body).toBe(201)
    const agentChatId = String(accepted.headers.location).split('/').pop()!
    at(100 * SECOND)
    const line = await visitor('POST', `/${chat1}/events.json?v=1`, { event: { '@type': 'line', text: 'I love it' } })
    expect(line.statusCode, line.body).toBe(201)

    at(120 * SECOND)
    const chat2 = await requestChat('Support')
    at(300 * SECOND)
    const closed = await visitor('POST', `/${chat2}/events.json?v=1`, { event: { '@type': 'state', state: 'ended' } })
    expect(closed.statusCode, closed.body).toBe(201)

    at(600 * SECOND)
    const ended = await nat.post(`/chat/${agentChatId}/events.json?v=1`, {
      event: { '@type': 'state', state: 'ended' },
    })
    expect(ended.statusCode, ended.body).toBe(201)

    at(660 * SECOND)
    chat3 = await requestChat('Sales')
    at(900 * SECOND)
    // Both ended engagements reach the archive (Engagement Activity reads it).
    await pollUntil(async () => {
      const body = await ok('/engactivity?timeframe=15&v=1')
      return body.metricsTotals.totalNonInteractiveChats === 1 && body.metricsTotals.totalInteractiveChats === 1
    })
  })

  describe('Queue Health', () => {
    it('computes the queue events, 5-second queue and slot samples and current values per skill', async () => {
      const body = await ok(`/queuehealth?timeframe=15&v=1&skillIds=${skills.sales},${skills.support}`)
      expect(Object.keys(body).sort()).toEqual(['metricsTotals', 'skillsMetrics'])
      const sales = body.skillsMetrics[String(skills.sales)]
      const support = body.skillsMetrics[String(skills.support)]
      // Sales: chat 1 waited 60-90 s (6 samples of 1), chat 3 waits since 660 s (48 samples of 1).
      // nat's free slots: 2 until 90 s (18 samples), 1 until 600 s (102), 2 after (60); bob is Away.
      expect(sales).toEqual({
        enteredQEng: 2,
        connectedEng: 1,
        abandonedEng: 0,
        totalTimeToAnswer: 30,
        avgTimeToAnswer: 30,
        totalTimeToAbandon: 0,
        avgTimeToAbandon: 0,
        abandonmentRate: 0,
        maxQueueSize: 1,
        minQueueSize: 0,
        averageQueueSize: 54 / 180,
        queueSizeSum: 54,
        queueSizeCount: 180,
        maxAvailableSlots: 2,
        minAvailableSlots: 1,
        averageAvailableSlots: 258 / 180,
        availableSlotsSum: 258,
        availableSlotsCount: 180,
        currentQueueSize: 1,
        // Chat 3 rings nat now: ringing chats take a slot (the samples count accepted chats only).
        currentAvailableSlots: 1,
      })
      // Support: chat 2 waited 120-300 s (36 samples) and was abandoned; nobody Online serves it.
      expect(support).toEqual({
        enteredQEng: 1,
        connectedEng: 0,
        abandonedEng: 1,
        totalTimeToAnswer: 0,
        avgTimeToAnswer: 0,
        totalTimeToAbandon: 180,
        avgTimeToAbandon: 180,
        abandonmentRate: 1,
        maxQueueSize: 1,
        minQueueSize: 0,
        averageQueueSize: 36 / 180,
        queueSizeSum: 36,
        queueSizeCount: 180,
        maxAvailableSlots: 0,
        minAvailableSlots: 0,
        averageAvailableSlots: 0,
        availableSlotsSum: 0,
        availableSlotsCount: 180,
        currentQueueSize: 0,
        currentAvailableSlots: 0,
      })
      // Totals add counts, sums, max, min and current values; rates and averages are recomputed.
      expect(body.metricsTotals).toMatchObject({
        enteredQEng: 3,
        connectedEng: 1,
        abandonedEng: 1,
        totalTimeToAnswer: 30,
        avgTimeToAnswer: 30,
        abandonmentRate: 0.5,
        maxQueueSize: 2,
        minQueueSize: 0,
        queueSizeSum: 90,
        queueSizeCount: 360,
        averageQueueSize: 0.25,
        maxAvailableSlots: 2,
        minAvailableSlots: 1,
        currentQueueSize: 1,
        currentAvailableSlots: 1,
      })
    })

    it('answers only metricsTotals without skillIds, the same totals as every skill', async () => {
      const body = await ok('/queuehealth?timeframe=15&v=1')
      expect(Object.keys(body)).toEqual(['metricsTotals'])
      const all = await ok('/queuehealth?timeframe=15&v=1&skillIds=all')
      expect(body.metricsTotals).toEqual(all.metricsTotals)
      expect(Object.keys(all.skillsMetrics).sort()).toEqual([String(skills.sales), String(skills.support)].sort())
    })

    it('leaves out requested skills without data and keeps zero totals', async () => {
      const body = await ok('/queuehealth?timeframe=15&v=1&skillIds=999999')
      expect(body.skillsMetrics).toEqual({})
      expect(body.metricsTotals).toMatchObject({
        enteredQEng: 0,
        maxQueueSize: -1,
        averageQueueSize: -1,
        currentQueueSize: -1,
      })
    })

    it('splits the window into ascending intervals, with -1 current values inside them', async () => {
      const body = await ok(`/queuehealth?timeframe=15&interval=5&v=1&skillIds=${skills.sales}`)
      expect(list(body.metricsByIntervals).map((interval: Json): unknown => interval.timestamp)).toEqual([
        T0 + 5 * MINUTE,
        T0 + 10 * MINUTE,
        T0 + 15 * MINUTE,
      ])
      const [first, second, third] = list(body.metricsByIntervals).map(
        (interval: Json): Json => interval.metricsData as Json,
      ) as [Json, Json, Json]
      expect(first.skillsMetrics[String(skills.sales)]).toMatchObject({
        enteredQEng: 1,
        connectedEng: 1,
        queueSizeSum: 6,
        queueSizeCount: 60,
        currentQueueSize: -1,
        currentAvailableSlots: -1,
      })
      expect(second.metricsTotals).toMatchObject({ enteredQEng: 0, connectedEng: 0, queueSizeSum: 0 })
      expect(third.skillsMetrics[String(skills.sales)]).toMatchObject({ enteredQEng: 1, queueSizeSum: 48 })
      // The whole-window aggregate sits next to the intervals.
      expect(body.skillsMetrics[String(skills.sales)].queueSizeSum).toBe(54)
      expect(body.metricsTotals.currentQueueSize).toBe(1)
    })

    it('wraps the answer in {meta, body} when v is absent', async () => {
      const body = await ok('/queuehealth?timeframe=15')
      expect(body.meta).toEqual({ responseCode: 200 })
      expect(body.body.metricsTotals.enteredQEng).toBe(3)
    })
  })

  describe('Engagement Activity', () => {
    const nat = {
      totalInteractiveChats: 1,
      totalNonInteractiveChats: 0,
      totalHandlingTime: 510,
      nonInteractiveTotalHandlingTime: 0,
      connectedEngagements: 1,
    }

    it('counts closed chats from the archive and connects from the live engagements', async () => {
      const body = await ok('/engactivity?timeframe=15&v=1')
      expect(body).toEqual({
        metricsTotals: { ...nat, totalNonInteractiveChats: 1 },
      })
    })

    it('answers per skill with its agents and per agent with skillIds=all&agentIds=all', async () => {
      const body = await ok('/engactivity?timeframe=15&v=1&skillIds=all&agentIds=all')
      const abandoned = {
        ...nat,
        totalInteractiveChats: 0,
        totalHandlingTime: 0,
        connectedEngagements: 0,
        totalNonInteractiveChats: 1,
      }
      expect(body).toEqual({
        skillsMetricsPerAgent: {
          metricsPerSkill: {
            [String(skills.sales)]: { metricsPerAgent: { [String(users.nat)]: nat }, metricsTotals: nat },
            [String(skills.support)]: { metricsPerAgent: {}, metricsTotals: abandoned },
          },
          metricsTotals: { ...nat, totalNonInteractiveChats: 1 },
        },
        agentsMetrics: { metricsPerAgent: { [String(users.nat)]: nat }, metricsTotals: nat },
      })
    })

    it('limits skills and agents to the ids asked for (agentsIds is an alias)', async () => {
      const body = await ok(`/engactivity?timeframe=15&v=1&skillIds=${skills.support}&agentsIds=${users.bob}`)
      expect(body.skillsMetricsPerAgent.metricsPerSkill).toEqual({})
      expect(body.agentsMetrics.metricsPerAgent).toEqual({})
      expect(body.agentsMetrics.metricsTotals.totalInteractiveChats).toBe(0)
    })

    it('gives newest-first intervals with the whole window beside them', async () => {
      const body = await ok('/engactivity?timeframe=15&interval=5&v=1&agentIds=all')
      expect(list(body.metricsByIntervals).map((interval: Json): unknown => interval.timestamp)).toEqual([
        T0 + 15 * MINUTE,
        T0 + 10 * MINUTE,
        T0 + 5 * MINUTE,
      ])
      // Chat 1 ended at 600 s (the newest interval starts there), chat 2 ended unanswered at 300 s.
      const [newest, middle, oldest] = list(body.metricsByIntervals).map(
        (interval: Json): Json => interval.metricsData as Json,
      ) as [Json, Json, Json]
      expect(newest.agentsMetrics.metricsPerAgent[String(users.nat)]).toEqual({ ...nat, connectedEngagements: 0 })
      expect(middle.agentsMetrics.metricsPerAgent).toEqual({})
      expect(oldest.agentsMetrics.metricsPerAgent[String(users.nat)]).toMatchObject({
        connectedEngagements: 1,
        totalInteractiveChats: 0,
      })
      expect(body.agentsMetrics.metricsPerAgent[String(users.nat)]).toEqual(nat)
    })
  })

  describe('Agent Activity', () => {
    const time = (total: number, chatting: number, atMax = 0) => ({
      total,
      chatting,
      notChatting: total - chatting,
      chattingInMaxConcurrency: atMax,
    })

    it('splits each agent’s logged-in time by state, chatting and maximum concurrency', async () => {
      const body = await ok('/agentactivity?timeframe=15&agentIds=all&v=1')
      expect(body.agentsMetrics.metricsTotals).toEqual([])
      expect(body.agentsMetrics.metricsPerAgent[String(users.nat)]).toEqual([
        { id: 2, name: 'Online', value: time(900, 510) },
        { id: 3, name: 'Back in 5', value: time(0, 0) },
        { id: 4, name: 'Away', value: time(0, 0), reasons: [] },
        { id: -1, name: 'Logged in', value: time(900, 510) },
      ])
      expect(body.agentsMetrics.metricsPerAgent[String(users.bob)]).toEqual([
        { id: 2, name: 'Online', value: time(0, 0) },
        { id: 3, name: 'Back in 5', value: time(0, 0) },
        { id: 4, name: 'Away', value: time(900, 0), reasons: [{ id: '17', value: time(900, 0) }] },
        { id: -1, name: 'Logged in', value: time(900, 0) },
      ])
      // Agents never logged in during the window are left out.
      expect(Object.keys(body.agentsMetrics.metricsPerAgent).sort()).toEqual(
        [String(users.nat), String(users.bob)].sort(),
      )
    })

    it('accepts POST with a JSON body (numbers, arrays, null interval) and answers the same', async () => {
      const response = await withBearer(adminBearer, '/agentactivity', {
        method: 'POST',
        body: { timeframe: 15, v: '1', agentIds: [users.nat], interval: null },
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(Object.keys(response.json().agentsMetrics.metricsPerAgent)).toEqual([String(users.nat)])
      // With an API key: the query string is signed, the JSON body is not.
      const signedPost = await signed(account.apiKey, '/agentactivity?v=1', 'POST', {
        timeframe: '15',
        agentIds: String(users.bob),
      })
      expect(signedPost.statusCode, signedPost.body).toBe(200)
      expect(Object.keys(signedPost.json().agentsMetrics.metricsPerAgent)).toEqual([String(users.bob)])
      const notObject = await withBearer(adminBearer, '/agentactivity', { method: 'POST', body: [1] })
      expect(notObject.statusCode).toBe(400)
    })

    it('measures exact intervals, newest first, and envelopes v=2', async () => {
      at(907 * SECOND)
      try {
        const body = await ok(`/agentactivity?timeframe=10&interval=5&agentIds=${users.nat}&v=2`)
        const intervals = body.body.metricsByIntervals
        // now 10:15:07: intervals end at 10:20 (now rounded up), 10:15 and 10:10; the window starts at 10:05:07.
        expect(list(intervals).map((interval: Json): unknown => interval.timestamp)).toEqual([
          T0 + 20 * MINUTE,
          T0 + 15 * MINUTE,
          T0 + 10 * MINUTE,
        ])
        // Newest 900-907 s, then 600-900 s, oldest 307-600 s (chatting all along).
        const online = (index: number): unknown =>
          list(intervals)[index]!.metricsData.agentsMetrics.metricsPerAgent[String(users.nat)][0].value
        expect(online(0)).toEqual(time(7, 0))
        expect(online(1)).toEqual(time(300, 0))
        expect(online(2)).toEqual(time(293, 293))
      } finally {
        at(900 * SECOND)
      }
    })

    it('requires agentIds', async () => {
      const response = await get('/agentactivity?timeframe=15&v=1')
      expect(response.statusCode).toBe(400)
      expect(response.json().error.message).toMatch(/agentIds/)
    })
  })

  describe('Current Queue State', () => {
    it('lists every skill with its queue and Online free slots, unknown ones with -1', async () => {
      const body = await ok(`/queuestate?v=1&skillIds=${skills.sales},${skills.support},424242`)
      expect(body).toEqual({
        skills: {
          [String(skills.sales)]: { currentAvailableSlots: 1, currentQueueSize: 1 },
          [String(skills.support)]: { currentAvailableSlots: 0, currentQueueSize: 0 },
          '424242': { currentAvailableSlots: -1, currentQueueSize: -1 },
        },
        totals: { currentAvailableSlots: 1, currentQueueSize: 1 },
      })
    })

    it('defaults to all skills, ignores timeframe and adds currentMaxWaitTime with v=2', async () => {
      const body = await ok('/queuestate?v=2&timeframe=1440')
      expect(body.skills[String(skills.sales)]).toEqual({
        currentAvailableSlots: 1,
        currentQueueSize: 1,
        currentMaxWaitTime: 240 * SECOND,
      })
      expect(body.totals.currentMaxWaitTime).toBe(240 * SECOND)
    })
  })

  describe('SLA Histogram', () => {
    it('puts answered chats into wait buckets', async () => {
      const body = await ok('/sla?timeframe=15&v=1&histogram=0,15,30,45')
      expect(body).toEqual({
        slaDataRange: {
          '0': { accumulated: 0, percentageFromTotal: 0, chats: 0 },
          '15': { accumulated: 0, percentageFromTotal: 0, chats: 0 },
          '30': { accumulated: 1, percentageFromTotal: 1, chats: 1 },
          '45': { accumulated: 1, percentageFromTotal: 0, chats: 0 },
        },
      })
    })

    it('uses the default buckets, and filters by skill and agent group', async () => {
      const defaults = await ok('/sla?timeframe=15&v=1')
      expect(Object.keys(defaults.slaDataRange)).toEqual(['0', '15', '30', '45', '60', '90', '120'])
      const bySupport = await ok(`/sla?timeframe=15&v=1&skillIds=${skills.support}`)
      expect(Object.values(bySupport.slaDataRange).every((bucket: any) => bucket.chats === 0)).toBe(true) // eslint-disable-line @typescript-eslint/no-explicit-any
      const byGroup = await ok(`/sla?timeframe=15&v=1&groupIds=${groups.child}&histogram=30`)
      expect(byGroup.slaDataRange['30'].chats).toBe(1)
      const otherGroup = await ok(`/sla?timeframe=15&v=1&groupIds=${groups.other}&histogram=30`)
      expect(otherGroup.slaDataRange['30'].chats).toBe(0)
    })
  })

  describe('Parley dashboard extension', () => {
    it('shows waiting chats per skill, agents with their load, chats in progress and the last hour', async () => {
      const body = await ok('/parley/dashboard?v=1')
      expect(body.time).toBe(T0 + 900 * SECOND)
      expect(body.skills).toEqual([
        {
          skillId: skills.sales,
          name: 'Sales',
          waitingChats: 1,
          longestWaitSeconds: 240,
          estimatedWaitSeconds: 0,
          availableSlots: 1,
        },
        {
          skillId: skills.support,
          name: 'Support',
          waitingChats: 0,
          longestWaitSeconds: 0,
          estimatedWaitSeconds: -1,
          availableSlots: 0,
        },
      ])
      expect(body.agents).toEqual([
        {
          agentId: users.nat,
          loginName: 'nat',
          nickname: 'nat',
          availability: 'Online',
          chatReasonId: null,
          chats: 0,
          maxChats: 2,
          load: 0,
        },
        {
          agentId: users.bob,
          loginName: 'bob',
          nickname: 'bob',
          availability: 'Away',
          chatReasonId: '17',
          chats: 0,
          maxChats: 1,
          load: 0,
        },
      ])
      expect(body.chatsInProgress).toEqual([])
      expect(body.lastHour).toEqual({ endedChats: 2, connectedChats: 1, abandonedChats: 1, averageWaitSeconds: 30 })
    })

    it('lists a chat in progress with its duration and MCS', async () => {
      // nat takes chat 3 (ringing her since 660 s); the visitor writes a happy line.
      const nat = await agentSession('nat')
      const accepted = await nat.post('/incomingRequests.json', {})
      expect(accepted.statusCode, accepted.body).toBe(201)
      const line = await visitor('POST', `/${chat3}/events.json?v=1`, {
        event: { '@type': 'line', text: 'I love your service' },
      })
      expect(line.statusCode).toBe(201)
      at(960 * SECOND)
      try {
        const body = await ok('/parley/dashboard?v=1')
        expect(body.chatsInProgress).toEqual([
          expect.objectContaining({
            skillId: skills.sales,
            agentId: users.nat,
            agentNickname: 'nat',
            startTime: T0 + 900 * SECOND,
            durationSeconds: 60,
            mcs: 60,
          }),
        ])
        expect(body.chatsInProgress[0].engagementId).toMatch(new RegExp(`^${account.accountId}\\d{10}$`))
        expect(list(body.agents).find((agent: Json) => agent.agentId === users.nat)).toMatchObject({
          chats: 1,
          load: 0.5,
        })
        expect(body.skills[0]).toMatchObject({ waitingChats: 0, availableSlots: 1 })
        expect(body.lastHour).toMatchObject({ connectedChats: 2, averageWaitSeconds: 135 })
      } finally {
        const ended = await visitor('POST', `/${chat3}/events.json?v=1`, {
          event: { '@type': 'state', state: 'ended' },
        })
        expect(ended.statusCode).toBe(201)
        at(900 * SECOND)
      }
    })
  })

  describe('access', () => {
    it('answers JSON whatever the Accept header or suffix asks for', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${base()}/queuestate.xml?v=1`,
        headers: { authorization: `Bearer ${adminBearer}`, accept: 'application/xml' },
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.json()).toHaveProperty('totals')
    })

    it('accepts the account’s OAuth 1.0a API key with operationalRealtime', async () => {
      const response = await signed(account.apiKey, '/queuestate?v=1')
      expect(response.statusCode, response.body).toBe(200)
    })

    it('answers 403 for an API key without the permission', async () => {
      const key = await ctx.services.accounts.createApiKey(account.accountId, { permissions: ['engagementHistory'] })
      const response = await signed(key, '/queuestate?v=1')
      expect(response.statusCode).toBe(403)
      expect(response.json().error.internalCode).toBe(10)
    })

    it('answers 401 without credentials, and for another account’s credentials', async () => {
      const anonymous = await ctx.app.inject({ method: 'GET', url: `${base()}/queuestate?v=1` })
      expect(anonymous.statusCode).toBe(401)
      const other = await createAccount(ctx.services)
      const foreign = await signed(other.apiKey, '/queuestate?v=1')
      expect(foreign.statusCode).toBe(401)
      const otherBearer = (await login(ctx.app, other.accountId, other.adminLogin, other.adminPassword)).bearer
      expect((await withBearer(otherBearer, '/queuestate?v=1')).statusCode).toBe(401)
    })

    it('answers 403 for agents, 404 for unknown accounts and 405 for other methods', async () => {
      expect((await withBearer(bearers.agent!, '/queuestate?v=1')).statusCode).toBe(403)
      const unknown = await ctx.app.inject({ method: 'GET', url: '/operations/api/account/nosuch/queuestate?v=1' })
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json().error.internalCode).toBe(28)
      const post = await withBearer(adminBearer, '/queuehealth?timeframe=15&v=1', { method: 'POST', body: {} })
      expect(post.statusCode).toBe(405)
      expect((await get('/queuestatesla?timeframe=1440&v=1')).statusCode).toBe(404)
    })

    it('restricts an Agent Manager to the agents and skills of the groups they manage', async () => {
      const mgr = bearers.mgr!
      const activity = await withBearer(mgr, '/agentactivity?timeframe=15&agentIds=all&v=1')
      expect(activity.statusCode, activity.body).toBe(200)
      expect(Object.keys(activity.json().agentsMetrics.metricsPerAgent)).toEqual([String(users.nat)])
      const queue = await withBearer(mgr, '/queuestate?v=1')
      expect(Object.keys(queue.json().skills).sort()).toEqual([String(skills.sales)])
      const engagements = await withBearer(mgr, '/engactivity?timeframe=15&v=1&agentIds=all')
      expect(Object.keys(engagements.json().agentsMetrics.metricsPerAgent)).toEqual([String(users.nat)])
      const dashboard = await withBearer(mgr, '/parley/dashboard?v=1')
      expect(list(dashboard.json().agents).map((agent: Json): unknown => agent.agentId)).toEqual([users.nat])

      for (const path of [
        `/agentactivity?timeframe=15&agentIds=${users.bob}&v=1`,
        `/queuehealth?timeframe=15&v=1&skillIds=${skills.support}`,
        `/engactivity?timeframe=15&v=1&agentIds=${users.nat},${users.bob}`,
        `/queuestate?v=1&skillIds=${skills.support}`,
        `/sla?timeframe=15&v=1&groupIds=${groups.other}`,
      ]) {
        const response = await withBearer(mgr, path)
        expect(response.statusCode, path).toBe(403)
        expect(response.json().error.message).toMatch(/groups you manage/)
      }
    })

    it('gives a manager of no group nothing', async () => {
      const body = (await withBearer(bearers.lonely!, '/agentactivity?timeframe=15&agentIds=all&v=1')).json()
      expect(body.agentsMetrics.metricsPerAgent).toEqual({})
      const sla = (await withBearer(bearers.lonely!, '/sla?timeframe=15&v=1&histogram=30')).json()
      expect(sla.slaDataRange['30'].chats).toBe(0)
    })
  })

  describe('parameters', () => {
    it.each([
      ['/queuehealth?v=1', /timeframe: is required/],
      ['/queuehealth?timeframe=0&v=1', /timeframe: must be between 1 and 1440/],
      ['/queuehealth?timeframe=1441&v=1', /timeframe: must be between 1 and 1440/],
      ['/engactivity?timeframe=abc&v=1', /timeframe: must be an integer/],
      ['/queuehealth?timeframe=60&interval=31&v=1', /interval: must divide timeframe/],
      ['/queuehealth?timeframe=60&interval=61&v=1', /interval: must not exceed timeframe/],
      ['/engactivity?timeframe=60&interval=4&v=1', /interval: must be at least 5/],
      ['/agentactivity?timeframe=1441&agentIds=all&v=1', /timeframe/],
      ['/queuehealth?timeframe=60&v=x', /v: must be an integer/],
      ['/queuestate?v=1&skillIds=1,abc', /skillIds: must be all or a comma-separated list of ids/],
      ['/engactivity?timeframe=60&v=1&agentIds=all,1', /agentIds/],
      ['/sla?timeframe=60&v=1&histogram=0,7', /histogram: must list non-negative multiples of 5/],
      ['/sla?timeframe=60&v=1&histogram=-5', /histogram/],
      ['/sla?timeframe=60&v=1&groupIds=x', /groupIds/],
    ])('answers 400 naming the parameter: %s', async (path, message) => {
      const response = await get(path)
      expect(response.statusCode, response.body).toBe(400)
      expect(response.json().error.message).toMatch(message)
    })

    it('refuses more than 1000 ids', async () => {
      const ids = Array.from({ length: 1001 }, (_, index) => index + 1).join(',')
      const response = await get(`/queuestate?v=1&skillIds=${ids}`)
      expect(response.statusCode).toBe(400)
      expect(response.json().error.message).toMatch(/at most 1000/)
    })

    it('accepts the limits: timeframe 1440 with interval 1440 gives two intervals off a 5-minute boundary', async () => {
      at(907 * SECOND)
      try {
        const body = await ok('/engactivity?timeframe=1440&interval=1440&v=1&agentIds=all')
        expect(list(body.metricsByIntervals).map((interval: Json): unknown => interval.timestamp)).toEqual([
          T0 + 20 * MINUTE,
          T0 + 20 * MINUTE - 1440 * MINUTE,
        ])
        const agents = await ok('/agentactivity?timeframe=1440&interval=5&agentIds=all&v=1')
        expect(agents.metricsByIntervals).toHaveLength(289)
      } finally {
        at(900 * SECOND)
      }
      // On a boundary the window is exactly one interval.
      expect((await ok('/queuehealth?timeframe=1440&interval=1440&v=1')).metricsByIntervals).toHaveLength(1)
      const duplicates = await ok(`/queuestate?v=1&skillIds=${skills.sales}, ${skills.sales}`)
      expect(Object.keys(duplicates.skills)).toEqual([String(skills.sales)])
    })
  })

  describe('requests of public clients (operational-realtime.md §10)', () => {
    const numbers = (value: unknown) =>
      Object.values(value as Record<string, unknown>).every((field) => typeof field === 'number')

    it('the Singer tap: queuehealth without v, agentactivity with v=2, both enveloped', async () => {
      at(907 * SECOND)
      try {
        const health = await ok('/queuehealth?timeframe=1440&interval=5&skillIds=all')
        expect(health.meta.responseCode).toBe(200)
        const intervals = list(health.body.metricsByIntervals)
        expect(intervals).toHaveLength(289)
        const last = intervals.at(-1)!
        expect(Number.isInteger(last.timestamp)).toBe(true)
        const sales = (last.metricsData as Json).skillsMetrics[String(skills.sales)] as Json
        expect(Object.keys(sales)).toHaveLength(20)
        expect(numbers(sales)).toBe(true)
        const agents = await ok('/agentactivity?timeframe=1440&interval=5&agentIds=all&v=2')
        const timestamps = list(agents.body.metricsByIntervals).map((interval): unknown => interval.timestamp)
        expect(new Set(timestamps).size).toBe(timestamps.length)
      } finally {
        at(900 * SECOND)
      }
    })

    it('the reporting app: skillsMetrics beside intervals, engactivity [0] and agentactivity [1]', async () => {
      at(907 * SECOND)
      try {
        const health = await ok('/queuehealth?timeframe=15&interval=15&skillIds=all&agentIds=all&v=1')
        // Chat 1, and chat 3 when the dashboard test above accepted it.
        expect(health.skillsMetrics[String(skills.sales)].connectedEng).toBeGreaterThanOrEqual(1)
        const activity = await ok('/engactivity?timeframe=1440&interval=1440&skillIds=all&agentIds=all&v=1')
        const perSkill = activity.skillsMetricsPerAgent.metricsPerSkill[String(skills.sales)]
        expect(perSkill.metricsTotals.totalHandlingTime).toBe(510)
        expect(perSkill.metricsPerAgent[String(users.nat)].totalHandlingTime).toBe(510)
        const newest = list(activity.metricsByIntervals)[0]!.metricsData as Json
        expect(newest.agentsMetrics.metricsPerAgent[String(users.nat)]).toMatchObject({ totalInteractiveChats: 1 })
        const states = await ok('/agentactivity?timeframe=1440&interval=1440&agentIds=all&v=1')
        // Two intervals, newest first as LivePerson's example (spec Q3): the reporting app's [1] exists;
        // the 24 hours holding the data are [0].
        expect(list(states.metricsByIntervals)).toHaveLength(2)
        const newestStates = list(states.metricsByIntervals)[0]!.metricsData as Json
        const names = list(newestStates.agentsMetrics.metricsPerAgent[String(users.nat)]).map(
          (state): unknown => state.name,
        )
        expect(names).toEqual(['Online', 'Back in 5', 'Away', 'Logged in'])
      } finally {
        at(900 * SECOND)
      }
    })

    it('the PHP client: no v and agentsIds on POST', async () => {
      const response = await withBearer(adminBearer, '/agentactivity', {
        method: 'POST',
        body: { timeframe: '15', agentsIds: `${users.bob},${users.nat}` },
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(Object.keys(response.json().body.agentsMetrics.metricsPerAgent).sort()).toEqual(
        [String(users.nat), String(users.bob)].sort(),
      )
    })

    it('the Python wrapper: sla buckets each with their three properties', async () => {
      const body = await ok(`/sla?timeframe=15&v=1&skillIds=${skills.sales}&groupIds=all`)
      for (const bucket of Object.values(body.slaDataRange as Record<string, Json>))
        expect(Object.keys(bucket).sort()).toEqual(['accumulated', 'chats', 'percentageFromTotal'])
    })
  })

  it('is listed by the Domain API', async () => {
    const response = await ctx.app.inject({
      method: 'GET',
      url: `/api/account/${account.accountId}/service/leDataReporting/baseURI.json?version=1.0`,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({ service: 'leDataReporting', account: account.accountId })
  })
})
