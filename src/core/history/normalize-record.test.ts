import { describe, expect, it } from 'vitest'
import { specExampleRecord } from '../../../test/support/history-fixtures.ts'
import { normalizeRecord, type NormalizeResult } from './normalize-record.ts'
import type { EngagementRecord } from './record.types.ts'

const ok = (result: NormalizeResult): EngagementRecord => {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`)
  return result.record
}
const reason = (result: NormalizeResult): string => {
  if (result.ok) throw new Error('accepted')
  return result.reason
}

/** The smallest record an import accepts. */
const minimal = (info: Record<string, unknown> = {}): Record<string, unknown> => ({
  info: { engagementId: 'acme4294967296', startTimeL: 1485969119916, endTimeL: 1485970007735, ...info },
})

describe('normalizeRecord', () => {
  it('returns the spec example record unchanged, with its key order', () => {
    const record = ok(normalizeRecord(specExampleRecord()))
    expect(record).toEqual(specExampleRecord())
    expect(JSON.stringify(record)).toBe(JSON.stringify(specExampleRecord()))
  })

  it('is idempotent', () => {
    const once = ok(normalizeRecord(minimal(), { accountId: 'acme' }))
    expect(ok(normalizeRecord(JSON.parse(JSON.stringify(once))))).toEqual(once)
  })

  it('keeps fields it does not know, in every section, after the known ones (§9: stored as given)', () => {
    const input = {
      ...minimal({ customInfoField: 'kept' }),
      transcript: { lines: [{ timeL: 1485969119916, source: 'visitor', text: 'hi', lineSeq: '1', lineExtra: 1 }] },
      campaign: { campaignId: '7', campaignExtra: true },
      visitorInfo: { country: 'France', visitorExtra: ['a'] },
      topLevelExtra: { nested: 1 },
    }
    const record = ok(normalizeRecord(input)) as unknown as Record<string, Record<string, unknown>>
    expect(record.topLevelExtra).toEqual({ nested: 1 })
    expect(Object.keys(record).at(-1)).toBe('topLevelExtra')
    expect(record.info!.customInfoField).toBe('kept')
    expect((record.transcript!.lines as Record<string, unknown>[])[0]!.lineExtra).toBe(1)
    expect(record.campaign!.campaignExtra).toBe(true)
    expect(record.visitorInfo!.visitorExtra).toEqual(['a'])
    // An absent optional field is not invented by the pass-through.
    expect('agentName' in record.info!).toBe(false)
    expect(ok(normalizeRecord(JSON.parse(JSON.stringify(record))))).toEqual(record)
  })

  it('survives a JSON round trip of the spec example', () => {
    const input: unknown = JSON.parse(JSON.stringify(specExampleRecord()))
    expect(ok(normalizeRecord(input))).toEqual(specExampleRecord())
  })

  it.for<[string, unknown, string]>([
    ['a non-object', 'hello', 'record must be an object'],
    ['an array', [], 'record must be an object'],
    ['a record without info', { transcript: { lines: [] } }, 'missing info'],
    ['a missing engagementId', { info: { startTimeL: 1, endTimeL: 2 } }, 'missing info.engagementId'],
    ['an empty engagementId', minimal({ engagementId: '' }), 'missing info.engagementId'],
    ['a non-numeric startTimeL', minimal({ startTimeL: 'yesterday' }), 'info.startTimeL must be a number'],
    ['a fractional endTimeL', minimal({ endTimeL: 1.5 }), 'info.endTimeL must be whole epoch milliseconds'],
    [
      'no start time at all',
      { info: { engagementId: 'x1', endTimeL: 2 } },
      'missing info.startTimeL (or info.startTime)',
    ],
    ['an unparsable startTime', { info: { engagementId: 'x1', startTime: 'soon', endTimeL: 2 } }, 'info.startTime'],
    ['a non-numeric duration', minimal({ duration: 'long' }), 'info.duration must be a number'],
    ['a non-boolean isInteractive', minimal({ isInteractive: 'maybe' }), 'info.isInteractive must be a boolean'],
    ['a non-string visitorId', minimal({ visitorId: { id: 1 } }), 'info.visitorId must be a string'],
    ['transcript lines that are not an array', { ...minimal(), transcript: { lines: {} } }, 'transcript.lines'],
    [
      'a line with an unknown source',
      { ...minimal(), transcript: { lines: [{ timeL: 1, lineSeq: '1', source: 'bot', text: 'x' }] } },
      'transcript.lines[0].source must be visitor, agent or system',
    ],
    [
      'a line without lineSeq',
      { ...minimal(), transcript: { lines: [{ timeL: 1, source: 'visitor', text: 'x' }] } },
      'missing transcript.lines[0].lineSeq',
    ],
    [
      'a survey answer without a usable time',
      { ...minimal(), surveys: { postChat: [{ displayName: 'q', timeL: 'x' }] } },
      'surveys.postChat[0].timeL',
    ],
    [
      'an SDE event without a known key',
      { ...minimal(), sdes: { events: [{ shoppingList: {}, sdeType: 'X' }] } },
      'sdes.events[0] has no known attribute key (shoppingList)',
    ],
    [
      'an SDE event whose sdeType contradicts its key',
      { ...minimal(), sdes: { events: [{ lead: { lead: {} }, sdeType: 'PURCHASE' }] } },
      'sdes.events[0].sdeType PURCHASE does not match the key lead',
    ],
  ])('rejects %s, naming the field', ([, input, expected]) => {
    expect(reason(normalizeRecord(input))).toContain(expected)
  })

  it('fills every missing section and optional field with its default', () => {
    const record = ok(normalizeRecord(minimal(), { accountId: 'acme' }))
    expect(record.transcript).toEqual({ lines: [] })
    expect(record.lineScores).toEqual([])
    expect(record.surveys).toEqual({ preChat: [], postChat: [], operator: [] })
    expect(record.coBrowseSessions).toEqual({ coBrowseSessionsList: [] })
    expect(record.sdes).toEqual({ events: [] })
    expect(record.campaign).toMatchObject({
      campaignEngagementId: '-1',
      campaignEngagementName: 'NA',
      campaignId: '-1',
      campaignName: 'NA',
      lobId: -1,
      lobName: 'NA',
      engagementAgentNote: '',
    })
    expect(record.visitorInfo).toMatchObject({ country: '', device: 'NA', operatingSystem: 'NA', ipAddress: '' })
    expect(record.info).toMatchObject({
      accountId: 'acme',
      agentId: '-1',
      agentGroupId: -1,
      agentGroupName: 'NA',
      skillId: -1,
      skillName: 'Unassigned',
      duration: 0,
      isInteractive: false,
      chatMCS: null,
      alertedMCS: null,
      mcs: null,
      visitorName: 'You',
      channel: 1,
      chatRequestedTimeL: 1485969119916,
      ended: true,
    })
    expect(record.info).not.toHaveProperty('agentNickName')
  })

  it('derives the text of a time from its epoch ms and the epoch ms from its text', () => {
    const record = ok(
      normalizeRecord({
        info: { engagementId: 'x1', startTimeL: 1485969119916, endTime: '2017-02-01 17:26:47.735+0000' },
        transcript: { lines: [{ time: '2017-02-01T17:12:16.179Z', lineSeq: '5', source: 'visitor', text: 'hi' }] },
      }),
    )
    expect(record.info.startTime).toBe('2017-02-01 17:11:59.916+0000')
    expect(record.info.endTimeL).toBe(1485970007735)
    expect(record.transcript.lines[0]).toMatchObject({ timeL: 1485969136179, time: '2017-02-01T17:12:16.179Z' })
  })

  it('keeps both forms of a time as given even when they disagree', () => {
    const record = ok(normalizeRecord(minimal({ startTime: 'as exported' })))
    expect(record.info.startTime).toBe('as exported')
    expect(record.info.startTimeL).toBe(1485969119916)
  })

  it('never recomputes supplied fields (MCS, duration, reasons, names)', () => {
    const record = ok(
      normalizeRecord(
        minimal({
          chatMCS: -90,
          alertedMCS: 1,
          mcs: 0,
          duration: 5,
          agentId: '7',
          startReason: '3',
          startReasonDesc: 'custom',
        }),
      ),
    )
    expect(record.info).toMatchObject({
      chatMCS: -90,
      alertedMCS: 1,
      mcs: 0,
      duration: 5,
      startReason: '3',
      startReasonDesc: 'custom',
    })
  })

  it('accepts numbers and booleans sent as strings and ids sent as numbers', () => {
    const record = ok(
      normalizeRecord(minimal({ startTimeL: '1485969119916', skillId: '14', agentId: 109, isInteractive: 'true' })),
    )
    expect(record.info).toMatchObject({ startTimeL: 1485969119916, skillId: 14, agentId: '109', isInteractive: true })
  })

  it('derives alertedMCS, mcs, duration and reason descriptions only when absent', () => {
    const record = ok(normalizeRecord(minimal({ chatMCS: 40, agentId: '5', startReason: '1', endReason: '106' })))
    expect(record.info).toMatchObject({
      alertedMCS: 1,
      mcs: 1,
      duration: 887,
      startReasonDesc: 'Transfer',
      endReasonDesc: 'Transfer - Reassignment to skill',
      agentGroupName: 'Main Group',
    })
  })

  it('fills line, survey and co-browse defaults', () => {
    const record = ok(
      normalizeRecord({
        ...minimal(),
        transcript: {
          lines: [
            { timeL: 1, lineSeq: 1, source: 'system', text: 'routing' },
            { timeL: 2, lineSeq: '2', source: 'agent', json: { type: 'vertical', elements: [] } },
          ],
        },
        surveys: { preChat: [{ displayName: 'Name?', value: 'Ann' }] },
        coBrowseSessions: { coBrowseSessionsList: [{ sessionId: 's', startTimeL: 1000, endTimeL: 61000 }] },
      }),
    )
    expect(record.transcript.lines).toEqual([
      {
        time: '1970-01-01 00:00:00.001+0000',
        timeL: 1,
        controlType: 0,
        text: 'routing',
        by: 'info',
        source: 'system',
        subType: 'REGULAR',
        textType: 'plain',
        cannedAnswerType: 0,
        agentId: 0,
        lineSeq: '1',
      },
      {
        time: '1970-01-01 00:00:00.002+0000',
        timeL: 2,
        controlType: 0,
        json: { type: 'vertical', elements: [] },
        by: '',
        source: 'agent',
        subType: 'REGULAR',
        textType: 'rich-content',
        cannedAnswerType: 0,
        agentId: 0,
        lineSeq: '2',
      },
    ])
    expect(record.surveys.preChat[0]).toMatchObject({
      scope: 'Session',
      source: 'Pre-Chat',
      value: 'Ann',
      values: ['Ann'],
      timeL: 1485970007735,
    })
    expect(record.info.isPreChatSurvey).toBe(true)
    expect(record.coBrowseSessions.coBrowseSessionsList[0]).toEqual({
      sessionId: 's',
      startTime: '1970-01-01 00:00:01.000+0000',
      startTimeL: 1000,
      endTime: '1970-01-01 00:01:01.000+0000',
      endTimeL: 61000,
      endReason: 'UNKOWN',
      duration: 60000,
      interactive: false,
    })
  })

  describe('SDE spellings (Decision D5)', () => {
    const events = (list: unknown[]): EngagementRecord['sdes']['events'] =>
      ok(normalizeRecord({ ...minimal(), sdes: { events: list } })).sdes.events

    it('renames viewProduct to viewedProduct and derives the siblings from the inner time stamps', () => {
      const inner = {
        serverTimeStamp: '1434394466093',
        originalTimeStamp: '1435801272063',
        products: [{ quantity: null, product: { name: 'red high heel shoe', price: '77.8' } }],
      }
      expect(events([{ viewProduct: inner }])).toEqual([
        {
          viewedProduct: inner,
          serverTimeStamp: '1434394466093',
          originalTimeStamp: '1435801272063',
          sdeType: 'VIEWED_PRODUCT',
          isAuthenticated: false,
        },
      ])
    })

    it('renames formFillingError to visitorError and unwraps {"string": ...} message and code', () => {
      expect(
        events([
          {
            formFillingError: {
              serverTimeStamp: '1435764972047',
              originalTimeStamp: '1435801272063',
              visitorError: {
                contextId: 'context.id',
                message: { string: 'Expiration date missing' },
                code: { string: 'er100004' },
                level: '2',
                resolved: 'true',
              },
            },
          },
        ]),
      ).toEqual([
        {
          visitorError: {
            serverTimeStamp: '1435764972047',
            originalTimeStamp: '1435801272063',
            visitorError: {
              contextId: 'context.id',
              message: 'Expiration date missing',
              code: 'er100004',
              level: '2',
              resolved: 'true',
            },
          },
          serverTimeStamp: '1435764972047',
          originalTimeStamp: '1435801272063',
          sdeType: 'VISITOR_ERROR',
          isAuthenticated: false,
        },
      ])
    })

    it('nests a flat personalInfo', () => {
      const [event] = events([
        {
          personalInfo: {
            serverTimeStamp: '1436436923641',
            originalTimeStamp: '1435801272063',
            name: 'ELI',
            surname: 'leibovitz',
            contacts: [{ personalContact: { email: 'myname@example.com' } }],
          },
        },
      ])
      expect(event).toEqual({
        personalInfo: {
          serverTimeStamp: '1436436923641',
          originalTimeStamp: '1435801272063',
          personalInfo: {
            name: 'ELI',
            surname: 'leibovitz',
            contacts: [{ personalContact: { email: 'myname@example.com' } }],
          },
        },
        serverTimeStamp: '1436436923641',
        originalTimeStamp: '1435801272063',
        sdeType: 'PERSONAL_INFO',
        isAuthenticated: false,
      })
    })

    it('derives a missing sdeType from the key and keeps events already in response shape', () => {
      const shaped = specExampleRecord().sdes.events[0]!
      const withoutType: Record<string, unknown> = { ...shaped }
      delete withoutType.sdeType
      expect(events([withoutType, shaped])).toEqual([shaped, shaped])
      expect(events([{ serviceActivity: { serviceActivity: { topic: 'x' } } }])[0]).toMatchObject({
        sdeType: 'SERVICE_ACTIVITY',
        serverTimeStamp: '',
      })
    })
  })
})
