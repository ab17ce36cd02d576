import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/**
 * The Parley Console build: `web/` → `dist/console/`, served by the server at `/console/`.
 * `npm run dev:web` proxies the APIs to a running server (`PARLEY_DEV_TARGET`, default
 * http://127.0.0.1:8080), so the console reloads on save while talking to real data.
 */
const target = process.env.PARLEY_DEV_TARGET ?? 'http://127.0.0.1:8080'
const proxied = ['/api', '/interaction_history', '/operations']

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // No inline script or style anywhere: the server's Content-Security-Policy forbids them.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target, changeOrigin: false }])),
  },
})
