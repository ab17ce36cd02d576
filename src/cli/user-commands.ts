import type { Services } from '../compose.ts'
import type { ConfigUser, UserInput } from '../core/account-config/account-config.types.ts'
import { SYSTEM_CALLER } from '../core/account-config/account-config.types.ts'
import { ParleyError } from '../core/errors.ts'
import type { Command } from './command.ts'
import { integerOption, requiredOption, stringOption } from './command.ts'
import { out, outJson } from './output.ts'
import { PASSWORD_STDIN_OPTION, passwordHelp, readPassword } from './password-input.ts'
import { UsageError } from './usage-error.ts'

/** Role names on the command line and LivePerson's permission group ids. */
const ROLES: Readonly<Record<string, string>> = {
  agent: '1',
  'agent-manager': '2',
  'campaign-manager': '3',
  admin: '4',
}
const roleName = (group: string): string => Object.entries(ROLES).find(([, id]) => id === group)?.[0] ?? group

const ACCOUNT_AND_LOGIN = { account: { type: 'string' }, login: { type: 'string' } } as const

/** The account's non-deleted user with this login name (case-insensitive), or RESOURCE_NOT_FOUND. */
export async function findUserByLogin(services: Services, accountId: string, loginName: string): Promise<ConfigUser> {
  await services.accounts.requireAccount(accountId)
  const users = (await services.accountConfig.users.list(SYSTEM_CALLER, { accountId })).value
  const key = loginName.normalize('NFC').toLowerCase()
  const user = users.find((candidate) => candidate.loginName.normalize('NFC').toLowerCase() === key)
  if (!user) throw new ParleyError('RESOURCE_NOT_FOUND', `No user "${loginName}" in account ${accountId}`)
  return user
}

/** A user's fields as an update input that changes nothing (the password stays). */
const unchanged = (user: ConfigUser): UserInput => ({
  loginName: user.loginName,
  password: null,
  fullName: user.fullName,
  nickname: user.nickname,
  email: user.email,
  isEnabled: user.isEnabled,
  maxChats: user.maxChats,
  skillIds: user.skillIds,
  memberOf: { agentGroupId: user.memberOf.agentGroupId },
  managerOf: user.managerOf.map((group) => ({ agentGroupId: group.agentGroupId })),
  permissionGroups: user.permissionGroups,
})

const summary = (user: ConfigUser) => ({
  id: user.id,
  loginName: user.loginName,
  nickname: user.nickname,
  fullName: user.fullName,
  email: user.email,
  enabled: user.isEnabled,
  roles: user.permissionGroups.map(roleName),
  maxChats: user.maxChats,
  skillIds: user.skillIds,
})

const setEnabled = (enabled: boolean): Command['run'] =>
  async function run({ values, withServices }) {
    const accountId = requiredOption(values, 'account')
    const loginName = requiredOption(values, 'login')
    const user = await withServices(async (services) => {
      const found = await findUserByLogin(services, accountId, loginName)
      return (
        await services.accountConfig.users.update(SYSTEM_CALLER, { accountId }, found.id, {
          ...unchanged(found),
          isEnabled: enabled,
        })
      ).value
    })
    if (values.json) outJson(summary(user))
    else
      out(
        enabled
          ? `Enabled user "${user.loginName}" of ${accountId}.`
          : `Disabled user "${user.loginName}" of ${accountId}: logged out everywhere, cannot log in until enabled.`,
      )
    return 0
  }

/**
 * `parley user create|list|passwd|disable|enable`. Further `user` subcommands (e.g. `user unlock`)
 * live in their own modules and are listed next to this one in commands.ts.
 */
export const userCommands: readonly Command[] = [
  {
    name: 'user create',
    summary: 'add a user (agent, manager or admin) to an account',
    help: `Usage: parley user create --account ID --login NAME [password] [options]

Adds a user to the account, like POST /configuration/le-users/users.

Options:
  --account ID               the account (required)
  --login NAME               login name, unique in the account, case-insensitive (required)
${passwordHelp('--password')}
  --nickname NAME            name shown to visitors (default: the login name)
  --name "FULL NAME"         full name (default: empty)
  --email ADDRESS            e-mail address (default: empty)
  --role ROLES               comma-separated: agent, agent-manager, campaign-manager, admin (default: agent)
  --skills NAMES             comma-separated skill names the user chats for (default: none)
  --max-chats N              concurrent chats (default: unlimited)
  --json                     print the user as JSON

Examples:
  parley user create --account acme --login carol --nickname Carol --skills Sales --password-stdin < pw.txt
  PARLEY_PASSWORD='long-secret-1' parley user create --account acme --login dave --role admin --json
`,
    options: {
      ...ACCOUNT_AND_LOGIN,
      password: { type: 'string' },
      ...PASSWORD_STDIN_OPTION,
      nickname: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      skills: { type: 'string' },
      'max-chats': { type: 'string' },
    },
    async run({ values, env, withServices }) {
      const accountId = requiredOption(values, 'account')
      const loginName = requiredOption(values, 'login')
      const roles = (stringOption(values, 'role') ?? 'agent').split(',').map((role) => role.trim().toLowerCase())
      const permissionGroups = roles.map((role) => {
        const group = ROLES[role]
        if (!group)
          throw new UsageError(`--role: unknown role "${role}" (agent, agent-manager, campaign-manager, admin)`)
        return group
      })
      const skillNames = (stringOption(values, 'skills') ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
      const maxChats = integerOption(values, 'max-chats')
      const password = await readPassword(values, env, 'password')
      const user = await withServices(async (services) => {
        await services.accounts.requireAccount(accountId)
        const skills = (await services.accountConfig.skills.list(SYSTEM_CALLER, { accountId })).value
        const skillIds = skillNames.map((name) => {
          const skill = skills.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())
          if (!skill)
            throw new ParleyError(
              'VALIDATION_FAILED',
              `--skills: no skill "${name}" in account ${accountId} (skills: ${skills.map((s) => s.name).join(', ') || 'none'})`,
            )
          return skill.id
        })
        return (
          await services.accountConfig.users.create(
            SYSTEM_CALLER,
            { accountId },
            {
              loginName,
              password,
              nickname: stringOption(values, 'nickname') ?? loginName,
              fullName: stringOption(values, 'name'),
              email: stringOption(values, 'email') ?? '',
              permissionGroups,
              skillIds,
              ...(maxChats === undefined ? {} : { maxChats }),
            },
          )
        ).value
      })
      if (values.json) outJson(summary(user))
      else out(`Created user "${user.loginName}" (id ${user.id}, ${summary(user).roles.join(', ')}) in ${accountId}.`)
      return 0
    },
  },
  {
    name: 'user list',
    summary: "list an account's users",
    help: `Usage: parley user list --account ID [--json]

Lists the account's users (deleted ones left out): id, login name, nickname, roles, enabled.

Examples:
  parley user list --account acme
  parley user list --account acme --json
`,
    options: { account: { type: 'string' } },
    async run({ values, withServices }) {
      const accountId = requiredOption(values, 'account')
      const users = await withServices(async (services) => {
        await services.accounts.requireAccount(accountId)
        return (await services.accountConfig.users.list(SYSTEM_CALLER, { accountId })).value
      })
      const rows = users.map(summary)
      if (values.json) outJson(rows)
      else
        out(
          rows.length === 0
            ? `No users in account ${accountId}.`
            : rows
                .map(
                  (row) =>
                    `${String(row.id).padStart(6)}  ${row.loginName.padEnd(20)} ${row.nickname.padEnd(16)} ${row.roles.join(',').padEnd(14)} ${row.enabled ? 'enabled' : 'disabled'}`,
                )
                .join('\n'),
        )
      return 0
    },
  },
  {
    name: 'user passwd',
    summary: "set a user's password (logs the user out everywhere)",
    help: `Usage: parley user passwd --account ID --login NAME [password] [--json]

Sets the user's password (at least 8 characters) and ends the user's login sessions.

Options:
  --account ID               the account (required)
  --login NAME               the user's login name (required)
${passwordHelp('--password')}

Examples:
  parley user passwd --account acme --login carol --password-stdin < new-password.txt
  PARLEY_PASSWORD='another-long-secret' parley user passwd --account acme --login carol
`,
    options: { ...ACCOUNT_AND_LOGIN, password: { type: 'string' }, ...PASSWORD_STDIN_OPTION },
    async run({ values, env, withServices }) {
      const accountId = requiredOption(values, 'account')
      const loginName = requiredOption(values, 'login')
      const password = await readPassword(values, env, 'password')
      const { userId } = await withServices((services) =>
        services.accounts.setUserPassword(accountId, loginName, password),
      )
      if (values.json) outJson({ accountId, userId, loginName, passwordChanged: true })
      else out(`Changed the password of "${loginName}" in ${accountId}; its login sessions ended.`)
      return 0
    },
  },
  {
    name: 'user disable',
    summary: 'disable a user: logged out at once, cannot log in',
    help: `Usage: parley user disable --account ID --login NAME [--json]

Disables the user: their login sessions end at once and they cannot log in until enabled again.
The user and their history stay.

Examples:
  parley user disable --account acme --login carol
  parley user enable --account acme --login carol
`,
    options: ACCOUNT_AND_LOGIN,
    run: setEnabled(false),
  },
  {
    name: 'user enable',
    summary: 'enable a disabled user again',
    help: `Usage: parley user enable --account ID --login NAME [--json]

Enables a user that \`parley user disable\` (or the configuration API) disabled.

Examples:
  parley user enable --account acme --login carol
`,
    options: ACCOUNT_AND_LOGIN,
    run: setEnabled(true),
  },
]
