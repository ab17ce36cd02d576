#!/usr/bin/env node
// Runs the compiled CLI when it exists (npm start builds it); otherwise the TypeScript sources,
// which Node 24 runs directly by stripping types.
import { existsSync } from 'node:fs'

const compiled = new URL('../dist/cli/index.js', import.meta.url)
const entry = existsSync(compiled) ? compiled : new URL('../src/cli/index.ts', import.meta.url)
await import(entry.href)
