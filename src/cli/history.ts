import type { Services } from '../compose.ts'
import { generateRecords } from '../core/history/generator.ts'
import { loadGeneratorCatalog } from '../core/history/generator-catalog.ts'
import { normalizeRecord } from '../core/history/normalize-record.ts'
import type { EngagementRecord } from '../core/history/record.types.ts'
import { cryptoIds } from '../core/ids.ts'
import { openHistoryFile } from './history-file.ts'
import { INTERRUPTED_EXIT, watchInterrupt } from './interrupt.ts'
import { out, outChunk, outJson, progressBar, progressCounter } from './output.ts'
import { CliError, UsageError } from './usage-error.ts'

/** Options of the `parley history` commands, as parsed from the command line. */
export interface HistoryOptions {
  account?: string | undefined
  from?: string | undefined
  to?: string | undefined
  count?: string | undefined
  seed?: string | undefined
  json?: boolean | undefined
}

/** Records per `archiveRecords` call: one transaction each. */
const BATCH_SIZE = 1000
/** Rejection reasons listed in the summary; the count covers them all. */
const LISTED_REASONS = 20
const DAY_MS = 86_400_000
const EXPORT_CHUNK_CHARS = 1 << 18

const requireAccount = (options: HistoryOptions): string => {
  if (!options.account) throw new UsageError('--account is required')
  return options.account
}

/** A date option: epoch ms (`1700000000000`) or anything `Date.parse` reads (`2026-10-01`, ISO-8601). */
export function parseDateOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) throw new UsageError(`--${name} must be a date (ISO-8601) or epoch milliseconds`)
  return ms
}

function parseInteger(name: string, value: string, min: number): number {
  const number = Number(value)
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number) || number < min)
    throw new UsageError(`--${name} must be an integer of at least ${min}`)
  return number
}

/** A rejection reason without its specifics (values, positions), to count rejections by cause. */
export function reasonKind(reason: string): string {
  return reason
    .replace(/\[\d+\]/g, '[]')
    .replace(/ \(.*$/s, '')
    .replace(/, got .*$/s, '')
    .replace(/: .*$/s, '')
}

/**
 * `parley history import FILE --account ID`: normalises and archives every record, in batches.
 * A record that would replace an engagement of another origin (a live chat, a generated record)
 * is rejected, never written. Exit code 0 when every record was imported, 1 when some were rejected
 * or the file could not be read to the end, 130 when interrupted (Ctrl-C): the batches archived so
 * far are kept.
 */
export async function importHistory(services: Services, file: string | undefined, options: HistoryOptions) {
  const accountId = requireAccount(options)
  if (!file) throw new UsageError('history import needs a FILE')
  await services.accounts.requireAccount(accountId)
  const source = await openHistoryFile(file).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new CliError(`cannot read ${file}: no such file`)
    if (code === 'EACCES') throw new CliError(`cannot read ${file}: permission denied`)
    if (code === 'EISDIR') throw new CliError(`cannot read ${file}: it is a directory`)
    throw error
  })
  const interrupt = watchInterrupt('import')
  const bar = progressBar('Importing')
  bar.start(source.totalBytes, 0)
  const rejected: Array<{ where: string; reason: string }> = []
  let inserted = 0
  let updated = 0
  let stopped = false
  let batch: EngagementRecord[] = []
  // Where each record of the batch was read, by engagementId (the last one read wins, as in the archive).
  let origins = new Map<string, string>()
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return
    const result = await services.archive.archiveRecords(accountId, batch, 'imported')
    inserted += result.inserted
    updated += result.updated
    for (const { engagementId, reason } of result.rejected)
      rejected.push({ where: `${origins.get(engagementId) ?? 'record'} (${engagementId})`, reason })
    batch = []
    origins = new Map()
    bar.update(source.bytesRead())
  }
  try {
    for await (const item of source.items) {
      if (interrupt.requested()) break
      if ('error' in item) {
        rejected.push({ where: item.where, reason: item.error })
        stopped ||= item.error.includes('import stopped') || item.where === 'file'
        continue
      }
      const result = normalizeRecord(item.value, { accountId })
      if (!result.ok) rejected.push({ where: item.where, reason: result.reason })
      else {
        origins.set(result.record.info.engagementId, item.where)
        if (batch.push(result.record) >= BATCH_SIZE) await flush()
      }
    }
    // What was read before an interruption is archived too: it is already checked.
    await flush()
  } finally {
    bar.stop()
    interrupt.dispose()
  }
  const counts = new Map<string, number>()
  for (const { reason } of rejected) counts.set(reasonKind(reason), (counts.get(reasonKind(reason)) ?? 0) + 1)
  const summary = {
    accountId,
    imported: inserted + updated,
    inserted,
    updated,
    rejected: rejected.length,
    interrupted: interrupt.requested(),
    reasonCounts: [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    reasons: rejected.slice(0, LISTED_REASONS),
  }
  if (options.json) outJson(summary)
  else {
    const lines = [
      `Imported ${summary.imported} record(s) into account ${accountId}: ${inserted} new, ${updated} updated, ${rejected.length} rejected.`,
    ]
    if (summary.interrupted)
      lines.push(
        'Interrupted: the records above are kept; the rest of the file was not read. Import the file again to finish (records already imported are replaced, not duplicated).',
      )
    if (rejected.length > 0) {
      lines.push(
        'Rejected, by reason:',
        ...summary.reasonCounts.map((r) => `  ${String(r.count).padStart(6)}  ${r.reason}`),
      )
      lines.push('First rejected records:', ...summary.reasons.map((r) => `  ${r.where}: ${r.reason}`))
      if (rejected.length > LISTED_REASONS) lines.push(`  ... and ${rejected.length - LISTED_REASONS} more`)
    }
    out(lines.join('\n'))
  }
  if (summary.interrupted) return INTERRUPTED_EXIT
  return stopped || rejected.length > 0 ? 1 : 0
}

/** `parley history export --account ID [--from] [--to]`: JSON Lines on stdout, by start time, in the shape import reads. */
export async function exportHistory(services: Services, options: HistoryOptions): Promise<number> {
  const accountId = requireAccount(options)
  const from = parseDateOption('from', options.from)
  const to = parseDateOption('to', options.to)
  if (from !== undefined && to !== undefined && from > to) throw new UsageError('--from must not be after --to')
  await services.accounts.requireAccount(accountId)
  const progress = progressCounter('Exported', 'record(s)')
  let chunk = ''
  let count = 0
  try {
    for await (const record of services.archive.exportRecords(accountId, { from, to })) {
      chunk += `${JSON.stringify(record)}\n`
      count++
      if (chunk.length >= EXPORT_CHUNK_CHARS) {
        await outChunk(chunk)
        chunk = ''
        progress.update(count)
      }
    }
    if (chunk !== '') await outChunk(chunk)
  } finally {
    progress.stop(count)
  }
  return 0
}

/**
 * `parley history generate --account ID --count N [--from] [--to] [--seed S]`: synthetic records
 * archived in batches, using (and if needed creating) the account's skills, agents and groups.
 * With the same seed, window and catalog, the same records are generated.
 */
export async function generateHistory(services: Services, options: HistoryOptions): Promise<number> {
  const accountId = requireAccount(options)
  if (options.count === undefined) throw new UsageError('--count is required')
  const count = parseInteger('count', options.count, 1)
  const seed = parseInteger('seed', options.seed ?? '1', 0)
  const now = Date.now()
  const to = parseDateOption('to', options.to) ?? now
  const from = parseDateOption('from', options.from) ?? to - 30 * DAY_MS
  if (from > to) throw new UsageError('--from must not be after --to')
  await services.accounts.requireAccount(accountId)
  const catalog = await loadGeneratorCatalog(
    { accountConfig: services.accountConfig, newPassword: () => cryptoIds.token(18) },
    accountId,
  )
  const started = performance.now()
  // Ids from the account's allocator, shared with live chats: a generated record never takes
  // (or replaces) the id of a chat, an imported record or an earlier generated one.
  const firstRtSessionId = await services.archive.allocateRtSessionIds(accountId, count)
  const interrupt = watchInterrupt('generate')
  const bar = progressBar('Generating')
  bar.start(count, 0)
  let inserted = 0
  let updated = 0
  const rejected: Array<{ engagementId: string; reason: string }> = []
  let done = 0
  let batch: EngagementRecord[] = []
  const flush = async (): Promise<void> => {
    const result = await services.archive.archiveRecords(accountId, batch, 'generated')
    inserted += result.inserted
    updated += result.updated
    rejected.push(...result.rejected)
    done += batch.length
    batch = []
    bar.update(done)
  }
  try {
    for (const record of generateRecords({ accountId, count, from, to, seed, catalog, firstRtSessionId })) {
      if (batch.push(record) < BATCH_SIZE) continue
      // SQLite calls are synchronous: without a turn of the event loop, Ctrl-C would never be seen.
      await new Promise((resolve) => setImmediate(resolve))
      if (interrupt.requested()) break
      await flush()
    }
    if (batch.length > 0 && !interrupt.requested()) await flush()
  } finally {
    bar.stop()
    interrupt.dispose()
  }
  const seconds = (performance.now() - started) / 1000
  const perSecond = Math.round(done / Math.max(seconds, 0.001))
  const interrupted = interrupt.requested()
  const summary = {
    accountId,
    generated: done,
    requested: count,
    interrupted,
    inserted,
    updated,
    rejected: rejected.length,
    reasons: rejected.slice(0, LISTED_REASONS),
    firstRtSessionId,
    seed,
    from,
    to,
    seconds,
    recordsPerSecond: perSecond,
  }
  if (options.json) outJson(summary)
  else
    out(
      [
        interrupted
          ? `Interrupted: kept ${done} of ${count} engagement(s) generated for account ${accountId} (${inserted} new, ${updated} updated). Run generate again with --count ${count - done} and another --seed for the rest (every run takes new ids).`
          : `Generated ${count} engagement(s) for account ${accountId} (${inserted} new, ${updated} updated${rejected.length > 0 ? `, ${rejected.length} rejected` : ''}) in ${seconds.toFixed(1)} s: ${perSecond} records/s.`,
        ...summary.reasons.map((r) => `  ${r.engagementId}: ${r.reason}`),
      ].join('\n'),
    )
  if (interrupted) return INTERRUPTED_EXIT
  return rejected.length > 0 ? 1 : 0
}
