import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Services } from '../compose.ts'
import type { Config } from '../config/config.ts'
import { SYSTEM_CALLER } from '../core/account-config/account-config.types.ts'
import { cryptoIds } from '../core/ids.ts'

export const DEMO_ACCOUNT_ID = 'demo'
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json'

/** Everything a user needs to try the demo account; saved to `<dataDir>/demo-credentials.json`. */
export interface DemoCredentials {
  accountId: string
  admin: { loginName: string; password: string; userId: number }
  agents: Array<{ loginName: string; password: string; userId: number; skill: string }>
  agentGroup: { id: number; name: string }
  campaign: { id: number; name: string; engagementId: number; engagementName: string }
  appKey: string
  apiKey: { appKey: string; secret: string; accessToken: string; accessTokenSecret: string }
}

/**
 * Creates the `demo` account (admin, two agents with a skill each, an agent group, a campaign
 * with an engagement, an app key and an API key, all with random credentials).
 */
export async function createDemoAccount(services: Services): Promise<DemoCredentials> {
  const adminPassword = cryptoIds.token(12)
  const created = await services.accounts.createAccount({
    id: DEMO_ACCOUNT_ID,
    name: 'Parley demo',
    adminLoginName: 'admin',
    adminPassword,
  })
  const scope = { accountId: DEMO_ACCOUNT_ID }
  const config = services.accountConfig
  const group = (
    await config.agentGroups.create(SYSTEM_CALLER, scope, { name: 'Support team', description: 'Demo agents' })
  ).value
  const agents: DemoCredentials['agents'] = []
  const skillIds = new Map<string, number>()
  for (const [loginName, nickname, skillName] of [
    ['alice', 'Alice', 'Sales'],
    ['bob', 'Bob', 'Support'],
  ] as const) {
    const skill = (
      await config.skills.create(SYSTEM_CALLER, scope, { name: skillName, description: `${skillName} questions` })
    ).value
    skillIds.set(skillName, skill.id)
    const password = cryptoIds.token(12)
    const user = (
      await config.users.create(SYSTEM_CALLER, scope, {
        loginName,
        password,
        nickname,
        fullName: `${nickname} Demo`,
        email: `${loginName}@demo.invalid`,
        maxChats: 4,
        skillIds: [skill.id],
        memberOf: { agentGroupId: group.id },
        permissionGroups: ['1'],
      })
    ).value
    agents.push({ loginName, password, userId: user.id, skill: skillName })
  }
  const campaign = (await config.campaigns.create(SYSTEM_CALLER, scope, { name: 'Live chat on the demo site' })).value
  const engagement = (
    await config.engagements.create(
      SYSTEM_CALLER,
      { accountId: DEMO_ACCOUNT_ID, campaignId: campaign.id },
      { name: 'Chat button', skillId: skillIds.get('Sales') ?? -1 },
    )
  ).value
  return {
    accountId: DEMO_ACCOUNT_ID,
    admin: { loginName: 'admin', password: adminPassword, userId: created.adminUserId },
    agents,
    agentGroup: { id: group.id, name: group.name },
    campaign: { id: campaign.id, name: campaign.name, engagementId: engagement.id, engagementName: engagement.name },
    appKey: created.appKey.appKey,
    apiKey: {
      appKey: created.apiKey.consumerKey,
      secret: created.apiKey.consumerSecret,
      accessToken: created.apiKey.accessToken,
      accessTokenSecret: created.apiKey.accessTokenSecret,
    },
  }
}

/**
 * Creates the demo account when the database holds no account, saves its credentials to
 * `<dataDir>/demo-credentials.json` (mode 0600) and returns the text to print once
 * (`{{BASE}}` stands for the server's URL).
 */
export async function seedDemoIfEmpty(services: Services, config: Config): Promise<string | undefined> {
  if ((await services.accounts.countAccounts()) > 0) return undefined
  const credentials = await createDemoAccount(services)
  mkdirSync(config.dataDir, { recursive: true })
  const file = join(config.dataDir, DEMO_CREDENTIALS_FILE)
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  return [
    '',
    `Created the demo account (shown once; saved to ${file}):`,
    JSON.stringify(credentials, null, 2),
    '',
    `Parley Console: {{BASE}}/console/?account=${DEMO_ACCOUNT_ID}`,
    `  agents: alice / ${credentials.agents[0]?.password ?? ''}, bob / ${credentials.agents[1]?.password ?? ''}`,
    `  admin:  admin / ${credentials.admin.password}`,
    '',
    'Try:',
    `  curl -s "{{BASE}}/api/account/demo/service/agentVep/baseURI.json?version=1.0"`,
    `  curl -s -X POST "{{BASE}}/api/account/demo/login?v=1.3" -H 'Content-Type: application/json' \\`,
    `       -d '{"username":"admin","password":"${credentials.admin.password}"}'`,
    `  curl -s -H "Authorization: Bearer <bearer from the login answer>" "{{BASE}}/api/account/demo/configuration/le-users/users"`,
    '',
  ].join('\n')
}
