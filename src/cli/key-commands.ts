import type { Command, CommandContext } from './command.ts'
import { requiredOption, stringOption } from './command.ts'
import { ALL_API_KEY_PERMISSIONS, DEFAULT_API_KEY_PERMISSIONS } from '../core/accounts/accounts.types.ts'
import { parseApiKeyPermissions } from './api-key-permissions.ts'
import { out, outJson } from './output.ts'
import { UsageError } from './usage-error.ts'

const ACCOUNT = { account: { type: 'string' } } as const

const keyArgument = (args: readonly string[], what: string): string => {
  const key = args[0]
  if (key === undefined || key === '') throw new UsageError(`give the ${what} to revoke`)
  return key
}

const appKeyCommands: Command[] = [
  {
    name: 'appkey create',
    summary: 'add a visitor app key to an account',
    help: `Usage: parley appkey create --account ID [--json]

Adds a visitor app key (the appKey of the visitor Server Chat API) to the account.

Examples:
  parley appkey create --account acme
  parley appkey create --account acme --json
`,
    options: ACCOUNT,
    async run({ values, withServices }) {
      const accountId = requiredOption(values, 'account')
      const key = await withServices((services) => services.accounts.createAppKey(accountId))
      if (values.json) outJson({ accountId, appKey: key.appKey })
      else out(`Visitor app key for ${accountId}: ${key.appKey}`)
      return 0
    },
  },
  {
    name: 'appkey list',
    summary: "list an account's active visitor app keys",
    help: `Usage: parley appkey list --account ID [--json]

Lists the account's active (not revoked) visitor app keys, oldest first.

Examples:
  parley appkey list --account acme
  parley appkey list --account acme --json
`,
    options: ACCOUNT,
    async run({ values, withServices }) {
      const accountId = requiredOption(values, 'account')
      const keys = await withServices(async (services) => {
        await services.accounts.requireAccount(accountId)
        return services.accounts.listAppKeys(accountId)
      })
      const rows = keys.map((key) => ({ appKey: key.appKey, createdAt: new Date(key.createdAt).toISOString() }))
      if (values.json) outJson(rows)
      else
        out(
          rows.length === 0
            ? `No active app keys in account ${accountId}.`
            : rows.map((row) => `${row.appKey}  created ${row.createdAt}`).join('\n'),
        )
      return 0
    },
  },
  {
    name: 'appkey revoke',
    summary: 'revoke a visitor app key',
    help: `Usage: parley appkey revoke --account ID APP_KEY [--json]

Revokes one of the account's visitor app keys: visitor requests with it are refused (a running
server within 10 seconds). LivePerson's documented default app key is governed by
PARLEY_ACCEPT_DEFAULT_APP_KEY, not by this command.

Examples:
  parley appkey list --account acme
  parley appkey revoke --account acme 0123456789abcdef0123456789abcdef
`,
    options: ACCOUNT,
    maxArgs: 1,
    async run({ values, args, withServices }) {
      const accountId = requiredOption(values, 'account')
      const appKey = keyArgument(args, 'app key')
      await withServices((services) => services.accounts.revokeAppKey(accountId, appKey))
      if (values.json) outJson({ accountId, appKey, revoked: true })
      else out(`Revoked app key ${appKey} of ${accountId}.`)
      return 0
    },
  },
]

const apiKeyCommands: Command[] = [
  {
    name: 'apikey create',
    summary: 'add an OAuth 1.0a API key to an account',
    help: `Usage: parley apikey create --account ID [--permissions LIST] [--json]

Adds an API key: OAuth 1.0a consumer key (appKey) and secret, access token and token secret. The
secrets are shown only here: keep them.

Options:
  --permissions LIST    comma-separated, from ${ALL_API_KEY_PERMISSIONS.join(', ')}
                        (default: ${DEFAULT_API_KEY_PERMISSIONS.join(', ')}; docs/auth.md)

Examples:
  parley apikey create --account acme
  parley apikey create --account acme --permissions engagementHistory,configRead --json
`,
    options: { ...ACCOUNT, permissions: { type: 'string' } },
    async run({ values, withServices }) {
      const accountId = requiredOption(values, 'account')
      const permissions = parseApiKeyPermissions(stringOption(values, 'permissions'))
      const key = await withServices((services) => services.accounts.createApiKey(accountId, { permissions }))
      const apiKey = {
        appKey: key.consumerKey,
        secret: key.consumerSecret,
        accessToken: key.accessToken,
        accessTokenSecret: key.accessTokenSecret,
      }
      if (values.json) outJson({ accountId, apiKey, permissions: key.permissions })
      else out(`API key for ${accountId}:\n${JSON.stringify(apiKey, null, 2)}`)
      return 0
    },
  },
  {
    name: 'apikey list',
    summary: "list an account's active API keys (no secrets)",
    help: `Usage: parley apikey list --account ID [--json]

Lists the account's active API keys, oldest first: consumer key (appKey), permissions, the user an
application login must name (if any) and creation time. Secrets are never shown again.

Examples:
  parley apikey list --account acme
  parley apikey list --account acme --json
`,
    options: ACCOUNT,
    async run({ values, withServices }) {
      const accountId = requiredOption(values, 'account')
      const keys = await withServices(async (services) => {
        await services.accounts.requireAccount(accountId)
        return services.accounts.listApiKeys(accountId)
      })
      const rows = keys.map((key) => ({
        appKey: key.consumerKey,
        permissions: key.permissions,
        userId: key.userId,
        createdAt: new Date(key.createdAt).toISOString(),
      }))
      if (values.json) outJson(rows)
      else
        out(
          rows.length === 0
            ? `No active API keys in account ${accountId}.`
            : rows
                .map(
                  (row) =>
                    `${row.appKey}  created ${row.createdAt}  ${row.permissions.length} permission(s)${row.userId === null ? '' : `  user ${row.userId}`}`,
                )
                .join('\n'),
        )
      return 0
    },
  },
  {
    name: 'apikey revoke',
    summary: 'revoke an API key',
    help: `Usage: parley apikey revoke --account ID CONSUMER_KEY [--json]

Revokes the API key with this consumer key (its appKey): OAuth requests and application logins
with it are refused (a running server within 10 seconds) and agent sessions opened with it end.

Examples:
  parley apikey list --account acme
  parley apikey revoke --account acme 0123456789abcdef0123456789abcdef
`,
    options: ACCOUNT,
    maxArgs: 1,
    async run({ values, args, withServices }: CommandContext) {
      const accountId = requiredOption(values, 'account')
      const consumerKey = keyArgument(args, 'consumer key (appKey)')
      await withServices((services) => services.accounts.revokeApiKey(accountId, consumerKey))
      if (values.json) outJson({ accountId, appKey: consumerKey, revoked: true })
      else out(`Revoked API key ${consumerKey} of ${accountId}.`)
      return 0
    },
  },
]

/** `parley appkey create|list|revoke` and `parley apikey create|list|revoke`. */
export const keyCommands: readonly Command[] = [...appKeyCommands, ...apiKeyCommands]
