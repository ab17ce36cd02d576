import { CONFIG_VARIABLES } from '../config/config.ts'

export const MAIN_HELP = `parley: self-hosted LivePerson-compatible chat server

Usage: parley <command> [options]

Commands:
  serve                      start the server (what \`npm start\` runs)
  migrate                    apply database migrations
  account create             create an account with an admin user, an app key and an API key
  account list               list accounts
  appkey create              add a visitor app key to an account
  apikey create              add an OAuth 1.0a API key to an account (--permissions a,b: engagementHistory,
                             monitoring, agent, visitor, visit, configRead, configWrite, operationalRealtime;
                             default all but
                             visit and configWrite)
  history import FILE        load Engagement History records (JSON array, JSON Lines or response pages)
  history export             write an account's archived engagements as JSON Lines to stdout
  history generate           archive realistic synthetic engagements (tests, benchmarks, demos)
  archive failures           engagements whose history record could not be archived, with the error
  archive retry ID|--all     archive set-aside engagements again after a fix
  mail list                  queued transcripts and messages: pending, sent, failed (--status, --account)
  offline-messages list      list an account's offline messages (offline-survey submissions)
  offline-messages notify    show or set the address offline messages are mailed to
  user locks                 failed-login counters of an account (--account), locked ones first
  user unlock                clear a login name's (--login) or address's (--ip) failed logins

Common options:
  --database URL             SQLite file, sqlite:PATH or postgres://... (env PARLEY_DATABASE_URL)
  --json                     machine-readable output (create and list commands)
  -h, --help                 show help

Examples:
  parley serve --port 8080 --public-url https://chat.example.com
  parley serve --host 0.0.0.0 --tls-port 8443 --tls-cert cert.pem --tls-key key.pem
  parley migrate --database postgres://parley@localhost/parley
  parley account create --id acme --name "Acme Inc." --admin-user admin --admin-password 's3cret-pass' --json
  parley account list --json
  parley appkey create --account acme --json
  parley apikey create --account acme --json
  parley apikey create --account acme --permissions engagementHistory,configRead
  parley history generate --account acme --count 100000 --seed 7
  parley mail list --status failed --json
  parley offline-messages list --account acme --json
  parley user unlock --account acme --login alice
`

export const SERVE_HELP = `Usage: parley serve [options]

Options (flags override environment variables):
${CONFIG_VARIABLES.map(([variable, flag, fallback, description]) => `  ${(flag || '').padEnd(14)} ${variable.padEnd(31)} ${description} (default: ${fallback || 'none'})`).join('\n')}

Examples:
  parley serve
  parley serve --no-demo --database postgres://parley@localhost/parley
  PARLEY_PORT=9000 PARLEY_LOG_LEVEL=debug parley serve
`

export const ACCOUNT_CREATE_HELP = `Usage: parley account create --id ID --admin-user LOGIN --admin-password PASSWORD [--name NAME] [--time-zone ZONE] [--json]

Creates an account (id: 1-20 letters, digits, underscores) with an Admin user, one visitor app key
and one API key (OAuth 1.0a consumer key/secret and access token/secret). An existing id is an error.

Example:
  parley account create --id acme --admin-user admin --admin-password 's3cret-pass' --json
`

export const HISTORY_HELP = `Usage:
  parley history import FILE --account ID [--json]
  parley history export --account ID [--from DATE] [--to DATE] > FILE.jsonl
  parley history generate --account ID --count N [--from DATE] [--to DATE] [--seed S] [--json]

import    reads a JSON array of records, JSON Lines (one record or one compact response page per
          line) or a whole response page {"_metadata": ..., "interactionHistoryRecords": [...]}, streamed.
          Idempotent on info.engagementId (a record imported again replaces the stored one). Malformed
          records, and records whose engagementId belongs to a live chat or a generated record, are
          listed with the reason and skipped (exit code 1); the others are imported in batches of 1000.
          Later chats never reuse an imported engagement id.
export    writes every archived engagement whose start time lies in [--from, --to] as one JSON line,
          by start time, in the shape import reads (export then import changes nothing).
generate  archives N synthetic engagements with start times in [--from, --to] (default: the last
          30 days) using the account's skills, agents and agent groups, creating a few when the
          account has none. Engagement ids come from the account's allocator (the one live chats
          use), so generated records never replace chats, imported records or earlier generated ones.
          The same seed and window give the same records, apart from their ids (default seed 1).

DATE is ISO-8601 (2026-10-01, 2026-10-01T12:00:00Z) or epoch milliseconds. A progress bar shows on
stderr when it is a terminal.

Examples:
  parley history import lp-export.json --account acme
  parley history export --account acme --from 2026-10-01 --to 2026-11-01 > october.jsonl
  parley history generate --account acme --count 1000000 --from 2025-11-01 --to 2026-11-01 --seed 42
`
