import type { Command } from './command.ts'

/** The words before the last one: `user create` belongs to group `user`. */
export const groupOf = (command: Command): string | undefined => {
  const words = command.name.split(' ')
  return words.length > 1 ? words.slice(0, -1).join(' ') : undefined
}

const line = (command: Command): string => `  ${command.name.padEnd(26)} ${command.summary}`

/** `parley --help`: every command, the common options and the first examples. */
export function mainHelp(commands: readonly Command[]): string {
  return `parley: self-hosted LivePerson-compatible chat server

Usage: parley <command> [options]        parley <command> --help for a command's options and examples

Commands:
${commands.map(line).join('\n')}

Common options:
  --database URL             SQLite file, sqlite:PATH or postgres://user@host/db (env PARLEY_DATABASE_URL,
                             default ./data/parley.db); only serve and migrate create a database
  --json                     machine-readable output
  --log-level LEVEL          debug shows the stack of a failure (env PARLEY_LOG_LEVEL)
  -h, --help                 show help

Passwords (account create, user create, user passwd): --password-stdin or PARLEY_PASSWORD keep them
out of the shell history.

Examples:
  parley serve --port 8080 --public-url https://chat.example.com
  parley account create --id acme --name "Acme Inc." --admin-user admin --password-stdin < pw.txt
  parley user create --account acme --login carol --skills Sales --password-stdin < pw.txt
  parley apikey list --account acme --json
  parley history generate --account acme --count 100000 --seed 7
  parley mail list --status failed --json
`
}

/** The first example of a command's help. */
const firstExample = (command: Command): string | undefined =>
  command.help
    .split('\nExamples:\n')[1]
    ?.split('\n')
    .find((example) => example.trim() !== '')

/** `parley user --help`: the group's commands and an example of each. */
export function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((command) => groupOf(command) === group)
  const examples = members.map(firstExample).filter((example) => example !== undefined)
  return `Usage: parley ${group} <command> [options]

Commands:
${members.map(line).join('\n')}

Run "parley ${group} <command> --help" for a command's options and examples.

Examples:
${examples.join('\n')}
`
}
