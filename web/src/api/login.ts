import type { HttpClient } from './http.ts'

/** The fields of LivePerson's Login Service document the console uses. */
export interface LoginDocument {
  csrf: string
  bearer: string
  /** Milliseconds, as a string. */
  sessionTTl: string
  config: { loginName: string; userId: string; isAdmin: boolean; accountTimeZoneId: string }
  accountData?: { agentGroupsData?: { items?: Array<{ id: number; name: string; deleted: boolean }> } }
}

const account = (accountId: string) => `/api/account/${encodeURIComponent(accountId)}`

/** Login Service (`docs/auth.md`): login, refresh and logout, always with the bearer, never the cookie. */
export function loginApi(http: HttpClient) {
  return {
    async login(accountId: string, username: string, password: string): Promise<LoginDocument> {
      const answer = await http.request<LoginDocument>('POST', `${account(accountId)}/login?v=1.3`, {
        body: { username, password },
        anonymous: true,
        retry: false,
      })
      return answer.data
    },
    async refresh(accountId: string, csrf: string): Promise<void> {
      await http.request('POST', `${account(accountId)}/refresh?v=1.3`, { body: { csrf }, retry: true })
    },
    async logout(accountId: string, csrf: string): Promise<void> {
      await http.request('POST', `${account(accountId)}/logout?v=1.3`, { body: { csrf }, retry: false })
    },
  }
}

export type LoginApi = ReturnType<typeof loginApi>
