import type { ApiResponse, HttpClient } from './http.ts'

/**
 * The account configuration API's optimistic concurrency (docs/account-config.md): every answer
 * carries the account's revision in `ac-revision`; a PUT or DELETE sent with `If-Match` of an older
 * revision answers 412, so an admin never overwrites a change they have not seen.
 */

/** A value together with the account revision it was read at or produced. */
export interface Revised<T> {
  value: T
  revision: number
}

export function revisionOf(response: ApiResponse<unknown>): number {
  const header = response.headers?.get('ac-revision')
  const revision = header === null || header === undefined ? Number.NaN : Number(header)
  // Without a readable revision the write goes unguarded (-1 is the API's "no precondition").
  return Number.isInteger(revision) ? revision : -1
}

/** The path of the account's configuration API. */
export const configBase = (accountId: string) => `/api/account/${encodeURIComponent(accountId)}/configuration`

export async function readRevised<T>(http: HttpClient, url: string): Promise<Revised<T>> {
  const response = await http.request<T>('GET', url)
  return { value: response.data, revision: revisionOf(response) }
}

/** A guarded write: POST (no If-Match), PUT or DELETE with `If-Match: "revision"`. Never retried. */
export async function writeRevised<T>(
  http: HttpClient,
  method: 'POST' | 'PUT' | 'DELETE',
  url: string,
  revision: number,
  body?: unknown,
): Promise<Revised<T>> {
  const response = await http.request<T>(method, url, {
    retry: false,
    ...(body === undefined ? {} : { body }),
    ...(method === 'POST' ? {} : { headers: { 'If-Match': `"${revision}"` } }),
  })
  return { value: response.data, revision: revisionOf(response) }
}

/** 412: someone (another admin, another tab) changed the account's configuration meanwhile. */
export const isStale = (failure: unknown): boolean =>
  typeof failure === 'object' && failure !== null && (failure as { status?: unknown }).status === 412

export const STALE_MESSAGE =
  'The account configuration changed since this page loaded (another admin or tab). The latest version is shown; your changes were not saved.'
