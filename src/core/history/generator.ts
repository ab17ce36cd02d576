import { lineRawScore, scoreTranscript } from '../scoring/mcs.ts'
import { formatHistoryTime } from '../time.ts'
import {
  AGENT_CLOSINGS,
  AGENT_NOTES,
  CITIES,
  DEVICES,
  FIRST_NAMES,
  GEO,
  GREETINGS,
  PRODUCTS,
  REACTIONS,
  START_PAGES,
  STREETS,
  SURVEY_COMMENTS,
  SURVEY_QUESTIONS,
  SYSTEM_TEXTS,
  TOPICS,
  URL_LINES,
  VISITOR_CLOSINGS,
  type TopicScript,
} from './generator-content.ts'
import { randomSdeEvent } from './generator-sdes.ts'
import { END_REASONS, START_REASONS } from './reasons.ts'
import type {
  CampaignInfo,
  CoBrowseSession,
  EngagementRecord,
  SdeEvent,
  SurveyItem,
  TranscriptLine,
  VisitorInfo,
} from './record.types.ts'
import { seededRandom, type SeededRandom } from './seeded-random.ts'
import { NO_CAMPAIGN } from './record-defaults.ts'

export interface GeneratorAgent {
  id: number
  loginName: string
  nickname: string
  fullName: string
  /** `memberOf` agent group; -1 is the root "Main Group". */
  groupId: number
}

/** The account configuration generated engagements refer to. */
export interface GeneratorCatalog {
  /** Empty: every engagement is unassigned (skill -1). */
  skills: readonly { id: number; name: string }[]
  /** At least one. */
  agents: readonly GeneratorAgent[]
  agentGroups: readonly { id: number; name: string }[]
  /** `campaign` sections to pick from; empty: the "-1"/"NA" defaults. */
  campaigns: readonly CampaignInfo[]
}

export interface GenerateOptions {
  accountId: string
  count: number
  /** Start times lie in [from, to] (epoch ms); so do end times unless the window is shorter than a chat. */
  from: number
  to: number
  seed: number
  catalog: GeneratorCatalog
  /** rtSessionId of the first record; default 2^32. Records take consecutive ids. */
  firstRtSessionId?: number
}

const FIRST_RT_SESSION_ID = 4294967296
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A template split once into literal and slot parts, so filling is a loop of concatenations. */
type Template = readonly string[]
type Slots = Record<string, string>

const compiled = new Map<string, Template>()
function fill(template: string, slots: Slots): string {
  let parts = compiled.get(template)
  if (!parts) {
    parts = template.split(/\{(\w+)\}/)
    compiled.set(template, parts)
  }
  let text = parts[0] ?? ''
  for (let i = 1; i < parts.length; i += 2) text += (slots[parts[i] ?? ''] ?? '') + (parts[i + 1] ?? '')
  return text
}

const scoreCache = new Map<string, number>()
/** `lineRawScore` memoised: most visitor lines repeat verbatim across chats. */
function cachedScore(text: string): number {
  let score = scoreCache.get(text)
  if (score === undefined) {
    if (scoreCache.size > 200_000) scoreCache.clear()
    score = lineRawScore(text)
    scoreCache.set(text, score)
  }
  return score
}

type Mood = keyof typeof REACTIONS
type SegmentEnd = 'transferAgent' | 'transferSkill' | 'requeue' | 'final'

interface LineSpec {
  source: TranscriptLine['source']
  text?: string
  json?: unknown
  controlType: number
  textType: TranscriptLine['textType']
  subType: TranscriptLine['subType']
}

const system = (text: string, controlType: number): LineSpec => ({
  source: 'system',
  text,
  controlType,
  textType: 'plain',
  subType: 'REGULAR',
})
const said = (source: 'visitor' | 'agent', text: string, textType: TranscriptLine['textType'] = 'plain'): LineSpec => ({
  source,
  text,
  controlType: 0,
  textType,
  subType: 'REGULAR',
})

function randomId(random: SeededRandom, length: number): string {
  let id = ''
  for (let i = 0; i < length; i++) id += ID_ALPHABET[random.int(ID_ALPHABET.length)]
  return id
}

function richContent(slots: Slots): unknown {
  return {
    type: 'vertical',
    elements: [
      { type: 'text', text: `Order ${slots.order} is on its way`, tooltip: 'order status' },
      {
        type: 'button',
        title: 'Track order',
        click: { actions: [{ type: 'link', name: 'Track', uri: `https://track.example.com/${slots.order}` }] },
      },
    ],
  }
}

/** The visitor's and agent's lines of one segment, without times. */
function conversation(
  random: SeededRandom,
  topic: TopicScript,
  mood: Mood,
  slots: Slots,
  first: boolean,
  last: boolean,
  endKind: SegmentEnd,
  finalReason: string,
): LineSpec[] {
  const specs: LineSpec[] = [system(`You are now chatting with ${slots.agent}.`, 3)]
  specs.push(said('agent', fill(random.pick(GREETINGS), slots)))
  if (first) specs.push(said('visitor', fill(random.pick(topic.openers), slots)))
  else specs.push(said('visitor', 'Hi, I was told you could help me with this.'))
  const exchanges = Math.max(1, Math.min(14, Math.round(random.logNormal(first && last ? 7 : 4, 0.45))))
  for (let i = 0; i < exchanges; i++) {
    const kind = random.next()
    if (kind < 0.08) specs.push(said('agent', fill(random.pick(topic.html), slots), 'html'))
    else if (kind < 0.11) specs.push(said('agent', fill(random.pick(URL_LINES), slots), 'url'))
    else if (kind < 0.15)
      specs.push({
        source: 'agent',
        json: richContent(slots),
        controlType: 0,
        textType: 'rich-content',
        subType: 'REGULAR',
      })
    else specs.push(said('agent', fill(random.pick(topic.agent), slots)))
    if (random.chance(0.03))
      specs.push({ ...said('agent', fill(random.pick(AGENT_NOTES), slots)), subType: 'ONLY_TO_REP' })
    const reaction = random.chance(mood === 'neutral' ? 0.3 : 0.5)
      ? random.pick(REACTIONS[mood])
      : fill(random.pick(topic.visitor), slots)
    specs.push(said('visitor', reaction))
  }
  if (endKind === 'transferAgent' || endKind === 'transferSkill') {
    specs.push({ ...said('agent', fill(random.pick(AGENT_NOTES), slots)), subType: 'ONLY_TO_REP' })
    specs.push(
      endKind === 'transferAgent' ? system(SYSTEM_TEXTS.transferAgent, 13) : system(SYSTEM_TEXTS.transferSkill, 15),
    )
  } else if (endKind === 'requeue') {
    specs.push(system(SYSTEM_TEXTS.requeued, 23))
  } else {
    if (finalReason !== '208' && finalReason !== '205') {
      specs.push(said('agent', random.pick(AGENT_CLOSINGS)))
      specs.push(said('visitor', random.pick(VISITOR_CLOSINGS[mood])))
    }
    if (finalReason === '205' || finalReason === '202') specs.push(system(SYSTEM_TEXTS.disconnected, 6))
    specs.push(system(SYSTEM_TEXTS.ended, 5))
  }
  return specs
}

function surveyItems(
  random: SeededRandom,
  kind: keyof typeof SURVEY_QUESTIONS,
  source: string,
  timeL: number,
  slots: Slots,
): SurveyItem[] {
  const survey = SURVEY_QUESTIONS[kind]
  const time = formatHistoryTime(timeL)
  const items: SurveyItem[] = []
  for (const question of survey.questions) {
    if (question.answers === null && random.chance(0.4)) continue
    let value: string
    let answerId: number
    if (question.answers === null) {
      value =
        question.questionID === 16314710
          ? (slots.name ?? 'Anna')
          : question.questionID === 16314711
            ? (slots.order ?? '')
            : random.pick(SURVEY_COMMENTS)
      answerId = -1
    } else {
      answerId = random.int(question.answers.length)
      value = question.answers[answerId] ?? ''
      answerId += 1
    }
    items.push({
      scope: 'Session',
      source,
      displayName: question.displayName,
      value,
      values: [value],
      answersId: [answerId],
      name: survey.name,
      time,
      timeL,
      questionID: question.questionID,
      surveyID: survey.surveyID,
    })
  }
  return items
}

function coBrowseSessions(random: SeededRandom, start: number, end: number): CoBrowseSession[] {
  const sessions: CoBrowseSession[] = []
  for (let i = random.between(1, 2); i > 0; i--) {
    const sessionStart = start + random.int(Math.max(1, Math.floor((end - start) / 2)))
    const sessionEnd = sessionStart + random.int(Math.max(1, end - sessionStart))
    const interactive = random.chance(0.5)
    const interactiveAt = sessionStart + random.int(Math.max(1, Math.floor((sessionEnd - sessionStart) / 3)))
    sessions.push({
      sessionId: `cb${random.between(100000000, 999999999)}`,
      startTime: formatHistoryTime(sessionStart),
      startTimeL: sessionStart,
      endTime: formatHistoryTime(sessionEnd),
      endTimeL: sessionEnd,
      ...(interactive ? { interactiveTime: formatHistoryTime(interactiveAt), interactiveTimeL: interactiveAt } : {}),
      endReason: random.pick(['AGENT', 'VISITOR', 'TIMEOUT', 'SERVER', 'UNKOWN']),
      duration: sessionEnd - sessionStart,
      interactive,
    })
  }
  return sessions
}

function visitorInfo(random: SeededRandom): VisitorInfo {
  const device = random.pick(DEVICES)
  const browser = random.pick(device.browsers)
  const geo = random.pick(GEO)
  return {
    ...geo,
    device: device.device,
    ipAddress: `${random.between(2, 223)}.${random.int(256)}.${random.int(256)}.${random.between(1, 254)}`,
    browser,
    operatingSystem: device.os,
    browserType: (browser.split(' ')[0] ?? '').toUpperCase(),
  }
}

/** How a chat unfolds: its segments (engagements) and timing, decided before any line is built. */
interface SegmentPlan {
  end: SegmentEnd
  wait: number
  talk: number
}

function planChat(random: SeededRandom, unaccepted: boolean): SegmentPlan[] {
  if (unaccepted) return [{ end: 'final', wait: Math.round(random.logNormal(240_000, 0.5)), talk: 0 }]
  const r = random.next()
  const ends: SegmentEnd[] =
    r < 0.07
      ? ['transferAgent', 'final']
      : r < 0.11
        ? ['transferSkill', 'final']
        : r < 0.125
          ? ['transferAgent', 'transferSkill', 'final']
          : r < 0.15
            ? ['requeue', 'final']
            : ['final']
  const total = Math.min(5_400_000, Math.max(25_000, random.logNormal(420_000, 0.7)))
  return ends.map((end, i) => ({
    end,
    wait: Math.round(Math.min(900_000, random.logNormal(i === 0 ? 25_000 : 12_000, 0.9))),
    talk: Math.round(total / ends.length),
  }))
}

const FINAL_REASONS = [
  '201',
  '201',
  '201',
  '201',
  '201',
  '201',
  '201',
  '201',
  '201',
  '210',
  '210',
  '210',
  '210',
  '210',
  '210',
  '208',
  '208',
  '205',
  '202',
]

/**
 * Realistic synthetic engagement records (engagement-history.md §5), deterministic for a seed:
 * the same options always yield the same records in the same order. Chats span one to three
 * engagements (transfers to an agent or a skill, requeues); about 5 % are never accepted.
 * Records come in start-time order with consecutive rtSessionIds; MCS is computed from the
 * visitor lines with `scoreTranscript`. Lazy: memory stays flat for any `count`.
 */
export function* generateRecords(options: GenerateOptions): Generator<EngagementRecord> {
  const { accountId, count, from, to, catalog } = options
  if (catalog.agents.length === 0) throw new Error('the catalog needs at least one agent')
  const random = seededRandom(options.seed)
  const groupNames = new Map<number, string>([[-1, 'Main Group']])
  for (const group of catalog.agentGroups) groupNames.set(group.id, group.name)
  const skills = catalog.skills.length > 0 ? catalog.skills : [{ id: -1, name: 'Unassigned' }]
  const step = Math.max(0, to - from) / Math.max(1, count)
  let rtSessionId = options.firstRtSessionId ?? FIRST_RT_SESSION_ID
  let produced = 0

  while (produced < count) {
    const unaccepted = random.chance(0.05)
    const plan = planChat(random, unaccepted)
    // Each segment adds up to 1.2 s of fixed offsets (routing line, accept, a minimal talk) to its wait and talk.
    const fixed = plan.length * 1200
    const variable = plan.reduce((sum, segment) => sum + segment.wait + segment.talk, 0)
    let requested = Math.floor(from + (produced + random.next()) * step)
    // Chats near the end of the window start early enough to end inside it; tiny windows squeeze the chat.
    if (requested + fixed + variable > to) requested = Math.max(from, to - fixed - variable)
    const squeeze = requested + fixed + variable > to ? Math.max(0, to - requested - fixed) / variable : 1

    const topic = random.pick(TOPICS)
    const moodRoll = random.next()
    const mood: Mood = moodRoll < 0.45 ? 'positive' : moodRoll < 0.75 ? 'neutral' : 'negative'
    const visitorName = random.chance(0.7) ? 'You' : random.pick(FIRST_NAMES)
    const slots: Slots = {
      order: String(random.between(100000, 999999)),
      product: random.pick(PRODUCTS),
      city: random.pick(CITIES),
      street: random.pick(STREETS),
      amount: `$${random.between(5, 400)}.${random.between(10, 99)}`,
      email: `${random.pick(FIRST_NAMES).toLowerCase()}.${random.between(1, 999)}@example.com`,
      version: `${random.between(1, 4)}.${random.int(10)}.${random.int(10)}`,
      name: visitorName === 'You' ? random.pick(FIRST_NAMES) : visitorName,
      agent: '',
    }
    const visitorId = randomId(random, 22)
    const sessionKey = randomId(random, 22)
    const chatStartUrl = random.chance(0.9) ? fill(random.pick(START_PAGES), slots) : ''
    const campaign = catalog.campaigns.length > 0 ? random.pick(catalog.campaigns) : NO_CAMPAIGN
    const visitor = visitorInfo(random)
    const sdeContext = { orderId: `ORD-${slots.order}`, topic: topic.service, email: slots.email ?? '' }
    const events: SdeEvent[] = []
    for (let i = random.int(4); i > 0; i--) {
      events.push(randomSdeEvent(random, requested - random.int(1_800_000), sdeContext))
    }
    const preChat = random.chance(0.3)
    const postChat = random.chance(0.25)
    const finalReason = unaccepted ? '208' : random.pick(FINAL_REASONS)

    let skill = random.pick(skills)
    let previousAgent: GeneratorAgent | undefined
    let lineSeq = 1
    let clock = requested
    let startReason = '0'
    for (let s = 0; s < plan.length && produced < count; s++) {
      const segment = plan[s] as SegmentPlan
      const last = s === plan.length - 1
      const lines: TranscriptLine[] = []
      const push = (spec: LineSpec, timeL: number, by: string, agentId: number): void => {
        const time = formatHistoryTime(timeL)
        // Two literal shapes rather than conditional spreads: spreads build slow dictionary objects.
        lines.push(
          spec.text === undefined
            ? {
                time,
                timeL,
                controlType: spec.controlType,
                json: spec.json,
                by,
                source: spec.source,
                subType: spec.subType,
                textType: spec.textType,
                cannedAnswerType: 0,
                agentId,
                lineSeq: String(lineSeq),
              }
            : {
                time,
                timeL,
                controlType: spec.controlType,
                text: spec.text,
                by,
                source: spec.source,
                subType: spec.subType,
                textType: spec.textType,
                cannedAnswerType: 0,
                agentId,
                lineSeq: String(lineSeq),
              },
        )
        // Event ids of state events (accept, typing, ...) are not lines, so sequence numbers skip some.
        lineSeq += random.chance(0.15) ? 2 : 1
      }
      if (s === 0) push(system(SYSTEM_TEXTS.routing, 4), clock + 150, 'info', 0)
      const accepted = clock + Math.round(segment.wait * squeeze) + 200
      let agent: GeneratorAgent | undefined
      let end: number
      if (unaccepted) {
        end = accepted
        push(system(SYSTEM_TEXTS.ended, 5), end, 'info', 0)
      } else {
        do agent = random.pick(catalog.agents)
        while (agent === previousAgent && catalog.agents.length > 1)
        slots.agent = agent.nickname
        end = accepted + Math.max(1000, Math.round(segment.talk * squeeze))
        const specs = conversation(random, topic, mood, slots, s === 0, last, segment.end, finalReason)
        // Random gaps, normalised to the segment's length: replies come at uneven intervals.
        const gaps = specs.map(() => 0.2 + random.next())
        const totalGap = gaps.reduce((sum, gap) => sum + gap, 0)
        let elapsed = 0
        for (let i = 0; i < specs.length; i++) {
          const spec = specs[i] as LineSpec
          const timeL = i === specs.length - 1 ? end : accepted + Math.floor(((end - accepted) * elapsed) / totalGap)
          elapsed += gaps[i] ?? 0
          const isAgent = spec.source === 'agent'
          push(
            spec,
            timeL,
            spec.source === 'system' ? 'info' : isAgent ? agent.nickname : visitorName,
            isAgent ? agent.id : 0,
          )
        }
      }
      const startTimeL = agent ? accepted : requested
      const scores = scoreTranscript(lines, cachedScore)
      const surveys = {
        preChat: s === 0 && preChat ? surveyItems(random, 'preChat', 'Pre-Chat', requested + 100, slots) : [],
        postChat: last && postChat && agent ? surveyItems(random, 'postChat', 'Exit', end + 8000, slots) : [],
        operator: agent && random.chance(0.35) ? surveyItems(random, 'operator', 'Operator', end + 5000, slots) : [],
      }
      const endReason =
        segment.end === 'transferAgent'
          ? '101'
          : segment.end === 'transferSkill'
            ? '106'
            : segment.end === 'requeue'
              ? '202'
              : finalReason
      const record: EngagementRecord = {
        info: {
          startTime: formatHistoryTime(startTimeL),
          startTimeL,
          endTime: formatHistoryTime(end),
          endTimeL: end,
          duration: agent ? Math.floor((end - startTimeL) / 1000) : 0,
          visitorId,
          visitorName,
          engagementId: `${accountId}${rtSessionId}`,
          sharkEngagementId: `${accountId}_${sessionKey}_${s + 1}`,
          isInteractive: lines.some((line) => line.source === 'visitor'),
          accountId,
          agentId: agent ? String(agent.id) : '-1',
          ...(agent
            ? {
                agentNickName: agent.nickname,
                agentName: agent.nickname,
                agentLoginName: agent.loginName,
                agentFullName: agent.fullName,
              }
            : {}),
          agentDeleted: false,
          skillId: skill.id,
          skillName: skill.name,
          isAgentSurvey: surveys.operator.length > 0,
          isPostChatSurvey: surveys.postChat.length > 0,
          isPreChatSurvey: surveys.preChat.length > 0,
          channel: 1,
          startReason,
          startReasonDesc: START_REASONS[startReason] ?? '',
          endReason,
          endReasonDesc: END_REASONS[endReason] ?? '',
          engagementSet: 0,
          engagementSequence: s,
          agentGroupId: agent ? agent.groupId : -1,
          agentGroupName: agent ? (groupNames.get(agent.groupId) ?? 'Main Group') : 'NA',
          mcs: scores.alertedMCS,
          alertedMCS: scores.alertedMCS,
          chatMCS: scores.chatMCS,
          chatRequestedTime: formatHistoryTime(requested),
          chatRequestedTimeL: requested,
          chatStartUrl,
          chatStartPage: '',
          isPartial: false,
          interactive: lines.some((line) => line.source === 'visitor'),
          ended: true,
          chatDataEnriched: true,
        },
        transcript: { lines },
        lineScores: scores.lineScores,
        surveys,
        campaign,
        visitorInfo: visitor,
        coBrowseSessions: {
          coBrowseSessionsList: agent && random.chance(0.06) ? coBrowseSessions(random, startTimeL, end) : [],
        },
        sdes: { events },
      }
      yield record
      produced++
      rtSessionId++
      previousAgent = agent
      clock = end
      startReason = segment.end === 'transferAgent' ? '1' : segment.end === 'transferSkill' ? '6' : '3'
      if (segment.end === 'transferSkill') skill = random.pick(skills)
    }
  }
}
