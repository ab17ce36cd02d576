import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv } from '../support/cli.ts'
import { docPages, fencedBlocks, isRunnable, isShell } from './doc-blocks.ts'
import { explain, pageScript, ROOT, runBash } from './docs-runner.ts'

const PAGE = [
  '# A page',
  '',
  '```sh',
  'echo one',
  '```',
  '',
  '```sh no-run',
  'npm start',
  '```',
  '',
  '```json',
  '{"a": 1}',
  '```',
  '',
  '```bash',
  'echo two',
  '```',
].join('\n')

describe('doc blocks', () => {
  it('finds fenced blocks with their info string and first code line', () => {
    const blocks = fencedBlocks(PAGE)
    expect(blocks.map((b) => [b.info, b.line, b.code])).toEqual([
      ['sh', 4, 'echo one'],
      ['sh no-run', 8, 'npm start'],
      ['json', 12, '{"a": 1}'],
      ['bash', 16, 'echo two'],
    ])
    expect(blocks.map(isShell)).toEqual([true, true, false, true])
    expect(blocks.map(isRunnable)).toEqual([true, false, false, true])
  })

  it('orders pages as the README links them, README first, unlinked pages last', () => {
    const paths = docPages(ROOT).map((page) => page.path)
    expect(paths[0]).toBe('README.md')
    expect(paths.indexOf('docs/account-config.md')).toBeLessThan(paths.indexOf('docs/engagement-history.md'))
    expect(new Set(paths).size).toBe(paths.length)
  })
})

describe('the page runner', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/ok' ? 200 : 404
      response.end(request.url === '/ok' ? 'fine' : 'missing')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const run = (code: string) => {
    const page = { path: 'docs/x.md', blocks: [{ info: 'sh', line: 10, code }] }
    const script = pageScript(page)
    return runBash(script.text, ROOT, cliEnv({ URL: url })).then((result) => ({ result, script }))
  }

  it('fails a page on an HTTP error and names the page line', async () => {
    const { result, script } = await run('curl -s "$URL/ok"\ncurl -s "$URL/nope"\necho unreachable')
    expect(result.code).not.toBe(0)
    expect(result.stdout).toContain('fine')
    expect(result.stdout).not.toContain('unreachable')
    expect(explain(script, result)).toContain('at docs/x.md:11')
  })

  it('lets a call that shows its status (-i) document an error', async () => {
    const { result } = await run('curl -s -i "$URL/nope" | head -1\necho "done"')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('HTTP/1.1 404')
    expect(result.stdout).toContain('done')
  })

  it('fails a page on an unset variable and on a failing command in a pipeline', async () => {
    expect((await run('echo "$NOT_SET_ANYWHERE"')).result.code).not.toBe(0)
    expect((await run('false | cat')).result.code).not.toBe(0)
  })
})
