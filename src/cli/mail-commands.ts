import type { Services } from '../compose.ts'
import type { Command } from './command.ts'
import { stringOption } from './command.ts'
import { out, outJson } from './output.ts'
import { UsageError } from './usage-error.ts'

/** One line of `parley mail list`: metadata only, never a body. */
function formatMailRow(row: Awaited<ReturnType<Services['mail']['list']>>[number]): string {
  const error = row.lastError === null ? '' : `  last error: ${row.lastError}`
  return `${String(row.id).padStart(6)}  ${row.status.padEnd(7)}  ${row.kind}  ${row.accountId}  to ${row.to}  attempts ${row.attempts}  queued ${new Date(row.createdAt).toISOString()}${error}`
}

/** `parley mail list`. */
export const mailCommands: readonly Command[] = [
  {
    name: 'mail list',
    summary: 'queued transcripts and messages: pending, sent, failed (--status, --account)',
    help: `Usage: parley mail list [--status pending|sent|failed] [--account ID] [--json]

Lists queued outgoing mail (transcripts, offline-message notifications), newest first, with the
attempts and the last error; never a body. Sent mail is kept 7 days, failed mail 30 days.

Examples:
  parley mail list
  parley mail list --status failed --json
`,
    options: { status: { type: 'string' }, account: { type: 'string' } },
    async run({ values, withServices }) {
      const raw = stringOption(values, 'status')
      const status = (['pending', 'sent', 'failed'] as const).find((candidate) => candidate === raw)
      if (raw !== undefined && status === undefined) throw new UsageError('--status must be pending, sent or failed')
      const account = stringOption(values, 'account')
      const filter = { ...(account ? { accountId: account } : {}), ...(status ? { status } : {}) }
      const rows = await withServices((services) => services.mail.list(filter))
      if (values.json) outJson(rows)
      else out(rows.length === 0 ? 'No queued mail.' : rows.map(formatMailRow).join('\n'))
      return 0
    },
  },
]
