import type { LightMyRequestResponse } from 'fastify'
import type { ParleyApp } from '../../src/http/app.ts'
import type { TestContext } from './build-app.ts'
import { createAccount, login, type TestAccount } from './factories.ts'

/** A small client for the account configuration API of one account, authenticated with a bearer. */
export interface ConfigApi {
  accountId: string
  bearer: string
  base: string
  get(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  del(path: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
}

export function configApi(app: ParleyApp, accountId: string, bearer: string): ConfigApi {
  const base = `/api/account/${accountId}/configuration`
  const auth = (headers: Record<string, string> = {}) => ({ authorization: `Bearer ${bearer}`, ...headers })
  return {
    accountId,
    bearer,
    base,
    get: (path, headers) => app.inject({ method: 'GET', url: `${base}${path}`, headers: auth(headers) }),
    post: (path, body, headers) =>
      app.inject({ method: 'POST', url: `${base}${path}`, headers: auth(headers), payload: body as object }),
    put: (path, body, headers) =>
      app.inject({ method: 'PUT', url: `${base}${path}`, headers: auth(headers), payload: body as object }),
    del: (path, headers) => app.inject({ method: 'DELETE', url: `${base}${path}`, headers: auth(headers) }),
  }
}

/** A fresh account and a config client logged in as its Admin. */
export async function adminConfigApi(
  context: TestContext,
  options: { timeZone?: string } = {},
): Promise<{ account: TestAccount; api: ConfigApi }> {
  const account = await createAccount(context.services, options)
  const { bearer } = await login(context.app, account.accountId, account.adminLogin, account.adminPassword)
  return { account, api: configApi(context.app, account.accountId, bearer) }
}

export const CONFIG_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/** The `id`s of a list response, in order. */
export const idsOf = (response: LightMyRequestResponse): number[] =>
  response.json<Array<{ id: number }>>().map((entity) => entity.id)

/** The `name`s of a list response, in order. */
export const namesOf = (response: LightMyRequestResponse): string[] =>
  response.json<Array<{ name: string }>>().map((entity) => entity.name)
