import { withQuery, type HttpClient } from './http.ts'

/**
 * Operational Realtime API (docs/operational-realtime.md). The console uses only the Parley
 * dashboard extension (`parley/dashboard?v=1`), which carries the per-chat and per-agent detail
 * LivePerson's documented methods lack; it answers the bare object with the same access rules
 * (admins: the account; agent managers: their groups).
 */

export interface DashboardSkill {
  skillId: number
  name: string
  waitingChats: number
  longestWaitSeconds: number
  /** 0 = an Online agent has a free slot, -1 = nobody Online, -2 = not enough recent accepts, else seconds. */
  estimatedWaitSeconds: number
  availableSlots: number
}

export interface DashboardAgent {
  agentId: number
  loginName: string
  nickname: string
  /** `Online`, `Occupied` or `Away` (the Agent API's values). */
  availability: string
  chatReasonId: number | null
  chats: number
  /** 0 = unlimited. */
  maxChats: number
  /** chats / maxChats to 2 decimals; null when unlimited. */
  load: number | null
}

export interface DashboardChat {
  engagementId: string
  skillId: number
  agentId: number
  agentNickname: string
  startTime: number
  durationSeconds: number
  /** Null before the visitor's first line. */
  mcs: number | null
}

export interface Dashboard {
  time: number
  skills: DashboardSkill[]
  agents: DashboardAgent[]
  chatsInProgress: DashboardChat[]
  lastHour: { endedChats: number; connectedChats: number; abandonedChats: number; averageWaitSeconds: number }
}

export function operationalApi(http: HttpClient, accountId: string) {
  const base = `/operations/api/account/${encodeURIComponent(accountId)}`
  return {
    /** The live dashboard; a GET, so the HTTP client retries network errors, 429 and 5xx itself. */
    async dashboard(signal?: AbortSignal): Promise<Dashboard> {
      const answer = await http.request<Dashboard>(
        'GET',
        withQuery(`${base}/parley/dashboard`, { v: 1 }),
        // One attempt per poll: the next poll is the retry, so a dead server is reported promptly.
        { attempts: 1, ...(signal ? { signal } : {}) },
      )
      return answer.data
    },
  }
}

export type OperationalApi = ReturnType<typeof operationalApi>
