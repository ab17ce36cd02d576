import { describe, expect, it } from 'vitest'
import type { ChatEvent } from './chat.types.ts'
import { NO_CAMPAIGN } from '../history/record-defaults.ts'
import { buildEngagementRecord, type EngagementRecordInput } from './engagement-record.ts'
import { visitorInfoOf } from './visitor-info.ts'

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0)

const events: ChatEvent[] = [
  { id: 0, type: 'state', time: T0, sequence: 0, state: 'waiting' },
  {
    id: 1,
    type: 'line',
    time: T0,
    sequence: 0,
    source: 'system',
    by: 'info',
    textType: 'plain',
    text: 'Thank you',
    systemMessageId: 4,
    subType: 'REGULAR',
  },
  { id: 2, type: 'state', time: T0 + 4000, sequence: 0, state: 'chatting' },
  {
    id: 3,
    type: 'line',
    time: T0 + 4000,
    sequence: 0,
    source: 'system',
    by: 'info',
    textType: 'plain',
    text: 'You are now chatting with Nat.',
    systemMessageId: 3,
    subType: 'REGULAR',
  },
  {
    id: 4,
    type: 'line',
    time: T0 + 5000,
    sequence: 0,
    source: 'visitor',
    by: 'You',
    textType: 'plain',
    text: 'I love your service',
    subType: 'REGULAR',
  },
  {
    id: 5,
    type: 'line',
    time: T0 + 6000,
    sequence: 0,
    source: 'agent',
    by: 'Nat',
    textType: 'rich-content',
    json: { type: 'vertical' },
    subType: 'REGULAR',
    agentUserId: 7,
  },
  {
    id: 6,
    type: 'line',
    time: T0 + 7000,
    sequence: 0,
    source: 'agent',
    by: 'Nat',
    textType: 'plain',
    text: 'note',
    subType: 'ONLY_TO_REP',
    agentUserId: 7,
  },
]

const base: EngagementRecordInput = {
  chat: {
    key: 'KEY',
    accountId: 'acme',
    visitorId: '123456789012345',
    visitorName: null,
    requestedAt: T0,
    request: { visitorIp: '198.51.100.1', userAgent: '', chatReferrer: 'https://shop/cart', preChatLines: [] },
  },
  engagement: {
    chatKey: 'KEY',
    sequence: 0,
    accountId: 'acme',
    rtSessionId: 4294967296,
    skillId: 12,
    startReason: '0',
    startedAt: T0,
    acceptedAt: T0 + 4000,
    agentUserId: 7,
    agentGroupId: 3,
    endReason: '106',
    endedAt: T0 + 65_500,
    archivedAt: null,
  },
  events,
  skillName: 'Sales',
  agent: { userId: 7, nickname: 'Nat', loginName: 'nat', fullName: 'Natalie Smith', deleted: false },
  agentGroupName: 'Team A',
  campaign: NO_CAMPAIGN,
  visitorInfo: visitorInfoOf('198.51.100.1', ''),
}

describe('buildEngagementRecord (engagement-history.md §5)', () => {
  it('fills every info field of an accepted engagement', () => {
    const record = buildEngagementRecord(base)
    expect(record.info).toEqual({
      startTime: '2026-12-02 10:00:04.000+0000',
      startTimeL: T0 + 4000,
      endTime: '2026-12-02 10:01:05.500+0000',
      endTimeL: T0 + 65_500,
      duration: 61,
      visitorId: '123456789012345',
      visitorName: 'You',
      engagementId: 'acme4294967296',
      sharkEngagementId: 'acme_KEY_1',
      isInteractive: true,
      accountId: 'acme',
      agentId: '7',
      agentNickName: 'Nat',
      agentName: 'Nat',
      agentLoginName: 'nat',
      agentFullName: 'Natalie Smith',
      agentDeleted: false,
      skillId: 12,
      skillName: 'Sales',
      isAgentSurvey: false,
      isPostChatSurvey: false,
      isPreChatSurvey: false,
      channel: 1,
      startReason: '0',
      startReasonDesc: 'Visitor request',
      endReason: '106',
      endReasonDesc: 'Transfer - Reassignment to skill',
      engagementSet: 0,
      engagementSequence: 0,
      agentGroupId: 3,
      agentGroupName: 'Team A',
      mcs: 1,
      alertedMCS: 1,
      chatMCS: 60,
      chatRequestedTime: '2026-12-02 10:00:00.000+0000',
      chatRequestedTimeL: T0,
      chatStartUrl: 'https://shop/cart',
      chatStartPage: '',
      isPartial: false,
      interactive: true,
      ended: true,
      chatDataEnriched: true,
    })
  })

  it('lists the segment lines with controlType = systemMessageId, agent ids and line scores', () => {
    const record = buildEngagementRecord(base)
    expect(record.transcript.lines[0]).toEqual({
      time: '2026-12-02 10:00:00.000+0000',
      timeL: T0,
      controlType: 4,
      text: 'Thank you',
      by: 'info',
      source: 'system',
      subType: 'REGULAR',
      textType: 'plain',
      cannedAnswerType: 0,
      agentId: 0,
      lineSeq: '1',
    })
    expect(record.transcript.lines[3]).toMatchObject({
      json: { type: 'vertical' },
      agentId: 7,
      lineSeq: '5',
      controlType: 0,
    })
    expect(record.transcript.lines[3]).not.toHaveProperty('text')
    expect(record.transcript.lines[4]).toMatchObject({ subType: 'ONLY_TO_REP', text: 'note' })
    expect(record.lineScores).toEqual([
      { lineSeq: '1', lineRawScore: 0, mcs: 0 },
      { lineSeq: '3', lineRawScore: 0, mcs: 0 },
      { lineSeq: '4', lineRawScore: 60, mcs: 60 },
      { lineSeq: '5', lineRawScore: 0, mcs: 60 },
      { lineSeq: '6', lineRawScore: 0, mcs: 60 },
    ])
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
  })

  it('archives an engagement nobody accepted with agentId "-1", group NA and duration 0 (D7)', () => {
    const record = buildEngagementRecord({
      ...base,
      chat: {
        ...base.chat,
        visitorName: 'Jo',
        request: { ...base.chat.request, sharkVisitorId: 'shark', sharkSessionId: 'S1' },
      },
      engagement: {
        ...base.engagement,
        sequence: 2,
        acceptedAt: null,
        agentUserId: null,
        agentGroupId: null,
        skillId: -1,
        startReason: '3',
        endReason: '210',
        endedAt: T0 + 9000,
      },
      events: events.slice(0, 2),
      agent: undefined,
      agentGroupName: undefined,
    })
    expect(record.info).toMatchObject({
      agentId: '-1',
      agentGroupId: -1,
      agentGroupName: 'NA',
      duration: 0,
      startTimeL: T0,
      isInteractive: false,
      interactive: false,
      chatMCS: null,
      alertedMCS: null,
      mcs: null,
      skillId: -1,
      skillName: 'Unassigned',
      startReasonDesc: 'ACD attempt',
      endReasonDesc: 'Visitor closed chat',
      visitorId: 'shark',
      visitorName: 'Jo',
      sharkEngagementId: 'acme_S1_3',
      engagementSequence: 2,
    })
    for (const field of ['agentNickName', 'agentName', 'agentLoginName', 'agentFullName'])
      expect(record.info).not.toHaveProperty(field)
  })

  it('uses Main Group for an agent in the root group, and refuses an engagement that has not ended', () => {
    expect(
      buildEngagementRecord({
        ...base,
        engagement: { ...base.engagement, agentGroupId: -1 },
        agentGroupName: undefined,
      }).info,
    ).toMatchObject({
      agentGroupId: -1,
      agentGroupName: 'Main Group',
    })
    expect(() => buildEngagementRecord({ ...base, engagement: { ...base.engagement, endedAt: null } })).toThrow(
      /not ended/,
    )
  })
})

describe('visitorInfoOf', () => {
  it('derives browser, operating system and device from the user agent', () => {
    expect(
      visitorInfoOf(
        '1.2.3.4',
        'Mozilla/5.0 (iPhone; CPU iPhone OS 10_3 like Mac OS X) AppleWebKit/603.1.30 Version/10.0 Mobile/14E277 Safari/602.1',
      ),
    ).toMatchObject({
      ipAddress: '1.2.3.4',
      browser: 'Safari 10.0',
      browserType: 'SAFARI',
      operatingSystem: 'IOS',
      device: 'MOBILE',
    })
    expect(
      visitorInfoOf('', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0'),
    ).toMatchObject({
      browser: 'Firefox 115.0',
      operatingSystem: 'WINDOWS',
      device: 'DESKTOP',
    })
    expect(visitorInfoOf('', '')).toMatchObject({ browser: '', operatingSystem: 'NA', device: 'NA', country: '' })
  })
})
