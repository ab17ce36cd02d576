import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import addressparser from 'nodemailer/lib/addressparser'
import type { GeoIpConfig } from '../core/enrichment/mmdb-geo-ip.ts'

/** Where Parley stores its data: an embedded SQLite file or a PostgreSQL server. */
export type DatabaseConfig =
  { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string }

/** Parley's runtime configuration. Built once by `loadConfig`, deep-frozen, passed explicitly. */
export interface Config {
  /** HTTP port (`PARLEY_PORT`, default 8080; 0 picks a free port). */
  readonly port: number
  /** Bind address (`PARLEY_HOST`, default 127.0.0.1: only this machine can connect). */
  readonly host: string
  /** Storage (`PARLEY_DATABASE_URL`, default SQLite file `./data/parley.db`). */
  readonly database: DatabaseConfig
  /** Directory for generated files such as the demo credentials (directory of the SQLite file, else `./data`). */
  readonly dataDir: string
  /** Public base URL used in links and OAuth base strings (`PARLEY_PUBLIC_URL`); unset = from the request. */
  readonly publicUrl: URL | undefined
  /** HTTPS listener (`PARLEY_TLS_PORT`, `PARLEY_TLS_CERT`, `PARLEY_TLS_KEY`): all three or none. */
  readonly tls: { readonly port: number; readonly cert: Buffer; readonly key: Buffer } | undefined
  /** pino level (`PARLEY_LOG_LEVEL`, default info). */
  readonly logLevel: LogLevel
  /** Create the demo account when the database holds no account (`PARLEY_DEMO`, default true; `--no-demo`). */
  readonly demo: boolean
  /** Run migrations when the server starts (`PARLEY_MIGRATE_ON_BOOT`, default true). */
  readonly migrateOnBoot: boolean
  /**
   * `PARLEY_TRUST_PROXY`/`--trust-proxy` (default false), deprecated: a reverse proxy on this machine.
   * It means `PARLEY_TRUSTED_PROXIES=127.0.0.0/8,::1` (loopback only), which `trustedProxies` then holds;
   * `X-Forwarded-*` from any other peer is ignored.
   */
  readonly trustProxy: boolean
  /** Largest accepted request body in bytes (`PARLEY_BODY_LIMIT`, default 1 MiB). */
  readonly bodyLimit: number
  /** Login session lifetime without activity in ms (`PARLEY_SESSION_TTL_MS`, default 8 h). */
  readonly sessionTtlMs: number
  /** Accepted OAuth 1.0a clock skew in seconds (`PARLEY_OAUTH_TIMESTAMP_WINDOW`, default 900). */
  readonly oauthTimestampWindowSec: number
  /** Failed logins allowed per account and login name within the window (`PARLEY_LOGIN_MAX_FAILURES`, default 10). */
  readonly loginMaxFailures: number
  /**
   * Failed logins allowed per account and client address within the window, whatever the login names
   * (`PARLEY_LOGIN_MAX_FAILURES_PER_IP`, default 100).
   */
  readonly loginMaxFailuresPerIp: number
  /** Window for counting failed logins in ms (`PARLEY_LOGIN_FAILURE_WINDOW_MS`, default 15 min). */
  readonly loginFailureWindowMs: number
  /** Worker threads running history searches (`PARLEY_HISTORY_WORKERS`, default 2; 0 runs them on the main thread). */
  readonly historyWorkers: number
  /** An agent session no request used for this long ends, in ms (`PARLEY_AGENT_SESSION_IDLE_MS`, default 400 s). */
  readonly agentSessionIdleMs: number
  /**
   * An agent none of whose sessions made a request for this long is offered no chats, in ms
   * (`PARLEY_AGENT_PRESENCE_MS`, default 60 s); the session still ends at `agentSessionIdleMs`.
   */
  readonly agentPresenceMs: number
  /**
   * Accept LivePerson's documented visitor app key `721c180b09eb463d9f3191c41762bb68` for every
   * account (`PARLEY_ACCEPT_DEFAULT_APP_KEY`, default true): visitor clients copy it from the docs.
   */
  readonly acceptDefaultAppKey: boolean
  /**
   * Visitor app keys with LivePerson's Visit API privilege (`PARLEY_VISIT_APP_KEYS`, comma-separated,
   * default none): their chat resources carry the `visit-session` link (chat-api.md §11.4).
   */
  readonly visitAppKeys: readonly string[]
  /**
   * Outgoing mail (docs/transcripts.md): SMTP server URL (`PARLEY_SMTP_URL`, `smtp://` or `smtps://`,
   * credentials in the URL; never logged). Unset = mail is written as `.eml` files to `mailOutboxDir`.
   */
  readonly smtpUrl: string | undefined
  /** From header of outgoing mail (`PARLEY_MAIL_FROM`, default `Parley <no-reply@localhost>`). */
  readonly mailFrom: string
  /** Folder for `.eml` files when no SMTP server is set (`PARLEY_MAIL_OUTBOX_DIR`, default `<dataDir>/outbox`). */
  readonly mailOutboxDir: string
  /**
   * Reverse proxies whose `X-Forwarded-*` headers are trusted (`PARLEY_TRUSTED_PROXIES`, comma-separated
   * IPs and CIDRs, default none); the visitor's address is then the client address they forward.
   */
  readonly trustedProxies: readonly string[]
  /**
   * Origins whose pages may call Parley from a browser with credentials (`PARLEY_CORS_ORIGINS`,
   * comma-separated `scheme://host[:port]`, lower-case; default none: no CORS headers at all).
   */
  readonly corsOrigins: readonly string[]
  /** Geo-IP databases for visitor info (`PARLEY_GEOIP_CITY_DB`, `PARLEY_GEOIP_ASN_DB`; docs/visitor-info.md). */
  readonly geoIp: Readonly<GeoIpConfig>
  /**
   * Processes `parley serve` runs, sharing the port (`PARLEY_WORKERS`/`--workers`, default 1; `auto`
   * is one per core; docs/deployment.md).
   */
  readonly workers: number
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Command-line flags that override environment variables (names as on the command line). */
export interface ConfigFlags {
  port?: string | undefined
  host?: string | undefined
  database?: string | undefined
  'public-url'?: string | undefined
  'tls-port'?: string | undefined
  'tls-cert'?: string | undefined
  'tls-key'?: string | undefined
  'log-level'?: string | undefined
  'no-demo'?: boolean | undefined
  'trust-proxy'?: boolean | undefined
  workers?: string | undefined
}

/** Every environment variable Parley reads, with its flag (if any) and a one-line description. */
export const CONFIG_VARIABLES = [
  ['PARLEY_PORT', '--port', '8080', 'HTTP port'],
  ['PARLEY_HOST', '--host', '127.0.0.1', 'bind address; 0.0.0.0 exposes the server on every interface'],
  [
    'PARLEY_DATABASE_URL',
    '--database',
    './data/parley.db',
    'SQLite file path, sqlite:PATH, or postgres://user@host/db',
  ],
  [
    'PARLEY_PUBLIC_URL',
    '--public-url',
    '(from request)',
    'public base URL for links, CSDS answers and OAuth base strings',
  ],
  ['PARLEY_TLS_PORT', '--tls-port', '(off)', 'also listen with HTTPS on this port'],
  ['PARLEY_TLS_CERT', '--tls-cert', '', 'PEM certificate file for HTTPS'],
  ['PARLEY_TLS_KEY', '--tls-key', '', 'PEM private key file for HTTPS'],
  ['PARLEY_LOG_LEVEL', '--log-level', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['PARLEY_DEMO', '--no-demo', 'true', 'create the demo account on first start'],
  [
    'PARLEY_TRUST_PROXY',
    '--trust-proxy',
    'false',
    'deprecated: same as PARLEY_TRUSTED_PROXIES=127.0.0.0/8,::1 (a proxy on this machine)',
  ],
  ['PARLEY_WORKERS', '--workers', '1', 'server processes sharing the port; auto: one per core (docs/deployment.md)'],
  ['PARLEY_MIGRATE_ON_BOOT', '', 'true', 'run database migrations at start-up'],
  ['PARLEY_BODY_LIMIT', '', '1048576', 'largest request body in bytes'],
  ['PARLEY_SESSION_TTL_MS', '', '28800000', 'login session lifetime without activity'],
  ['PARLEY_OAUTH_TIMESTAMP_WINDOW', '', '900', 'accepted OAuth 1.0a clock skew in seconds'],
  ['PARLEY_LOGIN_MAX_FAILURES', '', '10', 'failed logins per account and login name before 429'],
  ['PARLEY_LOGIN_MAX_FAILURES_PER_IP', '', '100', 'failed logins per account and client address (any name) before 429'],
  ['PARLEY_LOGIN_FAILURE_WINDOW_MS', '', '900000', 'window for counting failed logins'],
  ['PARLEY_HISTORY_WORKERS', '', '2', 'worker threads for Engagement History searches (0: main thread)'],
  ['PARLEY_AGENT_SESSION_IDLE_MS', '', '400000', 'agent sessions unused this long end (chats requeued)'],
  ['PARLEY_AGENT_PRESENCE_MS', '', '60000', 'agents with no request for this long are offered no new chats'],
  ['PARLEY_ACCEPT_DEFAULT_APP_KEY', '', 'true', "accept LivePerson's documented visitor app key on every account"],
  [
    'PARLEY_VISIT_APP_KEYS',
    '',
    '',
    'comma-separated visitor app keys with the Visit API privilege (visit-session link)',
  ],
  ['PARLEY_SMTP_URL', '', '(outbox folder)', 'smtp:// or smtps:// URL (user:password@host:port) for transcripts'],
  ['PARLEY_MAIL_FROM', '', 'Parley <no-reply@localhost>', 'From address of outgoing mail'],
  ['PARLEY_MAIL_OUTBOX_DIR', '', '<data dir>/outbox', 'folder for .eml files when PARLEY_SMTP_URL is unset'],
  ['PARLEY_TRUSTED_PROXIES', '', '', 'comma-separated proxy IPs/CIDRs whose X-Forwarded-For/-Proto/-Host are trusted'],
  [
    'PARLEY_CORS_ORIGINS',
    '',
    '',
    'comma-separated origins (https://app.example.com) allowed to call Parley from a browser with credentials',
  ],
  ['PARLEY_GEOIP_CITY_DB', '', 'bundled', 'visitor geo-IP city database: bundled (DB-IP Lite), none, or a .mmdb path'],
  ['PARLEY_GEOIP_ASN_DB', '', '', 'visitor geo-IP ASN/ISP .mmdb path (isp, org); none by default'],
] as const

export class ConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

type Env = Readonly<Record<string, string | undefined>>

/**
 * Builds the configuration from environment variables with flags on top (flags win).
 * Pure apart from reading TLS files; reports every problem at once through `ConfigError`.
 */
export function loadConfig(env: Env, flags: ConfigFlags = {}, cwd = process.cwd()): Config {
  const problems: string[] = []
  const pick = (flag: keyof ConfigFlags, variable: string): string | undefined => {
    const fromFlag = flags[flag]
    if (typeof fromFlag === 'string' && fromFlag !== '') return fromFlag
    const fromEnv = env[variable]
    return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback
    // Decimal digits only: Number() would also accept ' ' (0), '0x1F90' and '1e3'.
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`)
      return fallback
    }
    return value
  }
  const bool = (name: string, raw: string | undefined, fallback: boolean): boolean => {
    if (raw === undefined) return fallback
    if (/^(1|true|yes|on)$/i.test(raw)) return true
    if (/^(0|false|no|off)$/i.test(raw)) return false
    problems.push(`${name} must be true or false (got "${raw}")`)
    return fallback
  }

  const port = int('PARLEY_PORT/--port', pick('port', 'PARLEY_PORT'), 8080, 0, 65535)
  const host = pick('host', 'PARLEY_HOST') ?? '127.0.0.1'
  const database = parseDatabase(pick('database', 'PARLEY_DATABASE_URL') ?? './data/parley.db', cwd, problems)
  const dataDir =
    database.kind === 'sqlite' && database.path !== ':memory:' ? dirname(database.path) : resolve(cwd, 'data')

  let publicUrl: URL | undefined
  const rawPublicUrl = pick('public-url', 'PARLEY_PUBLIC_URL')
  if (rawPublicUrl !== undefined) {
    try {
      publicUrl = new URL(rawPublicUrl)
      if (publicUrl.protocol !== 'http:' && publicUrl.protocol !== 'https:') throw new Error('scheme')
    } catch {
      problems.push(`PARLEY_PUBLIC_URL/--public-url must be an http(s) URL (got "${rawPublicUrl}")`)
      publicUrl = undefined
    }
  }

  const tlsPortRaw = pick('tls-port', 'PARLEY_TLS_PORT')
  const tlsCert = pick('tls-cert', 'PARLEY_TLS_CERT')
  const tlsKey = pick('tls-key', 'PARLEY_TLS_KEY')
  let tls: Config['tls']
  if (tlsPortRaw !== undefined || tlsCert !== undefined || tlsKey !== undefined) {
    if (tlsPortRaw === undefined || tlsCert === undefined || tlsKey === undefined) {
      problems.push(
        'HTTPS needs all of PARLEY_TLS_PORT, PARLEY_TLS_CERT and PARLEY_TLS_KEY (--tls-port, --tls-cert, --tls-key)',
      )
    } else {
      const tlsPort = int('PARLEY_TLS_PORT/--tls-port', tlsPortRaw, 8443, 0, 65535)
      const cert = readPem('PARLEY_TLS_CERT/--tls-cert', resolve(cwd, tlsCert), problems)
      const key = readPem('PARLEY_TLS_KEY/--tls-key', resolve(cwd, tlsKey), problems)
      if (cert && key && checkTlsPair(cert, key, resolve(cwd, tlsCert), resolve(cwd, tlsKey), problems))
        tls = { port: tlsPort, cert, key }
    }
  }

  const logLevelRaw = pick('log-level', 'PARLEY_LOG_LEVEL') ?? 'info'
  const logLevel = LOG_LEVELS.find((level) => level === logLevelRaw.toLowerCase())
  if (!logLevel)
    problems.push(`PARLEY_LOG_LEVEL/--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`)

  const demo = flags['no-demo'] === true ? false : bool('PARLEY_DEMO', env.PARLEY_DEMO, true)
  const trustProxy = flags['trust-proxy'] === true ? true : bool('PARLEY_TRUST_PROXY', env.PARLEY_TRUST_PROXY, false)

  const config: Config = {
    port,
    host,
    database,
    dataDir,
    publicUrl,
    tls,
    logLevel: logLevel ?? 'info',
    demo,
    migrateOnBoot: bool('PARLEY_MIGRATE_ON_BOOT', env.PARLEY_MIGRATE_ON_BOOT, true),
    trustProxy,
    bodyLimit: int('PARLEY_BODY_LIMIT', env.PARLEY_BODY_LIMIT, 1024 * 1024, 1024, 64 * 1024 * 1024),
    sessionTtlMs: int('PARLEY_SESSION_TTL_MS', env.PARLEY_SESSION_TTL_MS, 8 * 3600 * 1000, 1000, 30 * 24 * 3600 * 1000),
    oauthTimestampWindowSec: int('PARLEY_OAUTH_TIMESTAMP_WINDOW', env.PARLEY_OAUTH_TIMESTAMP_WINDOW, 900, 1, 86400),
    loginMaxFailures: int('PARLEY_LOGIN_MAX_FAILURES', env.PARLEY_LOGIN_MAX_FAILURES, 10, 1, 100000),
    loginMaxFailuresPerIp: int(
      'PARLEY_LOGIN_MAX_FAILURES_PER_IP',
      env.PARLEY_LOGIN_MAX_FAILURES_PER_IP,
      100,
      1,
      1000000,
    ),
    loginFailureWindowMs: int(
      'PARLEY_LOGIN_FAILURE_WINDOW_MS',
      env.PARLEY_LOGIN_FAILURE_WINDOW_MS,
      15 * 60 * 1000,
      1000,
      86400000,
    ),
    historyWorkers: int('PARLEY_HISTORY_WORKERS', env.PARLEY_HISTORY_WORKERS, 2, 0, 64),
    agentSessionIdleMs: int(
      'PARLEY_AGENT_SESSION_IDLE_MS',
      env.PARLEY_AGENT_SESSION_IDLE_MS,
      400_000,
      1000,
      30 * 24 * 3600 * 1000,
    ),
    agentPresenceMs: int('PARLEY_AGENT_PRESENCE_MS', env.PARLEY_AGENT_PRESENCE_MS, 60_000, 1000, 30 * 24 * 3600 * 1000),
    acceptDefaultAppKey: bool('PARLEY_ACCEPT_DEFAULT_APP_KEY', env.PARLEY_ACCEPT_DEFAULT_APP_KEY, true),
    visitAppKeys: (env.PARLEY_VISIT_APP_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== ''),
    smtpUrl: parseSmtpUrl(env.PARLEY_SMTP_URL, problems),
    mailFrom: parseMailFrom(env.PARLEY_MAIL_FROM, problems),
    mailOutboxDir:
      env.PARLEY_MAIL_OUTBOX_DIR === undefined || env.PARLEY_MAIL_OUTBOX_DIR === ''
        ? join(dataDir, 'outbox')
        : resolve(cwd, env.PARLEY_MAIL_OUTBOX_DIR),
    trustedProxies: parseTrustedProxies(env.PARLEY_TRUSTED_PROXIES, trustProxy, problems),
    corsOrigins: parseCorsOrigins(env.PARLEY_CORS_ORIGINS, problems),
    geoIp: parseGeoIp(env, cwd, problems),
    workers: parseWorkers(pick('workers', 'PARLEY_WORKERS'), problems),
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return deepFreeze(config)
}

/** `--workers`: a count, or `auto` for one per core. */
function parseWorkers(raw: string | undefined, problems: string[]): number {
  if (raw === undefined) return 1
  if (raw.trim().toLowerCase() === 'auto') return availableParallelism()
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  if (Number.isInteger(value) && value >= 1 && value <= MAX_WORKERS) return value
  problems.push(`PARLEY_WORKERS/--workers must be auto or an integer between 1 and ${MAX_WORKERS} (got "${raw}")`)
  return 1
}

const MAX_WORKERS = 256

/**
 * The database rule: `postgres://` or `postgresql://` is PostgreSQL; `sqlite:PATH` (also
 * `sqlite:///abs/path`, `sqlite::memory:`) and a plain path are SQLite; anything else that starts
 * with a URL scheme (`postgres:/oops`, `mysql://h/d`, `file:x`) is an error rather than a SQLite
 * file named after the typo. One-letter schemes are Windows drive letters (`C:\data\parley.db`).
 */
function parseDatabase(raw: string, cwd: string, problems: string[]): DatabaseConfig {
  const name = 'PARLEY_DATABASE_URL/--database'
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(raw)?.[1]?.toLowerCase()
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let valid = /^postgres(ql)?:\/\//i.test(raw)
    try {
      if (valid) new URL(raw)
    } catch {
      valid = false
    }
    // The URL may carry a password: the problem never quotes it.
    if (!valid) problems.push(`${name} is not a valid postgres:// URL (expected postgres://user@host:5432/database)`)
    return { kind: 'postgres', url: raw }
  }
  if (scheme !== undefined && scheme !== 'sqlite') {
    problems.push(
      `${name}: unsupported database URL "${raw}"; use a file path, sqlite:PATH or postgres://user@host/database`,
    )
    return { kind: 'sqlite', path: ':memory:' }
  }
  const path = scheme === 'sqlite' ? raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : raw
  if (path === '') problems.push(`${name}: empty SQLite path`)
  return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) }
}

// The URL carries the SMTP password: problems name the variable, never its value.
function parseSmtpUrl(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push('PARLEY_SMTP_URL must be an smtp:// or smtps:// URL')
    return undefined
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    problems.push('PARLEY_SMTP_URL must be an smtp:// or smtps:// URL with a host')
    return undefined
  }
  return raw
}

function parseMailFrom(raw: string | undefined, problems: string[]): string {
  const fallback = 'Parley <no-reply@localhost>'
  if (raw === undefined || raw === '') return fallback
  const parsed = addressparser(raw, { flatten: true })
  // eslint-disable-next-line no-control-regex
  if (parsed.length !== 1 || !/^[^@\s]+@[^@\s]+$/.test(parsed[0]!.address) || /[\u0000-\u001f]/.test(raw)) {
    problems.push(`PARLEY_MAIL_FROM must be one address like "Parley <no-reply@example.com>" (got "${raw}")`)
    return fallback
  }
  return raw
}

/** What the deprecated `PARLEY_TRUST_PROXY=true` trusts: a proxy on this machine. */
export const LOOPBACK_PROXIES: readonly string[] = ['127.0.0.0/8', '::1']

function parseTrustedProxies(raw: string | undefined, trustProxy: boolean, problems: string[]): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/')
    const family = isIP(address)
    const bits = family === 4 ? 32 : 128
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits)
    if (family === 0 || !validPrefix || extra !== undefined)
      problems.push(`PARLEY_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`)
  }
  if (entries.length > 0 && trustProxy)
    problems.push('set either PARLEY_TRUST_PROXY/--trust-proxy (loopback proxies) or PARLEY_TRUSTED_PROXIES, not both')
  // Trusting every peer let any client choose its own address by rotating X-Forwarded-For.
  return trustProxy && entries.length === 0 ? [...LOOPBACK_PROXIES] : entries
}

// Credentialed CORS needs the exact origin: `*` (any page) is refused rather than echoed.
function parseCorsOrigins(raw: string | undefined, problems: string[]): string[] {
  const origins: string[] = []
  for (const entry of (raw ?? '').split(',').map((value) => value.trim())) {
    if (entry === '') continue
    let url: URL | undefined
    try {
      url = new URL(entry)
    } catch {
      url = undefined
    }
    if (
      entry === '*' ||
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.origin !== entry.toLowerCase().replace(/\/$/, '')
    ) {
      problems.push(
        `PARLEY_CORS_ORIGINS: "${entry}" is not an origin like https://app.example.com (no *, path or trailing parts)`,
      )
      continue
    }
    origins.push(url.origin)
  }
  return origins
}

function parseGeoIp(env: Env, cwd: string, problems: string[]): GeoIpConfig {
  const file = (name: string, raw: string): string => {
    const path = resolve(cwd, raw)
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) problems.push(`${name}: cannot read ${path}`)
    return path
  }
  const cityRaw = env.PARLEY_GEOIP_CITY_DB?.trim() || 'bundled'
  const asnRaw = env.PARLEY_GEOIP_ASN_DB?.trim() || undefined
  return {
    city:
      cityRaw.toLowerCase() === 'bundled'
        ? { kind: 'bundled' }
        : cityRaw.toLowerCase() === 'none'
          ? { kind: 'none' }
          : { kind: 'file', path: file('PARLEY_GEOIP_CITY_DB', cityRaw) },
    asnPath: asnRaw === undefined ? undefined : file('PARLEY_GEOIP_ASN_DB', asnRaw),
  }
}

function readPem(name: string, path: string, problems: string[]): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code
    problems.push(`${name}: cannot read ${path}${why ? ` (${why})` : ''}`)
    return undefined
  }
}

/**
 * Checks what HTTPS would otherwise reject at start-up with an OpenSSL stack trace: the certificate
 * is PEM, the key is an unencrypted PEM private key, and the key belongs to the certificate.
 */
function checkTlsPair(cert: Buffer, key: Buffer, certPath: string, keyPath: string, problems: string[]): boolean {
  let certificate: X509Certificate | undefined
  let privateKey: KeyObject | undefined
  try {
    certificate = new X509Certificate(cert)
  } catch {
    problems.push(`PARLEY_TLS_CERT/--tls-cert: ${certPath} is not a PEM certificate ("-----BEGIN CERTIFICATE-----")`)
  }
  try {
    privateKey = createPrivateKey(key)
  } catch {
    problems.push(
      `PARLEY_TLS_KEY/--tls-key: ${keyPath} is not an unencrypted PEM private key ("-----BEGIN PRIVATE KEY-----")`,
    )
  }
  if (!certificate || !privateKey) return false
  if (!certificate.checkPrivateKey(privateKey)) {
    problems.push(`PARLEY_TLS_KEY/--tls-key: ${keyPath} is not the private key of the certificate ${certPath}`)
    return false
  }
  return true
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof URL)) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}
