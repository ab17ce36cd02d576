import type { Services } from '../compose.ts'
import type { Config } from '../config/config.ts'
import { createChatArchiver } from '../core/chat/chat-archiver.ts'
import { systemClock } from '../core/clock.ts'
import { createMmdbGeoIpSource } from '../core/enrichment/mmdb-geo-ip.ts'
import type { ArchiveFailure } from '../core/history/archive-failure.types.ts'
import type { Storage } from '../storage/db.ts'
import { archiveFailuresRepository } from '../storage/repositories/archive-failures.repository.ts'
import type { Command, CommandContext } from './command.ts'
import { out, outJson } from './output.ts'
import { UsageError } from './usage-error.ts'

const ARCHIVE_FAILURES_HELP = `Usage: parley archive failures [--all] [--account ID] [--json]

An ended engagement whose Engagement History record cannot be archived is retried by the server
with backoff (5 s, 30 s, 2 min, 10 min), then set aside so it holds up nothing else
(docs/live-chat.md). This lists the set-aside engagements with their last error; --all also lists
those still being retried.

Examples:
  parley archive failures
  parley archive failures --all --account acme --json
`

const ARCHIVE_RETRY_HELP = `Usage: parley archive retry (ENGAGEMENT_ID | --all) [--account ID] [--json]

Archives set-aside engagements again, now, after a fix: one by the id "parley archive failures"
shows, or every one (--all, of one account with --account). Exit status 0 when every retried
engagement was archived, 1 when one still fails (it stays set aside with the new error).

Examples:
  parley archive retry acme4294967301
  parley archive retry --all
`

const formatFailure = (failure: ArchiveFailure): string => {
  const state =
    failure.deadAt !== null
      ? `set aside ${new Date(failure.deadAt).toISOString()}`
      : `retrying, next at ${new Date(failure.nextAttemptAt ?? 0).toISOString()}`
  return `${failure.engagementId}  account ${failure.accountId}  chat ${failure.chatKey}  attempts ${failure.attempts}  ${state}\n  error: ${failure.lastError}`
}

/** `parley archive failures|retry`: the archive outbox's dead letters, read and retried in the database. */
export async function archiveCommand(
  services: Services,
  storage: Storage,
  config: Config,
  subcommand: string | undefined,
  target: string | undefined,
  values: { account?: string | undefined; all?: boolean | undefined; json?: boolean | undefined },
): Promise<number> {
  const filter = values.account === undefined ? {} : { accountId: values.account }
  if (subcommand === 'failures') {
    const failures = await archiveFailuresRepository.list(storage.db, {
      ...filter,
      includeRetrying: values.all === true,
    })
    if (values.json) outJson(failures)
    else
      out(
        failures.length === 0
          ? 'No engagements are waiting to be archived again.'
          : failures.map(formatFailure).join('\n'),
      )
    return 0
  }
  if ((target === undefined) === (values.all !== true))
    throw new UsageError('archive retry takes an engagement id or --all')
  const failures = (
    await archiveFailuresRepository.list(storage.db, { ...filter, includeRetrying: target !== undefined })
  ).filter((failure) => target === undefined || failure.engagementId === target)
  if (target !== undefined && failures.length === 0)
    throw new UsageError(`no archive failure for engagement ${target} (see "parley archive failures --all")`)
  // The same record the server builds, geo-IP fields included.
  const archiver = createChatArchiver({
    db: storage.db,
    archive: services.archive,
    clock: systemClock,
    geoIp: createMmdbGeoIpSource(config.geoIp),
  })
  const results = []
  for (const failure of failures) {
    const result = await archiver.retry(failure.chatKey, failure.sequence)
    results.push({ engagementId: failure.engagementId, ...result })
  }
  if (values.json) outJson(results)
  else
    out(
      results.length === 0
        ? 'No engagements are set aside.'
        : results
            .map((result) =>
              result.archived
                ? `${result.engagementId}  archived`
                : `${result.engagementId}  still fails: ${result.error}`,
            )
            .join('\n'),
    )
  return results.every((result) => result.archived) ? 0 : 1
}

const ARCHIVE_OPTIONS = { account: { type: 'string' }, all: { type: 'boolean' } } as const

const runArchive =
  (subcommand: 'failures' | 'retry') =>
  ({ values, args, config, withServices }: CommandContext): Promise<number> =>
    withServices((services, storage) =>
      archiveCommand(services, storage, config(), subcommand, args[0], {
        account: typeof values.account === 'string' ? values.account : undefined,
        all: values.all === true,
        json: values.json === true,
      }),
    )

/** `parley archive failures|retry` (docs/live-chat.md, "Archive failures"). */
export const archiveCommands: Command[] = [
  {
    name: 'archive failures',
    summary: 'list engagements that could not be archived',
    help: ARCHIVE_FAILURES_HELP,
    options: ARCHIVE_OPTIONS,
    run: runArchive('failures'),
  },
  {
    name: 'archive retry',
    summary: 'archive set-aside engagements again after a fix',
    help: ARCHIVE_RETRY_HELP,
    options: ARCHIVE_OPTIONS,
    maxArgs: 1,
    run: runArchive('retry'),
  },
]
