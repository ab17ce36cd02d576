import { beforeEach, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { ChatService } from '../../src/core/chat/chat.service.ts'
import type { ChatEvent, LineEvent } from '../../src/core/chat/chat.types.ts'
import { isParleyError } from '../../src/core/errors.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import {
  archivedRecord,
  createFakeDirectory,
  createLiveAccount,
  createTestChatService,
  type FakeDirectory,
  type LiveAccount,
} from '../support/live-chat.ts'

const context = {
  visitorIp: '203.0.113.9',
  userAgent: 'Mozilla/5.0 (Macintosh) AppleWebKit/537.36 Chrome/56.0.2924.87 Safari/537.36',
}

const summary = (events: readonly ChatEvent[]): string[] =>
  events.map((event) =>
    event.type === 'state'
      ? `${event.id} state ${event.state}`
      : `${event.id} ${event.source}${event.systemMessageId === undefined ? '' : ` ${event.systemMessageId}`} ${event.subType === 'ONLY_TO_REP' ? 'ONLY_TO_REP ' : ''}${event.text ?? JSON.stringify(event.json)}`,
  )

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise
  } catch (error) {
    if (isParleyError(error)) return { code: error.code, message: error.message }
    throw error
  }
  throw new Error('expected an error')
}

describeEachDialect('live chat lifecycle (chat-api.md §12.2)', (dialect) => {
  const ctx = useTestApp(dialect)
  let directory: FakeDirectory
  let chats: ChatService
  let account: LiveAccount
  let natalie: number
  let bob: number

  beforeEach(async () => {
    directory = createFakeDirectory()
    chats = createTestChatService(ctx, directory)
    account = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'Natalie', skills: ['Sales'] },
        { nickname: 'Bob', skills: ['Billing'] },
      ],
    })
    natalie = account.agents[0]!.userId
    bob = account.agents[1]!.userId
  })

  const online = (...userIds: number[]): void => {
    directory.agents = account.agents.filter((agent) => userIds.includes(agent.userId)).map((agent) => ({ ...agent }))
  }

  it('creates a waiting chat with state waiting, system 4 and the pre-chat lines, and stores the request', async () => {
    const chat = await chats.requestChat(
      account.accountId,
      {
        request: {
          skill: 'sales',
          interactionTimeout: 5,
          preChatLines: { line: ['pre 1', 'pre 2'] },
          LETagVisitorId: 'rloXnVgEQ',
          LETagSessionId: 'rN82d4r',
          LETagContextId: '2',
          customVariables: { customVariable: { name: 'orderId', value: 'A-17' } },
          campaignId: 26948813,
          engagementId: '27469613',
          chatReferrer: 'https://shop.example.com/cart',
        },
      },
      context,
    )
    expect(chat.key).toMatch(/^H\d{19}-[0-9a-f]{32}K\d{7}$/)
    expect(chat).toMatchObject({
      state: 'waiting',
      skillId: account.skills.Sales,
      chatTimeout: 10,
      language: 'en-US',
      campaignId: '26948813',
      campaignEngagementId: '27469613',
      customVariables: [{ name: 'orderId', value: 'A-17' }],
      visitorName: null,
      agentUserId: null,
      sequence: 0,
    })
    expect(chat.rtSessionId).toBeGreaterThanOrEqual(2 ** 32)
    expect(chat.request).toMatchObject({ sharkVisitorId: 'rloXnVgEQ', sharkContextId: '2', visitorIp: '203.0.113.9' })
    expect(summary(await chats.visitorEvents(account.accountId, chat.key))).toEqual([
      '0 state waiting',
      '1 system 4 Thank you for choosing to chat with us. An agent will be with you shortly.',
      '2 system 0 pre 1',
      '3 system 0 pre 2',
    ])
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 3))).toEqual(['3 system 0 pre 2'])
  })

  it('routes an unknown skill name as unassigned (-1) and rejects maxWaitTime outside 0..86400', async () => {
    const chat = await chats.requestChat(account.accountId, { skill: 'Nope' }, context)
    expect(chat.skillId).toBe(-1)
    expect(
      (await chats.requestChat(account.accountId, { request: { skillId: account.skills.Billing } }, context)).skillId,
    ).toBe(account.skills.Billing)
    expect((await chats.requestChat(account.accountId, undefined, context)).chatTimeout).toBe(40)
    expect(
      await errorOf(chats.requestChat(account.accountId, { request: { maxWaitTime: 86401 } }, context)),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(
      await errorOf(chats.requestChat(account.accountId, { request: { maxWaitTime: 'soon' } }, context)),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  it('rejects lines while waiting, unknown chats and chats of other accounts', async () => {
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    expect(await errorOf(chats.addVisitorLine(account.accountId, chat.key, 'hi'))).toEqual({
      code: 'CHAT_NOT_IN_CHAT',
      message: 'Cannot add line while not in chat',
    })
    expect((await errorOf(chats.getChat(account.accountId, 'no-such-key'))).code).toBe('CHAT_NOT_FOUND')
    expect((await errorOf(chats.getChat('other-account', chat.key))).code).toBe('CHAT_NOT_FOUND')
    expect((await errorOf(chats.requestChat('no-such-account', {}, context))).code).toBe('ACCOUNT_NOT_FOUND')
  })

  it('rings, accepts, exchanges lines both ways and archives the end by the visitor (210)', async () => {
    online(natalie, bob)
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', chatReferrer: 'https://shop/x' } },
      context,
    )
    expect((await chats.ringingChats(account.accountId, natalie)).map((c) => c.key)).toEqual([chat.key])
    expect(await chats.ringingChats(account.accountId, bob)).toEqual([])
    expect((await chats.chatLoad(account.accountId)).get(natalie)).toBe(1)
    expect((await errorOf(chats.acceptChat(account.accountId, bob))).code).toBe('RESOURCE_NOT_FOUND')

    ctx.clock.advance(3000)
    const accepted = await chats.acceptChat(account.accountId, natalie)
    expect(accepted).toMatchObject({ key: chat.key, state: 'chatting', agentUserId: natalie, agentNickname: 'Natalie' })
    expect((await chats.heldChats(account.accountId, natalie)).map((held) => held.chat.key)).toEqual([chat.key])

    await chats.setVisitorName(account.accountId, chat.key, 'Jo')
    await chats.setVisitorTyping(account.accountId, chat.key, true)
    await chats.setAgentTyping(account.accountId, natalie, chat.key, true)
    expect((await chats.getChat(account.accountId, chat.key)).visitorTyping).toBe(true)
    await chats.addVisitorLine(account.accountId, chat.key, 'I love your service')
    await chats.addAgentLine(account.accountId, natalie, chat.key, {
      text: '<b>hi</b><script>x()</script>',
      textType: 'html',
    })
    await chats.addAgentLine(account.accountId, natalie, chat.key, { text: 'whisper', subType: 'ONLY_TO_REP' })
    await chats.addAgentLine(account.accountId, natalie, chat.key, {
      textType: 'rich-content',
      json: { type: 'vertical', elements: [] },
    })
    const typing = await chats.getChat(account.accountId, chat.key)
    expect([typing.visitorTyping, typing.agentTyping]).toEqual([false, false])

    ctx.clock.advance(61_000)
    await chats.touchVisitor(account.accountId, chat.key)
    const ended = await chats.endByVisitor(account.accountId, chat.key)
    expect(ended).toMatchObject({ type: 'state', state: 'ended' })
    expect((await chats.endByVisitor(account.accountId, chat.key)).id).toBe(ended.id)

    const visitorView = summary(await chats.visitorEvents(account.accountId, chat.key))
    expect(visitorView).toEqual([
      '0 state waiting',
      '1 system 4 Thank you for choosing to chat with us. An agent will be with you shortly.',
      '2 state chatting',
      '3 system 3 You are now chatting with Natalie.',
      '4 visitor I love your service',
      '5 agent <b>hi</b>',
      '7 agent {"type":"vertical","elements":[]}',
      '8 system 5 Thank you for chatting with us.',
      '9 state ended',
    ])
    const agentView = summary(await chats.agentEvents(account.accountId, natalie, chat.key))
    expect(agentView[6]).toBe('6 agent ONLY_TO_REP whisper')
    expect(agentView).toHaveLength(10)
    expect((await errorOf(chats.visitorEvent(account.accountId, chat.key, 6))).code).toBe('CHAT_NOT_FOUND')
    const line = (await chats.visitorEvent(account.accountId, chat.key, 4)) as LineEvent
    expect(line.by).toBe('Jo')

    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({
      agentId: String(natalie),
      agentNickName: 'Natalie',
      agentLoginName: 'natalie',
      agentFullName: 'Natalie Full',
      agentGroupId: account.groupId,
      agentGroupName: 'Team A',
      skillId: account.skills.Sales,
      skillName: 'Sales',
      startReason: '0',
      startReasonDesc: 'Visitor request',
      endReason: '210',
      endReasonDesc: 'Visitor closed chat',
      engagementSequence: 0,
      engagementSet: 0,
      duration: 61,
      startTimeL: chat.requestedAt + 3000,
      chatRequestedTimeL: chat.requestedAt,
      chatStartUrl: 'https://shop/x',
      visitorName: 'Jo',
      visitorId: chat.visitorId,
      isInteractive: true,
      channel: 1,
      chatMCS: 60,
      alertedMCS: 1,
    })
    expect(record?.transcript.lines.map((l) => [l.lineSeq, l.controlType, l.source, l.subType])).toEqual([
      ['1', 4, 'system', 'REGULAR'],
      ['3', 3, 'system', 'REGULAR'],
      ['4', 0, 'visitor', 'REGULAR'],
      ['5', 0, 'agent', 'REGULAR'],
      ['6', 0, 'agent', 'ONLY_TO_REP'],
      ['7', 0, 'agent', 'REGULAR'],
      ['8', 5, 'system', 'REGULAR'],
    ])
    expect(record?.visitorInfo).toMatchObject({
      ipAddress: '203.0.113.9',
      browser: 'Chrome 56.0.2924.87',
      operatingSystem: 'MAC_OSX',
    })

    expect((await errorOf(chats.addVisitorLine(account.accountId, chat.key, 'more'))).code).toBe('CHAT_NOT_IN_CHAT')
    expect(await errorOf(chats.setVisitorTyping(account.accountId, chat.key, true))).toEqual({
      code: 'CHAT_ENDED',
      message: "Cannot set visitor's typing status. Chat was ended",
    })
    await chats.setVisitorName(account.accountId, chat.key, 'Joanna')
    expect((await chats.agentChat(account.accountId, natalie, chat.key)).state).toBe('ended')
  })

  it('ends a waiting chat by the visitor with only the ended state, archived with agentId -1', async () => {
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    ctx.clock.advance(5000)
    await chats.endByVisitor(account.accountId, chat.key)
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 2))).toEqual(['2 state ended'])
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({
      agentId: '-1',
      agentGroupId: -1,
      agentGroupName: 'NA',
      duration: 0,
      isInteractive: false,
      endReason: '210',
      startTimeL: chat.requestedAt,
    })
    expect(record?.info).not.toHaveProperty('agentNickName')
  })

  it('archives campaign data from the configuration and the pre-chat answers with the first engagement', async () => {
    const scope = { accountId: account.accountId }
    const campaign = (await ctx.services.accountConfig.campaigns.create(SYSTEM_CALLER, scope, { name: 'Spring sale' }))
      .value
    const engagement = (
      await ctx.services.accountConfig.engagements.create(
        SYSTEM_CALLER,
        { ...scope, campaignId: campaign.id },
        { name: 'Chat button', agentNote: 'VIP' },
      )
    ).value
    const survey = (
      await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, {
        name: 'Before chat',
        type: 'preChat',
        questions: [
          { type: 'Text Field', label: 'Your name?' },
          { type: 'Dropdown Box', label: 'Topic?', entries: [{ value: 'cats' }, { value: 'dogs' }] },
        ],
      })
    ).value
    const [nameQuestion, topicQuestion] = survey.questions
    const chat = await chats.requestChat(
      account.accountId,
      {
        request: {
          campaignId: campaign.id,
          engagementId: String(engagement.id),
          survey: {
            id: survey.id,
            question: [
              { id: topicQuestion!.id, answer: 'dogs' },
              { id: nameQuestion!.id, answer: 'Jo' },
            ],
          },
        },
      },
      context,
    )
    await chats.endByVisitor(account.accountId, chat.key)
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.campaign).toMatchObject({
      campaignId: String(campaign.id),
      campaignName: 'Spring sale',
      campaignEngagementId: String(engagement.id),
      campaignEngagementName: 'Chat button',
      engagementAgentNote: 'VIP',
      lobId: -1,
      lobName: 'NA',
    })
    expect(record?.campaign.goalName).not.toBe('NA')
    expect(record?.info.isPreChatSurvey).toBe(true)
    expect(record?.surveys.preChat).toEqual([
      expect.objectContaining({
        questionID: nameQuestion!.id,
        value: 'Jo',
        answersId: [-1],
        source: 'Pre-Chat',
        surveyID: survey.id,
      }),
      expect.objectContaining({
        questionID: topicQuestion!.id,
        value: 'dogs',
        answersId: [2],
        displayName: 'Topic?',
        name: 'Before chat',
      }),
    ])
  })

  it("archives exit-survey answers with the last engagement and agent-survey answers with the agent's", async () => {
    online(natalie, bob)
    const scope = { accountId: account.accountId }
    const question = (label: string) => [{ type: 'Radio Button', label, entries: [{ value: 'yes' }, { value: 'no' }] }]
    const exit = (
      await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, {
        name: 'Exit',
        type: 'exit',
        questions: question('Happy?'),
      })
    ).value
    const agentSurvey = (
      await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, {
        name: 'Wrap-up',
        type: 'agent',
        questions: question('Resolved?'),
      })
    ).value
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    const answer = (survey: typeof exit, value: string) => ({
      survey: { id: survey.id, question: { id: survey.questions[0]!.id, answer: value } },
    })
    expect(
      (await errorOf(chats.submitAgentSurvey(account.accountId, natalie, chat.key, answer(exit, 'yes')))).code,
    ).toBe('VALIDATION_FAILED')
    expect((await errorOf(chats.submitExitSurvey(account.accountId, chat.key, { survey: { id: 424242 } }))).code).toBe(
      'VALIDATION_FAILED',
    )
    await chats.submitAgentSurvey(account.accountId, natalie, chat.key, answer(agentSurvey, 'no'))
    await chats.transfer(account.accountId, natalie, chat.key, { skillId: account.skills.Billing })
    await chats.acceptChat(account.accountId, bob)
    await chats.endByVisitor(account.accountId, chat.key)
    await chats.submitExitSurvey(account.accountId, chat.key, answer(exit, 'no'))
    await chats.submitExitSurvey(account.accountId, chat.key, answer(exit, 'yes'))
    await chats.submitAgentSurvey(account.accountId, bob, chat.key, answer(agentSurvey, 'yes'))
    expect(
      (await errorOf(chats.submitAgentSurvey(account.accountId, natalie, chat.key, answer(agentSurvey, 'yes')))).code,
    ).toBe('CHAT_NOT_FOUND')

    const last = await chats.getChat(account.accountId, chat.key)
    const [first] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    const [second] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${last.rtSessionId}`)
    expect(first?.surveys.postChat).toEqual([])
    expect(first?.surveys.operator.map((item) => [item.source, item.value, item.answersId])).toEqual([
      ['Operator', 'no', [2]],
    ])
    expect(first?.info.isAgentSurvey).toBe(true)
    expect(second?.surveys.postChat.map((item) => [item.source, item.value, item.name])).toEqual([
      ['Exit', 'yes', 'Exit'],
    ])
    expect(second?.surveys.operator.map((item) => [item.value, item.displayName])).toEqual([['yes', 'Resolved?']])
    expect(second?.info).toMatchObject({ isPostChatSurvey: true, isAgentSurvey: true })
  })

  it('ends by the agent with system 5 (201) and answers a second end with the same event', async () => {
    online(natalie)
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    const ended = await chats.endByAgent(account.accountId, natalie, chat.key)
    expect((await chats.endByAgent(account.accountId, natalie, chat.key)).id).toBe(ended.id)
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 4))).toEqual([
      '4 system 5 Thank you for chatting with us.',
      '5 state ended',
    ])
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({
      endReason: '201',
      endReasonDesc: 'Rep stopped chat',
      agentId: String(natalie),
    })
    expect(await errorOf(chats.setAgentTyping(account.accountId, natalie, chat.key, true))).toMatchObject({
      code: 'CHAT_ENDED',
    })
    expect((await errorOf(chats.addAgentLine(account.accountId, natalie, chat.key, { text: 'x' }))).code).toBe(
      'CHAT_NOT_IN_CHAT',
    )
  })

  it('validates agent lines and keeps other agents out of the chat (agent-api.md §5.1)', async () => {
    online(natalie)
    const chat = await chats.requestChat(account.accountId, {}, context)
    expect((await errorOf(chats.agentChat(account.accountId, natalie, chat.key))).code).toBe('CHAT_NOT_FOUND')
    await chats.acceptChat(account.accountId, natalie)
    const line = (text: unknown, extra: object = {}): Promise<unknown> =>
      chats.addAgentLine(account.accountId, natalie, chat.key, { text: text as string, ...extra })
    expect((await errorOf(line(''))).code).toBe('VALIDATION_FAILED')
    expect((await errorOf(line('x', { textType: 'markdown' }))).code).toBe('VALIDATION_FAILED')
    expect((await errorOf(line('x', { subType: 'SECRET' }))).code).toBe('VALIDATION_FAILED')
    expect((await errorOf(line(undefined, { textType: 'rich-content', json: { elements: [] } }))).code).toBe(
      'VALIDATION_FAILED',
    )
    expect((await errorOf(chats.addVisitorLine(account.accountId, chat.key, '  '))).code).toBe('VALIDATION_FAILED')
    expect((await errorOf(chats.agentEvents(account.accountId, bob, chat.key))).code).toBe('CHAT_NOT_FOUND')
    expect((await errorOf(chats.addAgentLine(account.accountId, bob, chat.key, { text: 'x' }))).code).toBe(
      'CHAT_NOT_FOUND',
    )
  })

  it('keeps an ended chat readable for 24 h, then answers CHAT_NOT_FOUND (chat-api.md §12.4)', async () => {
    const chat = await chats.requestChat(account.accountId, {}, context)
    expect((await errorOf(chats.touchVisitor(account.accountId, 'missing'))).code).toBe('CHAT_NOT_FOUND')
    await chats.endByVisitor(account.accountId, chat.key)
    await chats.touchVisitor(account.accountId, chat.key)
    ctx.clock.advance(24 * 60 * 60 * 1000)
    expect((await chats.getChat(account.accountId, chat.key)).state).toBe('ended')
    ctx.clock.advance(1)
    expect((await errorOf(chats.getChat(account.accountId, chat.key))).code).toBe('CHAT_NOT_FOUND')
    expect((await errorOf(chats.visitorEvents(account.accountId, chat.key))).code).toBe('CHAT_NOT_FOUND')
    await chats.runTimers()
    expect(await ctx.storage.db.selectFrom('chats').select('id').where('id', '=', chat.key).execute()).toEqual([])
    expect(
      await ctx.storage.db.selectFrom('chat_events').select('id').where('chat_id', '=', chat.key).execute(),
    ).toEqual([])
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info.endReason).toBe('210')
  })

  it('holds a long poll until a visible event exists and keeps the held visitor active (D10)', async () => {
    online(natalie)
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', interactionTimeout: 10 } },
      context,
    )
    expect(await chats.waitForEvents(account.accountId, chat.key, 0, 60_000, { kind: 'visitor' })).toBe(true)
    expect(await chats.waitForEvents(account.accountId, chat.key, 2, 1, { kind: 'visitor' })).toBe(false)

    const visitorPoll = chats.waitForEvents(account.accountId, chat.key, 2, 60_000, { kind: 'visitor' })
    // Past chatTimeout (10 s) but before the ring timeout (20 s).
    ctx.clock.advance(15_000)
    await chats.runTimers()
    expect((await chats.getChat(account.accountId, chat.key)).state).toBe('waiting')
    await chats.acceptChat(account.accountId, natalie)
    expect(await visitorPoll).toBe(true)
    expect((await chats.getChat(account.accountId, chat.key)).lastUpdate).toBe(ctx.clock.now())

    const agentPoll = chats.waitForEvents(account.accountId, chat.key, 4, 60_000, { kind: 'agent', userId: natalie })
    const whisperedVisitorPoll = chats.waitForEvents(account.accountId, chat.key, 4, 60_000, { kind: 'visitor' })
    await chats.addAgentLine(account.accountId, natalie, chat.key, { text: 'psst', subType: 'ONLY_TO_REP' })
    expect(await agentPoll).toBe(true)
    expect(
      (await errorOf(chats.waitForEvents(account.accountId, chat.key, 0, 10, { kind: 'agent', userId: bob }))).code,
    ).toBe('CHAT_NOT_FOUND')
    // The whisper is not for the visitor: that poll is still held until the engine closes.
    await chats.close()
    expect(await whisperedVisitorPoll).toBe(false)
  })

  it('estimates the wait from the last accepts of the skill once five exist (V3)', async () => {
    online(natalie)
    for (let i = 0; i < 5; i++) {
      expect(await chats.recentWaitTime(account.accountId, account.skills.Sales)).toBe(-2)
      const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
      ctx.clock.advance((i + 1) * 2000)
      await chats.acceptChat(account.accountId, natalie)
      await chats.endByAgent(account.accountId, natalie, chat.key)
    }
    // Waits of 2, 4, 6, 8 and 10 s.
    expect(await chats.recentWaitTime(account.accountId, account.skills.Sales)).toBe(6)
    expect(await chats.recentWaitTime(account.accountId)).toBe(6)
    expect(await chats.recentWaitTime(account.accountId, account.skills.Billing)).toBe(-2)
    ctx.clock.advance(24 * 60 * 60 * 1000)
    expect(await chats.recentWaitTime(account.accountId, account.skills.Sales)).toBe(-2)
  })

  it('answers a visitor poll with the touched chat and its visible events', async () => {
    online(natalie)
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    await chats.addAgentLine(account.accountId, natalie, chat.key, { text: 'psst', subType: 'ONLY_TO_REP' })
    ctx.clock.advance(5000)
    const poll = await chats.pollVisitor(account.accountId, chat.key, 2)
    expect(poll.chat).toMatchObject({
      key: chat.key,
      state: 'chatting',
      lastUpdate: ctx.clock.now(),
      agentNickname: 'Natalie',
    })
    expect(summary(poll.events)).toEqual(['2 state chatting', '3 system 3 You are now chatting with Natalie.'])
    await chats.endByVisitor(account.accountId, chat.key)
    ctx.clock.advance(5000)
    const ended = await chats.pollVisitor(account.accountId, chat.key, 5)
    expect(ended.chat.state).toBe('ended')
    expect(ended.chat.lastUpdate).toBe(ctx.clock.now() - 5000)
    expect((await errorOf(chats.pollVisitor(account.accountId, 'nope'))).code).toBe('CHAT_NOT_FOUND')
  })

  it('rings only the agent a request names, ignores an unknown login, and lists held chats for A10', async () => {
    online(natalie, bob)
    const forBob = await chats.requestChat(account.accountId, { request: { skill: 'Sales', agent: 'BOB' } }, context)
    expect((await chats.getChat(account.accountId, forBob.key)).ringingUserId).toBe(bob)
    const unknown = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', agent: 'nobody' } },
      context,
    )
    expect(await chats.getChat(account.accountId, unknown.key)).toMatchObject({
      requestedAgentId: null,
      ringingUserId: natalie,
    })
    ctx.clock.advance(1000)
    await chats.acceptChat(account.accountId, bob)
    ctx.clock.advance(1000)
    await chats.acceptChat(account.accountId, natalie)
    expect(await chats.chatSessions(account.accountId, bob)).toEqual([
      { chatId: forBob.key, startTime: forBob.requestedAt + 1000 },
    ])
    expect(await chats.chatSessions(account.accountId, natalie)).toEqual([
      { chatId: unknown.key, startTime: forBob.requestedAt + 2000 },
    ])
    expect(await chats.chatLoad(account.accountId)).toEqual(
      new Map([
        [bob, 1],
        [natalie, 1],
      ]),
    )
  })

  it('merges custom variables by name', async () => {
    const chat = await chats.requestChat(
      account.accountId,
      {
        request: {
          customVariables: {
            customVariable: [
              { name: 'a', value: '1' },
              { name: 'b', value: '2' },
            ],
          },
        },
      },
      context,
    )
    await chats.setCustomVariables(account.accountId, chat.key, {
      customVariables: {
        customVariable: [
          { name: 'b', value: '3' },
          { name: 'c', value: '4' },
        ],
      },
    })
    expect((await chats.getChat(account.accountId, chat.key)).customVariables).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '3' },
      { name: 'c', value: '4' },
    ])
  })

  it('ends a chat whose visitor stopped polling for chatTimeout (system 6, 208), polls keep it alive', async () => {
    online(natalie)
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', interactionTimeout: 40 } },
      context,
    )
    await chats.acceptChat(account.accountId, natalie)
    ctx.clock.advance(30_000)
    await chats.touchVisitor(account.accountId, chat.key)
    ctx.clock.advance(40_000)
    await chats.runTimers()
    expect((await chats.getChat(account.accountId, chat.key)).state).toBe('chatting')
    ctx.clock.advance(1)
    await chats.runTimers()
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 4))).toEqual([
      '4 system 6 The chat was disconnected.',
      '5 state ended',
    ])
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({ endReason: '208', endReasonDesc: 'Visitor was no longer in chat' })
  })

  it('ends a chat still waiting after maxWaitTime (system 2, 208)', async () => {
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', maxWaitTime: 10, interactionTimeout: 60 } },
      context,
    )
    ctx.clock.advance(9_999)
    await chats.runTimers()
    expect((await chats.getChat(account.accountId, chat.key)).state).toBe('waiting')
    ctx.clock.advance(1)
    await chats.runTimers()
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 2))).toEqual([
      '2 system 2 All our agents are currently busy. Please try again later.',
      '3 state ended',
    ])
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({ endReason: '208', agentId: '-1' })
  })

  it('moves a ring on after 20 s, marks the agent Away and rings the next one (D8)', async () => {
    account = await createLiveAccount(ctx.services, {
      agents: [
        { nickname: 'First', skills: ['Sales'] },
        { nickname: 'Second', skills: ['Sales'] },
      ],
    })
    const [first, second] = account.agents.map((agent) => agent.userId) as [number, number]
    directory.agents = account.agents.map((agent) => ({ ...agent }))
    const chat = await chats.requestChat(
      account.accountId,
      { request: { skill: 'Sales', interactionTimeout: 600 } },
      context,
    )
    expect((await chats.getChat(account.accountId, chat.key)).ringingUserId).toBe(first)
    ctx.clock.advance(19_999)
    await chats.runTimers()
    expect((await chats.getChat(account.accountId, chat.key)).ringingUserId).toBe(first)
    ctx.clock.advance(1)
    await chats.runTimers()
    expect(directory.awayCalls).toEqual([{ accountId: account.accountId, userId: first }])
    const ringing = await chats.getChat(account.accountId, chat.key)
    expect(ringing).toMatchObject({ ringingUserId: second, ringSkipped: [first] })
    expect(await chats.visitorEvents(account.accountId, chat.key, 2)).toEqual([])
    // The first agent comes back Online: still skipped while the second is eligible.
    directory.set(first, 'Online')
    ctx.clock.advance(20_000)
    await chats.runTimers()
    expect((await chats.getChat(account.accountId, chat.key)).ringingUserId).toBe(first)
    await chats.acceptChat(account.accountId, first)
  })

  it('does not ring Away or Occupied agents or agents without the skill, and honours maxChats', async () => {
    account = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Solo', skills: ['Sales'], maxChats: 1 }] })
    const solo = account.agents[0]!.userId
    directory.agents = account.agents.map((agent) => ({ ...agent, availability: 'Occupied' }))
    const first = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    expect((await chats.getChat(account.accountId, first.key)).ringingUserId).toBeNull()
    const billing = await chats.requestChat(account.accountId, { skill: 'Billing' }, context)
    directory.set(solo, 'Online')
    await chats.routeAccount(account.accountId)
    expect((await chats.getChat(account.accountId, first.key)).ringingUserId).toBe(solo)
    const second = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, solo)
    await chats.routeAccount(account.accountId)
    expect((await chats.getChat(account.accountId, second.key)).ringingUserId).toBeNull()
    expect((await chats.getChat(account.accountId, billing.key)).ringingUserId).toBeNull()
    await chats.endByAgent(account.accountId, solo, first.key)
    expect((await chats.getChat(account.accountId, second.key)).ringingUserId).toBe(solo)
  })

  it('transfers to a skill: note for agents only, system 15, a new engagement (106 then 6)', async () => {
    online(natalie, bob)
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    await chats.addVisitorLine(account.accountId, chat.key, 'billing question')
    expect((await errorOf(chats.transfer(account.accountId, natalie, chat.key, {}))).code).toBe('VALIDATION_FAILED')
    expect((await errorOf(chats.transfer(account.accountId, natalie, chat.key, { skillId: 999999 }))).code).toBe(
      'VALIDATION_FAILED',
    )
    expect(
      (await errorOf(chats.transfer(account.accountId, natalie, chat.key, { skillId: account.skills.Sales }))).code,
    ).toBe('VALIDATION_FAILED')
    ctx.clock.advance(10_000)
    await chats.transfer(account.accountId, natalie, chat.key, {
      skillId: account.skills.Billing,
      text: 'needs billing',
    })
    const after = await chats.getChat(account.accountId, chat.key)
    expect(after).toMatchObject({
      state: 'waiting',
      skillId: account.skills.Billing,
      sequence: 1,
      agentUserId: null,
      ringingUserId: bob,
    })
    expect(after.rtSessionId).toBeGreaterThan(chat.rtSessionId)
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 5))).toEqual([
      '6 system 15 Please wait while you are transferred to another department.',
      '7 state waiting',
    ])
    expect((await errorOf(chats.agentEvents(account.accountId, natalie, chat.key))).code).toBe('CHAT_NOT_FOUND')
    await chats.acceptChat(account.accountId, bob)
    expect(summary(await chats.agentEvents(account.accountId, bob, chat.key, 5))).toEqual([
      '5 agent ONLY_TO_REP needs billing',
      '6 system 15 Please wait while you are transferred to another department.',
      '7 state waiting',
      '8 state chatting',
      '9 system 3 You are now chatting with Bob.',
    ])
    await chats.endByAgent(account.accountId, bob, chat.key)

    const [first] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    const [second] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${after.rtSessionId}`)
    expect(first?.info).toMatchObject({
      endReason: '106',
      startReason: '0',
      engagementSequence: 0,
      agentId: String(natalie),
    })
    expect(second?.info).toMatchObject({
      startReason: '6',
      startReasonDesc: 'Skill reassign',
      endReason: '201',
      engagementSequence: 1,
      agentId: String(bob),
      skillName: 'Billing',
      chatRequestedTimeL: chat.requestedAt,
    })
    expect(first?.transcript.lines.map((l) => l.lineSeq)).toEqual(['1', '3', '4', '5', '6'])
    expect(second?.transcript.lines.map((l) => l.lineSeq)).toEqual(['9', '10'])
  })

  it('transfers to an agent who may be Occupied (13, 101 then 1); a ring-out falls back to the skill', async () => {
    online(natalie, bob)
    directory.set(bob, 'Occupied')
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    expect((await errorOf(chats.transfer(account.accountId, natalie, chat.key, { agentId: natalie }))).code).toBe(
      'VALIDATION_FAILED',
    )
    directory.agents = directory.agents.map((agent) => (agent.userId === bob ? { ...agent, maxChats: 0 } : agent))
    expect(await errorOf(chats.transfer(account.accountId, natalie, chat.key, { agentId: bob }))).toEqual({
      code: 'VALIDATION_FAILED',
      message: `transfer: agent ${bob} has no free slot`,
    })
    directory.agents = directory.agents.map((agent) => (agent.userId === bob ? { ...agent, maxChats: 4 } : agent))
    await chats.transfer(account.accountId, natalie, chat.key, { agentId: bob })
    expect(await chats.getChat(account.accountId, chat.key)).toMatchObject({ targetAgentId: bob, ringingUserId: bob })
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 4))).toEqual([
      '4 system 13 Please wait while you are transferred to another agent.',
      '5 state waiting',
    ])
    ctx.clock.advance(20_000)
    await chats.runTimers()
    // Bob let it ring out: back to the Sales queue, where Natalie (Online, free again) gets it.
    expect(await chats.getChat(account.accountId, chat.key)).toMatchObject({
      targetAgentId: null,
      ringingUserId: natalie,
    })
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({ endReason: '101', endReasonDesc: 'Transfer - rep stopped chat' })
    await chats.acceptChat(account.accountId, natalie)
    await chats.endByVisitor(account.accountId, chat.key)
    const current = await chats.getChat(account.accountId, chat.key)
    const [second] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${current.rtSessionId}`)
    expect(second?.info).toMatchObject({ startReason: '1', startReasonDesc: 'Transfer', engagementSequence: 1 })
  })

  it('requeues the chats of an agent whose last session ended (system 23, 202 then 3)', async () => {
    online(natalie)
    const chat = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    await chats.acceptChat(account.accountId, natalie)
    ctx.clock.advance(1000)
    const ringing = await chats.requestChat(account.accountId, { skill: 'Sales' }, context)
    expect((await chats.getChat(account.accountId, ringing.key)).ringingUserId).toBe(natalie)
    directory.agents = []
    await chats.requeueAgentChats(account.accountId, natalie)
    expect(await chats.getChat(account.accountId, chat.key)).toMatchObject({
      state: 'waiting',
      agentUserId: null,
      sequence: 1,
    })
    expect((await chats.getChat(account.accountId, ringing.key)).ringingUserId).toBeNull()
    expect(summary(await chats.visitorEvents(account.accountId, chat.key, 4))).toEqual([
      '4 system 23 Your chat has been returned to the queue. An agent will be with you shortly.',
      '5 state waiting',
    ])
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    expect(record?.info).toMatchObject({ endReason: '202', endReasonDesc: 'Rep disconnected' })
    expect(await chats.chatLoad(account.accountId)).toEqual(new Map())
    online(natalie)
    await chats.routeAccount(account.accountId)
    await chats.acceptChat(account.accountId, natalie)
    await chats.endByAgent(account.accountId, natalie, chat.key)
    const current = await chats.getChat(account.accountId, chat.key)
    const [second] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${current.rtSessionId}`)
    expect(second?.info).toMatchObject({ startReason: '3', startReasonDesc: 'ACD attempt', engagementSequence: 1 })
  })
})
