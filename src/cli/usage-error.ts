/** A command-line mistake (missing or invalid option): reported with exit code 2 and a pointer to --help. */
export class UsageError extends Error {}
