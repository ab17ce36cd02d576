import { ConfigError, type Config, type DatabaseConfig } from '../config/config.ts'
import { isParleyError } from '../core/errors.ts'
import { ServerLockError } from '../storage/server-lock.ts'
import { CliError } from './usage-error.ts'

/** What the CLI prints for a failure: lines for stderr (each one actionable) and the exit code. */
export interface Explanation {
  lines: string[]
  exitCode: number
  /** False for failures whose cause is unknown: the stack then helps (shown with --log-level debug). */
  expected: boolean
}

interface SystemError {
  code?: unknown
  syscall?: unknown
  port?: unknown
  address?: unknown
  hostname?: unknown
  path?: unknown
  errcode?: unknown
  errors?: unknown
}

const DATABASE_HINT = 'check --database or PARLEY_DATABASE_URL'

/**
 * Turns a failure into one line a self-hoster can act on: a port in use, a database that cannot
 * be reached or refuses the credentials, a file that cannot be read, a second server on one SQLite
 * file. Unknown failures get their message and a pointer to `--log-level debug`.
 */
export function explainError(error: unknown, config: Config | undefined): Explanation {
  if (error instanceof ConfigError)
    return { lines: error.problems.map((problem) => `parley: ${problem}`), exitCode: 2, expected: true }
  if (error instanceof CliError)
    return { lines: [`parley: ${error.message}`], exitCode: error.exitCode, expected: true }
  if (error instanceof ServerLockError) return { lines: [`parley: ${error.message}`], exitCode: 1, expected: true }
  if (isParleyError(error)) return { lines: [`parley: ${error.message}`], exitCode: 1, expected: true }
  const known = explainSystemError(error as SystemError, config)
  if (known) return { lines: [`parley: ${known}`], exitCode: 1, expected: true }
  const message = error instanceof Error ? error.message : String(error)
  return {
    lines: [`parley: ${message.split('\n', 1)[0]} (run again with --log-level debug to see where it failed)`],
    exitCode: 1,
    expected: false,
  }
}

function explainSystemError(error: SystemError | null, config: Config | undefined): string | undefined {
  if (error === null || typeof error !== 'object') return undefined
  const code = typeof error.code === 'string' ? error.code : undefined
  if (error.syscall === 'listen') return explainListen(code, error, config)
  const database = config?.database
  if (database?.kind === 'postgres') {
    const postgres = explainPostgres(code, error, database.url)
    if (postgres) return postgres
  }
  if (database?.kind === 'sqlite' && code === 'ERR_SQLITE_ERROR') {
    // node:sqlite: SQLITE_CANTOPEN (14), SQLITE_NOTADB (26), SQLITE_READONLY (8).
    if (error.errcode === 14) return `cannot open the SQLite database ${database.path}; ${DATABASE_HINT}`
    if (error.errcode === 26) return `${database.path} is not a SQLite database; ${DATABASE_HINT}`
    if (error.errcode === 8) return `the SQLite database ${database.path} is read-only; check its permissions`
  }
  if (typeof error.path === 'string' && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR'))
    return `cannot read ${error.path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'it is a directory'}`
  return undefined
}

function explainListen(code: string | undefined, error: SystemError, config: Config | undefined): string | undefined {
  const port = typeof error.port === 'number' ? error.port : undefined
  const tls = config?.tls !== undefined && port !== undefined && port === config.tls.port && port !== config.port
  const how = tls ? '--tls-port or PARLEY_TLS_PORT' : '--port or PARLEY_PORT'
  if (code === 'EADDRINUSE') return `port ${port ?? '?'} is in use; choose another with ${how}`
  if (code === 'EACCES')
    return `no permission to listen on port ${port ?? '?'} (ports below 1024 need privileges); choose another with ${how}`
  if (code === 'EADDRNOTAVAIL')
    return `address ${typeof error.address === 'string' ? error.address : (config?.host ?? '?')} is not an address of this machine; choose another with --host or PARLEY_HOST`
  return undefined
}

function explainPostgres(code: string | undefined, error: SystemError, url: string): string | undefined {
  const target = describePostgres(url)
  const codes = new Set([code, ...(Array.isArray(error.errors) ? error.errors.map((e: SystemError) => e?.code) : [])])
  if (codes.has('ECONNREFUSED'))
    return `cannot connect to PostgreSQL at ${target.server} (connection refused): is it running? ${DATABASE_HINT}`
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN'))
    return `cannot connect to PostgreSQL: unknown host ${target.host}; ${DATABASE_HINT}`
  if (codes.has('ETIMEDOUT') || codes.has('EHOSTUNREACH') || codes.has('ENETUNREACH'))
    return `cannot connect to PostgreSQL at ${target.server} (no answer); ${DATABASE_HINT}`
  if (code === '28P01' || code === '28000')
    return `PostgreSQL at ${target.server} refused user "${target.user}" (${code === '28P01' ? 'wrong password' : 'unknown user or not allowed'}); ${DATABASE_HINT}`
  if (code === '3D000')
    return `PostgreSQL at ${target.server} has no database "${target.database}"; create it (createdb ${target.database}) or ${DATABASE_HINT}`
  return undefined
}

/** The parts of a postgres:// URL that are safe to print (never the password). */
function describePostgres(url: string): { server: string; host: string; user: string; database: string } {
  try {
    const parsed = new URL(url)
    const host = decodeURIComponent(parsed.hostname) || 'localhost'
    return {
      server: `${host}:${parsed.port || '5432'}`,
      host,
      user: decodeURIComponent(parsed.username) || process.env.USER || '?',
      database: decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || '?',
    }
  } catch {
    return { server: '?', host: '?', user: '?', database: '?' }
  }
}

/** The database a configuration names, for messages (SQLite path or the PostgreSQL server, no password). */
export function describeDatabase(database: DatabaseConfig): string {
  return database.kind === 'sqlite' ? database.path : `PostgreSQL at ${describePostgres(database.url).server}`
}
