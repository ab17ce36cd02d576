#!/usr/bin/env node
// `npx parley` and `npm run parley` land here. Parley runs on Node 24, which `npm install` puts in
// node_modules (the `node` dependency): when the Node running this file is older (the system's),
// it hands over to that one. It then runs the compiled CLI when `npm run build` / `npm start` left
// it up to date, otherwise the TypeScript sources, which Node 24 runs directly by stripping types.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const REQUIRED_MAJOR = 24

if (Number(process.versions.node.split('.')[0]) < REQUIRED_MAJOR) {
  let bundled
  try {
    // The `node` package's own binary, wherever npm placed it.
    bundled = createRequire(import.meta.url).resolve('node/bin/node')
  } catch {
    bundled = undefined
  }
  if (!bundled || !existsSync(bundled)) {
    process.stderr.write(
      `parley: needs Node ${REQUIRED_MAJOR} or later (this is ${process.version}); run "npm install" in the Parley folder, which installs it\n`,
    )
    process.exit(1)
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  // Ctrl-C reaches the child too (same process group): it decides when to stop, this one waits.
  // Forwarding it would count as a second Ctrl-C. SIGTERM and SIGHUP are sent to this process only.
  process.on('SIGINT', () => {})
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)))
} else {
  const compiled = new URL('../dist/cli/index.js', import.meta.url)
  const entry = isBuildCurrent() ? compiled : new URL('../src/cli/index.ts', import.meta.url)
  await import(entry.href)
}

/** True when dist was built (scripts/build.ts) after the last change to src. */
function isBuildCurrent() {
  const state = fileURLToPath(new URL('../dist/.build-state.json', import.meta.url))
  const built = statSync(state, { throwIfNoEntry: false })?.mtimeMs
  if (built === undefined || !existsSync(new URL('../dist/cli/index.js', import.meta.url))) return false
  const newer = (dir) =>
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const path = `${dir}/${entry.name}`
      return entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > built
    })
  return !newer(fileURLToPath(new URL('../src', import.meta.url)))
}
