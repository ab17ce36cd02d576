import type { LightMyRequestResponse } from 'fastify'
import { expect, it } from 'vitest'
import { formatHistoryTime } from '../../src/core/time.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { configApi } from '../support/config-api.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { expectedEvent, reportAttributes, SDE_CASES } from '../support/engagement-attributes.ts'
import { login } from '../support/factories.ts'
import { searchWithBearer } from '../support/history-api.ts'
import { createLiveAccount } from '../support/live-chat.ts'
import { visitorClient } from './visitor-chat-app.ts'

// Issue 5: "A chat driven only through the public APIs produces an Engagement History record in
// which every section of the seed's example is present and filled" (engagement-history.md §5, §8).
// Only the account and its users are made through services; everything else is HTTP.

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const JSON_BODY = { 'content-type': 'application/json' }
const PUT_JSON = { 'content-type': 'application/json', 'x-http-method-override': 'PUT' }
const MAC_CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.87 Safari/537.36'
const VISITOR = 'UwYzRjYzJhMzQ0YTRlYzcz'
const SESSION = 'xMzD21hMRaOLuOl27h9yaw'

const sdeCase = (type: string) => SDE_CASES.find((entry) => entry.type === type)!

const created = (response: LightMyRequestResponse): Json => {
  expect(response.statusCode, response.body).toBe(201)
  return response.json<Json>()
}

describeEachDialect('A chat driven only through the public APIs', (dialect) => {
  const ctx = useTestApp(dialect)

  it('produces an Engagement History record with every section of the §8 example present and filled', async () => {
    const live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const { accountId } = live
    const natalie = live.agents[0]!.userId
    const admin = await login(ctx.app, accountId, 'admin', 'pw-admin-123456')
    const config = configApi(ctx.app, accountId, admin.bearer)
    const [appKey] = await ctx.services.accounts.listAppKeys(accountId)
    const visitor = visitorClient(ctx.app, accountId, appKey!.appKey)

    // --- Configuration API: the three surveys, and a campaign with an engagement and a line of business.
    const preChat = created(
      await config.post('/le-surveys/surveys', {
        name: 'Pre-chat',
        type: 'preChat',
        isDefault: true,
        questions: [
          {
            type: 'Dropdown Box',
            label: 'With whom would you like to chat?',
            mandatory: true,
            entries: [{ value: 'SALES' }, { value: 'SUPPORT' }],
          },
          { type: 'Text Field', label: 'What is your name?' },
        ],
      }),
    )
    const exit = created(
      await config.post('/le-surveys/surveys', {
        name: 'Post-chat Survey v2 (All Channels)',
        type: 'exit',
        isDefault: true,
        questions: [
          { type: 'Radio Button', label: 'How was the visit?', entries: [{ value: 'It was good' }, { value: 'Meh' }] },
        ],
      }),
    )
    const agentSurvey = created(
      await config.post('/le-surveys/surveys', {
        name: 'Agent wrap-up',
        type: 'agent',
        isDefault: true,
        questions: [
          {
            type: 'Checkbox',
            label: 'Topics discussed',
            mandatory: true,
            entries: [{ value: 'billing' }, { value: 'shipping' }, { value: 'returns' }],
          },
        ],
      }),
    )
    const [qWhom, qName] = (preChat.questions as Json[]).map((question) => question.id as number)
    const qVisit = (exit.questions as Json[])[0]!.id as number
    const qTopics = (agentSurvey.questions as Json[])[0]!.id as number

    const goal = (await config.get('/le-goals/goals')).json<Json[]>()[0]!
    const behavior = (await config.get('/le-targeting/visitor-behaviors')).json<Json[]>()[0]!
    const profile = (await config.get('/le-targeting/visitor-profiles')).json<Json[]>()[0]!
    const lob = created(await config.post('/le-account/lobs', { name: 'Retail' }))
    const campaign = created(
      await config.post('/le-campaigns/campaigns', { name: 'Live Chat on your site', lobId: lob.id }),
    )
    const engagement = created(
      await config.post(`/le-campaigns/campaigns/${campaign.id}/engagements`, {
        name: 'Sticky chat button',
        skillId: live.skills.Sales,
        agentNote: 'VIP visitors',
      }),
    )

    // --- Monitoring API: an engagement attribute reported before the chat.
    const report = async (type: string) => {
      const response = await reportAttributes(ctx.app, {
        accountId,
        visitorId: VISITOR,
        authorization: `Bearer ${admin.bearer}`,
        body: [sdeCase(type).input],
        query: `v=1&sid=${SESSION}`,
      })
      expect(response.statusCode, response.body).toBe(200)
      return String(ctx.clock.now())
    }
    const cartStamp = await report('cart')
    ctx.clock.advance(1_000)

    // --- Chat Agent API: Natalie starts her agent session.
    const nat = await login(ctx.app, accountId, 'natalie', 'pw-agent-123456')
    const agent = agentClient(ctx.app, accountId, `Bearer ${nat.bearer}`)
    const agentSession = await agent.start()

    // --- Visitor API: the chat request with pre-chat answers, campaign, visitor ip and user agent.
    const requestedAt = ctx.clock.now()
    const key = await visitor.requestChat({
      request: {
        skill: 'Sales',
        LETagVisitorId: VISITOR,
        LETagSessionId: SESSION,
        campaignId: String(campaign.id),
        engagementId: engagement.id,
        chatReferrer: 'http://shop.example.com/product/17',
        visitorIp: '81.2.69.142',
        userAgent: MAC_CHROME,
        survey: {
          id: preChat.id,
          question: [
            { id: qWhom, answer: 'SALES' },
            { id: qName, answer: 'Jane' },
          ],
        },
      },
    })
    const { rtSessionId } = (await visitor.call('GET', `/chat/${key}/info.json`)).json<Json>().info as {
      rtSessionId: number
    }

    // A9: Natalie accepts; then lines both ways.
    ctx.clock.advance(2_000)
    const acceptedAt = ctx.clock.now()
    const accepted = await agent.request('POST', `/${agentSession}/incomingRequests.json`, {
      body: {},
      headers: JSON_BODY,
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    const chatPath = `/${agentSession}/chat/${key}`
    expect(String(accepted.headers.location)).toMatch(new RegExp(`${chatPath}$`))
    const agentCall = async (path: string, body: unknown, headers = JSON_BODY, expected = 201) => {
      const response = await agent.request('POST', `${chatPath}${path}`, { body, headers })
      expect(response.statusCode, response.body).toBe(expected)
      return response
    }

    ctx.clock.advance(1_000)
    const agentLineAt = ctx.clock.now()
    await agentCall('/events.json', { event: { '@type': 'line', text: 'hello' } })
    ctx.clock.advance(1_000)
    const visitorLineAt = ctx.clock.now()
    const visitorLine = await visitor.call('POST', `/chat/${key}/events.json?v=1`, {
      body: { event: { '@type': 'line', text: 'I love your service' } },
      headers: JSON_BODY,
    })
    expect(visitorLine.statusCode, visitorLine.body).toBe(201)

    // A second engagement attribute, reported during the chat.
    ctx.clock.advance(1_000)
    const purchaseStamp = await report('purchase')

    // Co-browse extension: a session that becomes interactive, ended by the visitor 3 s after its start.
    ctx.clock.advance(1_000)
    const coBrowseStart = ctx.clock.now()
    const coBrowse = (await agentCall('/coBrowseSessions.json', {})).json<Json>().coBrowseSession as Json
    ctx.clock.advance(1_000)
    await agentCall(
      `/coBrowseSessions/${coBrowse.sessionId}.json`,
      { coBrowseSession: { interactive: true } },
      PUT_JSON,
      200,
    )
    ctx.clock.advance(2_000)
    await agentCall(
      `/coBrowseSessions/${coBrowse.sessionId}.json`,
      { coBrowseSession: { state: 'ended', endReason: 'VISITOR' } },
      PUT_JSON,
      200,
    )

    // A23: the agent survey, during the chat.
    ctx.clock.advance(1_000)
    const agentSurveyAt = ctx.clock.now()
    await agentCall(
      '/survey.json',
      { survey: { id: agentSurvey.id, question: { id: qTopics, answer: ['billing', 'returns'] } } },
      PUT_JSON,
      200,
    )

    // Natalie ends the chat; then the visitor answers the exit survey (V18).
    ctx.clock.advance(1_000)
    const endedAt = ctx.clock.now()
    await agentCall('/events.json', { event: { '@type': 'state', state: 'ended' } })
    ctx.clock.advance(2_000)
    const exitAt = ctx.clock.now()
    const exitAnswer = await visitor.call('POST', `/chat/${key}/exitSurvey.json`, {
      body: { survey: { id: exit.id, question: [{ id: qVisit, answer: 'It was good' }] } },
      headers: PUT_JSON,
    })
    expect(exitAnswer.statusCode, exitAnswer.body).toBe(200)

    // --- Engagement History API: the archived record.
    const engagementId = `${accountId}${rtSessionId}`
    const search = await searchWithBearer(ctx, accountId, admin.bearer, { engagementId })
    expect(search.statusCode, search.body).toBe(200)
    const records = search.json<Json>().interactionHistoryRecords as Json[]
    expect(records).toHaveLength(1)
    const record = records[0]!

    expect(Object.keys(record)).toEqual([
      'info',
      'transcript',
      'lineScores',
      'surveys',
      'campaign',
      'visitorInfo',
      'coBrowseSessions',
      'sdes',
    ])

    expect(record.info).toMatchObject({
      startTime: formatHistoryTime(acceptedAt),
      startTimeL: acceptedAt,
      endTime: formatHistoryTime(endedAt),
      endTimeL: endedAt,
      duration: Math.floor((endedAt - acceptedAt) / 1000),
      visitorId: VISITOR,
      visitorName: 'You',
      engagementId,
      sharkEngagementId: `${accountId}_${SESSION}_1`,
      isInteractive: true,
      accountId,
      agentId: String(natalie),
      agentNickName: 'Natalie',
      agentName: 'Natalie',
      agentLoginName: 'natalie',
      agentFullName: 'Natalie Full',
      agentDeleted: false,
      skillId: live.skills.Sales,
      skillName: 'Sales',
      isAgentSurvey: true,
      isPostChatSurvey: true,
      isPreChatSurvey: true,
      channel: 1,
      startReason: '0',
      startReasonDesc: 'Visitor request',
      endReason: '201',
      endReasonDesc: 'Rep stopped chat',
      engagementSet: 0,
      engagementSequence: 0,
      agentGroupId: live.groupId,
      agentGroupName: 'Team A',
      mcs: 1,
      alertedMCS: 1,
      chatMCS: 60,
      chatRequestedTime: formatHistoryTime(requestedAt),
      chatRequestedTimeL: requestedAt,
      chatStartUrl: 'http://shop.example.com/product/17',
      chatStartPage: '',
      isPartial: false,
      interactive: true,
      ended: true,
      chatDataEnriched: true,
    })

    const line = (lineSeq: string, time: number, controlType: number, by: string, text: string, agentId = 0) => ({
      time: formatHistoryTime(time),
      timeL: time,
      controlType,
      text,
      by,
      source: controlType === 0 ? (agentId === 0 ? 'visitor' : 'agent') : 'system',
      subType: 'REGULAR',
      textType: 'plain',
      cannedAnswerType: 0,
      agentId,
      lineSeq,
    })
    expect(record.transcript.lines).toEqual([
      line('1', requestedAt, 4, 'info', 'Thank you for choosing to chat with us. An agent will be with you shortly.'),
      line('3', acceptedAt, 3, 'info', 'You are now chatting with Natalie.'),
      line('4', agentLineAt, 0, 'Natalie', 'hello', natalie),
      line('5', visitorLineAt, 0, 'You', 'I love your service'),
      line('6', endedAt, 5, 'info', 'Thank you for chatting with us.'),
    ])

    expect(record.lineScores).toEqual([
      { lineSeq: '1', lineRawScore: 0, mcs: 0 },
      { lineSeq: '3', lineRawScore: 0, mcs: 0 },
      { lineSeq: '4', lineRawScore: 0, mcs: 0 },
      { lineSeq: '5', lineRawScore: 60, mcs: 60 },
      { lineSeq: '6', lineRawScore: 0, mcs: 60 },
    ])

    const item = (source: string, surveyID: number, name: string, time: number) => ({
      scope: 'Session',
      source,
      name,
      surveyID,
      time: formatHistoryTime(time),
      timeL: time,
    })
    expect(record.surveys).toEqual({
      preChat: [
        {
          ...item('Pre-Chat', preChat.id as number, 'Pre-chat', requestedAt),
          displayName: 'With whom would you like to chat?',
          questionID: qWhom,
          value: 'SALES',
          values: ['SALES'],
          answersId: [1],
        },
        {
          ...item('Pre-Chat', preChat.id as number, 'Pre-chat', requestedAt),
          displayName: 'What is your name?',
          questionID: qName,
          value: 'Jane',
          values: ['Jane'],
          answersId: [-1],
        },
      ],
      postChat: [
        {
          ...item('Exit', exit.id as number, 'Post-chat Survey v2 (All Channels)', exitAt),
          displayName: 'How was the visit?',
          questionID: qVisit,
          value: 'It was good',
          values: ['It was good'],
          answersId: [1],
        },
      ],
      operator: [
        {
          ...item('Operator', agentSurvey.id as number, 'Agent wrap-up', agentSurveyAt),
          displayName: 'Topics discussed',
          questionID: qTopics,
          value: 'billing,returns',
          values: ['billing', 'returns'],
          answersId: [1, 3],
        },
      ],
    })

    expect(record.campaign).toEqual({
      campaignEngagementId: String(engagement.id),
      campaignEngagementName: 'Sticky chat button',
      campaignId: String(campaign.id),
      campaignName: 'Live Chat on your site',
      goalId: String(goal.id),
      goalName: 'Interact with visitors',
      visitorBehaviorId: String(behavior.id),
      visitorBehaviorName: 'Any behavior',
      visitorProfileId: String(profile.id),
      visitorProfileName: 'All visitors',
      lobId: lob.id,
      lobName: 'Retail',
      engagementAgentNote: 'VIP visitors',
      behaviorSystemDefault: true,
      profileSystemDefault: true,
    })

    expect(record.visitorInfo).toEqual({
      country: 'United Kingdom',
      countryCode: 'GB',
      state: 'England',
      city: 'London',
      isp: '',
      org: '',
      device: 'DESKTOP',
      ipAddress: '81.2.69.142',
      browser: 'Chrome 49.0.2623.87',
      operatingSystem: 'MAC_OSX',
      browserType: 'CHROME',
    })

    expect(record.coBrowseSessions).toEqual({
      coBrowseSessionsList: [
        {
          sessionId: coBrowse.sessionId,
          startTime: formatHistoryTime(coBrowseStart),
          startTimeL: coBrowseStart,
          endTime: formatHistoryTime(coBrowseStart + 3_000),
          endTimeL: coBrowseStart + 3_000,
          interactiveTime: formatHistoryTime(coBrowseStart + 1_000),
          interactiveTimeL: coBrowseStart + 1_000,
          endReason: 'VISITOR',
          duration: 3_000,
          interactive: true,
        },
      ],
    })

    expect(record.sdes).toEqual({
      events: [expectedEvent(sdeCase('cart'), cartStamp), expectedEvent(sdeCase('purchase'), purchaseStamp)],
    })
    expect((record.sdes.events as Json[]).map((event): unknown => event.sdeType)).toEqual(['CART_STATUS', 'PURCHASE'])
  })
})
