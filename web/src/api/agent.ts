import { withQuery, type HttpClient } from './http.ts'

/** Chat Agent API (docs/agent-api.md, docs/agent-sessions.md) as the console uses it. */

export type Availability = 'Online' | 'Occupied' | 'Away' | 'Offline'

export interface WireLink {
  '@href': string
  '@rel': string
}

export interface ChatEvent {
  '@id': string
  /** `line`, `state`, `url` (other types are skipped by the transcript). */
  '@type': string
  time: string
  textType?: 'plain' | 'html' | 'rich-content'
  text?: string
  json?: unknown
  by?: string
  /** `visitor`, `agent` or `system`. */
  source?: string
  /** `REGULAR` or `ONLY_TO_REP` (a note only agents see). */
  subType?: string
  state?: string
  url?: string
}

export interface ChatInfo {
  state: string
  chatSessionKey: string
  skillName?: string
  skillId?: number
  agentName?: string
  startTime: string
  visitorTyping: 'typing' | 'not-typing'
  agentTyping: 'typing' | 'not-typing'
  visitorName: string
  visitorId?: number | string
}

export interface AgentChatDocument {
  chat: {
    link: WireLink[]
    events?: { link: WireLink | WireLink[]; event?: ChatEvent | ChatEvent[] }
    info: ChatInfo
  }
}

export interface AgentInfo {
  agentName: string
  displayName: string
  loginName: string
  id: string
  maxChats: string
  availability: { chat: Availability }
  skillsInfo: { skillInfo?: SkillInfo | SkillInfo[] }
}

export interface SkillInfo {
  id: string
  name: string
}

export interface TransferSkill {
  id: string
  name: string
  onlineAgents: string
}

export interface AvailableAgent {
  '@chatState': string
  '@id': string
  '@maxChats': string
  chats: string
  nickname: string
  userName: string
  privilegeGroup: 'administrators' | 'agentManagers' | 'campaignManagers' | 'agents'
}

export interface Visit {
  visitorIp?: string
  userAgent?: string
  chatReferrer?: string
  visitorId?: number | string
}

export interface CustomVariable {
  name: string
  value: string
}

/** `x` or `[x, y]` or absent → always an array (LivePerson collapses one-element lists). */
export function asList<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

export function linkOf(links: WireLink | WireLink[] | undefined, rel: string): string | undefined {
  return asList(links).find((link) => link['@rel'] === rel)?.['@href']
}

const V = { v: 1, NC: 'true' }

/**
 * A line or an end keeps trying through a network drop or a server restart of a few minutes
 * (backoff capped at 10 s); the Idempotency-Key makes a repeat land once.
 */
const LINE_ATTEMPTS = 25

/** Chat state events have no id gaps: the next `from` is the last id + 1. */
export function nextFrom(events: readonly ChatEvent[], from: number): number {
  const last = events.at(-1)
  return last ? Number(last['@id']) + 1 : from
}

export function agentApi(http: HttpClient) {
  return {
    /**
     * A1: a new agent session; returns its URL (path). `availability` is Parley's extension
     * (docs/agent-sessions.md): `byRole` starts Admins and Agent Managers Away.
     */
    async startSession(accountId: string, availability?: 'byRole'): Promise<string> {
      const answer = await http.request(
        'POST',
        withQuery(`/api/account/${encodeURIComponent(accountId)}/agentSession`, { ...V, availability }),
        {
          body: { loginData: '' },
          retry: false,
        },
      )
      if (!answer.location) throw new Error('agent session without Location')
      return answer.location
    },
    /** A2: checks the session still exists (404 otherwise). */
    async getSession(session: string): Promise<void> {
      await http.request('GET', withQuery(session, V), { retry: false })
    },
    /** A27. */
    async endSession(session: string): Promise<void> {
      await http.request('DELETE', withQuery(session, V), { retry: false })
    },
    async availability(session: string): Promise<Availability> {
      return (
        await http.request<{ availability: { chat: Availability } }>('GET', withQuery(`${session}/availability`, V))
      ).data.availability.chat
    },
    async setAvailability(session: string, chat: Exclude<Availability, 'Offline'>): Promise<Availability> {
      const answer = await http.request<{ availability: { chat: Availability } }>(
        'PUT',
        withQuery(`${session}/availability`, V),
        { body: { availability: { chat } }, retry: true },
      )
      return answer.data.availability.chat
    },
    async info(session: string): Promise<AgentInfo> {
      return (await http.request<{ info: AgentInfo }>('GET', withQuery(`${session}/info`, V))).data.info
    },
    /** A6: every agent of the account with availability, load and privilege group. */
    async availableAgents(session: string): Promise<AvailableAgent[]> {
      const answer = await http.request<{
        availableAgents: { agents?: { agent?: AvailableAgent | AvailableAgent[] } }
      }>('GET', withQuery(`${session}/availableAgents`, V))
      return asList(answer.data.availableAgents.agents?.agent)
    },
    /** A8: how many chats ring this agent. */
    async ringingCount(session: string, signal?: AbortSignal): Promise<number> {
      const answer = await http.request<{ incomingRequests: { ringingCount: string } }>(
        'GET',
        withQuery(`${session}/incomingRequests`, V),
        signal ? { signal } : {},
      )
      return Number(answer.data.incomingRequests.ringingCount)
    },
    /** Parley extension (docs/console.md): the chats ringing this agent, oldest (A9's next) first. */
    async ringingChats(session: string, signal?: AbortSignal): Promise<RingingChat[]> {
      const answer = await http.request<{ ringingChats: { chat: RingingChat[] } }>(
        'GET',
        withQuery(`${session}/parley/ringingChats`, V),
        signal ? { signal } : {},
      )
      return answer.data.ringingChats.chat
    },
    /** A23: the agent survey for this chat's skill (404 `ApiError` when the account has none). */
    async agentSurvey(chatUrl: string): Promise<Survey> {
      return (await http.request<{ survey: Survey }>('GET', withQuery(`${chatUrl}/survey`, V))).data.survey
    },
    /** A23 PUT: the answers; a 400 names the first question with a problem. */
    async submitAgentSurvey(chatUrl: string, surveyId: number, answers: SurveyAnswer[]): Promise<void> {
      await http.request('PUT', withQuery(`${chatUrl}/survey`, V), {
        body: { survey: { id: surveyId, question: answers } },
        retry: true,
      })
    },
    /** A9: accepts the oldest ringing chat; returns the agent chat URL. */
    async accept(session: string): Promise<string> {
      const answer = await http.request('POST', withQuery(`${session}/incomingRequests`, V), { body: {}, retry: false })
      if (!answer.location) throw new Error('accepted chat without Location')
      return answer.location
    },
    /** A10: the chats this agent holds. */
    async chatSessions(
      session: string,
      signal?: AbortSignal,
    ): Promise<Array<{ url: string; key: string; startTime: number }>> {
      const answer = await http.request<{
        chatSessions: { chatSession?: Array<{ link: { href: string }; chatSessionKey: string; startTime: number }> }
      }>('GET', withQuery(`${session}/chatSessions`, V), signal ? { signal } : {})
      return asList(answer.data.chatSessions.chatSession).map((entry) => ({
        url: entry.link.href,
        key: entry.chatSessionKey,
        startTime: entry.startTime,
      }))
    },
    /** A12 with D10 long polling: holds up to `wait` seconds for an event with id >= from. */
    async chat(chatUrl: string, from: number, wait: number, signal?: AbortSignal): Promise<AgentChatDocument['chat']> {
      const answer = await http.request<AgentChatDocument>('GET', withQuery(chatUrl, { ...V, from, wait }), {
        ...(signal ? { signal } : {}),
        retry: false,
      })
      return answer.data.chat
    },
    /** A14 line; the Idempotency-Key makes a retried send land once. */
    async sendLine(chatUrl: string, text: string, idempotencyKey: string): Promise<void> {
      await http.request('POST', withQuery(`${chatUrl}/events`, V), {
        body: { event: { '@type': 'line', textType: 'plain', text } },
        headers: { 'Idempotency-Key': idempotencyKey },
        retry: true,
        attempts: LINE_ATTEMPTS,
      })
    },
    /** A14 end. Ending an ended chat answers 201 as well, so a retry is harmless. */
    async end(chatUrl: string): Promise<void> {
      await http.request('POST', withQuery(`${chatUrl}/events`, V), {
        body: { event: { '@type': 'state', state: 'ended' } },
        retry: true,
        attempts: LINE_ATTEMPTS,
      })
    },
    /** A19. */
    async setTyping(chatUrl: string, typing: boolean): Promise<void> {
      await http.request('PUT', withQuery(`${chatUrl}/info/agentTyping`, V), {
        body: { agentTyping: typing ? 'typing' : 'not-typing' },
        retry: false,
      })
    },
    /** A20: skills the chat may go to, with their Online agents. */
    async transferSkills(chatUrl: string): Promise<TransferSkill[]> {
      const answer = await http.request<{ transfer: { skill?: TransferSkill | TransferSkill[] } }>(
        'GET',
        withQuery(`${chatUrl}/transfer`, V),
      )
      return asList(answer.data.transfer.skill)
    },
    /** A21. */
    async transfer(chatUrl: string, target: { skill: number } | { agent: number }, text: string): Promise<void> {
      const body = 'skill' in target ? { skill: { id: target.skill }, text } : { agent: { id: target.agent }, text }
      await http.request('POST', withQuery(`${chatUrl}/transfer`, V), { body: { transfer: body }, retry: false })
    },
    /** A25 visit and its custom variables (`visitUrl` is the chat's `visit-id` link). */
    async visit(visitUrl: string): Promise<Visit> {
      return (await http.request<{ visit: Visit }>('GET', withQuery(visitUrl, V))).data.visit
    },
    async customVariables(visitUrl: string): Promise<CustomVariable[]> {
      const answer = await http.request<{ customVariables: { customVariable?: CustomVariable | CustomVariable[] } }>(
        'GET',
        withQuery(`${visitUrl}/customVariables`, V),
      )
      return asList(answer.data.customVariables.customVariable)
    },
    /** Parley extension (docs/engagement-attributes.md): the chat's engagement attributes. */
    async engagementAttributes(chatUrl: string): Promise<EngagementAttributeEvent[]> {
      const answer = await http.request<{ engagementAttributes: { events?: EngagementAttributeEvent[] } }>(
        'GET',
        withQuery(`${chatUrl}/engagementAttributes`, V),
      )
      return answer.data.engagementAttributes.events ?? []
    },
    /** Parley extension (docs/console.md): pre-chat answers, visitor info, entry page and MCS of a live chat. */
    async visitorContext(chatUrl: string): Promise<VisitorContext> {
      return (await http.request<{ visitorContext: VisitorContext }>('GET', withQuery(`${chatUrl}/visitorContext`, V)))
        .data.visitorContext
    },
  }
}

/** One chat ringing the agent (Parley's `parley/ringingChats`). */
export interface RingingChat {
  skillId: number
  skillName: string
  visitorName: string
  requestTime: string
  requestTimeL: number
  /** Seconds waited when the server answered. */
  waitTime: number
  ringTime: number
  transferred: boolean
  preChatSurvey: Array<{ question: string; answer: string }>
  firstLines: string[]
}

/** A23's typed survey (docs/surveys.md): one question or entry arrives as a bare object. */
export interface Survey {
  id: number
  header?: string
  questions?: { question?: SurveyQuestion | SurveyQuestion[] }
}

export interface SurveyQuestion {
  id: number
  logicId: number
  order: number
  type: string
  label: string
  mandatory: boolean
  validationType?: string
  entry?: SurveyEntry | SurveyEntry[]
}

export interface SurveyEntry {
  value: string
  displayValue?: string
  checked?: boolean
  logic?: { showLogicId: number | number[] }
}

export interface SurveyAnswer {
  id: number
  answer: string | string[]
}

export type EngagementAttributeEvent = { sdeType: string } & Record<string, unknown>

export interface VisitorContext {
  preChatSurvey: Array<{ question: string; answer: string }>
  visitorInfo: {
    country: string
    state: string
    city: string
    ipAddress: string
    browser: string
    operatingSystem: string
    device: string
  }
  chatReferrer: string
  entryPage: string
  mcs: { chatMCS: number | null; alertedMCS: number | null; trend: number[] }
}

export type AgentApi = ReturnType<typeof agentApi>
