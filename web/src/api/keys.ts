import type { HttpClient } from './http.ts'

/**
 * Keys, Parley's extension of the configuration API (docs/account-config.md, "Keys"): the
 * account's visitor app keys and OAuth 1.0a API keys. Admin bearers only. An API key's secrets
 * come in the creation answer only.
 */

export interface AppKey {
  appKey: string
  createdAt: number
}

export interface ApiKey {
  appKey: string
  permissions: string[]
  userId: number | null
  createdAt: number
}

/** The creation answer: the only time the secrets are sent. */
export interface NewApiKey extends ApiKey {
  secret: string
  accessToken: string
  accessTokenSecret: string
}

/** The permissions an API key may have, with what each allows (docs/auth.md). */
export const API_KEY_PERMISSIONS: ReadonlyArray<[string, string]> = [
  ['engagementHistory', 'Engagement History'],
  ['monitoring', 'Engagement Attributes'],
  ['agent', 'Chat Agent API'],
  ['visitor', 'Server Chat API (visitor)'],
  ['visit', 'Visit API'],
  ['configRead', 'Account configuration: read'],
  ['configWrite', 'Account configuration: read and write'],
  ['operationalRealtime', 'Operational Realtime'],
]

export function keysApi(http: HttpClient, accountId: string) {
  const base = `/api/account/${encodeURIComponent(accountId)}/configuration/parley`
  return {
    async appKeys(): Promise<AppKey[]> {
      return (await http.request<AppKey[]>('GET', `${base}/appKeys`)).data
    },
    async apiKeys(): Promise<ApiKey[]> {
      return (await http.request<ApiKey[]>('GET', `${base}/apiKeys`)).data
    },
    async createAppKey(): Promise<AppKey> {
      return (await http.request<AppKey>('POST', `${base}/appKeys`, { retry: false })).data
    },
    async createApiKey(permissions: string[]): Promise<NewApiKey> {
      return (await http.request<NewApiKey>('POST', `${base}/apiKeys`, { body: { permissions }, retry: false })).data
    },
    async revokeAppKey(appKey: string): Promise<void> {
      await http.request('DELETE', `${base}/appKeys/${encodeURIComponent(appKey)}`, { retry: false })
    },
    async revokeApiKey(appKey: string): Promise<void> {
      await http.request('DELETE', `${base}/apiKeys/${encodeURIComponent(appKey)}`, { retry: false })
    },
  }
}

export type KeysApi = ReturnType<typeof keysApi>
