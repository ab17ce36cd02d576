import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { DialectName } from '../../src/storage/dialect/dialect.ts'
import { cliEnv, startCli, type CliProcess } from '../support/cli.ts'
import { pollUntil } from '../support/poll-until.ts'
import { docPages, isRunnable, type DocPage } from './doc-blocks.ts'

/**
 * Runs every runnable shell block of README.md and docs/*.md, as written, against a fresh
 * `parley serve` with the demo account (docs/README.md describes the conventions). Pages run in the
 * README's reading order on one server per database, so an example that destroys what a later page
 * needs fails here; each page runs in its own bash session (`set -Eeuo pipefail`), so a page that
 * relies on another page's variables fails too. One test file per database, so vitest may run both at once.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LISTENING = /Parley is listening on (http:\/\/127\.0\.0\.1:\d+)/
const PAGE_TIMEOUT_MS = 180_000
/** The only place a page may name the default address: `BASE=${BASE:-http://127.0.0.1:8080}`. */
export const BASE_DEFAULT = 'BASE=${BASE:-http://127.0.0.1:8080}'

/**
 * Prepended to every page. Strict mode, a report of the failing line, and `curl` failing on HTTP
 * errors (`--fail-with-body`) unless the call shows its status itself (`-i`/`--include`, or `-w`),
 * which is how a page documents an expected error. `npx parley` and `npx node` run the checkout's
 * CLI and the project's Node directly: the same programs npx resolves to (docs-conventions.test.ts),
 * without npm's start-up on every call, which costs seconds each on a busy machine.
 */
const PRELUDE = [
  'set -Eeuo pipefail',
  // The failing line and, inside a function (curl, npx, a page's helper), the lines that called it.
  `trap 'echo "docs-examples: exit code $? at script lines $LINENO \${BASH_LINENO[*]}" >&2' ERR`,
  'npx() {',
  '  case "${1:-}" in',
  '    parley) shift; "$DOCS_NODE" "$PWD/bin/parley.js" "$@" ;;',
  '    node) shift; "$DOCS_NODE" "$@" ;;',
  '    *) command npx "$@" ;;',
  '  esac',
  '}',
  'curl() {',
  '  local arg shows_status=',
  '  for arg in "$@"; do',
  '    case "$arg" in',
  '      --include|--write-out) shows_status=1 ;;',
  '      --*) ;;',
  '      -*[iw]*) shows_status=1 ;;',
  '    esac',
  '  done',
  '  if [ -n "$shows_status" ]; then command curl "$@"; else command curl --fail-with-body "$@"; fi',
  '}',
]

interface Script {
  text: string
  /** For each script line (0-based), `path:line` in the page, or undefined for prelude lines. */
  origin: Array<string | undefined>
}

export function pageScript(page: DocPage): Script {
  const lines: string[] = [...PRELUDE]
  const origin: Array<string | undefined> = PRELUDE.map(() => undefined)
  for (const block of page.blocks.filter(isRunnable)) {
    block.code.split('\n').forEach((line, index) => {
      lines.push(line)
      origin.push(`${page.path}:${block.line + index}`)
    })
  }
  return { text: `${lines.join('\n')}\n`, origin }
}

interface BashResult {
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/** Runs `script` with bash in `cwd`, killing its whole process group after the page timeout. */
export function runBash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      timedOut = true
      process.kill(-child.pid!, 'SIGKILL')
    }, PAGE_TIMEOUT_MS)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, timedOut })
    })
  })
}

/** A failure report naming the page line the script stopped at. */
export function explain(script: Script, result: BashResult): string {
  const at = /exit code \d+ at script lines ([\d ]+)/.exec(result.stderr)
  const lines = at ? at[1]!.trim().split(/\s+/).map(Number) : []
  // The innermost line that is on the page: a failure inside the prelude's curl names its caller.
  const where = lines.map((line) => script.origin[line - 1]).find((origin) => origin !== undefined)
  const tail = (text: string) => text.split('\n').slice(-25).join('\n')
  return [
    result.timedOut
      ? `timed out after ${PAGE_TIMEOUT_MS} ms`
      : `bash exited with ${result.code} at ${where ?? 'an unknown line'}`,
    '--- stdout (tail)',
    tail(result.stdout),
    '--- stderr (tail)',
    tail(result.stderr),
  ].join('\n')
}

/**
 * A directory that looks like a fresh checkout to the examples (`./data/…`, `./src/…`,
 * `npx parley`), without touching the repository's own data/: the sources and node_modules are
 * linked, bin/parley.js is copied so it runs the sources rather than a possibly stale dist/.
 */
export function checkoutLike(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-docs-'))
  for (const name of ['package.json', 'node_modules', 'src']) symlinkSync(join(ROOT, name), join(dir, name))
  mkdirSync(join(dir, 'bin'))
  copyFileSync(join(ROOT, 'bin', 'parley.js'), join(dir, 'bin', 'parley.js'))
  mkdirSync(join(dir, 'data'))
  return dir
}

/** Defines the suite that runs every page's examples against a fresh server on `dialect`. */
export function describeDocExamples(dialect: DialectName): void {
  const pages = docPages(ROOT)
  describe(`documentation examples against a fresh server [${dialect}]`, () => {
    let dir: string
    let server: CliProcess
    let base: string
    const env: Record<string, string> = {}
    let dropDatabase = async (): Promise<void> => {}

    beforeAll(async () => {
      dir = checkoutLike()
      if (dialect === 'postgres') {
        // A database of its own: the run's shared one already holds other tests' accounts, and the
        // demo account is only created on an empty database.
        const runUrl = inject('postgresUrl')!
        const name = `parley_docs_${randomBytes(6).toString('hex')}`
        const admin = new pg.Client({ connectionString: runUrl })
        await admin.connect()
        await admin.query(`create database ${name}`)
        await admin.end()
        const url = new URL(runUrl)
        url.pathname = `/${name}`
        env.PARLEY_DATABASE_URL = url.toString()
        dropDatabase = async () => {
          const client = new pg.Client({ connectionString: runUrl })
          await client.connect()
          await client.query(`drop database if exists ${name} with (force)`)
          await client.end()
        }
      }
      server = startCli(['serve', '--port', '0', '--log-level', 'warn'], { cwd: dir, env })
      // Start-up (type stripping, migrations, the demo account) takes long on a busy machine.
      let exited = false
      void server.exited.then(() => (exited = true))
      await pollUntil(
        () => {
          if (exited) throw new Error(`parley serve exited:\n${server.stdout()}\n${server.stderr()}`)
          return LISTENING.test(server.stdout()) && server.stdout().includes('Try:\n')
        },
        { timeoutMs: 90_000, intervalMs: 100, message: 'parley serve did not start within 90 s' },
      )
      base = LISTENING.exec(server.stdout())![1]!
    }, 120_000)

    afterAll(async () => {
      await server?.stop()
      await dropDatabase()
      rmSync(dir, { recursive: true, force: true })
    })

    for (const page of pages.filter((p) => p.blocks.some(isRunnable))) {
      it(
        `${page.path} runs as written`,
        async () => {
          const script = pageScript(page)
          // The examples' own CLI calls (npx parley …) use the server's database through the
          // environment, as a self-hoster's shell would.
          const result = await runBash(script.text, dir, cliEnv({ ...env, BASE: base, DOCS_NODE: process.execPath }))
          expect(result.code, explain(script, result)).toBe(0)
        },
        PAGE_TIMEOUT_MS + 10_000,
      )
    }
  })
}
