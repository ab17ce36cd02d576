import type { Services } from '../compose.ts'
import { SYSTEM_CALLER } from '../core/account-config/account-config.types.ts'
import { OFFLINE_PAGE_MAX } from '../core/surveys/surveys.service.ts'
import { stringOption, type Command, type OptionValues } from './command.ts'
import { out, outJson } from './output.ts'
import { UsageError } from './usage-error.ts'

const LIST_HELP = `Usage: parley offline-messages list --account ID [--offset N] [--limit N] [--json]

Lists an account's offline messages (the visitors' offline-survey submissions, V6,
docs/surveys.md), newest first, with their answers.

Options:
  --account ID               the account (required)
  --offset N, --limit N      paging (limit 1..${OFFLINE_PAGE_MAX}, default 25)
  --json                     machine-readable output

Examples:
  parley offline-messages list --account acme
  parley offline-messages list --account acme --limit 100 --offset 100 --json
`

const NOTIFY_HELP = `Usage: parley offline-messages notify --account ID [--email ADDRESS] [--json]

Shows, sets (--email ADDRESS) or clears (--email "") the address each new offline message is
mailed to.

Examples:
  parley offline-messages notify --account acme
  parley offline-messages notify --account acme --email support@acme.example
  parley offline-messages notify --account acme --email ""
`

/** `parley offline-messages list|notify`. */
export const offlineMessagesCommands: readonly Command[] = [
  {
    name: 'offline-messages list',
    summary: "list an account's offline messages (offline-survey submissions)",
    help: LIST_HELP,
    options: { account: { type: 'string' }, offset: { type: 'string' }, limit: { type: 'string' } },
    run: ({ values, withServices }) =>
      withServices((services) => offlineMessagesCommand(services, 'list', stringValues(values))),
  },
  {
    name: 'offline-messages notify',
    summary: 'show or set the address offline messages are mailed to',
    help: NOTIFY_HELP,
    options: { account: { type: 'string' }, email: { type: 'string' } },
    run: ({ values, withServices }) =>
      withServices((services) => offlineMessagesCommand(services, 'notify', stringValues(values))),
  },
]

const stringValues = (values: OptionValues) => ({
  account: stringOption(values, 'account'),
  offset: stringOption(values, 'offset'),
  limit: stringOption(values, 'limit'),
  email: stringOption(values, 'email'),
  json: values.json === true,
})

const integerOption = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`)
  return Number(value)
}

/** `parley offline-messages list|notify`: the same service calls as the admin API, as Parley itself. */
export async function offlineMessagesCommand(
  services: Services,
  subcommand: string | undefined,
  values: {
    account?: string | undefined
    offset?: string | undefined
    limit?: string | undefined
    email?: string | undefined
    json?: boolean | undefined
  },
): Promise<number> {
  const accountId = values.account
  if (accountId === undefined || accountId === '') throw new UsageError('--account is required')
  await services.accounts.requireAccount(accountId)
  if (subcommand === 'notify') {
    const email =
      values.email === undefined
        ? await services.surveys.notificationEmail(SYSTEM_CALLER, accountId)
        : await services.surveys.setNotificationEmail(SYSTEM_CALLER, accountId, values.email)
    if (values.json) outJson({ accountId, notificationEmail: email })
    else
      out(
        email === ''
          ? `Offline messages of ${accountId} are not mailed.`
          : `Offline messages of ${accountId} are mailed to ${email}.`,
      )
    return 0
  }
  const offset = integerOption('offset', values.offset)
  const limit = integerOption('limit', values.limit)
  const page = await services.surveys.listOfflineMessages(SYSTEM_CALLER, accountId, {
    ...(offset === undefined ? {} : { offset }),
    ...(limit === undefined ? {} : { limit }),
  })
  if (values.json) {
    outJson(page)
    return 0
  }
  if (page.messages.length === 0) {
    out(`No offline messages (${page.total} in all).`)
    return 0
  }
  const blocks = page.messages.map((message) =>
    [
      `#${message.id}  ${new Date(message.createdAt).toISOString()}  ${message.surveyName}${message.skillName === '' ? '' : `  (skill ${message.skillName})`}`,
      ...message.answers.map((answer) => `  ${answer.label}: ${answer.values.join(', ')}`),
    ].join('\n'),
  )
  out(`${blocks.join('\n\n')}\n\nShowing ${page.offset + 1}-${page.offset + page.messages.length} of ${page.total}.`)
  return 0
}
