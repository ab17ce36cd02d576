/** A command-line mistake (missing or invalid option): reported with exit code 2 and a pointer to --help. */
export class UsageError extends Error {}

/** An expected failure the CLI reports as one line on stderr (no stack) with `exitCode` (default 1). */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 1) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}
