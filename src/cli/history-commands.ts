import type { Command, CommandContext } from './command.ts'
import { stringOption } from './command.ts'
import { exportHistory, generateHistory, importHistory, type HistoryOptions } from './history.ts'

const OPTIONS = {
  account: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const

const historyOptions = ({ values }: CommandContext): HistoryOptions => ({
  account: stringOption(values, 'account'),
  from: stringOption(values, 'from'),
  to: stringOption(values, 'to'),
  count: stringOption(values, 'count'),
  seed: stringOption(values, 'seed'),
  json: values.json === true,
})

const DATES = `DATE is ISO-8601 (2026-10-01, 2026-10-01T12:00:00Z) or epoch milliseconds.`

/** `parley history import|export|generate`. */
export const historyCommands: readonly Command[] = [
  {
    name: 'history import',
    summary: 'load Engagement History records (JSON array, JSON Lines or response pages)',
    help: `Usage: parley history import FILE --account ID [--json]

Reads a JSON array of records, JSON Lines (one record or one compact response page per line) or a
whole response page {"_metadata": ..., "interactionHistoryRecords": [...]}, streamed, and archives
the records in batches of 1000. Idempotent on info.engagementId: a record imported again replaces
the stored one. Malformed records are skipped; the summary counts them by reason and lists the
first ones. A progress bar shows on stderr when it is a terminal.

Exit code: 0 everything imported; 1 some records rejected or the file not readable to the end;
130 interrupted with Ctrl-C (the batches archived so far are kept and the summary says so).

Examples:
  parley history import lp-export.json --account acme
  parley history import pages.jsonl --account acme --json
`,
    options: { account: OPTIONS.account },
    maxArgs: 1,
    run: (context) =>
      context.withServices((services) => importHistory(services, context.args[0], historyOptions(context))),
  },
  {
    name: 'history export',
    summary: "write an account's archived engagements as JSON Lines to stdout",
    help: `Usage: parley history export --account ID [--from DATE] [--to DATE] > FILE.jsonl

Writes every archived engagement whose start time lies in [--from, --to] as one JSON line, by
start time, in the shape import reads (export then import changes nothing). A running count shows
on stderr when it is a terminal. ${DATES}

Examples:
  parley history export --account acme > acme.jsonl
  parley history export --account acme --from 2026-10-01 --to 2026-11-01 > october.jsonl
`,
    options: OPTIONS,
    run: (context) => context.withServices((services) => exportHistory(services, historyOptions(context))),
  },
  {
    name: 'history generate',
    summary: 'archive realistic synthetic engagements (tests, benchmarks, demos)',
    help: `Usage: parley history generate --account ID --count N [--from DATE] [--to DATE] [--seed S] [--json]

Archives N synthetic engagements with start times in [--from, --to] (default: the last 30 days)
using the account's skills, agents and agent groups, creating a few when the account has none.
The same seed and window give the same records (default seed 1). A progress bar shows on stderr
when it is a terminal. Ctrl-C stops after the batch in progress and prints what was kept (exit
code 130). ${DATES}

Examples:
  parley history generate --account acme --count 1000
  parley history generate --account acme --count 1000000 --from 2025-11-01 --to 2026-11-01 --seed 42
`,
    options: { ...OPTIONS, count: { type: 'string' }, seed: { type: 'string' } },
    run: (context) => context.withServices((services) => generateHistory(services, historyOptions(context))),
  },
]
