import type { Command } from './command.ts'
import { requiredOption, stringOption } from './command.ts'
import { out, outJson } from './output.ts'
import { PASSWORD_STDIN_OPTION, passwordHelp, readPassword } from './password-input.ts'
import { UsageError } from './usage-error.ts'

const CREATE_HELP = `Usage: parley account create --id ID --admin-user LOGIN [password] [--name NAME] [--time-zone ZONE] [--json]

Creates an account (id: 1-20 letters, digits, underscores) with an Admin user, one visitor app key
and one API key (OAuth 1.0a consumer key/secret and access token/secret). An existing id is an error.
The API key's secrets are shown only here: keep them.

Options:
  --id ID                    the new account's id (required)
  --admin-user LOGIN         login name of its Admin user (required)
${passwordHelp('--admin-password')}
  --name NAME                display name (default: the id)
  --time-zone ZONE           IANA time zone (default: UTC)
  --json                     print one JSON object

Examples:
  parley account create --id acme --admin-user admin --password-stdin < admin-password.txt
  PARLEY_PASSWORD='s3cret-pass' parley account create --id acme --name "Acme Inc." --admin-user admin --json
`

const LIST_HELP = `Usage: parley account list [--json]

Lists the accounts: id, name, time zone and creation time.

Examples:
  parley account list
  parley account list --json
`

const DELETE_HELP = `Usage: parley account delete --id ID --yes [--json]

Deletes the account and everything in it, for good, in one transaction: users, skills, groups,
campaigns and every other configuration, app keys and API keys, login and agent sessions, live
chats, queued mail, offline messages and the Engagement History archive. Refuses without --yes.
A running server stops answering for the account within 10 seconds.

Options:
  --id ID                    the account to delete (required)
  --yes                      confirm (required)
  --json                     print the rows removed per table as JSON

Examples:
  parley account delete --id acme --yes
  parley account delete --id acme --yes --json
`

/** `parley account create|list|delete`. */
export const accountCommands: readonly Command[] = [
  {
    name: 'account create',
    summary: 'create an account with an admin user, an app key and an API key',
    help: CREATE_HELP,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      'time-zone': { type: 'string' },
      'admin-user': { type: 'string' },
      'admin-password': { type: 'string' },
      ...PASSWORD_STDIN_OPTION,
    },
    async run({ values, env, withServices }) {
      const input = {
        id: requiredOption(values, 'id'),
        name: stringOption(values, 'name'),
        timeZone: stringOption(values, 'time-zone'),
        adminLoginName: requiredOption(values, 'admin-user'),
        adminPassword: await readPassword(values, env, 'admin-password'),
      }
      const created = await withServices((services) => services.accounts.createAccount(input))
      const summary = {
        accountId: created.account.id,
        adminLoginName: input.adminLoginName,
        appKey: created.appKey.appKey,
        apiKey: {
          appKey: created.apiKey.consumerKey,
          secret: created.apiKey.consumerSecret,
          accessToken: created.apiKey.accessToken,
          accessTokenSecret: created.apiKey.accessTokenSecret,
        },
      }
      if (values.json) outJson(summary)
      else
        out(
          `Created account ${summary.accountId} with admin "${summary.adminLoginName}".\nVisitor app key: ${summary.appKey}\nAPI key: ${JSON.stringify(summary.apiKey, null, 2)}`,
        )
      return 0
    },
  },
  {
    name: 'account list',
    summary: 'list accounts',
    help: LIST_HELP,
    async run({ values, withServices }) {
      const accounts = await withServices((services) => services.accounts.listAccounts())
      const rows = accounts.map((a) => ({
        accountId: a.id,
        name: a.name,
        timeZone: a.timeZone,
        createdAt: new Date(a.createdAt).toISOString(),
      }))
      if (values.json) outJson(rows)
      else
        out(
          rows.length === 0
            ? 'No accounts.'
            : rows
                .map((r) => `${r.accountId.padEnd(21)} ${r.name}  (${r.timeZone}, created ${r.createdAt})`)
                .join('\n'),
        )
      return 0
    },
  },
  {
    name: 'account delete',
    summary: 'delete an account and all its data (--yes)',
    help: DELETE_HELP,
    options: { id: { type: 'string' }, yes: { type: 'boolean' } },
    async run({ values, withServices }) {
      const accountId = requiredOption(values, 'id')
      if (values.yes !== true)
        throw new UsageError(
          `account delete removes account ${accountId} and all its data for good; add --yes to confirm`,
        )
      const deleted = await withServices((services) => services.accounts.deleteAccount(accountId))
      if (values.json) outJson({ accountId, deleted })
      else {
        const total = Object.values(deleted).reduce((sum, n) => sum + n, 0)
        out(`Deleted account ${accountId} (${total} row(s) in ${Object.keys(deleted).length} table(s)).`)
      }
      return 0
    },
  },
]
