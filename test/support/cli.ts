import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { pollUntil } from './poll-until.ts'

/** The CLI entry point, run directly by Node 24 (types stripped). */
export const CLI_PATH = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url))

/** The environment for a CLI child: this process's, without any PARLEY_* variable, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('PARLEY_')) env[name] = value
  return { ...env, ...extra }
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs `parley ARGS` to completion and returns its exit code and output. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd,
      env: cliEnv(options.env),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    if (options.input !== undefined) child.stdin?.end(options.input)
    let stdout = ''
    let stderr = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** A long-running `parley` child (e.g. `serve`) whose output is collected as it arrives. */
export interface CliProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Polls stdout until `pattern` matches and returns the match. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Sends SIGTERM if still running and waits for the exit. */
  stop(): Promise<void>
}

export function startCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let running = true
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      running = false
      resolve({ code, signal })
    })
  })
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitForOutput(pattern) {
      let match: RegExpMatchArray | null = null
      await pollUntil(() => {
        match = stdout.match(pattern)
        if (match) return true
        if (!running) throw new Error(`parley exited before printing ${pattern}:\n${stdout}\n${stderr}`)
        return false
      })
      return match!
    },
    async stop() {
      if (running) child.kill('SIGTERM')
      await exited
    },
  }
}
