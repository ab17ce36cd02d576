import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type Config } from '../../src/config/config.ts'
import { SYSTEM_CALLER, type SurveyInput } from '../../src/core/account-config/account-config.types.ts'
import type { MailQueue, OutgoingMail } from '../../src/core/mail/mail.types.ts'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { buildApp, type ParleyApp } from '../../src/http/app.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { agentClient } from '../support/agent-api.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { searchWithBearer } from '../support/history-api.ts'
import { createManualClock, type ManualClock } from '../support/manual-clock.ts'

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const PASSWORD = 'agent-pass-123'
const JSON_HEADERS = { 'content-type': 'application/json' }
const PUT_JSON = { 'x-http-method-override': 'PUT', 'content-type': 'application/json' }

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** A mail queue that records what it is given. */
function recordingMail(): MailQueue & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = []
  return { sent, enqueue: async (mail) => void sent.push(mail) }
}

interface Context {
  app: ParleyApp
  services: Services
  storage: Storage
  config: Config
  clock: ManualClock
  mail: ReturnType<typeof recordingMail>
}

/** The real application (chat engine, agent sessions, history) with a recording mail queue. */
function useSurveyApp(dialect: 'sqlite' | 'postgres'): Context {
  const context = {} as Context
  beforeAll(async () => {
    const database = testDatabase(dialect)
    const config = loadConfig(
      { PARLEY_LOG_LEVEL: 'silent' },
      { database: database.kind === 'sqlite' ? database.path : database.url },
    )
    const storage = createStorage(config.database, { poolSize: 4 })
    const clock = createManualClock(Date.now())
    const mail = recordingMail()
    const services = createServices({ storage, config, clock, mail })
    const app = await buildApp({ config, services, clock })
    await app.ready()
    Object.assign(context, { app, services, storage, config, clock, mail })
  })
  afterAll(async () => {
    await context.app?.close()
    await context.services?.close()
    await context.storage?.close()
  })
  return context
}

const preChatSurvey = (skills: { cats: number; sales: number }): SurveyInput => ({
  name: 'Pre-chat',
  type: 'preChat',
  header: 'To help us serve you better, please provide some information before we begin your chat.',
  isDefault: true,
  questions: [
    {
      type: 'Dropdown Box',
      label: 'With whom would you like to chat?',
      mandatory: true,
      logicId: 4,
      entries: [{ value: 'CATS', showLogicIds: [5], skillId: skills.cats }, { value: 'DOGS' }],
    },
    { type: 'Text Field', label: 'What is your name?', mandatory: true, logicId: 5 },
    { type: 'Text Field', label: 'How old is your pet?', validationType: 'numeric', logicId: 6 },
  ],
})

const exitSurvey: SurveyInput = {
  name: 'Post-chat Survey v2 (All Channels)',
  type: 'exit',
  header: '',
  isDefault: true,
  questions: [
    {
      type: 'Radio Button',
      label: 'Would you like us to email you a transcript of this chat?',
      entries: [
        { value: 'yes', displayValue: 'Yes', showLogicIds: [2] },
        { value: 'no', displayValue: 'No' },
      ],
    },
    { type: 'Text Field', label: 'If yes, please provide your email:', validationType: 'email' },
  ],
}

const agentSurvey: SurveyInput = {
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
}

const offlineSurvey: SurveyInput = {
  name: 'Leave a message',
  type: 'offline',
  isDefault: true,
  questions: [
    { type: 'Text Field', label: 'Your name', mandatory: true },
    { type: 'Text Field', label: 'Your email', mandatory: true, validationType: 'email' },
    { type: 'Text Area', label: 'Your message' },
  ],
}

describeEachDialect('Surveys on the visitor and agent APIs', (dialect) => {
  const ctx = useSurveyApp(dialect)
  let account: TestAccount
  let adminBearer = ''
  const skills = { sales: 0, cats: 0 }
  const ids = { preChat: 0, salesPreChat: 0, exit: 0, agent: 0, offline: 0 }
  const q = { whom: 0, name: 0, age: 0, transcript: 0, email: 0, topics: 0, offName: 0, offEmail: 0, offText: 0 }

  const visitor = (
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> =>
    ctx.app.inject({
      method,
      url: `/api/account/${account.accountId}${path}`,
      headers: { authorization: `LivePerson appKey=${account.appKey}`, ...options.headers },
      ...(options.body === undefined
        ? {}
        : { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    })

  const requestChat = async (request: Json): Promise<LightMyRequestResponse> =>
    visitor('POST', '/chat/request.json?v=1&NC=true', { body: { request }, headers: JSON_HEADERS })

  const chatIdOf = (response: LightMyRequestResponse): string => {
    expect(response.statusCode, response.body).toBe(201)
    return String(response.headers.location).split('/').pop()!
  }

  const preChatAnswers = (whom: string, name?: string) => ({
    id: ids.preChat,
    question: [{ id: q.whom, answer: whom }, ...(name === undefined ? [] : [{ id: q.name, answer: name }])],
  })

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    const scope = { accountId: account.accountId }
    adminBearer = (await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword)).bearer
    const skill = async (name: string) =>
      (await ctx.services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name })).value.id
    skills.sales = await skill('Sales')
    skills.cats = await skill('Cats')
    await ctx.services.accountConfig.users.create(SYSTEM_CALLER, scope, {
      loginName: 'nat',
      password: PASSWORD,
      nickname: 'Natalie',
      fullName: 'Natalie Full',
      email: 'nat@example.com',
      maxChats: 4,
      skillIds: [skills.sales, skills.cats],
    })
    const create = async (input: SurveyInput) =>
      (await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, input)).value
    const pre = await create(preChatSurvey(skills))
    ids.preChat = pre.id
    ;[q.whom, q.name, q.age] = pre.questions.map((question) => question.id) as [number, number, number]
    ids.salesPreChat = (
      await create({
        ...preChatSurvey(skills),
        name: 'Sales pre-chat',
        header: 'Sales',
        isDefault: false,
        skillIds: [skills.sales],
      })
    ).id
    const exit = await create(exitSurvey)
    ids.exit = exit.id
    ;[q.transcript, q.email] = exit.questions.map((question) => question.id) as [number, number]
    const agent = await create(agentSurvey)
    ids.agent = agent.id
    q.topics = agent.questions[0]!.id
    const offline = await create(offlineSurvey)
    ids.offline = offline.id
    ;[q.offName, q.offEmail, q.offText] = offline.questions.map((question) => question.id) as [number, number, number]
  })

  describe('V4 preSurvey', () => {
    it('serves the default pre-chat survey in §14 format with string values (JSON)', async () => {
      const response = await visitor('GET', '/chat/preSurvey.json?v=1')
      expect(response.statusCode, response.body).toBe(200)
      expect(response.body).toBe(
        JSON.stringify({
          survey: {
            id: String(ids.preChat),
            title: '',
            header: 'To help us serve you better, please provide some information before we begin your chat.',
            questions: {
              question: [
                {
                  mandatory: 'true',
                  validationType: 'alpha_numeric',
                  order: '0',
                  logicId: '4',
                  id: String(q.whom),
                  type: 'Dropdown Box',
                  label: 'With whom would you like to chat?',
                  entry: [
                    { checked: 'false', value: 'CATS', logic: { showLogicId: '5' } },
                    { checked: 'false', value: 'DOGS' },
                  ],
                },
                {
                  mandatory: 'true',
                  validationType: 'alpha_numeric',
                  order: '1',
                  logicId: '5',
                  id: String(q.name),
                  type: 'Text Field',
                  label: 'What is your name?',
                  lastKnownValue: '',
                },
                {
                  mandatory: 'false',
                  validationType: 'numeric',
                  order: '2',
                  logicId: '6',
                  id: String(q.age),
                  type: 'Text Field',
                  label: 'How old is your pet?',
                  lastKnownValue: '',
                },
              ],
            },
          },
        }),
      )
    })

    it('serves XML by default, attributes-free, with repeated question and entry elements', async () => {
      const response = await visitor('GET', `/chat/preSurvey?v=1&surveyApiId=${ids.preChat}`)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toContain('application/xml')
      expect(response.body).toBe(
        `${XML_DECLARATION}<survey><id>${ids.preChat}</id><title/>` +
          '<header>To help us serve you better, please provide some information before we begin your chat.</header>' +
          '<questions><question><mandatory>true</mandatory><validationType>alpha_numeric</validationType><order>0</order>' +
          `<logicId>4</logicId><id>${q.whom}</id><type>Dropdown Box</type><label>With whom would you like to chat?</label>` +
          '<entry><checked>false</checked><value>CATS</value><logic><showLogicId>5</showLogicId></logic></entry>' +
          '<entry><checked>false</checked><value>DOGS</value></entry></question>' +
          '<question><mandatory>true</mandatory><validationType>alpha_numeric</validationType><order>1</order>' +
          `<logicId>5</logicId><id>${q.name}</id><type>Text Field</type><label>What is your name?</label><lastKnownValue/></question>` +
          '<question><mandatory>false</mandatory><validationType>numeric</validationType><order>2</order>' +
          `<logicId>6</logicId><id>${q.age}</id><type>Text Field</type><label>How old is your pet?</label><lastKnownValue/></question>` +
          '</questions></survey>',
      )
    })

    it('selects by surveyName over surveyApiId over skill over the default; 404 envelope when none', async () => {
      const header = async (query: string): Promise<string> =>
        (await visitor('GET', `/chat/preSurvey.json?${query}`)).json<Json>().survey.header as string
      expect(await header('skill=Sales')).toBe('Sales')
      expect(await header(`skill=${skills.sales}`)).toBe('Sales')
      expect(await header('skill=Cats')).toMatch(/^To help us/)
      expect(await header(`skill=Sales&surveyApiId=${ids.preChat}`)).toMatch(/^To help us/)
      expect(await header(`surveyName=Sales%20pre-chat&surveyApiId=${ids.preChat}`)).toBe('Sales')
      const missing = await visitor('GET', '/chat/preSurvey.json?surveyName=Nope')
      expect(missing.statusCode).toBe(404)
      expect(missing.json()).toEqual({
        error: { time: expect.any(String), message: 'No pre-chat survey found', internalCode: 28 },
      })
      const missingXml = await visitor('GET', `/chat/preSurvey.xml?surveyApiId=${ids.exit}`)
      expect(missingXml.statusCode).toBe(404)
      expect(missingXml.body).toMatch(
        /<error><time>.+<\/time><message>No pre-chat survey found<\/message><internalCode>28<\/internalCode><\/error>$/,
      )
    })

    it('fills lastKnownValue from the visitor’s earlier answers (visitorId)', async () => {
      const chatId = chatIdOf(
        await requestChat({ skill: 'Sales', visitorId: 4242424242, survey: preChatAnswers('CATS', 'Tom & Jerry') }),
      )
      expect(chatId).not.toBe('')
      const response = await visitor('GET', '/chat/preSurvey.json?visitorId=4242424242')
      expect(response.json().survey.questions.question[1].lastKnownValue).toBe('Tom & Jerry')
      const other = await visitor('GET', '/chat/preSurvey.json?visitorId=1111')
      expect(other.json().survey.questions.question[1].lastKnownValue).toBe('')
      const sameVisitorOtherSurvey = await visitor('GET', '/chat/offlineSurvey.json?visitorId=4242424242')
      expect(sameVisitorOtherSurvey.json().survey.questions.question[1].lastKnownValue).toBe('')
      await ctx.services.chat.endByVisitor(account.accountId, chatId)
    })
  })

  describe('V7 pre-chat answers', () => {
    const chatSkill = async (chatId: string) => (await ctx.services.chat.getChat(account.accountId, chatId)).skillId

    it('rejects invalid answers with 400 naming the question (JSON and XML)', async () => {
      const cases: Array<[Json, string]> = [
        [
          { id: ids.preChat, question: [] },
          `Survey question ${q.whom} "With whom would you like to chat?": an answer is mandatory`,
        ],
        [preChatAnswers('CATS'), `Survey question ${q.name} "What is your name?": an answer is mandatory`],
        [
          preChatAnswers('BIRDS'),
          `Survey question ${q.whom} "With whom would you like to chat?": "BIRDS" is not one of its entries`,
        ],
        [
          { id: ids.preChat, question: [{ id: q.whom, answer: ['CATS', 'DOGS'] }] },
          `Survey question ${q.whom} "With whom would you like to chat?": takes one answer, got 2`,
        ],
        [
          {
            id: ids.preChat,
            question: [
              { id: q.whom, answer: 'DOGS' },
              { id: q.age, answer: 'old' },
            ],
          },
          `Survey question ${q.age} "How old is your pet?": the answer must be a number`,
        ],
        [
          {
            id: ids.preChat,
            question: [
              { id: q.whom, answer: 'DOGS' },
              { id: 999999, answer: 'x' },
            ],
          },
          `Survey question 999999: not a question of survey ${ids.preChat}`,
        ],
        [{ id: ids.exit, question: [] }, `survey: unknown survey ${ids.exit}`],
      ]
      for (const [survey, message] of cases) {
        const response = await requestChat({ skill: 'Sales', survey })
        expect(response.statusCode, message).toBe(400)
        expect(response.json()).toEqual({ error: { time: expect.any(String), message, internalCode: 5 } })
      }
      const xml = await visitor('POST', '/chat/request.xml?v=1', {
        body: `<request><skill>Sales</skill><survey><id>${ids.preChat}</id><question><id>${q.whom}</id><answer>CATS</answer></question></survey></request>`,
        headers: { 'content-type': 'application/xml' },
      })
      expect(xml.statusCode).toBe(400)
      expect(xml.body).toContain(
        `<message>Survey question ${q.name} &quot;What is your name?&quot;: an answer is mandatory</message>`,
      )
    })

    it('routes to the answered entry’s skill with runWithRules, and ignores it otherwise', async () => {
      const ruled = chatIdOf(
        await requestChat({ skill: 'Sales', runWithRules: true, survey: preChatAnswers('CATS', 'Tom') }),
      )
      expect(await chatSkill(ruled)).toBe(skills.cats)
      const asString = chatIdOf(
        await requestChat({ skill: 'Sales', runWithRules: 'true', survey: preChatAnswers('CATS', 'Tom') }),
      )
      expect(await chatSkill(asString)).toBe(skills.cats)
      const plain = chatIdOf(await requestChat({ skill: 'Sales', survey: preChatAnswers('CATS', 'Tom') }))
      expect(await chatSkill(plain)).toBe(skills.sales)
      const noSkillEntry = chatIdOf(
        await requestChat({ skill: 'Sales', runWithRules: true, survey: preChatAnswers('DOGS') }),
      )
      expect(await chatSkill(noSkillEntry)).toBe(skills.sales)
      for (const chatId of [ruled, asString, plain, noSkillEntry])
        await ctx.services.chat.endByVisitor(account.accountId, chatId)
    })
  })

  describe('V5/V6 offline survey and offline messages', () => {
    it('V5 serves the offline survey (string values); V6 stores both body shapes and mails the account', async () => {
      const survey = await visitor('GET', '/chat/offlineSurvey.json?visitorProfile=3')
      expect(survey.statusCode).toBe(200)
      expect(survey.json().survey).toMatchObject({ id: String(ids.offline), title: '', header: '' })
      expect(survey.json().survey.questions.question).toHaveLength(3)

      const settings = `/api/account/${account.accountId}/configuration/le-surveys/offlineMessageSettings`
      const put = await ctx.app.inject({
        method: 'PUT',
        url: settings,
        headers: { authorization: `Bearer ${adminBearer}`, ...JSON_HEADERS },
        payload: JSON.stringify({ notificationEmail: 'support@example.com' }),
      })
      expect(put.json()).toEqual({ notificationEmail: 'support@example.com' })
      const get = await ctx.app.inject({
        method: 'GET',
        url: settings,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(get.json()).toEqual({ notificationEmail: 'support@example.com' })

      const documented = await visitor('POST', '/chat/offlineSurvey.json?v=1', {
        body: {
          survey: {
            id: ids.offline,
            question: [
              { id: q.offName, answer: 'natalie' },
              { id: q.offEmail, answer: 'natalie@mail.com' },
            ],
            LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
            LETagSessionId: 'rN82d4rATN6EuiA4cJwaPg',
            LETagContextId: '5',
            skill: 'Sales',
            userAgent: 'Mozilla/5.0',
          },
        },
        headers: PUT_JSON,
      })
      expect(documented.statusCode, documented.body).toBe(200)
      expect(documented.body).toBe('{}')
      const browser = await visitor('POST', '/chat/offlineSurvey?v=1', {
        body: {
          visitorSessionId: 'abc',
          visitorId: '777',
          chatRefferer: 'https://shop.example.com/cart',
          survey: {
            id: String(ids.offline),
            question: [
              { id: q.offName, answer: '<b>Eve</b>' },
              { id: q.offEmail, answer: 'eve@mail.com' },
              { id: q.offText, answer: 'Call me <script>x</script>' },
            ],
          },
          LETagVisitorId: 'v2',
        },
        headers: PUT_JSON,
      })
      expect(browser.statusCode, browser.body).toBe(200)
      expect(browser.body).toBe('')

      const mails = ctx.mail.sent.filter((mail) => mail.accountId === account.accountId)
      expect(mails).toHaveLength(2)
      expect(mails[0]).toMatchObject({ kind: 'offline-message', to: 'support@example.com' })
      expect(mails[1]!.text).toContain('Your message: Call me <script>x</script>')
      expect(mails[1]!.html).toContain('<td>Call me &lt;script&gt;x&lt;/script&gt;</td>')
      expect(mails[1]!.html).toContain('<td>&lt;b&gt;Eve&lt;/b&gt;</td>')
      expect(mails[1]!.html).not.toContain('<script>')
      expect(mails[1]!.subject).toBe(`Offline message ${mails[1]!.text.split('\n')[0]!.split(' ')[2]}: Leave a message`)
    })

    it('lists offline messages for an Admin bearer and an API key, newest first, paged, in JSON and XML', async () => {
      const url = `/api/account/${account.accountId}/offlineMessages`
      const page = await ctx.app.inject({
        method: 'GET',
        url: `${url}.json?limit=1`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(page.statusCode, page.body).toBe(200)
      const listed = page.json().offlineMessages
      expect(listed).toMatchObject({ total: 2, offset: 0, limit: 1 })
      expect(listed.offlineMessage).toEqual([
        {
          id: expect.any(Number),
          time: expect.any(String),
          timeL: ctx.clock.now(),
          surveyId: ids.offline,
          surveyName: 'Leave a message',
          skillId: -1,
          skillName: '',
          visitorId: '777',
          visitorIp: '127.0.0.1',
          userAgent: 'lightMyRequest',
          chatReferrer: 'https://shop.example.com/cart',
          visitorSessionId: 'abc',
          LETagVisitorId: 'v2',
          answers: {
            answer: [
              { questionId: q.offName, question: 'Your name', value: '<b>Eve</b>', values: ['<b>Eve</b>'] },
              { questionId: q.offEmail, question: 'Your email', value: 'eve@mail.com', values: ['eve@mail.com'] },
              {
                questionId: q.offText,
                question: 'Your message',
                value: 'Call me <script>x</script>',
                values: ['Call me <script>x</script>'],
              },
            ],
          },
        },
      ])
      const second = await ctx.app.inject({
        method: 'GET',
        url: `${url}.json?offset=1&limit=1`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(second.json().offlineMessages.offlineMessage[0]).toMatchObject({
        skillId: skills.sales,
        skillName: 'Sales',
        userAgent: 'Mozilla/5.0',
        LETagContextId: '5',
      })
      const xml = await ctx.app.inject({
        method: 'GET',
        url: `${url}?offset=1`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(xml.headers['content-type']).toContain('application/xml')
      expect(xml.body).toContain(
        '<offlineMessages><total>2</total><offset>1</offset><limit>25</limit><offlineMessage><id>',
      )
      expect(xml.body).toContain('<answer><questionId>')
      expect(xml.body).toContain('<question>Your name</question><value>natalie</value><values>natalie</values>')

      const signed = signRequest({
        method: 'GET',
        url: `http://localhost:80${url}.json`,
        consumerKey: account.apiKey.consumerKey,
        consumerSecret: account.apiKey.consumerSecret,
        token: account.apiKey.accessToken,
        tokenSecret: account.apiKey.accessTokenSecret,
        timestamp: Math.floor(ctx.clock.now() / 1000),
      })
      const byApiKey = await ctx.app.inject({ method: 'GET', url: `${url}.json`, headers: { authorization: signed } })
      expect(byApiKey.statusCode, byApiKey.body).toBe(200)
      expect(byApiKey.json().offlineMessages.total).toBe(2)
    })

    it('keeps accounts apart and rejects bad paging and callers', async () => {
      const other = await createAccount(ctx.services)
      const otherBearer = (await login(ctx.app, other.accountId, other.adminLogin, other.adminPassword)).bearer
      const url = `/api/account/${account.accountId}/offlineMessages.json`
      const foreign = await ctx.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${otherBearer}` } })
      expect(foreign.statusCode).toBe(401)
      const own = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${other.accountId}/offlineMessages.json`,
        headers: { authorization: `Bearer ${otherBearer}` },
      })
      expect(own.json().offlineMessages).toEqual({ total: 0, offset: 0, limit: 25, offlineMessage: [] })
      // Another account's survey is unknown here, for every kind of submission.
      const foreignSurvey = (
        await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, { accountId: other.accountId }, offlineSurvey)
      ).value
      const foreignSubmit = await visitor('POST', '/chat/offlineSurvey.json', {
        body: { survey: { id: foreignSurvey.id, question: { id: foreignSurvey.questions[0]!.id, answer: 'x' } } },
        headers: PUT_JSON,
      })
      expect(foreignSubmit.statusCode).toBe(400)
      expect(foreignSubmit.json().error.message).toBe(`survey: unknown survey ${foreignSurvey.id}`)
      const foreignGet = await visitor('GET', `/chat/offlineSurvey.json?surveyApiId=${foreignSurvey.id}`)
      expect(foreignGet.statusCode).toBe(404)
      expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401)
      const badLimit = await ctx.app.inject({
        method: 'GET',
        url: `${url}?limit=500`,
        headers: { authorization: `Bearer ${adminBearer}` },
      })
      expect(badLimit.statusCode).toBe(400)
      expect(badLimit.json().error.internalCode).toBe(5)
      const userId = (
        await ctx.services.accountConfig.users.create(
          SYSTEM_CALLER,
          { accountId: account.accountId },
          {
            loginName: 'plain-agent',
            password: PASSWORD,
            nickname: 'Plain',
            fullName: 'Plain Agent',
            email: 'plain@example.com',
            skillIds: [],
          },
        )
      ).value.id
      expect(userId).toBeGreaterThan(0)
      const agentBearer = (await login(ctx.app, account.accountId, 'plain-agent', PASSWORD)).bearer
      const forbidden = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${agentBearer}` },
      })
      expect(forbidden.statusCode).toBe(403)
    })

    it('rejects invalid offline submissions with 400 naming the question', async () => {
      const submit = (survey: Json) =>
        visitor('POST', '/chat/offlineSurvey.json', { body: { survey }, headers: PUT_JSON })
      const missing = await submit({ id: ids.offline, question: { id: q.offName, answer: 'Ann' } })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().error.message).toBe(`Survey question ${q.offEmail} "Your email": an answer is mandatory`)
      const email = await submit({
        id: ids.offline,
        question: [
          { id: q.offName, answer: 'Ann' },
          { id: q.offEmail, answer: 'ann' },
        ],
      })
      expect(email.json().error.message).toBe(
        `Survey question ${q.offEmail} "Your email": the answer must be an email address`,
      )
      const unknown = await submit({ id: ids.preChat, question: [] })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json().error.message).toBe(`survey: unknown survey ${ids.preChat}`)
      const noSurvey = await visitor('POST', '/chat/offlineSurvey.xml', { body: { hello: 1 }, headers: PUT_JSON })
      expect(noSurvey.statusCode).toBe(400)
      expect(noSurvey.body).toContain('<message>survey: needs a numeric id</message>')
      const listed = await ctx.services.surveys.listOfflineMessages(SYSTEM_CALLER, account.accountId, {})
      expect(listed.total).toBe(2)
    })
  })

  describe('a chat with every survey kind, end to end into Engagement History', () => {
    let chatId = ''
    let session = ''
    let agentBearer = ''

    const agent = (
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
      headers: Record<string, string> = JSON_HEADERS,
    ) =>
      agentClient(ctx.app, account.accountId, `Bearer ${agentBearer}`).request(
        method,
        `/${session}/chat/${chatId}${path}`,
        {
          ...(body === undefined ? {} : { body }),
          headers,
        },
      )

    beforeAll(async () => {
      agentBearer = (await login(ctx.app, account.accountId, 'nat', PASSWORD)).bearer
      const client = agentClient(ctx.app, account.accountId, `Bearer ${agentBearer}`)
      session = await client.start()
      await client.request('POST', `/${session}/availability.json`, {
        body: { availability: { chat: 'Online' } },
        headers: PUT_JSON,
      })
      chatId = chatIdOf(
        await requestChat({
          skill: 'Sales',
          agent: 'nat',
          visitorId: 5151,
          survey: preChatAnswers('CATS', 'Felix the cat'),
        }),
      )
      const accepted = await client.request('POST', `/${session}/incomingRequests.json`, {
        body: {},
        headers: JSON_HEADERS,
      })
      expect(accepted.statusCode, accepted.body).toBe(201)
    })

    it('A23 GET serves the agent survey with typed values (JSON and XML)', async () => {
      const response = await agent('GET', '/survey.json')
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toEqual({
        survey: {
          id: ids.agent,
          title: '',
          header: '',
          questions: {
            question: {
              type: 'Checkbox',
              validationType: 'alpha_numeric',
              id: q.topics,
              logicId: 1,
              order: 0,
              mandatory: true,
              label: 'Topics discussed',
              entry: [
                { checked: false, value: 'billing' },
                { checked: false, value: 'shipping' },
                { checked: false, value: 'returns' },
              ],
            },
          },
        },
      })
      const xml = await agent('GET', '/survey', undefined, {})
      expect(xml.body).toBe(
        `${XML_DECLARATION}<survey><id>${ids.agent}</id><title/><header/><questions><question>` +
          `<type>Checkbox</type><validationType>alpha_numeric</validationType><id>${q.topics}</id><logicId>1</logicId>` +
          '<order>0</order><mandatory>true</mandatory><label>Topics discussed</label>' +
          '<entry><checked>false</checked><value>billing</value></entry><entry><checked>false</checked><value>shipping</value></entry>' +
          '<entry><checked>false</checked><value>returns</value></entry></question></questions></survey>',
      )
    })

    it('A23 PUT validates, then answers 200 {} for a single question object with an array answer', async () => {
      const bad = await agent(
        'POST',
        '/survey.json',
        { survey: { id: ids.agent, question: { id: q.topics, answer: 'refunds' } } },
        PUT_JSON,
      )
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.message).toBe(
        `Survey question ${q.topics} "Topics discussed": "refunds" is not one of its entries`,
      )
      const wrongSurvey = await agent('POST', '/survey.json', { survey: { id: ids.exit, question: [] } }, PUT_JSON)
      expect(wrongSurvey.statusCode).toBe(400)
      const ok = await agent(
        'POST',
        '/survey.json',
        { survey: { id: ids.agent, question: { id: q.topics, answer: ['billing', 'returns'] } } },
        PUT_JSON,
      )
      expect(ok.statusCode, ok.body).toBe(200)
      expect(ok.body).toBe('{}')
    })

    it('V17 serves the exit survey as chat-api.md §14’s typed example, also after the end (JSON and XML)', async () => {
      const end = await visitor('POST', `/chat/${chatId}/events.json`, {
        body: { event: { '@type': 'state', state: 'ended' } },
        headers: JSON_HEADERS,
      })
      expect(end.statusCode, end.body).toBe(201)
      const response = await visitor('GET', `/chat/${chatId}/exitSurvey.json`)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.body).toBe(
        JSON.stringify({
          survey: {
            id: ids.exit,
            title: '',
            header: '',
            questions: {
              question: [
                {
                  type: 'Radio Button',
                  validationType: 'alpha_numeric',
                  id: q.transcript,
                  logicId: 1,
                  order: 0,
                  mandatory: false,
                  label: 'Would you like us to email you a transcript of this chat?',
                  entry: [
                    { checked: false, value: 'yes', displayValue: 'Yes', logic: { showLogicId: 2 } },
                    { checked: false, value: 'no', displayValue: 'No' },
                  ],
                },
                {
                  type: 'Text Field',
                  validationType: 'email',
                  id: q.email,
                  logicId: 2,
                  order: 1,
                  mandatory: false,
                  label: 'If yes, please provide your email:',
                  lastKnownValue: '',
                },
              ],
            },
          },
        }),
      )
      const xml = await visitor('GET', `/chat/${chatId}/exitSurvey?surveyName=${encodeURIComponent(exitSurvey.name)}`)
      expect(xml.statusCode).toBe(200)
      expect(xml.body).toContain(
        '<entry><checked>false</checked><value>yes</value><displayValue>Yes</displayValue><logic><showLogicId>2</showLogicId></logic></entry>',
      )
      expect((await visitor('GET', `/chat/${chatId}/exitSurvey.json?surveyName=Nope`)).statusCode).toBe(404)
    })

    it('V18 validates, then stores after the end; the archive holds every survey kind and is searchable', async () => {
      const bad = await visitor('POST', `/chat/${chatId}/exitSurvey.json`, {
        body: {
          survey: {
            id: ids.exit,
            question: [
              { id: q.transcript, answer: 'yes' },
              { id: q.email, answer: 'nope' },
            ],
          },
        },
        headers: PUT_JSON,
      })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().error.message).toBe(
        `Survey question ${q.email} "If yes, please provide your email:": the answer must be an email address`,
      )
      const ok = await visitor('POST', `/chat/${chatId}/exitSurvey.json`, {
        body: {
          survey: {
            id: ids.exit,
            question: [
              { id: q.transcript, answer: 'yes' },
              { id: q.email, answer: 'john@example.com' },
            ],
          },
          chatReferrer: 'https://example.com',
          userAgent: 'ignored',
        },
        headers: PUT_JSON,
      })
      expect(ok.statusCode, ok.body).toBe(200)
      expect(ok.body).toBe('{}')

      const search = async (keyword: string, types: string[]) =>
        searchWithBearer(ctx, account.accountId, adminBearer, {
          start: { from: ctx.clock.now() - 3_600_000, to: ctx.clock.now() + 3_600_000 },
          keyword,
          keyword_search_area: { types },
        })
      const found = await search('Felix', ['surveyAnswer'])
      expect(found.statusCode, found.body).toBe(200)
      const records = found.json().interactionHistoryRecords as Json[]
      expect(records).toHaveLength(1)
      const record = records[0]!
      expect(record.info).toMatchObject({ isPreChatSurvey: true, isPostChatSurvey: true, isAgentSurvey: true })
      const item = (source: string, questionID: number, surveyID: number, name: string) => ({
        scope: 'Session',
        source,
        displayName: expect.any(String),
        value: expect.any(String),
        values: expect.any(Array),
        answersId: expect.any(Array),
        name,
        time: expect.any(String),
        timeL: expect.any(Number),
        questionID,
        surveyID,
      })
      expect(record.surveys.preChat).toEqual([
        {
          ...item('Pre-Chat', q.whom, ids.preChat, 'Pre-chat'),
          displayName: 'With whom would you like to chat?',
          value: 'CATS',
          values: ['CATS'],
          answersId: [1],
        },
        {
          ...item('Pre-Chat', q.name, ids.preChat, 'Pre-chat'),
          displayName: 'What is your name?',
          value: 'Felix the cat',
          values: ['Felix the cat'],
          answersId: [-1],
        },
      ])
      expect(record.surveys.postChat).toEqual([
        { ...item('Exit', q.transcript, ids.exit, exitSurvey.name), value: 'yes', values: ['yes'], answersId: [1] },
        {
          ...item('Exit', q.email, ids.exit, exitSurvey.name),
          value: 'john@example.com',
          values: ['john@example.com'],
          answersId: [-1],
        },
      ])
      expect(record.surveys.operator).toEqual([
        {
          ...item('Operator', q.topics, ids.agent, 'Agent wrap-up'),
          displayName: 'Topics discussed',
          value: 'billing,returns',
          values: ['billing', 'returns'],
          answersId: [1, 3],
        },
      ])
      const engagementId = String(record.info.engagementId)
      const idsFound = async (keyword: string, types: string[]): Promise<string[]> =>
        ((await search(keyword, types)).json<Json>().interactionHistoryRecords as Json[]).map((found) =>
          String(found.info.engagementId),
        )
      expect(await idsFound('john@example.com', ['surveyAnswer'])).toEqual([engagementId])
      expect(await idsFound('returns', ['surveyAnswer'])).toEqual([engagementId])
      expect(await idsFound('"Topics discussed"', ['surveyQuestion'])).toEqual([engagementId])
      expect(await idsFound('transcript', ['surveyQuestion'])).toEqual([engagementId])
      expect(await idsFound('transcript', ['surveyAnswer'])).toEqual([])
      expect(await idsFound('Felix', ['chatLine'])).toEqual([])

      // A second exit submission replaces the first, and the agent may still submit after the end.
      await visitor('POST', `/chat/${chatId}/exitSurvey.json`, {
        body: { survey: { id: ids.exit, question: { id: q.transcript, answer: 'no' } } },
        headers: PUT_JSON,
      })
      const again = await agent(
        'POST',
        '/survey.json',
        { survey: { id: ids.agent, question: { id: q.topics, answer: 'shipping' } } },
        PUT_JSON,
      )
      expect(again.statusCode, again.body).toBe(200)
      const replaced = (await search('Felix', ['surveyAnswer'])).json<Json>().interactionHistoryRecords[0] as Json
      const valuesOf = (items: Json[]): unknown[] => items.map((entry): unknown => entry.value)
      expect(valuesOf(replaced.surveys.postChat as Json[])).toEqual(['no'])
      expect(valuesOf(replaced.surveys.operator as Json[])).toEqual(['shipping'])
      expect(await idsFound('john@example.com', ['surveyAnswer'])).toEqual([])

      // The exit survey's email answer is now this visitor's lastKnownValue... of the exit's text question.
      const exit = await visitor('GET', `/chat/${chatId}/exitSurvey.json`)
      expect(exit.json().survey.questions.question[1].lastKnownValue).toBe('john@example.com')
    })
  })

  // Last: it adds skill surveys, which the chats above must not see.
  describe('V17 and A23 select by the chat’s skill (account-config.md, surveys)', () => {
    it('serves the exit and agent surveys of the chat’s skill over the defaults; surveyName still wins', async () => {
      const scope = { accountId: account.accountId }
      const catsExit = (
        await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, {
          ...exitSurvey,
          name: 'Cats exit',
          isDefault: false,
          skillIds: [skills.cats],
        })
      ).value
      const catsAgent = (
        await ctx.services.accountConfig.surveys.create(SYSTEM_CALLER, scope, {
          ...agentSurvey,
          name: 'Cats wrap-up',
          isDefault: false,
          skillIds: [skills.cats],
        })
      ).value
      const bearer = (await login(ctx.app, account.accountId, 'nat', PASSWORD)).bearer
      const client = agentClient(ctx.app, account.accountId, `Bearer ${bearer}`)
      const session = await client.start()
      const idOf = async (response: LightMyRequestResponse): Promise<unknown> => {
        expect(response.statusCode, response.body).toBe(200)
        return response.json<Json>().survey.id
      }
      const surveysOf = async (skill: string) => {
        const chatId = chatIdOf(await requestChat({ skill, agent: 'nat' }))
        const accepted = await client.request('POST', `/${session}/incomingRequests.json`, {
          body: {},
          headers: JSON_HEADERS,
        })
        expect(accepted.statusCode, accepted.body).toBe(201)
        const agentSurveyOf = (query = '') =>
          client.request('GET', `/${session}/chat/${chatId}/survey.json${query}`, { headers: {} })
        const found = {
          agent: await idOf(await agentSurveyOf()),
          agentByName: await idOf(await agentSurveyOf('?surveyName=Agent%20wrap-up')),
          exit: 0 as unknown,
          exitByName: 0 as unknown,
        }
        await ctx.services.chat.endByVisitor(account.accountId, chatId)
        found.exit = await idOf(await visitor('GET', `/chat/${chatId}/exitSurvey.json`))
        found.exitByName = await idOf(
          await visitor('GET', `/chat/${chatId}/exitSurvey.json?surveyName=${encodeURIComponent(exitSurvey.name)}`),
        )
        return found
      }
      expect(await surveysOf('Cats')).toEqual({
        agent: catsAgent.id,
        agentByName: ids.agent,
        exit: catsExit.id,
        exitByName: ids.exit,
      })
      expect(await surveysOf('Sales')).toEqual({
        agent: ids.agent,
        agentByName: ids.agent,
        exit: ids.exit,
        exitByName: ids.exit,
      })
    })
  })
})
