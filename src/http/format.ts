import type { IncomingHttpHeaders } from 'node:http'

export type WireFormat = 'json' | 'xml'

const JSON_ONLY_PATHS = [
  /^\/interaction_history\//,
  /^\/operations\//,
  /^\/csdr\//,
  /^\/sentinel\//,
  /^\/api\/account\/[^/]+\/(service|configuration|monitoring|interactions|login|refresh|logout)(\/|$)/,
  /^\/(healthz|readyz)$/,
]

/** True for the API families that always answer JSON (Decision D1). */
export function isJsonOnlyPath(path: string): boolean {
  return JSON_ONLY_PATHS.some((pattern) => pattern.test(path))
}

/**
 * Decision D1 for the Chat and Agent APIs: the suffix wins, then `Accept` containing
 * `application/json`, then an XML type in `Accept`; no `Accept` or `* / *` means XML.
 */
export function negotiateFormat(suffix: WireFormat | undefined, headers: IncomingHttpHeaders): WireFormat {
  if (suffix) return suffix
  const accept = (headers.accept ?? '').toLowerCase()
  if (accept.includes('application/json')) return 'json'
  return 'xml'
}
