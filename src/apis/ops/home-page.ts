import { readFileSync } from 'node:fs'

/**
 * No script, no inline style, nothing from elsewhere: the page is static text and links. `style-src`
 * allows nothing either, so the page is unstyled on purpose.
 */
export const HOME_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** LivePerson's public documentation of the APIs Parley implements. */
const LIVEPERSON_DOCS = 'https://developers.liveperson.com/'

/** What the page shows; every value is escaped when rendered. */
export interface HomePageView {
  version: string
  /** `scheme://host[:port]` clients use (the public URL, else the request's own origin). */
  origin: string
}

/** The version in package.json, read once (`src/` and `dist/` are both two folders below the root). */
export function readParleyVersion(file: URL = new URL('../../../package.json', import.meta.url)): string {
  try {
    const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }
    return typeof version === 'string' ? version : 'unknown'
  } catch {
    return 'unknown'
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!)
}

/**
 * The page `GET /` answers: what this server is, its version, and where to go next (the console,
 * health checks, the documentation), instead of the API's XML 404.
 */
export function renderHomePage(view: HomePageView): string {
  const version = escapeHtml(view.version)
  const origin = escapeHtml(view.origin)
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Parley ${version}</title>
</head>
<body>
<main>
<h1>Parley</h1>
<p>A self-hosted live-chat server that speaks LivePerson's legacy chat APIs: the visitor Server Chat
API, the Chat Agent API, the Login Service, the Domain API, Engagement History, Engagement Attributes
and the account configuration API. LivePerson clients talk to it unmodified.</p>
<p>Version <strong>${version}</strong>, answering at <code>${origin}</code>.</p>
<h2>Start here</h2>
<ul>
<li><a href="/console/">Console</a>: agents chat with visitors, admins manage the account.</li>
<li><a href="/healthz">/healthz</a>: the process answers (liveness).</li>
<li><a href="/readyz">/readyz</a>: the database answers too (readiness; 503 when it does not).</li>
</ul>
<h2>Documentation</h2>
<ul>
<li>The <code>README.md</code> and <code>docs/</code> folder of your Parley checkout: configuration,
the command line (<code>npx parley --help</code>), and a page per API with examples that run against
the demo account (<code>docs/chat-api.md</code>, <code>docs/agent-api.md</code>,
<code>docs/engagement-history.md</code>, …).</li>
<li><a href="${LIVEPERSON_DOCS}" rel="noopener noreferrer">LivePerson's developer documentation</a>
describes the APIs themselves; Parley answers them under <code>${origin}/api/account/{accountId}/…</code>
(Domain API: <code>${origin}/api/account/{accountId}/service/{service}/baseURI.json?version=1.0</code>).</li>
</ul>
</main>
</body>
</html>
`
}
