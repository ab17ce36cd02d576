import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

/** The bridge page and the headers it is served with; read once, when the routes are registered. */
export interface BridgePage {
  html: string
  etag: string
  /** Allows only the page's own inline script and same-origin fetches; deliberately no `frame-ancestors`. */
  contentSecurityPolicy: string
}

/**
 * Loads `bridge.html` next to this module (`npm run build` copies it into `dist/`), and derives a
 * Content-Security-Policy that pins the inline script by its SHA-256 hash.
 */
export function loadBridgePage(file: URL = new URL('./bridge.html', import.meta.url)): BridgePage {
  const html = readFileSync(file, 'utf8')
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1]
  if (script === undefined) throw new Error(`${file.pathname}: no inline script`)
  const scriptHash = createHash('sha256').update(script, 'utf8').digest('base64')
  return {
    html,
    etag: `"${createHash('sha256').update(html, 'utf8').digest('base64url').slice(0, 27)}"`,
    contentSecurityPolicy: `default-src 'none'; script-src 'sha256-${scriptHash}'; connect-src 'self'; base-uri 'none'; form-action 'none'`,
  }
}
