import { describe, expect, it } from 'vitest'
import { scoreTranscript } from '../scoring/mcs.ts'
import { generateRecords, type GenerateOptions, type GeneratorCatalog } from './generator.ts'
import { normalizeRecord } from './normalize-record.ts'
import { SDE_TYPES, type EngagementRecord } from './record.types.ts'
import { searchWords } from './text-areas.ts'

const catalog: GeneratorCatalog = {
  skills: [
    { id: 11, name: 'Sales' },
    { id: 12, name: 'Support' },
  ],
  agentGroups: [{ id: 21, name: 'Tier 1' }],
  agents: [
    { id: 101, loginName: 'ann', nickname: 'Ann', fullName: 'Ann Smith', groupId: 21 },
    { id: 102, loginName: 'bob', nickname: 'Bob', fullName: 'Bob Müller', groupId: -1 },
    { id: 103, loginName: 'cleo', nickname: 'Cléo', fullName: 'Cléo Dubois', groupId: 21 },
  ],
  campaigns: [],
}
const from = Date.UTC(2026, 9, 1)
const to = Date.UTC(2026, 9, 31)
const options = (overrides: Partial<GenerateOptions> = {}): GenerateOptions => ({
  accountId: 'acme',
  count: 2000,
  from,
  to,
  seed: 1,
  catalog,
  ...overrides,
})
const generate = (overrides: Partial<GenerateOptions> = {}): EngagementRecord[] => [
  ...generateRecords(options(overrides)),
]

describe('generateRecords', () => {
  const records = generate()

  it('yields exactly count records', () => {
    expect(records).toHaveLength(2000)
    expect(generate({ count: 0 })).toEqual([])
    expect(generate({ count: 1 })).toHaveLength(1)
  })

  it('is deterministic for a seed and differs between seeds', () => {
    const first = generate({ count: 300 })
    expect(generate({ count: 300 })).toEqual(first)
    expect(generate({ count: 300, seed: 2 })[0]).not.toEqual(first[0])
  })

  it('numbers engagements accountId + consecutive rtSessionIds from 2^32', () => {
    records.forEach((record, i) => {
      expect(record.info.engagementId).toBe(`acme${4294967296 + i}`)
      expect(record.info.accountId).toBe('acme')
    })
    expect(generate({ count: 2, firstRtSessionId: 5000000000 })[1]!.info.engagementId).toBe('acme5000000001')
  })

  it('keeps every start and end time inside [from, to], with ends after starts', () => {
    for (const { info, transcript } of records) {
      expect(info.startTimeL).toBeGreaterThanOrEqual(from)
      expect(info.endTimeL).toBeLessThanOrEqual(to)
      expect(info.endTimeL).toBeGreaterThanOrEqual(info.startTimeL)
      expect(info.chatRequestedTimeL).toBeLessThanOrEqual(info.startTimeL)
      const times = transcript.lines.map((line) => line.timeL)
      expect(times).toEqual([...times].sort((a, b) => a - b))
    }
  })

  it('squeezes chats into a window shorter than a chat', () => {
    const short = generate({ count: 50, from, to: from + 60_000 })
    for (const { info } of short) {
      expect(info.startTimeL).toBeGreaterThanOrEqual(from)
      expect(info.endTimeL).toBeLessThanOrEqual(from + 60_000)
    }
  })

  it('produces records that import unchanged (valid shape, nothing to normalise)', () => {
    for (const record of records.slice(0, 500)) {
      const result = normalizeRecord(JSON.parse(JSON.stringify(record)))
      expect(result).toEqual({ ok: true, record })
    }
  })

  it('computes MCS from the visitor lines', () => {
    for (const record of records.slice(0, 500)) {
      const scores = scoreTranscript(record.transcript.lines)
      expect(record.lineScores).toEqual(scores.lineScores)
      expect(record.info.chatMCS).toBe(scores.chatMCS)
      expect(record.info.alertedMCS).toBe(scores.alertedMCS)
      expect(record.info.mcs).toBe(scores.alertedMCS)
    }
    const alerted = new Set(records.map((record) => record.info.alertedMCS))
    expect(alerted).toEqual(new Set([-1, 0, 1, null]))
  })

  it('averages about 20 lines with visitor, agent, system, html, url, rich-content and ONLY_TO_REP lines', () => {
    const lines = records.flatMap((record) => record.transcript.lines)
    expect(lines.length / records.length).toBeGreaterThan(15)
    expect(lines.length / records.length).toBeLessThan(25)
    expect(new Set(lines.map((line) => line.source))).toEqual(new Set(['visitor', 'agent', 'system']))
    expect(new Set(lines.map((line) => line.textType))).toEqual(new Set(['plain', 'html', 'url', 'rich-content']))
    expect(new Set(lines.map((line) => line.subType))).toEqual(new Set(['REGULAR', 'ONLY_TO_REP']))
    expect(new Set(lines.map((line) => line.controlType))).toEqual(new Set([0, 3, 4, 5, 6, 13, 15, 23]))
    for (const line of lines) {
      if (line.textType === 'rich-content') {
        expect(line).not.toHaveProperty('text')
        expect(line.json).toMatchObject({ type: 'vertical' })
      } else expect(typeof line.text).toBe('string')
    }
  })

  it('writes searchable real words, phrases and accented words', () => {
    const words = new Set(
      records.flatMap((record) => record.transcript.lines.flatMap((line) => searchWords(line.text ?? ''))),
    )
    for (const word of ['refund', 'order', 'number', 'cafe', 'zurich', 'ipad', 'password', 'delivery'])
      expect(words).toContain(word)
    const texts = records.flatMap((record) => record.transcript.lines.map((line) => line.text ?? ''))
    expect(texts.some((text) => text.includes('order number'))).toBe(true)
    expect(texts.some((text) => text.includes('café'))).toBe(true)
  })

  it('uses the catalog for agents, skills and groups', () => {
    for (const { info } of records) {
      if (info.agentId === '-1') {
        expect(info).not.toHaveProperty('agentNickName')
        expect(info).toMatchObject({ duration: 0, isInteractive: false, agentGroupId: -1, agentGroupName: 'NA' })
        expect(info.chatMCS).toBeNull()
      } else {
        const agent = catalog.agents.find((a) => String(a.id) === info.agentId)!
        expect(info).toMatchObject({
          agentNickName: agent.nickname,
          agentName: agent.nickname,
          agentLoginName: agent.loginName,
          agentFullName: agent.fullName,
          agentGroupId: agent.groupId,
          agentGroupName: agent.groupId === -1 ? 'Main Group' : 'Tier 1',
        })
        expect(info.duration).toBe(Math.floor((info.endTimeL - info.startTimeL) / 1000))
      }
      expect(catalog.skills.map((s) => s.id)).toContain(info.skillId)
    }
    const unaccepted = records.filter((r) => r.info.agentId === '-1').length / records.length
    expect(unaccepted).toBeGreaterThan(0.02)
    expect(unaccepted).toBeLessThan(0.1)
  })

  it('models transfers and requeues as consecutive engagements of one chat', () => {
    const reasons = (key: 'startReason' | 'endReason') => new Set(records.map((r) => r.info[key]))
    expect(reasons('startReason')).toEqual(new Set(['0', '1', '3', '6']))
    expect(reasons('endReason')).toEqual(new Set(['101', '106', '201', '202', '205', '208', '210']))
    records.forEach((record, i) => {
      if (record.info.engagementSequence === 0) return
      const previous = records[i - 1]!.info
      expect(record.info.visitorId).toBe(previous.visitorId)
      expect(record.info.chatRequestedTimeL).toBe(previous.chatRequestedTimeL)
      expect(record.info.engagementSequence).toBe(previous.engagementSequence + 1)
      const expectedStart = { '101': '1', '106': '6', '202': '3' }[previous.endReason]
      expect(record.info.startReason).toBe(expectedStart)
      expect(record.info.sharkEngagementId).toBe(
        previous.sharkEngagementId.replace(/_\d+$/, `_${record.info.engagementSequence + 1}`),
      )
    })
  })

  it('attaches surveys, every SDE type, co-browse sessions and visitor info', () => {
    for (const list of ['preChat', 'postChat', 'operator'] as const)
      expect(records.some((r) => r.surveys[list].length > 0)).toBe(true)
    for (const { info, surveys } of records) {
      expect(info.isPreChatSurvey).toBe(surveys.preChat.length > 0)
      expect(info.isPostChatSurvey).toBe(surveys.postChat.length > 0)
      expect(info.isAgentSurvey).toBe(surveys.operator.length > 0)
    }
    const types = new Set(records.flatMap((r) => r.sdes.events.map((e) => e.sdeType)))
    expect(types).toEqual(new Set(Object.values(SDE_TYPES)))
    const sessions = records.flatMap((r) => r.coBrowseSessions.coBrowseSessionsList)
    expect(sessions.some((s) => s.interactive)).toBe(true)
    expect(sessions.some((s) => !s.interactive)).toBe(true)
    for (const s of sessions) expect(s.duration).toBe(s.endTimeL - s.startTimeL)
    expect(new Set(records.map((r) => r.visitorInfo.device)).size).toBeGreaterThan(2)
    expect(new Set(records.map((r) => r.visitorInfo.ipAddress)).size).toBeGreaterThan(1000)
  })

  it('renders SDE decimals as Java doubles and every leaf as a string except quantityInStock', () => {
    const purchase = records.flatMap((r) => r.sdes.events).find((e) => e.sdeType === 'PURCHASE')!
    expect((purchase.purchase as { total: string }).total).toMatch(/^-?\d+\.\d+$/)
    const viewed = records.flatMap((r) => r.sdes.events).find((e) => e.sdeType === 'VIEWED_PRODUCT')!
    const product = (viewed.viewedProduct as { products: [{ product: Record<string, unknown> }] }).products[0].product
    expect(typeof product.quantityInStock).toBe('number')
    expect(product.price).toMatch(/^\d+\.\d+$/)
  })

  it('refuses a catalog without agents', () => {
    expect(() => generate({ catalog: { ...catalog, agents: [] } })).toThrow('at least one agent')
  })
})
