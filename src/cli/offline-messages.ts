import type { Services } from '../compose.ts'
import { SYSTEM_CALLER } from '../core/account-config/account-config.types.ts'
import { OFFLINE_PAGE_MAX } from '../core/surveys/surveys.service.ts'
import { out, outJson } from './output.ts'
import { UsageError } from './usage-error.ts'

export const OFFLINE_MESSAGES_HELP = `Usage: parley offline-messages <list|notify> --account ID [options]

Offline messages are the visitors' offline-survey submissions (V6, docs/surveys.md).

Commands:
  list                       list an account's offline messages, newest first
  notify                     show, set (--email ADDRESS) or clear (--email "") the address
                             each new offline message is mailed to

Options:
  --account ID               the account (required)
  --offset N, --limit N      paging of list (limit 1..${OFFLINE_PAGE_MAX}, default 25)
  --email ADDRESS            notify: the new address ("" clears it)
  --json                     machine-readable output

Examples:
  parley offline-messages list --account acme
  parley offline-messages list --account acme --limit 100 --offset 100 --json
  parley offline-messages notify --account acme --email support@acme.example
`

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
