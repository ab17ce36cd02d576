import type { Services } from '../compose.ts'
import { SYSTEM_CALLER } from '../core/account-config/account-config.types.ts'
import type { LoginLock } from '../core/auth/login-limiter.ts'
import type { Command, CommandContext } from './command.ts'
import { out, outJson } from './output.ts'
import { UsageError } from './usage-error.ts'

const USER_LOCKS_HELP = `Usage: parley user locks --account ID [--json]

Lists the account's failed-login counters, locked ones first. Failed logins are counted per login
name and per client address (docs/auth.md, "Login protection"); "parley user unlock" clears one.

Examples:
  parley user locks --account acme
  parley user locks --account acme --json
`

const USER_UNLOCK_HELP = `Usage: parley user unlock --account ID (--login NAME | --ip ADDRESS) [--json]

Clears the failed-login counter of one login name or one client address, so it may log in again at
once (docs/auth.md, "Login protection"). Exit status 1 when there was nothing to clear.

Examples:
  parley user unlock --account acme --login alice
  parley user unlock --account acme --ip 203.0.113.7
`

function formatLock(lock: LoginLock): string {
  const what = lock.scope === 'login' ? `login ${lock.subject}` : `address ${lock.subject}`
  const state = lock.locked ? `LOCKED until ${new Date(lock.resetsAt).toISOString()}` : 'counting'
  return `${what.padEnd(40)} ${`${lock.failures}/${lock.limit}`.padStart(9)}  ${state}`
}

/** `parley user locks|unlock`: the same service calls as the login-locks endpoint, as Parley itself. */
async function userLocksCommand(
  services: Services,
  subcommand: string | undefined,
  values: {
    account?: string | undefined
    login?: string | undefined
    ip?: string | undefined
    json?: boolean | undefined
  },
): Promise<number> {
  const accountId = values.account
  if (accountId === undefined || accountId === '') throw new UsageError('--account is required')
  await services.accounts.requireAccount(accountId)
  if (subcommand === 'locks') {
    const locks = await services.loginLimiter.list(SYSTEM_CALLER, accountId)
    if (values.json) outJson(locks)
    else out(locks.length === 0 ? `No failed logins are counted for ${accountId}.` : locks.map(formatLock).join('\n'))
    return 0
  }
  const { login, ip } = values
  if ((login === undefined || login === '') === (ip === undefined || ip === ''))
    throw new UsageError('give either --login NAME or --ip ADDRESS')
  const target = login ? { loginName: login } : { clientIp: ip ?? '' }
  const cleared = await services.loginLimiter.clear(SYSTEM_CALLER, accountId, target)
  const name = login ? `login "${login}"` : `address ${ip}`
  if (values.json) outJson({ accountId, ...target, cleared })
  else out(cleared ? `Cleared the failed logins of ${name} in ${accountId}.` : `No failed logins counted for ${name}.`)
  return cleared ? 0 : 1
}

const LOCK_OPTIONS = { account: { type: 'string' }, login: { type: 'string' }, ip: { type: 'string' } } as const

const runLocks =
  (subcommand: 'locks' | 'unlock') =>
  ({ values, withServices }: CommandContext): Promise<number> =>
    withServices((services) =>
      userLocksCommand(services, subcommand, {
        account: typeof values.account === 'string' ? values.account : undefined,
        login: typeof values.login === 'string' ? values.login : undefined,
        ip: typeof values.ip === 'string' ? values.ip : undefined,
        json: values.json === true,
      }),
    )

/** `parley user locks|unlock` (docs/auth.md, "Login protection"). */
export const userLockCommands: Command[] = [
  {
    name: 'user locks',
    summary: 'list failed-login counters of an account',
    help: USER_LOCKS_HELP,
    options: LOCK_OPTIONS,
    run: runLocks('locks'),
  },
  {
    name: 'user unlock',
    summary: 'clear the failed logins of a login name or an address',
    help: USER_UNLOCK_HELP,
    options: LOCK_OPTIONS,
    run: runLocks('unlock'),
  },
]
