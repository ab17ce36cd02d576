import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One fenced code block of a Markdown page. */
export interface DocBlock {
  /** The fence's info string, e.g. `sh` or `sh no-run`. */
  info: string
  /** 1-based line of the block's first code line in its page. */
  line: number
  code: string
}

/** A page's runnable shell blocks, in order. */
export interface DocPage {
  /** Path relative to the repository root, e.g. `docs/chat-api.md`. */
  path: string
  blocks: DocBlock[]
}

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell'])

/** Every fenced block of `markdown` (``` fences, info string kept). */
export function fencedBlocks(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]!)
    if (!open) continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end] !== '```') end++
    blocks.push({ info: open[1]!.trim(), line: start + 1, code: lines.slice(start, end).join('\n') })
    i = end
  }
  return blocks
}

/** A shell block runs unless its info string says `no-run` (docs/README.md). */
export function isShell(block: DocBlock): boolean {
  return SHELL_LANGUAGES.has(block.info.split(/\s+/)[0]!)
}

export function isRunnable(block: DocBlock): boolean {
  return isShell(block) && !block.info.split(/\s+/).includes('no-run')
}

/**
 * The pages whose shell blocks the docs test runs: README.md first, then the docs/ pages in the
 * order the README's documentation list links them (a reader's order), then any other docs/ page
 * alphabetically, so a new page is picked up without touching the test.
 */
export function docPages(root: string): DocPage[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const linked = [...readme.matchAll(/\]\((docs\/[\w.-]+\.md)\)/g)].map((m) => m[1]!)
  const all = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
    .sort()
  const order = ['README.md', ...new Set([...linked.filter((path) => all.includes(path)), ...all])]
  return order.map((path) => ({ path, blocks: fencedBlocks(readFileSync(join(root, path), 'utf8')) }))
}
