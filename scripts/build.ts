// `npm run build` (and `npm start`): builds what is stale, part by part, and nothing else.
//
// Each step names its inputs (files and folders) and its output; a fingerprint of the inputs
// (every file's path, size and modification time) is kept in dist/.build-state.json. A step runs
// when its fingerprint changed or its output is missing, so a restart after no change costs a few
// file stats instead of a full TypeScript compilation. The TypeScript step is itself incremental
// (dist/.tsbuildinfo): after a change, only what the change affects is compiled again.
//
// Usage: node scripts/build.ts [--force]   (--force rebuilds every step)
// Adding a part: append a step to STEPS.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const STATE_FILE = join(root, 'dist', '.build-state.json')

interface Step {
  name: string
  /** Files and folders (walked recursively) whose change makes the step stale. */
  inputs: string[]
  /** Ignored input files (tests are not built). */
  exclude?: (path: string) => boolean
  /** A file the step produces: when it is missing the step runs. */
  output: string
  run(): void
}

const STEPS: Step[] = [
  {
    name: 'server (tsc)',
    inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    exclude: (path) => path.endsWith('.test.ts'),
    output: 'dist/cli/index.js',
    run: () => {
      // tsc's incremental state does not notice deleted outputs: without the entry point, start afresh.
      if (!existsSync(join(root, 'dist/cli/index.js'))) rmSync(join(root, 'dist/.tsbuildinfo'), { force: true })
      runNode(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'])
    },
  },
  {
    name: 'browser bridge page',
    inputs: ['src/apis/browser/bridge.html'],
    output: 'dist/apis/browser/bridge.html',
    run: () => cpSync(join(root, 'src/apis/browser/bridge.html'), join(root, 'dist/apis/browser/bridge.html')),
  },
  {
    // The Parley Console (docs/console.md): Vite builds web/ into dist/console/, then the first-load
    // JavaScript is measured against its budget (the build fails above it).
    name: 'web console (vite)',
    inputs: ['web', 'package-lock.json'],
    output: 'dist/console/index.html',
    run: () => {
      runNode(['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])
      runNode(['web/bundle-size.ts'])
    },
  },
]

function runNode(args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** Every input file with its size and modification time, sorted: changes, additions and deletions all show. */
function fingerprint(step: Step): string {
  const hash = createHash('sha256')
  const visit = (path: string): void => {
    const absolute = join(root, path)
    const stat = statSync(absolute, { throwIfNoEntry: false })
    if (!stat) {
      hash.update(`${path}:missing\n`)
      return
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(absolute).sort()) visit(join(path, entry))
      return
    }
    if (step.exclude?.(path)) return
    hash.update(`${relative(root, absolute)}:${stat.size}:${stat.mtimeMs}\n`)
  }
  for (const input of step.inputs) visit(input)
  return hash.digest('hex')
}

function readState(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Record<string, string>
  } catch {
    return {}
  }
}

const force = process.argv.includes('--force')
const state = readState()
for (const step of STEPS) {
  const print = fingerprint(step)
  if (!force && state[step.name] === print && existsSync(join(root, step.output))) continue
  const started = performance.now()
  process.stderr.write(`build: ${step.name}...`)
  step.run()
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  state[step.name] = print
  mkdirSync(dirname(STATE_FILE), { recursive: true })
  // Saved after each step: an interrupted build redoes only what did not finish.
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`)
}
