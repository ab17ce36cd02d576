import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Services } from '../compose.ts'
import type { Config } from '../config/config.ts'
import { cryptoIds } from '../core/ids.ts'

export const DEMO_ACCOUNT_ID = 'demo'
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json'

/**
 * Creates the `demo` account when the database holds no account, saves its credentials to
 * `<dataDir>/demo-credentials.json` (mode 0600) and returns the text to print once.
 */
export async function seedDemoIfEmpty(services: Services, config: Config): Promise<string | undefined> {
  if ((await services.accounts.countAccounts()) > 0) return undefined
  const adminPassword = cryptoIds.token(12)
  const created = await services.accounts.createAccount({
    id: DEMO_ACCOUNT_ID,
    name: 'Parley demo',
    adminLoginName: 'admin',
    adminPassword,
  })
  const credentials = {
    accountId: DEMO_ACCOUNT_ID,
    admin: { loginName: 'admin', password: adminPassword },
    appKey: created.appKey.appKey,
    apiKey: {
      appKey: created.apiKey.consumerKey,
      secret: created.apiKey.consumerSecret,
      accessToken: created.apiKey.accessToken,
      accessTokenSecret: created.apiKey.accessTokenSecret,
    },
  }
  mkdirSync(config.dataDir, { recursive: true })
  const file = join(config.dataDir, DEMO_CREDENTIALS_FILE)
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  return [
    '',
    'Created the demo account (shown once; also saved to ' + file + '):',
    JSON.stringify(credentials, null, 2),
    '',
    'Try:',
    `  curl -s {{BASE}}/api/account/demo/service/agentVep/baseURI.json?version=1.0`,
    `  curl -s -X POST {{BASE}}/api/account/demo/login?v=1.3 -H 'Content-Type: application/json' \\`,
    `       -d '{"username":"admin","password":"${adminPassword}"}'`,
    '',
  ].join('\n')
}
