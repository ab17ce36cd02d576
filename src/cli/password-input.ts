import { MIN_PASSWORD_LENGTH } from '../core/accounts/accounts.service.ts'
import type { CliOption, OptionValues } from './command.ts'
import { stringOption } from './command.ts'
import { UsageError } from './usage-error.ts'

/** The environment variable a password can come from, so it stays out of the shell history. */
export const PASSWORD_ENV = 'PARLEY_PASSWORD'

export const PASSWORD_STDIN_OPTION: Readonly<Record<string, CliOption>> = { 'password-stdin': { type: 'boolean' } }

/** The help lines that say where a password may come from (`flag` is e.g. `--password`). */
export const passwordHelp = (flag: string): string =>
  `  ${`${flag} PASSWORD`.padEnd(26)} the password (lands in the shell history; prefer one of:)
  ${'--password-stdin'.padEnd(26)} read it from the first line of standard input
  ${PASSWORD_ENV.padEnd(26)} or set this environment variable`

/**
 * A password from `--<flag>`, `--password-stdin` (the first line of standard input) or
 * `PARLEY_PASSWORD`, in that order; giving both the flag and --password-stdin is a usage error.
 */
export async function readPassword(
  values: OptionValues,
  env: Readonly<Record<string, string | undefined>>,
  flag: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const fromFlag = stringOption(values, flag)
  if (values['password-stdin'] === true) {
    if (fromFlag !== undefined) throw new UsageError(`give the password with --${flag} or --password-stdin, not both`)
    const line = await firstLine(stdin)
    if (line === '') throw new UsageError('--password-stdin: standard input holds no password')
    return checked(line)
  }
  const password = fromFlag ?? env[PASSWORD_ENV]
  if (password === undefined || password === '')
    throw new UsageError(
      `a password is required: --${flag} PASSWORD, --password-stdin (first line of standard input) or ${PASSWORD_ENV}`,
    )
  return checked(password)
}

// The services check it too; here the message names no API field.
function checked(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  return password
}

/** The first line of a stream (without its line break), reading no further than needed. */
async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = ''
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    if (text.includes('\n')) break
  }
  return (text.split('\n', 1)[0] ?? '').replace(/\r$/, '')
}
