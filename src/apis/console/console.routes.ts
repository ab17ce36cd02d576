import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ParleyApp } from '../../http/parley-app.ts'
import { requestTarget } from '../../http/rewrite-url.ts'

/**
 * `dist/console/` of this checkout: `src/apis/console/` and `dist/apis/console/` both sit three
 * levels below the project root, so the same relative path works from sources and from the build.
 */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url))

/**
 * The console only loads its own files and talks to its own origin: no inline script or style,
 * no frames, no plugins. `data:` images are allowed for nothing; fonts are the system's.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
}

/** Vite puts content-hashed files under `assets/`: they never change, so they are cached for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable'

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/**
 * Serves the Parley Console (docs/console.md) at `/console/`: files of `consoleDir`, hashed
 * assets immutable, everything else (index.html) `no-cache`; any other path without a file
 * extension is a client route and gets `index.html` (SPA fallback). Every answer carries the
 * console's Content-Security-Policy.
 */
export function registerConsoleRoutes(app: ParleyApp, deps: { consoleDir?: string | undefined } = {}): void {
  const root = normalize(deps.consoleDir ?? DEFAULT_CONSOLE_DIR)
  const rootPrefix = root.endsWith(sep) ? root : `${root}${sep}`

  const security = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .header('cross-origin-opener-policy', 'same-origin')

  const sendFile = (reply: FastifyReply, path: string, cacheControl: string) =>
    security(reply)
      .header('content-type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream')
      .header('cache-control', cacheControl)
      .send(createReadStream(path))

  const notBuilt = (reply: FastifyReply) =>
    security(reply)
      .code(503)
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      .send('The Parley Console is not built. Run `npm run build` (or `npm run build:web`) and reload.\n')

  const notFound = (reply: FastifyReply) =>
    security(reply)
      .code(404)
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send('Not found\n')

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    // The path as the client sent it: routing drops a trailing slash and a `.json` suffix.
    const path = requestTarget(request.raw).path.replace(/\/{2,}/g, '/')
    if (path === '/console') return reply.redirect('/console/', 301)
    let relative: string
    try {
      relative = decodeURIComponent(path.slice('/console/'.length))
    } catch {
      return notFound(reply)
    }
    const index = join(root, 'index.html')
    if (relative === '' || relative === 'index.html') {
      return (await isFile(index)) ? sendFile(reply, index, 'no-cache') : notBuilt(reply)
    }
    const target = normalize(join(root, relative))
    // `..`, encoded or not, never leaves the console folder; dot files are never served.
    if (!target.startsWith(rootPrefix) || relative.split('/').some((part) => part.startsWith('.'))) {
      return notFound(reply)
    }
    if (await isFile(target)) {
      return sendFile(reply, target, relative.startsWith('assets/') ? IMMUTABLE : 'no-cache')
    }
    // A missing asset is a 404 (an HTML page there would break the script); a path without an
    // extension is a client route, answered with the application.
    if (relative.startsWith('assets/') || extname(relative) !== '') return notFound(reply)
    return (await isFile(index)) ? sendFile(reply, index, 'no-cache') : notBuilt(reply)
  }
  const opts = { config: { requireAccount: false } } as const
  app.get('/console', opts, serve)
  app.get('/console/*', opts, serve)
}
