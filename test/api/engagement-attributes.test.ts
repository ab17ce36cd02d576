import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { PRE_CHAT_WINDOW_MS } from '../../src/core/sdes/chat-attributes.ts'
import { ATTRIBUTE_RETENTION_MS } from '../../src/core/sdes/engagement-attributes.service.ts'
import { engagementAttributesRepository } from '../../src/storage/repositories/engagement-attributes.repository.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { expectedEvent, monitoringPath, reportAttributes, SDE_CASES } from '../support/engagement-attributes.ts'
import { login } from '../support/factories.ts'
import { searchWithBearer } from '../support/history-api.ts'
import { archivedRecord, createLiveAccount, type LiveAccount } from '../support/live-chat.ts'
import { visitorClient, type VisitorClient } from './visitor-chat-app.ts'

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const JSON_TYPE = 'application/json; charset=UTF-8'
const AGENT_PASSWORD = 'pw-agent-123456'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describeEachDialect('Engagement Attributes (monitoring) API and SDEs in chats', (dialect) => {
  // Its agent sessions live on a manual clock: a sweeper of another file on a shared database (its own
  // clock far ahead) would end them, so it gets a database of its own.
  const ctx = useTestApp(dialect, { privateDatabase: true })

  interface Setup {
    live: LiveAccount
    visitor: VisitorClient
    /** Bearer of the agent Natalie (not an admin: any user of the account may report). */
    agentBearer: string
    adminBearer: string
  }

  const setup = async (): Promise<Setup> => {
    const live = await createLiveAccount(ctx.services, { agents: [{ nickname: 'Natalie', skills: ['Sales'] }] })
    const [appKey] = await ctx.services.accounts.listAppKeys(live.accountId)
    const agentBearer = (await login(ctx.app, live.accountId, 'natalie', AGENT_PASSWORD)).bearer
    const adminBearer = (await login(ctx.app, live.accountId, 'admin', 'pw-admin-123456')).bearer
    return { live, visitor: visitorClient(ctx.app, live.accountId, appKey!.appKey), agentBearer, adminBearer }
  }

  /** An agent session of Natalie; accepts the ringing chat and returns the agent chat path. */
  const acceptAsAgent = async (s: Setup): Promise<{ sessionPath: string; chatPath: string }> => {
    const agent = agentClient(ctx.app, s.live.accountId, `Bearer ${s.agentBearer}`)
    const sessionId = await agent.start()
    const accepted = await agent.request('POST', `/${sessionId}/incomingRequests.json`, {
      body: {},
      headers: { 'content-type': 'application/json' },
    })
    expect(accepted.statusCode, accepted.body).toBe(201)
    const chatId = String(accepted.headers.location).split('/').pop()!
    return { sessionPath: `${agent.base}/${sessionId}`, chatPath: `${agent.base}/${sessionId}/chat/${chatId}` }
  }

  const report = (s: Setup, visitorId: string, body: unknown, query = 'v=1&sid=sess-1') =>
    reportAttributes(ctx.app, {
      accountId: s.live.accountId,
      visitorId,
      authorization: `Bearer ${s.agentBearer}`,
      body,
      query,
    })

  const expectOk = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe(JSON_TYPE)
    expect(response.body).toBe('{}')
  }

  const agentGet = (s: Setup, path: string, headers: Record<string, string> = {}) =>
    ctx.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${s.agentBearer}`, ...headers } })

  describe('every input type end to end', () => {
    let s: Setup
    let record: Json
    let stamps: { before: string; during: string }
    let rtSessionId: number

    beforeAll(async () => {
      s = await setup()
      // Too old (more than 6 hours before the request): not listed.
      expectOk(await report(s, 'vis-1', { type: 'lead', lead: { topic: 'ancient history' } }))
      ctx.clock.advance(PRE_CHAT_WINDOW_MS + 60_000)
      stamps = { before: String(ctx.clock.now()), during: '' }
      // Before the chat, as LivePerson's clients send them: an array of every type.
      expectOk(
        await report(
          s,
          'vis-1',
          SDE_CASES.map((entry) => entry.input),
        ),
      )
      // Another session, another visitor and another account's visitor: not listed.
      expectOk(await report(s, 'vis-1', { type: 'lead', lead: { topic: 'other session' } }, 'v=1&sid=sess-2'))
      expectOk(await report(s, 'vis-2', { type: 'lead', lead: { topic: 'other visitor' } }))
      ctx.clock.advance(1_000)

      const key = await s.visitor.requestChat({
        request: { skill: 'Sales', LETagVisitorId: 'vis-1', LETagSessionId: 'sess-1' },
      })
      const { chatPath } = await acceptAsAgent(s)
      ctx.clock.advance(1_000)
      // During the chat, through Parley's numeric visitor id, as a single object with a real PUT.
      const chat = await ctx.services.chat.getChat(s.live.accountId, key)
      rtSessionId = chat.rtSessionId
      stamps.during = String(ctx.clock.now())
      const during = await ctx.app.inject({
        method: 'PUT',
        url: monitoringPath(s.live.accountId, chat.visitorId),
        headers: { authorization: `Bearer ${s.agentBearer}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ type: 'service', service: { topic: 'during the chat', status: 1 } }),
      })
      expectOk(during)

      // The agent sees them while chatting (Parley's extension).
      const seen = await agentGet(s, `${chatPath}/engagementAttributes.json`)
      expect(seen.statusCode, seen.body).toBe(200)
      expect(seen.json<Json>().engagementAttributes.events).toHaveLength(SDE_CASES.length + 1)

      const end = await ctx.app.inject({
        method: 'POST',
        url: `${chatPath}/events.json`,
        headers: { authorization: `Bearer ${s.agentBearer}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ event: { '@type': 'state', state: 'ended' } }),
      })
      expect(end.statusCode, end.body).toBe(201)
      ctx.clock.advance(1_000)
      // After the end: not in this engagement's record.
      expectOk(await report(s, 'vis-1', { type: 'lead', lead: { topic: 'after the end' } }))
      const [archived] = await archivedRecord(ctx.services, s.live.accountId, `${s.live.accountId}${rtSessionId}`)
      record = archived as unknown as Json
    })

    it('lists the pre-chat and during-chat reports of the chat, in order, each in its §6.1 shape', () => {
      expect(record.sdes.events).toEqual([
        ...SDE_CASES.map((entry) => expectedEvent(entry, stamps.before)),
        {
          serviceActivity: {
            serverTimeStamp: stamps.during,
            originalTimeStamp: stamps.during,
            serviceActivity: { topic: 'during the chat', status: '1', category: null, serviceId: null },
          },
          serverTimeStamp: stamps.during,
          originalTimeStamp: stamps.during,
          sdeType: 'SERVICE_ACTIVITY',
          isAuthenticated: false,
        },
      ])
    })

    it.each(SDE_CASES.filter((entry) => entry.area))(
      'finds the chat through the Engagement History API in $area.name',
      async (entry) => {
        const search = (area: string) =>
          searchWithBearer(ctx, s.live.accountId, s.adminBearer, {
            start: { from: Number(stamps.before) - 3_600_000, to: Number(stamps.before) + 3_600_000 },
            keyword: entry.area!.word,
            keyword_search_area: { types: [area] },
          })
        const found = await search(entry.area!.name)
        expect(found.statusCode, found.body).toBe(200)
        const records = found.json<Json>().interactionHistoryRecords as Json[]
        expect(records.map((candidate): unknown => candidate.info.engagementId)).toEqual([
          `${s.live.accountId}${rtSessionId}`,
        ])
        expect(records[0]!.sdes.events).toHaveLength(SDE_CASES.length + 1)
        // The same word is in no other area of this record.
        const elsewhere = await search('chatLine')
        expect(elsewhere.json<Json>().interactionHistoryRecords).toEqual([])
      },
    )

    it('finds it by the visitor filter and by keywords without an area', async () => {
      const byVisitor = await searchWithBearer(ctx, s.live.accountId, s.adminBearer, {
        visitor: 'vis-1',
        keyword: 'checkbook',
      })
      expect(byVisitor.json<Json>().interactionHistoryRecords).toHaveLength(1)
      const none = await searchWithBearer(ctx, s.live.accountId, s.adminBearer, {
        visitor: 'vis-1',
        keyword: 'ancient',
      })
      expect(none.json<Json>().interactionHistoryRecords).toEqual([])
    })
  })

  describe('monitoring request rules (§10)', () => {
    let s: Setup
    beforeAll(async () => {
      s = await setup()
    })

    /** Chat for `visitorId`, ended at once; its record's SDE events. */
    const recordEvents = async (visitorId: string): Promise<Json[]> => {
      const key = await s.visitor.requestChat({
        request: { skill: 'Sales', LETagVisitorId: visitorId, LETagSessionId: 'sess-1' },
      })
      const chat = await ctx.services.chat.getChat(s.live.accountId, key)
      await ctx.services.chat.endByVisitor(s.live.accountId, key)
      const [archived] = await archivedRecord(ctx.services, s.live.accountId, `${s.live.accountId}${chat.rtSessionId}`)
      return (archived as unknown as Json).sdes.events as Json[]
    }

    it('rejects a bad attribute with 400 naming it and stores nothing of that request', async () => {
      const bad = await report(s, 'vis-bad', [
        { type: 'lead', lead: { topic: 'kept out' } },
        { type: 'lead', lead: { topic: 'x', value: 'a lot' } },
      ])
      expect(bad.statusCode).toBe(400)
      expect(bad.headers['content-type']).toBe(JSON_TYPE)
      expect(bad.json()).toEqual({
        error: { time: expect.any(String), message: 'body[1].lead.value: must be a number', internalCode: 5 },
      })
      const unknown = await report(s, 'vis-bad', [{ type: 'visit' }])
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json<Json>().error.message).toMatch(/^body\[0\]\.type: must be one of cart, purchase/)
      const notJson = await report(s, 'vis-bad', '{"type": ')
      expect(notJson.statusCode).toBe(400)
      expect(notJson.json<Json>().error.internalCode).toBe(5)
      const noSid = await report(s, 'vis-bad', [{ type: 'lead', lead: {} }], 'v=1')
      expect(noSid.statusCode).toBe(400)
      expect(noSid.json<Json>().error.message).toBe('sid: is required')

      expectOk(await report(s, 'vis-bad', [{ type: 'lead', lead: { topic: 'valid one' } }]))
      const events = await recordEvents('vis-bad')
      expect(events.map((event): unknown => (event.lead as Json).lead.topic)).toEqual(['valid one'])
    })

    it('answers JSON whatever Accept says, and accepts a plain POST and a .json suffix', async () => {
      const response = await ctx.app.inject({
        method: 'POST',
        url: monitoringPath(s.live.accountId, 'vis-accept').replace('/events?', '/events.json?'),
        headers: {
          authorization: `Bearer ${s.agentBearer}`,
          'content-type': 'application/json',
          accept: 'application/xml',
        },
        payload: JSON.stringify([{ type: 'searchInfo', keywords: ['x'] }]),
      })
      expectOk(response)
    })

    it('answers 401 without or with a bad credential, 403 for a key without monitoring, 422 for an unknown account', async () => {
      const missing = await ctx.app.inject({
        method: 'PUT',
        url: monitoringPath(s.live.accountId, 'v'),
        headers: { 'content-type': 'application/json' },
        payload: '[]',
      })
      expect(missing.statusCode).toBe(401)
      expect(missing.json()).toEqual({ error: { time: expect.any(String), message: 'Unauthorized', internalCode: 10 } })
      const badBearer = await reportAttributes(ctx.app, {
        accountId: s.live.accountId,
        visitorId: 'v',
        authorization: 'Bearer nope',
        body: [],
      })
      expect(badBearer.statusCode).toBe(401)
      expect(badBearer.json<Json>().error.internalCode).toBe(10)

      const href = `http://localhost${monitoringPath(s.live.accountId, 'v-key')}`
      const sign = (
        keys: { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string },
        secret?: string,
      ) =>
        signRequest({
          method: 'POST',
          url: href,
          consumerKey: keys.consumerKey,
          consumerSecret: secret ?? keys.consumerSecret,
          token: keys.accessToken,
          tokenSecret: keys.accessTokenSecret,
          timestamp: Math.floor(ctx.clock.now() / 1000),
        })
      const [fullKey] = await ctx.services.accounts.listApiKeys(s.live.accountId)
      const signed = await reportAttributes(ctx.app, {
        accountId: s.live.accountId,
        visitorId: 'v-key',
        authorization: sign(fullKey!),
        body: [{ type: 'lead', lead: { topic: 'signed' } }],
      })
      expectOk(signed)
      const badSignature = await reportAttributes(ctx.app, {
        accountId: s.live.accountId,
        visitorId: 'v-key',
        authorization: sign(fullKey!, 'wrong-secret'),
        body: [],
      })
      expect(badSignature.statusCode).toBe(401)
      expect(badSignature.body).toBe(
        'oauth_problem=signature_invalid&oauth_problem_advice=the oauth_signature is invalid',
      )

      const historyOnly = await ctx.services.accounts.createApiKey(s.live.accountId, {
        permissions: ['engagementHistory'],
      })
      const forbidden = await reportAttributes(ctx.app, {
        accountId: s.live.accountId,
        visitorId: 'v-key',
        authorization: sign(historyOnly),
        body: [],
      })
      expect(forbidden.statusCode).toBe(403)
      expect(forbidden.json<Json>().error).toMatchObject({ message: 'Unauthorized account access', internalCode: 10 })

      const unknownAccount = await reportAttributes(ctx.app, {
        accountId: 'nosuchaccount',
        visitorId: 'v',
        authorization: `Bearer ${s.agentBearer}`,
        body: [],
      })
      expect(unknownAccount.statusCode).toBe(422)
      expect(unknownAccount.json()).toEqual({
        error: { time: expect.any(String), message: 'Account nosuchaccount not found', internalCode: 28 },
      })
    })

    it('keeps accounts apart: another account’s bearer is 401 and its reports never reach this account', async () => {
      const other = await setup()
      const crossed = await reportAttributes(ctx.app, {
        accountId: s.live.accountId,
        visitorId: 'shared-visitor',
        authorization: `Bearer ${other.agentBearer}`,
        body: [{ type: 'lead', lead: { topic: 'crossed' } }],
      })
      expect(crossed.statusCode).toBe(401)
      expectOk(await report(other, 'shared-visitor', [{ type: 'lead', lead: { topic: 'other account' } }]))
      expectOk(await report(s, 'shared-visitor', [{ type: 'lead', lead: { topic: 'this account' } }]))
      const events = await recordEvents('shared-visitor')
      expect(events.map((event): unknown => (event.lead as Json).lead.topic)).toEqual(['this account'])
    })

    it('answers 404 for the Visit Information API and other paths, 405 for other methods, 413 for a huge body', async () => {
      const state = await ctx.app.inject({
        method: 'GET',
        url: `/api/account/${s.live.accountId}/monitoring/visitors/v/visits/current/state?v=1&sid=s`,
        headers: { authorization: `Bearer ${s.agentBearer}` },
      })
      expect(state.statusCode).toBe(404)
      expect(state.json<Json>().error.internalCode).toBe(28)
      const get = await ctx.app.inject({
        method: 'GET',
        url: monitoringPath(s.live.accountId, 'v'),
        headers: { authorization: `Bearer ${s.agentBearer}` },
      })
      expect(get.statusCode).toBe(405)
      const huge = await report(s, 'v', [{ type: 'searchInfo', keywords: Array(30).fill('x'.repeat(40_000)) }])
      expect(huge.statusCode).toBe(413)
    })
  })

  describe('what the agent sees', () => {
    let s: Setup
    let paths: { sessionPath: string; chatPath: string }
    const participantId = '55fc1779-83b0-4e8b-8eea-503a8eaf8822'

    beforeAll(async () => {
      s = await setup()
      expectOk(
        await report(s, 'vis-auth', [
          {
            type: 'ctmrinfo',
            info: {
              cstatus: 'cancelled',
              ctype: 'vip',
              customerId: '57ac-072a-5d10-4506-721f-9ebf',
              balance: -400.99,
              registrationDate: { year: 2013, month: 5, day: 23 },
            },
          },
          {
            type: 'personal',
            personal: {
              firstname: 'Test',
              lastname: 'User',
              contacts: [{ email: 'testuser@example.com', phone: '+1-10-344-3765333' }],
            },
          },
        ]),
      )
      await s.visitor.requestChat({
        request: { skill: 'Sales', LETagVisitorId: 'vis-auth', LETagSessionId: 'sess-1', participantId },
      })
      paths = await acceptAsAgent(s)
    })

    const A26 = {
      authenticatedParticipantInfo: {
        isUserAuthenticated: true,
        participantId,
        customerId: '57ac-072a-5d10-4506-721f-9ebf',
        customerStatus: 'cancelled',
        customerType: 'vip',
        balance: -400.99,
        registrationDate: { year: 2013, month: 5, day: 23 },
      },
      authenticatedPersonalInfo: {
        name: 'Test',
        surname: 'User',
        contacts: [{ email: 'testuser@example.com', phone: '+1-10-344-3765333' }],
      },
    }

    it('links participant info from the chat info and answers A26 in JSON', async () => {
      const chat = await agentGet(s, `${paths.chatPath}.json`)
      const links = chat.json<Json>().chat.info.link as Json[]
      expect(links.slice(-2)).toEqual([
        {
          '@href': `http://localhost:80${paths.sessionPath}/participantInfo/${participantId}`,
          '@rel': 'participant-info',
        },
        {
          '@href': `http://localhost:80${paths.sessionPath}/participantExtendedInfo/${participantId}`,
          '@rel': 'participant-extended-info',
        },
      ])
      for (const resource of ['participantInfo', 'participantExtendedInfo']) {
        const response = await agentGet(s, `${paths.sessionPath}/${resource}/${participantId}.json?v=1&NC=true`)
        expect(response.statusCode, response.body).toBe(200)
        expect(response.headers['content-type']).toBe(JSON_TYPE)
        expect(response.json()).toEqual(A26)
      }
    })

    it('answers A26 in XML under one root', async () => {
      const response = await agentGet(s, `${paths.sessionPath}/participantInfo/${participantId}`)
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe(
        `${XML}<participantInfo><authenticatedParticipantInfo><isUserAuthenticated>true</isUserAuthenticated>` +
          `<participantId>${participantId}</participantId><customerId>57ac-072a-5d10-4506-721f-9ebf</customerId>` +
          '<customerStatus>cancelled</customerStatus><customerType>vip</customerType><balance>-400.99</balance>' +
          '<registrationDate><year>2013</year><month>5</month><day>23</day></registrationDate>' +
          '</authenticatedParticipantInfo><authenticatedPersonalInfo><name>Test</name><surname>User</surname>' +
          '<contacts><email>testuser@example.com</email><phone>+1-10-344-3765333</phone></contacts>' +
          '</authenticatedPersonalInfo></participantInfo>',
      )
    })

    it('answers 404 for a participant id no chat of this agent carries, and for another user', async () => {
      const unknown = await agentGet(s, `${paths.sessionPath}/participantInfo/someone-else.json`)
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json<Json>().error).toMatchObject({ message: 'Resource not found', internalCode: 28 })
      const other = await setup()
      const foreign = await ctx.app.inject({
        method: 'GET',
        url: `${paths.sessionPath}/participantInfo/${participantId}.json`,
        headers: { authorization: `Bearer ${other.agentBearer}` },
      })
      expect(foreign.statusCode).toBe(401)
    })

    it('has no participant links and 404 for a chat without participantId', async () => {
      const plain = await setup()
      await plain.visitor.requestChat({ request: { skill: 'Sales', LETagVisitorId: 'vis-anon', LETagSessionId: 's' } })
      const { sessionPath, chatPath } = await acceptAsAgent(plain)
      const chat = await agentGet(plain, `${chatPath}.json`)
      const rels = (chat.json<Json>().chat.info.link as Json[]).map((entry): unknown => entry['@rel'])
      expect(rels).not.toContain('participant-info')
      const response = await agentGet(plain, `${sessionPath}/participantInfo/vis-anon.json`)
      expect(response.statusCode).toBe(404)
    })

    it('shows the chat’s attributes on the engagementAttributes extension in JSON and XML', async () => {
      const json = await agentGet(s, `${paths.chatPath}/engagementAttributes.json`)
      expect(json.statusCode).toBe(200)
      const events = json.json<Json>().engagementAttributes.events as Json[]
      expect(events.map((event): unknown => event.sdeType)).toEqual(['CUSTOMER_INFO', 'PERSONAL_INFO'])
      expect(events[0]!.customerInfo.customerInfo).toMatchObject({
        customerId: '57ac-072a-5d10-4506-721f-9ebf',
        balance: '-400.99',
      })

      const xml = await agentGet(s, `${paths.chatPath}/engagementAttributes`, { accept: 'application/xml' })
      expect(xml.statusCode).toBe(200)
      expect(xml.headers['content-type']).toBe('application/xml; charset=UTF-8')
      expect(xml.body).toContain(`${XML}<engagementAttributes><events><customerInfo>`)
      expect(xml.body).toContain('<sdeType>PERSONAL_INFO</sdeType><isAuthenticated>false</isAuthenticated></events>')
      expect(xml.body).toContain('<personalContact><email>testuser@example.com</email>')
    })

    it('answers an empty list for a chat without attributes, and 404 for a chat the agent does not hold', async () => {
      const plain = await setup()
      await plain.visitor.requestChat({ request: { skill: 'Sales' } })
      const { chatPath } = await acceptAsAgent(plain)
      const empty = await agentGet(plain, `${chatPath}/engagementAttributes.json`)
      expect(empty.statusCode).toBe(200)
      expect(empty.json()).toEqual({ engagementAttributes: { events: [] } })
      const elsewhere = await agentGet(
        s,
        `${paths.chatPath.replace(/chat\/[^/]+$/, 'chat/unknownchat')}/engagementAttributes.json`,
      )
      expect(elsewhere.statusCode).toBe(404)
    })

    // Last in this block: it ends the chat the tests above read.
    it('answers A26 404 once the chat has ended, in JSON and XML, on both paths', async () => {
      const before = await agentGet(s, `${paths.sessionPath}/participantInfo/${participantId}.json`)
      expect(before.statusCode).toBe(200)
      const chatKey = paths.chatPath.split('/').pop()!
      await ctx.services.chat.endByVisitor(s.live.accountId, chatKey)
      for (const resource of ['participantInfo', 'participantExtendedInfo']) {
        const json = await agentGet(s, `${paths.sessionPath}/${resource}/${participantId}.json?v=1&NC=true`)
        expect(json.statusCode, resource).toBe(404)
        expect(json.json()).toEqual({
          error: { time: expect.any(String), message: 'Resource not found', internalCode: 28 },
        })
        const xml = await agentGet(s, `${paths.sessionPath}/${resource}/${participantId}`)
        expect(xml.statusCode, resource).toBe(404)
        expect(xml.body).toMatch(
          /^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?><error><time>.+<\/time><message>Resource not found<\/message><internalCode>28<\/internalCode><\/error>$/,
        )
      }
    })
  })

  // Last: it moves the clock a week ahead.
  describe('retention', () => {
    it('deletes reports older than a week when later ones arrive, and rejects overlong ids', async () => {
      const old = await setup()
      expectOk(await report(old, 'vis-old', [{ type: 'lead', lead: { topic: 'old' } }]))
      const stored = () =>
        engagementAttributesRepository.list(ctx.storage.db, {
          accountId: old.live.accountId,
          visitorIds: ['vis-old'],
          from: 0,
          to: ctx.clock.now(),
        })
      expect(await stored()).toHaveLength(1)
      ctx.clock.advance(ATTRIBUTE_RETENTION_MS + 2 * 60 * 60 * 1000)
      const recent = await setup()
      expectOk(await report(recent, 'vis-new', [{ type: 'lead', lead: { topic: 'new' } }]))
      expect(await stored()).toEqual([])

      const longSid = await report(recent, 'vis-new', [], `v=1&sid=${'s'.repeat(257)}`)
      expect(longSid.statusCode).toBe(400)
      expect(longSid.json<Json>().error.message).toBe('sid: must be at most 256 characters')
      // Path parameters over 100 characters are refused before routing, in the envelope (issue 11).
      const longVisitor = await report(recent, 'v'.repeat(257), [])
      expect(longVisitor.statusCode).toBe(400)
      expect(longVisitor.json<Json>().error.message).toBe('path: a path segment is too long')
    })
  })
})
