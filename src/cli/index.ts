import { parseArgs } from 'node:util'
import { ALL_API_KEY_PERMISSIONS, type ApiKeyPermission } from '../core/accounts/accounts.types.ts'
import { createServices } from '../compose.ts'
import { ConfigError, loadConfig, type Config, type ConfigFlags } from '../config/config.ts'
import { isParleyError } from '../core/errors.ts'
import { createStorage, migrateToLatest } from '../storage/db.ts'
import { ACCOUNT_CREATE_HELP, HISTORY_HELP, MAIN_HELP, SERVE_HELP } from './help.ts'
import { exportHistory, generateHistory, importHistory } from './history.ts'
import { OFFLINE_MESSAGES_HELP, offlineMessagesCommand } from './offline-messages.ts'
import { err, out, outJson } from './output.ts'
import { serve } from './serve.ts'
import { UsageError } from './usage-error.ts'

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  port: { type: 'string' },
  host: { type: 'string' },
  database: { type: 'string' },
  'public-url': { type: 'string' },
  'tls-port': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'log-level': { type: 'string' },
  'no-demo': { type: 'boolean' },
  'trust-proxy': { type: 'boolean' },
  id: { type: 'string' },
  name: { type: 'string' },
  'time-zone': { type: 'string' },
  'admin-user': { type: 'string' },
  'admin-password': { type: 'string' },
  account: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  status: { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  email: { type: 'string' },
  permissions: { type: 'string' },
} as const

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

const required = (values: Values, name: 'id' | 'admin-user' | 'admin-password' | 'account'): string => {
  const value = values[name]
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`)
  return value
}

/** `--permissions a,b`: API key permissions (default: all of them); an unknown name is a usage error. */
function parsePermissions(value: string | undefined): ApiKeyPermission[] | undefined {
  if (value === undefined) return undefined
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  const permissions = ALL_API_KEY_PERMISSIONS.filter((permission) => names.includes(permission))
  const unknown = names.filter((name) => !permissions.some((permission) => permission === name))
  if (unknown.length > 0 || permissions.length === 0)
    throw new UsageError(`--permissions must list some of ${ALL_API_KEY_PERMISSIONS.join(', ')}`)
  return permissions
}

/** Opens the configured database (migrating it), runs `fn` with the services, and closes it. */
async function withServices<T>(
  config: Config,
  fn: (services: ReturnType<typeof createServices>) => Promise<T>,
): Promise<T> {
  const storage = createStorage(config.database, { poolSize: 2 })
  try {
    await migrateToLatest(storage)
    return await fn(createServices({ storage, config }))
  } finally {
    await storage.close()
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  const [command, subcommand] = positionals
  const flags: ConfigFlags = values
  if (
    !command ||
    (values.help &&
      command !== 'serve' &&
      command !== 'history' &&
      command !== 'offline-messages' &&
      `${command} ${subcommand}` !== 'account create')
  ) {
    out(MAIN_HELP)
    return command || values.help ? 0 : 1
  }
  if (command === 'serve') {
    if (values.help) return (out(SERVE_HELP), 0)
    await serve(loadConfig(process.env, flags))
    return -1
  }
  const config = loadConfig(process.env, { ...flags, 'log-level': 'silent' })
  switch (`${command} ${subcommand ?? ''}`.trim()) {
    case 'migrate': {
      const storage = createStorage(config.database, { poolSize: 1 })
      try {
        const result = await migrateToLatest(storage)
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []
        out(
          applied.length === 0
            ? 'Database is up to date.'
            : `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}`,
        )
      } finally {
        await storage.close()
      }
      return 0
    }
    case 'account create': {
      if (values.help) return (out(ACCOUNT_CREATE_HELP), 0)
      const input = {
        id: required(values, 'id'),
        name: values.name,
        timeZone: values['time-zone'],
        adminLoginName: required(values, 'admin-user'),
        adminPassword: required(values, 'admin-password'),
      }
      const created = await withServices(config, (services) => services.accounts.createAccount(input))
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
    }
    case 'account list': {
      const accounts = await withServices(config, (services) => services.accounts.listAccounts())
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
    }
    case 'appkey create': {
      const accountId = required(values, 'account')
      const key = await withServices(config, (services) => services.accounts.createAppKey(accountId))
      if (values.json) outJson({ accountId, appKey: key.appKey })
      else out(`Visitor app key for ${accountId}: ${key.appKey}`)
      return 0
    }
    case 'apikey create': {
      const accountId = required(values, 'account')
      const permissions = parsePermissions(values.permissions)
      const key = await withServices(config, (services) =>
        services.accounts.createApiKey(accountId, permissions ? { permissions } : {}),
      )
      const apiKey = {
        appKey: key.consumerKey,
        secret: key.consumerSecret,
        accessToken: key.accessToken,
        accessTokenSecret: key.accessTokenSecret,
      }
      if (values.json) outJson({ accountId, apiKey, permissions: key.permissions })
      else out(`API key for ${accountId} (${key.permissions.join(', ')}):\n${JSON.stringify(apiKey, null, 2)}`)
      return 0
    }
    case 'mail list': {
      const status = (['pending', 'sent', 'failed'] as const).find((candidate) => candidate === values.status)
      if (values.status !== undefined && status === undefined)
        throw new UsageError('--status must be pending, sent or failed')
      const filter = { ...(values.account ? { accountId: values.account } : {}), ...(status ? { status } : {}) }
      const rows = await withServices(config, (services) => services.mail.list(filter))
      if (values.json) outJson(rows)
      else out(rows.length === 0 ? 'No queued mail.' : rows.map(formatMailRow).join('\n'))
      return 0
    }
    case 'history import':
    case 'history export':
    case 'history generate':
      if (values.help) return (out(HISTORY_HELP), 0)
      return withServices(config, (services) =>
        subcommand === 'import'
          ? importHistory(services, positionals[2], values)
          : subcommand === 'export'
            ? exportHistory(services, values)
            : generateHistory(services, values),
      )
    case 'history':
      out(HISTORY_HELP)
      return values.help ? 0 : 2
    case 'offline-messages list':
    case 'offline-messages notify':
      if (values.help) return (out(OFFLINE_MESSAGES_HELP), 0)
      return withServices(config, (services) => offlineMessagesCommand(services, subcommand, values))
    case 'offline-messages':
      out(OFFLINE_MESSAGES_HELP)
      return values.help ? 0 : 2
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"`)
  }
}

/** One line of `parley mail list`: metadata only, never a body. */
function formatMailRow(row: Awaited<ReturnType<ReturnType<typeof createServices>['mail']['list']>>[number]): string {
  const error = row.lastError === null ? '' : `  last error: ${row.lastError}`
  return `${String(row.id).padStart(6)}  ${row.status.padEnd(7)}  ${row.kind}  ${row.accountId}  to ${row.to}  attempts ${row.attempts}  queued ${new Date(row.createdAt).toISOString()}${error}`
}

try {
  const code = await main(process.argv.slice(2))
  if (code >= 0) process.exitCode = code
} catch (error) {
  if (
    error instanceof UsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    err(`parley: ${error.message}\nRun "parley --help" for usage.`)
    process.exitCode = 2
  } else if (error instanceof ConfigError) {
    err(error.message)
    process.exitCode = 2
  } else if (isParleyError(error)) {
    err(`parley: ${error.message}`)
    process.exitCode = 1
  } else {
    err(`parley: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    process.exitCode = 1
  }
}
