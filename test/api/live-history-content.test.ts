import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import { agentClient } from '../support/agent-api.ts'
import { useTestApp } from '../support/build-app.ts'
import { describeEachDialect } from '../support/dialects.ts'
import { createAccount, login, type TestAccount } from '../support/factories.ts'
import { rtIdsOf, searchWithBearer } from '../support/history-api.ts'
import { archivedRecord } from '../support/live-chat.ts'

const PASSWORD = 'agent-pass-123'
const jsonBody = { 'content-type': 'application/json' }

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Live chats driven over the Chat API (visitor) and the Chat Agent API, then searched over the
 * Engagement History API: rich-content agent lines (issue 5 item 7) and MCS (item 4, Decision D3).
 */
describeEachDialect('Engagement History of live chats: rich content and MCS', (dialect) => {
  const ctx = useTestApp(dialect)
  let account: TestAccount
  let adminBearer = ''
  let agent: (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<LightMyRequestResponse>
  const chats = { negative: { key: '', rt: 0 }, positive: { key: '', rt: 0 }, silent: { key: '', rt: 0 } }
  const richJson = {
    type: 'vertical',
    elements: [
      { type: 'text', text: 'Now on sale!' },
      { type: 'button', title: 'Add to cart', click: { actions: [{ type: 'link', name: 'add', uri: 'https://x/c' }] } },
    ],
  }

  const visitorLine = async (chatKey: string, text: string): Promise<void> => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/chat/${chatKey}/events.json?v=1&NC=true`,
      headers: { authorization: `LivePerson appKey=${account.appKey}`, ...jsonBody },
      payload: JSON.stringify({ event: { '@type': 'line', text } }),
    })
    expect(response.statusCode, response.body).toBe(201)
  }

  const agentEvent = async (chatKey: string, event: Json): Promise<void> => {
    const response = await agent('POST', `/chat/${chatKey}/events.json`, { event })
    expect(response.statusCode, response.body).toBe(201)
  }

  /** A chat requested over the Chat API and accepted over A9; returns its key and rtSessionId. */
  const liveChat = async (): Promise<{ key: string; rt: number }> => {
    const requested = await ctx.app.inject({
      method: 'POST',
      url: `/api/account/${account.accountId}/chat/request.json?v=1&NC=true`,
      headers: { authorization: `LivePerson appKey=${account.appKey}`, ...jsonBody },
      payload: JSON.stringify({ request: { skill: 'Sales' } }),
    })
    expect(requested.statusCode, requested.body).toBe(201)
    const key = String(requested.headers.location).split('/').pop()!
    const accepted = await agent('POST', '/incomingRequests.json', {})
    expect(accepted.statusCode, accepted.body).toBe(201)
    const chat = await ctx.services.chat.getChat(account.accountId, key)
    return { key, rt: chat.rtSessionId }
  }

  const recordOf = async (chat: { rt: number }): Promise<EngagementRecord> => {
    const [record] = await archivedRecord(ctx.services, account.accountId, `${account.accountId}${chat.rt}`)
    if (!record) throw new Error(`no record for ${chat.rt}`)
    return record
  }

  const search = async (filter: Json): Promise<LightMyRequestResponse> => {
    const now = ctx.clock.now()
    return searchWithBearer(ctx, account.accountId, adminBearer, {
      start: { from: now - 86_400_000, to: now + 86_400_000 },
      ...filter,
    })
  }

  const found = async (filter: Json): Promise<string[]> => {
    const response = await search(filter)
    expect(response.statusCode, response.body).toBe(200)
    return rtIdsOf(response, account.accountId).sort()
  }

  beforeAll(async () => {
    account = await createAccount(ctx.services)
    const scope = { accountId: account.accountId }
    const sales = (await ctx.services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    await ctx.services.accountConfig.users.create(SYSTEM_CALLER, scope, {
      loginName: 'nat',
      password: PASSWORD,
      nickname: 'Natalie',
      fullName: 'Natalie Full',
      email: 'nat@example.com',
      maxChats: 10,
      skillIds: [sales],
    })
    ;({ bearer: adminBearer } = await login(ctx.app, account.accountId, account.adminLogin, account.adminPassword))
    const { bearer } = await login(ctx.app, account.accountId, 'nat', PASSWORD)
    const client = agentClient(ctx.app, account.accountId, `Bearer ${bearer}`)
    const sessionId = await client.start()
    agent = (method, path, body, headers) =>
      client.request(method, `/${sessionId}${path}`, {
        ...(body === undefined ? {} : { body }),
        headers: headers ?? (body === undefined ? {} : jsonBody),
      })

    chats.negative = await liveChat()
    await visitorLine(chats.negative.key, 'This is terrible, the worst service ever')
    await agentEvent(chats.negative.key, { '@type': 'line', text: 'I am so sorry, I love helping', textType: 'plain' })
    await visitorLine(chats.negative.key, 'I am angry and disappointed')
    await agentEvent(chats.negative.key, { '@type': 'state', state: 'ended' })

    chats.positive = await liveChat()
    await visitorLine(chats.positive.key, 'I love your service')
    await agentEvent(chats.positive.key, { '@type': 'line', textType: 'rich-content', json: richJson })
    const xml = await agent(
      'POST',
      `/chat/${chats.positive.key}/events.xml`,
      '<event type="line"><textType>rich-content</textType><json>{"type":"text","text":"From XML"}</json></event>',
      { 'content-type': 'application/xml' },
    )
    expect(xml.statusCode, xml.body).toBe(201)
    await agentEvent(chats.positive.key, { '@type': 'state', state: 'ended' })

    chats.silent = await liveChat()
    await agentEvent(chats.silent.key, { '@type': 'line', text: 'Hello? Anybody there? Great!', textType: 'plain' })
    await agentEvent(chats.silent.key, { '@type': 'state', state: 'ended' })
  })

  describe('rich content', () => {
    it('archives rich-content agent lines with json and textType, without text', async () => {
      const record = await recordOf(chats.positive)
      const rich = record.transcript.lines.filter((line) => line.textType === 'rich-content')
      expect(rich).toEqual([
        expect.objectContaining({ json: richJson, source: 'agent', by: 'Natalie', subType: 'REGULAR', controlType: 0 }),
        expect.objectContaining({ json: { type: 'text', text: 'From XML' }, source: 'agent' }),
      ])
      for (const line of rich) expect(line).not.toHaveProperty('text')
      expect(rich.map((line) => typeof line.agentId)).toEqual(['number', 'number'])
    })

    it('is found by lineContentTypes ["RICH_CONTENT"] and only that value is accepted', async () => {
      expect(await found({ lineContentTypes: ['RICH_CONTENT'] })).toEqual([String(chats.positive.rt)])
      expect(await found({ lineContentTypes: [] })).toHaveLength(3)
      for (const value of ['TEXT', 'PLAIN', 'rich_content', 'rich-content', 'HTML']) {
        const response = await search({ lineContentTypes: [value] })
        expect(response.statusCode, value).toBe(400)
        expect(response.json().error).toMatchObject({
          message: 'lineContentTypes[0]: only RICH_CONTENT is supported',
          internalCode: 5,
        })
      }
    })

    it('answers rich-content lines in the search response JSON with json and textType', async () => {
      const response = await search({ lineContentTypes: ['RICH_CONTENT'] })
      const [record] = response.json().interactionHistoryRecords as Json[]
      const lines = record!.transcript.lines as Json[]
      expect(lines.filter((line) => line.textType === 'rich-content').map((line): unknown => line.json)).toEqual([
        richJson,
        { type: 'text', text: 'From XML' },
      ])
    })
  })

  describe('MCS (Decision D3)', () => {
    it('archives lineScores, chatMCS, alertedMCS and mcs of a negative chat', async () => {
      const record = await recordOf(chats.negative)
      const visitorSeqs = record.transcript.lines
        .filter((line) => line.source === 'visitor')
        .map((line) => line.lineSeq)
      const scoreOf = (seq: string | undefined) => record.lineScores.find((score) => score.lineSeq === seq)
      // -69, then (0.8*2*(-69) + 2*(-80)) / 3.6 = -75.1
      expect(scoreOf(visitorSeqs[0])).toEqual({ lineSeq: visitorSeqs[0], lineRawScore: -69, mcs: -69 })
      expect(scoreOf(visitorSeqs[1])).toEqual({ lineSeq: visitorSeqs[1], lineRawScore: -80, mcs: -75 })
      expect(record.lineScores.map((score) => score.lineSeq)).toEqual(
        record.transcript.lines.map((line) => line.lineSeq),
      )
      // Agent and system lines score 0 and carry the running score (the agent line between is positive).
      const agentSeq = record.transcript.lines.find((line) => line.source === 'agent')?.lineSeq
      expect(scoreOf(agentSeq)).toEqual({ lineSeq: agentSeq, lineRawScore: 0, mcs: -69 })
      expect(record.lineScores[0]).toMatchObject({ lineRawScore: 0, mcs: 0 })
      expect(record.info).toMatchObject({ chatMCS: -75, alertedMCS: -1, mcs: -1 })
    })

    it('archives a positive chat with chatMCS 60 and a chat without visitor lines with null', async () => {
      expect((await recordOf(chats.positive)).info).toMatchObject({ chatMCS: 60, alertedMCS: 1, mcs: 1 })
      const silent = await recordOf(chats.silent)
      expect(silent.info).toMatchObject({ chatMCS: null, alertedMCS: null, mcs: null })
      expect(silent.lineScores.every((score) => score.lineRawScore === 0 && score.mcs === 0)).toBe(true)
    })

    it('is found by the chatMCS filter; chats with null chatMCS never match', async () => {
      const negative = String(chats.negative.rt)
      const positive = String(chats.positive.rt)
      expect(await found({ chatMCS: { from: -100, to: -50 } })).toEqual([negative])
      expect(await found({ chatMCS: { from: '-75', to: '-75' } })).toEqual([negative])
      expect(await found({ chatMCS: { from: 50 } })).toEqual([positive])
      expect(await found({ chatMCS: { to: 0 } })).toEqual([negative])
      expect(await found({ chatMCS: {} })).toEqual([negative, positive].sort())
      expect(await found({ chatMCS: { from: -74, to: 59 } })).toEqual([])
    })

    it('is found by alertedMcsValues', async () => {
      expect(await found({ alertedMcsValues: ['-1'] })).toEqual([String(chats.negative.rt)])
      expect(await found({ alertedMcsValues: [1] })).toEqual([String(chats.positive.rt)])
      expect(await found({ alertedMcsValues: ['0'] })).toEqual([])
      expect(await found({ alertedMcsValues: ['-1', '1'] })).toEqual(
        [String(chats.negative.rt), String(chats.positive.rt)].sort(),
      )
    })

    it('is found by the mcs area (D4: filters on alertedMCS)', async () => {
      const area = { keyword_search_area: { types: ['mcs'] } }
      expect(await found({ ...area, mcs: -1 })).toEqual([String(chats.negative.rt)])
      expect(await found({ ...area, mcs: '1' })).toEqual([String(chats.positive.rt)])
      expect(await found({ ...area, mcs: 0 })).toEqual([])
      // Without the area the mcs value is ignored.
      expect(await found({ mcs: -1 })).toHaveLength(3)
    })
  })
})
