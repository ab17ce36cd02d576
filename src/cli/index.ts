import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createServices } from '../compose.ts'
import { loadConfig, type Config } from '../config/config.ts'
import { createStorage, migrateToLatest } from '../storage/db.ts'
import type { LiveBus } from '../core/ports/live-bus.ts'
import { createLiveBus } from '../storage/bus/create-bus.ts'
import type { CliOption, Command, CommandContext } from './command.ts'
import { COMMANDS } from './commands.ts'
import { explainError } from './explain-error.ts'
import { groupHelp, groupOf, mainHelp } from './help.ts'
import { err, out } from './output.ts'
import { CliError, UsageError } from './usage-error.ts'

/** Options every command accepts. */
const COMMON_OPTIONS: Record<string, CliOption> = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  database: { type: 'string' },
  'log-level': { type: 'string' },
}

/** Every option of every command: parsed once, then checked against the command found. */
function allOptions(commands: readonly Command[]): Record<string, CliOption> {
  const options: Record<string, CliOption> = { ...COMMON_OPTIONS }
  for (const command of commands)
    for (const [name, option] of Object.entries(command.options ?? {})) {
      const known = options[name]
      if (known && known.type !== option.type)
        throw new Error(`option --${name} is declared twice with different types`)
      options[name] = option
    }
  return options
}

/** The command whose words start the positionals (the longest match), and the arguments after them. */
function findCommand(positionals: string[]): { command: Command; args: string[] } | undefined {
  let best: Command | undefined
  for (const command of COMMANDS) {
    const words = command.name.split(' ')
    if (words.every((word, i) => positionals[i] === word) && words.length > (best?.name.split(' ').length ?? 0))
      best = command
  }
  return best && { command: best, args: positionals.slice(best.name.split(' ').length) }
}

/** A mistake on the command line of `command` (or of no command). */
class CommandUsageError extends UsageError {
  readonly command: string | undefined
  constructor(message: string, command: string | undefined) {
    super(message)
    this.command = command
  }
}

/** Opens the configured database for a command that works on existing data. */
async function withServices<T>(config: Config, fn: Parameters<CommandContext['withServices']>[0]): Promise<T> {
  const database = config.database
  if (database.kind === 'sqlite' && database.path !== ':memory:' && !existsSync(database.path))
    throw new CliError(
      `no database at ${database.path}: start the server once (npx parley serve) or create it with "parley migrate", or point --database or PARLEY_DATABASE_URL at an existing one`,
    )
  const storage = createStorage(database, { poolSize: 2 })
  let bus: LiveBus | undefined
  try {
    await migrateToLatest(storage)
    // On PostgreSQL the command's writes reach the running servers' caches at once (live bus).
    bus = await createLiveBus(database)
    return (await fn(createServices({ storage, config, bus }), storage)) as T
  } finally {
    await bus?.close()
    await storage.close()
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: allOptions(COMMANDS),
    allowPositionals: true,
    strict: true,
  })
  const found = findCommand(positionals)
  if (!found) {
    const groups = new Set(COMMANDS.map(groupOf).filter((group) => group !== undefined))
    const group = positionals.slice(0, -1).join(' ') || positionals[0]
    if (positionals.length === 0) {
      out(mainHelp(COMMANDS))
      return values.help ? 0 : 1
    }
    if (group !== undefined && groups.has(group) && (positionals.length === 1 || !values.help)) {
      if (values.help && positionals.length === 1) return (out(groupHelp(group, COMMANDS)), 0)
      const members = COMMANDS.filter((command) => groupOf(command) === group).map((c) => c.name.split(' ').at(-1))
      throw new CommandUsageError(
        positionals.length === 1
          ? `"parley ${group}" needs a command: ${members.join(', ')}`
          : `unknown command "${positionals.join(' ')}" (parley ${group}: ${members.join(', ')})`,
        positionals.length === 1 ? group : undefined,
      )
    }
    throw new CommandUsageError(`unknown command "${positionals.join(' ')}"`, undefined)
  }
  const { command, args } = found
  if (values.help) return (out(command.help), 0)
  for (const name of Object.keys(values))
    if (!(name in COMMON_OPTIONS) && !(name in (command.options ?? {})))
      throw new CommandUsageError(`--${name} is not an option of "parley ${command.name}"`, command.name)
  if (args.length > (command.maxArgs ?? 0))
    throw new CommandUsageError(`unexpected argument "${args[command.maxArgs ?? 0]}"`, command.name)
  let config: Config | undefined
  const configOnce = (): Config =>
    (config ??= loadConfig(process.env, {
      database: typeof values.database === 'string' ? values.database : undefined,
      'log-level': 'silent',
    }))
  try {
    return await command.run({
      values,
      args,
      env: process.env,
      config: configOnce,
      withServices: (fn) => withServices(configOnce(), fn),
    })
  } catch (error) {
    if (error instanceof UsageError && !(error instanceof CommandUsageError))
      throw new CommandUsageError(error.message, command.name)
    throw error
  }
}

/** The configuration the failed command ran with, for explaining the failure (undefined when it is itself invalid). */
function configOf(argv: string[]): Config | undefined {
  try {
    const { values } = parseArgs({ args: argv, options: allOptions(COMMANDS), allowPositionals: true, strict: false })
    return loadConfig(process.env, values)
  } catch {
    return undefined
  }
}

/** --log-level debug or trace (flag or PARLEY_LOG_LEVEL): failures then show their stack. */
function debugRequested(argv: string[]): boolean {
  const index = argv.findIndex((arg) => arg === '--log-level' || arg.startsWith('--log-level='))
  const level = index === -1 ? process.env.PARLEY_LOG_LEVEL : (argv[index]!.split('=')[1] ?? argv[index + 1])
  return /^(debug|trace)$/i.test(level ?? '')
}

const argv = process.argv.slice(2)
try {
  const code = await main(argv)
  if (code >= 0) process.exitCode = code
} catch (error) {
  if (
    error instanceof UsageError ||
    (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
  ) {
    const command = error instanceof CommandUsageError ? error.command : undefined
    err(`parley: ${error.message}\nRun "parley ${command ? `${command} ` : ''}--help" for usage.`)
    process.exitCode = 2
  } else {
    const explanation = explainError(error, configOf(argv))
    err(explanation.lines.join('\n'))
    if (debugRequested(argv)) err(`[debug] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    process.exitCode = explanation.exitCode
  }
}
