/**
 * Measures the console's first-load JavaScript (the entry script and every module it preloads,
 * as index.html references them) gzipped, prints it, records it in dist/console/bundle-size.json
 * and fails the build above the budget (issue 13: 150 kB).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_BYTES = 150 * 1024
const dist = fileURLToPath(new URL('../dist/console/', import.meta.url))
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const scripts = [
  ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/console\/([^"]+\.js)"/g),
].map((match) => match[1] ?? '')
const files = scripts.map((file) => {
  const bytes = readFileSync(join(dist, file))
  return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
})
const total = files.reduce((sum, entry) => sum + entry.gzip, 0)
writeFileSync(
  join(dist, 'bundle-size.json'),
  `${JSON.stringify({ firstLoadJsGzipBytes: total, budgetBytes: BUDGET_BYTES, files }, null, 2)}\n`,
)
process.stdout.write(
  `console first-load JS: ${(total / 1024).toFixed(1)} kB gzipped (budget ${BUDGET_BYTES / 1024} kB) in ${files.length} file(s)\n`,
)
if (files.length === 0 || total > BUDGET_BYTES) {
  process.stderr.write(files.length === 0 ? 'no script found in index.html\n' : 'over the JavaScript budget\n')
  process.exit(1)
}
