import type { Services } from '../compose.ts'
import type { Config } from '../config/config.ts'
import type { Storage } from '../storage/db.ts'
import { UsageError } from './usage-error.ts'

/** One option of a command, as `node:util` parseArgs declares it. */
export interface CliOption {
  type: 'string' | 'boolean'
  short?: string
}

/** Parsed option values (strings and booleans; absent when not given). */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>

/**
 * What a command gets to run: its options and arguments, and the database opened on demand.
 * Everything else (help, option checks, error reporting, exit codes) is the dispatcher's.
 */
export interface CommandContext {
  /** Every option given on the command line (only the command's own and the common ones are accepted). */
  values: OptionValues
  /** Positional arguments after the command words (`history import FILE` gets `[FILE]`). */
  args: readonly string[]
  /** The environment (passwords may come from it). */
  env: Readonly<Record<string, string | undefined>>
  /** The configuration from the environment and the common flags (log level silent). */
  config: () => Config
  /**
   * Opens the configured database (migrating it), runs `fn` with the services and closes it. A
   * SQLite file that does not exist is an error (only `serve` and `migrate` create databases).
   */
  withServices: <T>(fn: (services: Services, storage: Storage) => Promise<T>) => Promise<T>
}

/**
 * A `parley` command. Modules export arrays of these; `src/cli/commands.ts` lists the modules, so
 * adding a command touches its own module and one line there.
 */
export interface Command {
  /** The words after `parley`: `account create`. */
  name: string
  /** One line for `parley --help` and the group's help. */
  summary: string
  /** The whole `--help` text: usage, what it does, options, examples. */
  help: string
  /** Options besides the common ones (--database, --json, --log-level, --help). */
  options?: Readonly<Record<string, CliOption>>
  /** How many positional arguments the command takes (default 0); more is a usage error. */
  maxArgs?: number
  /** Runs the command; resolves with the exit code (`-1`: keep running, for `serve`). */
  run: (context: CommandContext) => Promise<number>
}

/** A string option's value, or undefined; `--name` given as a flag without a value is a usage error. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`)
  return value
}

/** A string option that must be present and non-empty. */
export function requiredOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name)
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`)
  return value
}

/** A non-negative integer option, or undefined. */
export function integerOption(values: OptionValues, name: string): number | undefined {
  const value = stringOption(values, name)
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`--${name} must be a non-negative integer`)
  return Number(value)
}
