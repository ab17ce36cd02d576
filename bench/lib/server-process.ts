import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { processTree } from './proc-stats.ts'

const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url))

/** A `parley serve` child process the benchmark talks to over HTTP. */
export interface ServerProcess {
  baseUrl: string
  pid: number
  /** Resident and peak resident memory of the server process and its workers (Linux /proc), in MiB. */
  memory(): { rssMiB: number; peakMiB: number }
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 }
}

/**
 * Starts `parley serve` on a free port against `database` (no demo account, warnings only) with
 * the same Node binary as the benchmark, and waits until `/healthz` answers.
 */
export async function startServerProcess(
  database: string,
  env: NodeJS.ProcessEnv = {},
  logFile?: string,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  return startHttpProcess(
    (port) => [
      CLI,
      'serve',
      '--database',
      database,
      '--port',
      String(port),
      '--no-demo',
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    env,
    logFile,
  )
}

/**
 * Starts a Node script that listens on the port it is given (`args(port)`) with the benchmark's
 * Node binary, and waits until its `/healthz` answers. Its output goes to `logFile` (appended)
 * when given, else to the benchmark's own.
 */
export async function startHttpProcess(
  args: (port: number) => string[],
  env: NodeJS.ProcessEnv = {},
  logFile?: string,
): Promise<ServerProcess> {
  const port = await freePort()
  const log = logFile === undefined ? 'inherit' : openSync(logFile, 'a')
  const child: ChildProcess = spawn(process.execPath, args(port), {
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  })
  if (typeof log === 'number') closeSync(log)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args(port).join(' ')} exited with code ${child.exitCode}`)
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${args(port).join(' ')} did not answer /healthz within 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    baseUrl,
    pid: child.pid!,
    memory: () =>
      processTree(child.pid!).reduce(
        (sum, pid) => {
          try {
            const one = memoryOf(pid)
            return { rssMiB: sum.rssMiB + one.rssMiB, peakMiB: sum.peakMiB + one.peakMiB }
          } catch {
            return sum
          }
        },
        { rssMiB: 0, peakMiB: 0 },
      ),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
