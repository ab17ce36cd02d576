import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import { formatHistoryTime } from '../../src/core/time.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { rtIdsOf, searchWithBearer } from '../support/history-api.ts'
import { archivedRecord } from '../support/live-chat.ts'

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
const ORIGIN = 'http://localhost:80'
const PASSWORD = 'agent-pass-123'
const jsonBody = { 'content-type': 'application/json' }
const xmlBody = { 'content-type': 'application/xml' }

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

interface Agent {
  url: string
  request(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>
}

interface LiveChat {
  chatId: string
  rtSessionId: number
  /** `{agent chat URL}/coBrowseSessions` as links show it. */
  sessionsUrl: string
}

describeEachDialect('Chat Agent API extension: co-browse sessions', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  let adminBearer = ''
  const users = { nat: 0, bob: 0 }
  let nat: Agent
  let bob: Agent

  const agentOf = async (loginName: string): Promise<Agent> => {
    const { bearer } = await login(ctx.app, account.accountId, loginName, PASSWORD)
    const client = agentClient(ctx.app, account.accountId, `Bearer ${bearer}`)
    const sessionId = await client.start()
    return {
      url: `${ORIGIN}${client.base}/${sessionId}`,
      request: (method, path, body, headers) =>
        client.request(method, `/${sessionId}${path}`, {
          ...(body === undefined ? {} : { body }),
          headers: headers ?? (body === undefined ? {} : jsonBody),
        }),
    }
  }

  /** A chat aimed at `agent` (login name), accepted by them over A9. */
  const chatWith = async (agent: Agent, loginName: string): Promise<LiveChat> => {
    const chat = await ctx.services.chat.requestChat(
      account.accountId,
      { request: { skill: 'Sales', agent: loginName } },
      { visitorIp: '10.0.0.1', userAgent: 'test' },
    )
    const accepted = await agent.request('POST', '/incomingRequests.json', {})
    expect(accepted.statusCode, accepted.body).toBe(201)
    expect(String(accepted.headers.location)).toBe(`${agent.url}/chat/${chat.key}`)
    return {
      chatId: chat.key,
      rtSessionId: chat.rtSessionId,
      sessionsUrl: `${agent.url}/chat/${chat.key}/coBrowseSessions`,
    }
  }

  const start = async (agent: Agent, chat: LiveChat): Promise<string> => {
    const response = await agent.request('POST', `/chat/${chat.chatId}/coBrowseSessions.json`)
    expect(response.statusCode, response.body).toBe(201)
    return response.json().coBrowseSession.sessionId as string
  }

  const change = (agent: Agent, chat: LiveChat, sessionId: string, body: Json): Promise<LightMyRequestResponse> =>
    agent.request('PUT', `/chat/${chat.chatId}/coBrowseSessions/${sessionId}.json`, { coBrowseSession: body })

  const endChat = async (agent: Agent, chat: LiveChat): Promise<void> => {
    const ended = await agent.request('POST', `/chat/${chat.chatId}/events.json`, {
      event: { '@type': 'state', state: 'ended' },
    })
    expect(ended.statusCode, ended.body).toBe(201)
  }

  const recordOf = async (chat: LiveChat): Promise<EngagementRecord> => {
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
    if (!record) throw new Error(`no record for ${chat.chatId}`)
    return record
  }

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    const scope = { accountId: account.accountId }
    const sales = (await ctx.services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    for (const loginName of ['nat', 'bob'] as const) {
      users[loginName] = (
        await ctx.services.accountConfig.users.create(SYSTEM_CALLER, scope, {
          loginName,
          password: PASSWORD,
          nickname: loginName === 'nat' ? 'Natalie' : 'Bob',
          fullName: `${loginName} Full`,
          email: `${loginName}@example.com`,
          maxChats: 10,
          skillIds: [sales],
        })
      ).value.id
    }
    ;({ bearer: adminBearer } = await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword))
    nat = await agentOf('nat')
    bob = await agentOf('bob')
  })

  describe('on a live chat', () => {
    let chat: LiveChat
    let first = ''
    let startedAt = 0

    beforeAll(async () => {
      chat = await chatWith(nat, 'nat')
    })

    it('GET lists no session before the first, with its self link', async () => {
      const json = await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions.json?v=1&NC=true`)
      expect(json.statusCode).toBe(200)
      expect(json.json()).toEqual({ coBrowseSessions: { link: { '@href': chat.sessionsUrl, '@rel': 'self' } } })
      const xml = await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions.xml`)
      expect(xml.body).toBe(`${XML}<coBrowseSessions><link href="${chat.sessionsUrl}" rel="self"/></coBrowseSessions>`)
    })

    it('POST starts a view-only session: 201, Location and the session', async () => {
      startedAt = ctx.clock.now()
      const response = await nat.request('POST', `/chat/${chat.chatId}/coBrowseSessions.json?v=1&NC=true`, {})
      expect(response.statusCode, response.body).toBe(201)
      const session = response.json().coBrowseSession as Json
      first = session.sessionId as string
      expect(first).toMatch(/^[0-9a-f]{24}$/)
      expect(response.headers.location).toBe(`${chat.sessionsUrl}/${first}`)
      expect(response.json()).toEqual({
        coBrowseSession: {
          link: { '@href': `${chat.sessionsUrl}/${first}`, '@rel': 'self' },
          sessionId: first,
          state: 'active',
          interactive: false,
          startTime: formatHistoryTime(startedAt),
          startTimeL: startedAt,
        },
      })
    })

    it('PUT marks it interactive, keeping the first interactive time', async () => {
      ctx.clock.advance(1000)
      const response = await change(nat, chat, first, { interactive: true })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json().coBrowseSession).toMatchObject({
        state: 'active',
        interactive: true,
        interactiveTime: formatHistoryTime(startedAt + 1000),
        interactiveTimeL: startedAt + 1000,
      })
      ctx.clock.advance(500)
      const again = await change(nat, chat, first, { interactive: 'true' })
      expect(again.statusCode).toBe(200)
      expect(again.json().coBrowseSession.interactiveTimeL).toBe(startedAt + 1000)
    })

    it('GET one session in XML', async () => {
      const response = await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions/${first}.xml`)
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe(
        `${XML}<coBrowseSession><link href="${chat.sessionsUrl}/${first}" rel="self"/><sessionId>${first}</sessionId>` +
          `<state>active</state><interactive>true</interactive><startTime>${formatHistoryTime(startedAt)}</startTime>` +
          `<startTimeL>${startedAt}</startTimeL><interactiveTime>${formatHistoryTime(startedAt + 1000)}</interactiveTime>` +
          `<interactiveTimeL>${startedAt + 1000}</interactiveTimeL></coBrowseSession>`,
      )
    })

    it('POST with X-HTTP-Method-Override: PUT and an XML body ends it with a reason', async () => {
      ctx.clock.set(startedAt + 3000)
      const response = await nat.request(
        'POST',
        `/chat/${chat.chatId}/coBrowseSessions/${first}.xml`,
        '<coBrowseSession><state>ended</state><endReason>VISITOR</endReason></coBrowseSession>',
        { ...xmlBody, 'x-http-method-override': 'PUT' },
      )
      expect(response.statusCode, response.body).toBe(200)
      expect(response.body).toContain(
        `<state>ended</state><interactive>true</interactive><startTime>${formatHistoryTime(startedAt)}</startTime>`,
      )
      expect(response.body).toContain(
        `<endTime>${formatHistoryTime(startedAt + 3000)}</endTime><endTimeL>${startedAt + 3000}</endTimeL>` +
          `<endReason>VISITOR</endReason><duration>3000</duration></coBrowseSession>`,
      )
    })

    it('GET lists two sessions as an array, oldest first', async () => {
      const second = await start(nat, chat)
      const response = await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions.json`)
      const list = response.json().coBrowseSessions.coBrowseSession as Json[]
      expect(list.map((session): unknown[] => [session.sessionId, session.state])).toEqual([
        [first, 'ended'],
        [second, 'active'],
      ])
      expect(list[0]).toMatchObject({ endReason: 'VISITOR', duration: 3000, endTimeL: startedAt + 3000 })
    })

    it('rejects bad changes with 400 in LivePerson’s envelope, JSON and XML', async () => {
      const open = await start(nat, chat)
      await change(nat, chat, open, { interactive: true })
      const bad: Array<[Json, RegExp]> = [
        [{ state: 'ended', endReason: 'BORED' }, /endReason: must be one of UNKOWN, SERVER, VISITOR, AGENT, TIMEOUT/],
        [{ state: 'ended', endReason: 'UNKNOWN' }, /endReason/],
        [{ state: 'active' }, /state: must be ended/],
        [{ endReason: 'AGENT' }, /endReason: needs state ended/],
        [{ interactive: false }, /stays interactive/],
        [{ interactive: 'maybe' }, /interactive/],
      ]
      for (const [body, message] of bad) {
        const response = await change(nat, chat, open, body)
        expect(response.statusCode, JSON.stringify(body)).toBe(400)
        expect(response.json().error).toMatchObject({ message: expect.stringMatching(message), internalCode: 5 })
      }
      const missing = await nat.request('PUT', `/chat/${chat.chatId}/coBrowseSessions/${open}.json`, {})
      expect(missing.statusCode).toBe(400)
      const already = await change(nat, chat, first, { state: 'ended', endReason: 'AGENT' })
      expect(already.statusCode).toBe(400)
      expect(already.json().error).toMatchObject({ message: 'coBrowseSession: the session has already ended' })
      const alreadyXml = await nat.request(
        'PUT',
        `/chat/${chat.chatId}/coBrowseSessions/${first}.xml`,
        '<coBrowseSession><interactive>true</interactive></coBrowseSession>',
        xmlBody,
      )
      expect(alreadyXml.statusCode).toBe(400)
      expect(alreadyXml.body).toMatch(
        /^<\?xml .*<error><time>.+<\/time><message>coBrowseSession: the session has already ended<\/message><internalCode>5<\/internalCode><\/error>$/,
      )
      // The session is still open and unchanged.
      const still = await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions/${open}.json`)
      expect(still.json().coBrowseSession).toMatchObject({ state: 'active', interactive: true })
    })

    it('answers 404 for an unknown session and for a chat the agent does not hold', async () => {
      const unknown = await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions/abc.json`)
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json().error.internalCode).toBe(28)
      const unknownPut = await change(nat, chat, 'abc', { interactive: true })
      expect(unknownPut.statusCode).toBe(404)
      for (const [method, path] of [
        ['GET', `/chat/${chat.chatId}/coBrowseSessions.json`],
        ['POST', `/chat/${chat.chatId}/coBrowseSessions.json`],
        ['GET', `/chat/${chat.chatId}/coBrowseSessions/${first}.json`],
      ] as const) {
        const response = await bob.request(method, path)
        expect(response.statusCode, `${method} ${path}`).toBe(404)
        expect(response.json().error.internalCode).toBe(28)
      }
      const foreignPut = await change(bob, chat, first, { interactive: true })
      expect(foreignPut.statusCode).toBe(404)
      const xml = await bob.request('GET', `/chat/${chat.chatId}/coBrowseSessions.xml`)
      expect(xml.statusCode).toBe(404)
      expect(xml.body).toMatch(/<error>.*<internalCode>28<\/internalCode><\/error>$/)
    })

    it('answers 401 without credentials', async () => {
      const response = await ctx.app.inject({
        method: 'GET',
        url: `${nat.url.slice(ORIGIN.length)}/chat/${chat.chatId}/coBrowseSessions.json`,
      })
      expect(response.statusCode).toBe(401)
    })
  })

  describe('when the engagement ends', () => {
    let interactiveChat: LiveChat
    let viewOnlyChat: LiveChat
    let t0 = 0
    let openId = ''
    let closedId = ''

    beforeAll(async () => {
      interactiveChat = await chatWith(nat, 'nat')
      viewOnlyChat = await chatWith(bob, 'bob')
      t0 = ctx.clock.now()
      closedId = await start(nat, interactiveChat)
      ctx.clock.set(t0 + 1000)
      expect((await change(nat, interactiveChat, closedId, { interactive: true })).statusCode).toBe(200)
      ctx.clock.set(t0 + 3000)
      expect((await change(nat, interactiveChat, closedId, { state: 'ended', endReason: 'TIMEOUT' })).statusCode).toBe(
        200,
      )
      openId = await start(nat, interactiveChat)
      const viewOnly = await start(bob, viewOnlyChat)
      ctx.clock.set(t0 + 10_000)
      await endChat(nat, interactiveChat)
      ctx.clock.set(t0 + 63_000)
      expect((await change(bob, viewOnlyChat, viewOnly, { state: 'ended' })).statusCode).toBe(200)
      await endChat(bob, viewOnlyChat)
    })

    it('ends open sessions with reason SERVER at the engagement’s end and archives every session', async () => {
      const record = await recordOf(interactiveChat)
      expect(record.info.endTimeL).toBe(t0 + 10_000)
      expect(record.coBrowseSessions).toEqual({
        coBrowseSessionsList: [
          {
            sessionId: closedId,
            startTime: formatHistoryTime(t0),
            startTimeL: t0,
            endTime: formatHistoryTime(t0 + 3000),
            endTimeL: t0 + 3000,
            interactiveTime: formatHistoryTime(t0 + 1000),
            interactiveTimeL: t0 + 1000,
            endReason: 'TIMEOUT',
            duration: 3000,
            interactive: true,
          },
          {
            sessionId: openId,
            startTime: formatHistoryTime(t0 + 3000),
            startTimeL: t0 + 3000,
            endTime: formatHistoryTime(t0 + 10_000),
            endTimeL: t0 + 10_000,
            endReason: 'SERVER',
            duration: 7000,
            interactive: false,
          },
        ],
      })
      const viewOnly = (await recordOf(viewOnlyChat)).coBrowseSessions.coBrowseSessionsList
      expect(viewOnly).toEqual([expect.objectContaining({ endReason: 'AGENT', duration: 60_000, interactive: false })])
    })

    it('shows the SERVER end to the agent, and refuses changes after the chat’s end', async () => {
      const list = await nat.request('GET', `/chat/${interactiveChat.chatId}/coBrowseSessions.json`)
      expect(list.statusCode).toBe(200)
      const sessions = list.json().coBrowseSessions.coBrowseSession as Json[]
      expect(sessions[1]).toMatchObject({ sessionId: openId, state: 'ended', endReason: 'SERVER', duration: 7000 })
      const started = await nat.request('POST', `/chat/${interactiveChat.chatId}/coBrowseSessions.json`)
      expect(started.statusCode).toBe(400)
      expect(started.json().error).toMatchObject({
        message: 'Cannot change co-browse sessions. Chat was ended',
        internalCode: 5,
      })
      const changed = await change(nat, interactiveChat, openId, { interactive: true })
      expect(changed.statusCode).toBe(400)
    })

    it('is found by the hasInteractiveCoBrowse and coBrowseDuration filters', async () => {
      const start = { from: t0 - 86_400_000, to: t0 + 86_400_000 }
      const search = async (filter: Json): Promise<string[]> => {
        const response = await searchWithBearer(ctx, account.accountId, adminBearer, { start, ...filter })
        expect(response.statusCode, response.body).toBe(200)
        return rtIdsOf(response, account.accountId)
      }
      const interactiveId = String(interactiveChat.rtSessionId)
      const viewOnlyId = String(viewOnlyChat.rtSessionId)
      expect(await search({ hasInteractiveCoBrowse: true })).toEqual([interactiveId])
      expect(await search({ coBrowseDuration: { from: 7, to: 7 } })).toEqual([interactiveId])
      expect(await search({ coBrowseDuration: { from: '2', to: '3' } })).toEqual([interactiveId])
      expect(await search({ coBrowseDuration: { from: 59, to: 61 } })).toEqual([viewOnlyId])
      expect((await search({ coBrowseDuration: { from: 1, to: 100 } })).sort()).toEqual(
        [interactiveId, viewOnlyId].sort(),
      )
      expect(await search({ coBrowseDuration: { from: 100, to: 200 } })).toEqual([])
      expect(await search({ hasInteractiveCoBrowse: true, coBrowseDuration: { from: 59, to: 61 } })).toEqual([])
    })
  })

  // After the filter tests: this chat's first engagement is archived with a co-browse session too.
  describe('across a transfer', () => {
    it('ends the first agent’s open sessions with SERVER at the transfer and lists them for the next agent', async () => {
      const chat = await chatWith(nat, 'nat')
      const before = await start(nat, chat)
      ctx.clock.advance(2000)
      const transferAt = ctx.clock.now()
      const transferred = await nat.request('POST', `/chat/${chat.chatId}/transfer.json`, {
        transfer: { agent: { id: users.bob } },
      })
      expect(transferred.statusCode, transferred.body).toBe(200)
      expect((await nat.request('GET', `/chat/${chat.chatId}/coBrowseSessions.json`)).statusCode).toBe(404)
      // Until Bob accepts, the waiting chat is nobody's: 404 for him too.
      expect((await bob.request('POST', `/chat/${chat.chatId}/coBrowseSessions.json`)).statusCode).toBe(404)
      const accepted = await bob.request('POST', '/incomingRequests.json', {})
      expect(accepted.statusCode, accepted.body).toBe(201)
      const bobSessions = `${bob.url}/chat/${chat.chatId}/coBrowseSessions`
      const listed = await bob.request('GET', `/chat/${chat.chatId}/coBrowseSessions.json`)
      expect(listed.json().coBrowseSessions.coBrowseSession).toMatchObject({
        link: { '@href': `${bobSessions}/${before}`, '@rel': 'self' },
        sessionId: before,
        state: 'ended',
        endReason: 'SERVER',
        endTimeL: transferAt,
        duration: 2000,
      })
      const late = await change(bob, chat, before, { interactive: true })
      expect(late.statusCode).toBe(400)
      expect(late.json().error.message).toBe('coBrowseSession: the session has already ended')
      const after = await start(bob, chat)
      const [first] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rtSessionId}`)
      expect(first?.coBrowseSessions.coBrowseSessionsList.map((session) => session.sessionId)).toEqual([before])
      expect(after).not.toBe(before)
    })
  })
})
