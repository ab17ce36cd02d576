import type {
  CoBrowseSession,
  EngagementInfo,
  EngagementRecord,
  SdeEvent,
  SurveyItem,
  TranscriptLine,
} from '../../src/core/history/record.types.ts'

/** What a test cares about in a record; everything else gets a plausible default. */
export interface RecordSpec {
  rt: number
  start: number
  info?: Partial<EngagementInfo>
  lines?: (string | Partial<TranscriptLine>)[]
  surveys?: { preChat?: Partial<SurveyItem>[]; postChat?: Partial<SurveyItem>[]; operator?: Partial<SurveyItem>[] }
  visitorInfo?: Partial<EngagementRecord['visitorInfo']>
  coBrowse?: Partial<CoBrowseSession>[]
  sdes?: SdeEvent[]
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '+0000')

function line(spec: string | Partial<TranscriptLine>, index: number, start: number): TranscriptLine {
  const base: TranscriptLine = {
    time: iso(start + index * 1000),
    timeL: start + index * 1000,
    controlType: 0,
    text: typeof spec === 'string' ? spec : 'hello',
    by: 'You',
    source: 'visitor',
    subType: 'REGULAR',
    textType: 'plain',
    cannedAnswerType: 0,
    agentId: 0,
    lineSeq: String(index + 1),
  }
  return typeof spec === 'string' ? base : { ...base, ...spec }
}

function survey(spec: Partial<SurveyItem>, start: number): SurveyItem {
  return {
    scope: 'Session',
    source: 'Exit',
    displayName: 'How was the visit?',
    value: 'good',
    values: ['good'],
    answersId: [1],
    name: 'Post-chat Survey',
    time: iso(start),
    timeL: start,
    questionID: 9,
    surveyID: 222726,
    ...spec,
  }
}

/** A complete, valid engagement record of `accountId` (engagementId = accountId + rt). */
export function buildRecord(accountId: string, spec: RecordSpec): EngagementRecord {
  const { rt, start } = spec
  const duration = spec.info?.duration ?? 60
  return {
    info: {
      startTime: iso(start),
      startTimeL: start,
      endTime: iso(start + duration * 1000),
      endTimeL: start + duration * 1000,
      duration,
      visitorId: `visitor-${rt}`,
      visitorName: 'You',
      engagementId: `${accountId}${rt}`,
      sharkEngagementId: `${accountId}_s${rt}_1`,
      isInteractive: true,
      accountId,
      agentId: '101',
      agentNickName: 'Ann',
      agentName: 'Ann',
      agentLoginName: 'ann',
      agentFullName: 'Ann Agent',
      agentDeleted: false,
      skillId: 11,
      skillName: 'Sales',
      isAgentSurvey: false,
      isPostChatSurvey: false,
      isPreChatSurvey: false,
      channel: 1,
      startReason: '0',
      startReasonDesc: 'Visitor request',
      endReason: '201',
      endReasonDesc: 'Rep stopped chat',
      engagementSet: 0,
      engagementSequence: 0,
      agentGroupId: 7,
      agentGroupName: 'Team',
      mcs: 0,
      alertedMCS: 0,
      chatMCS: 10,
      chatRequestedTime: iso(start - 5000),
      chatRequestedTimeL: start - 5000,
      chatStartUrl: '',
      chatStartPage: '',
      isPartial: false,
      interactive: true,
      ended: true,
      chatDataEnriched: true,
      ...spec.info,
    },
    transcript: { lines: (spec.lines ?? ['hello']).map((item, index) => line(item, index, start)) },
    lineScores: [],
    surveys: {
      preChat: (spec.surveys?.preChat ?? []).map((item) => survey(item, start)),
      postChat: (spec.surveys?.postChat ?? []).map((item) => survey(item, start)),
      operator: (spec.surveys?.operator ?? []).map((item) => survey(item, start)),
    },
    campaign: {
      campaignEngagementId: '1',
      campaignEngagementName: 'Button',
      campaignId: '2',
      campaignName: 'Campaign',
      goalId: '3',
      goalName: 'Goal',
      visitorBehaviorId: '4',
      visitorBehaviorName: 'Any behavior',
      visitorProfileId: '5',
      visitorProfileName: 'All visitors',
      lobId: -1,
      lobName: 'NA',
      engagementAgentNote: '',
      behaviorSystemDefault: true,
      profileSystemDefault: true,
    },
    visitorInfo: {
      country: '',
      countryCode: '',
      state: '',
      city: '',
      isp: '',
      org: '',
      device: 'DESKTOP',
      ipAddress: '192.0.2.1',
      browser: 'Chrome 120',
      operatingSystem: 'LINUX',
      browserType: 'CHROME',
      ...spec.visitorInfo,
    },
    coBrowseSessions: {
      coBrowseSessionsList: (spec.coBrowse ?? []).map((session, index) => ({
        sessionId: `cb${index}`,
        startTime: iso(start),
        startTimeL: start,
        endTime: iso(start + 1000),
        endTimeL: start + 1000,
        endReason: 'AGENT',
        duration: 1000,
        interactive: false,
        ...session,
      })),
    },
    sdes: { events: spec.sdes ?? [] },
  }
}
