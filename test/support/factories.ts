import { randomBytes } from 'node:crypto'
import type { Services } from '../../src/compose.ts'
import type { ParleyApp } from '../../src/http/app.ts'

/** A fresh account with its admin credentials and keys; ids are random so suites never collide. */
export interface TestAccount {
  accountId: string
  adminLogin: string
  adminPassword: string
  adminUserId: number
  appKey: string
  apiKey: { consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string }
}

export async function createAccount(services: Services, options: { timeZone?: string } = {}): Promise<TestAccount> {
  const accountId = `t${randomBytes(6).toString('hex')}`
  const adminPassword = `pw-${randomBytes(8).toString('hex')}`
  const created = await services.accounts.createAccount({
    id: accountId,
    adminLoginName: 'admin',
    adminPassword,
    timeZone: options.timeZone,
  })
  return {
    accountId,
    adminLogin: 'admin',
    adminPassword,
    adminUserId: created.adminUserId,
    appKey: created.appKey.appKey,
    apiKey: {
      consumerKey: created.apiKey.consumerKey,
      consumerSecret: created.apiKey.consumerSecret,
      accessToken: created.apiKey.accessToken,
      accessTokenSecret: created.apiKey.accessTokenSecret,
    },
  }
}

/** Logs in through the Login Service and returns the login document (bearer, csrf, sessionId, ...). */
export async function login(
  app: ParleyApp,
  accountId: string,
  username: string,
  password: string,
): Promise<{ bearer: string; csrf: string; sessionId: string }> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/account/${accountId}/login?v=1.3`,
    payload: { username, password },
  })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  return response.json()
}
