import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cliEnv } from '../support/cli.ts'
import { docPages, isRunnable, isShell } from './doc-blocks.ts'
import { BASE_DEFAULT, checkoutLike, ROOT, runBash } from './docs-runner.ts'

const pages = docPages(ROOT)

describe('documentation shell blocks', () => {
  it('follow the conventions of docs/README.md', () => {
    const problems: string[] = []
    for (const page of pages) {
      for (const block of page.blocks.filter(isShell)) {
        block.code.split('\n').forEach((line, index) => {
          const where = `${page.path}:${block.line + index}`
          const code = line.replace(/(^|\s)#.*$/, '')
          // Bare `parley` is not on a newcomer's PATH.
          if (/(^|[;&|(]\s*|\$\(\s*)parley\s/.test(code)) problems.push(`${where}: use npx parley`)
          // Runnable blocks reach the server through $BASE only, so the test never calls a real :8080.
          if (isRunnable(block) && /(localhost|127\.0\.0\.1):8080/.test(code.replace(BASE_DEFAULT, ''))) {
            problems.push(`${where}: use $BASE, set once as ${BASE_DEFAULT}`)
          }
        })
      }
    }
    expect(problems).toEqual([])
  })

  it('include runnable examples', () => {
    expect(pages.filter((page) => page.blocks.some(isRunnable)).length).toBeGreaterThan(5)
  })

  it('can call npx parley from a checkout (the examples run bin/parley.js directly)', async () => {
    const dir = checkoutLike()
    try {
      const result = await runBash('npx parley --help', dir, cliEnv())
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain('Usage: parley <command>')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
