import type { HistorySearchResult } from '../../core/history/engagement-history.service.ts'
import type { LinkParams } from '../../core/history/search-request.ts'

/** Where the links point: the public origin and the account. */
export interface LinkBase {
  origin: string
  accountId: string
}

interface Link {
  rel: string
  href: string
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** `encodeURIComponent` with `:` and `,` left literal (Decision D4: `sort=start:desc,duration:asc`). */
export function encodeLinkValue(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(/%3A/g, ':').replace(/%2C/g, ',')
}

/**
 * The href of one page: always the `/interaction_history` search path, then `limit`, `offset`,
 * `sort` and `source` (the last two only when the request had them), so that page k's `next` is
 * byte for byte page k+1's `self`.
 */
export function searchHref(base: LinkBase, limit: number, offset: number, params: LinkParams): string {
  let query = `limit=${limit}&offset=${offset}`
  if (params.sort !== undefined) query += `&sort=${encodeLinkValue(params.sort)}`
  if (params.source !== undefined) query += `&source=${encodeLinkValue(params.source)}`
  return `${base.origin}/interaction_history/api/account/${encodeURIComponent(base.accountId)}/interactions/search?${query}`
}

/** `_metadata` per engagement-history.md §4.1: count, next, prev, last, self, shardsStatusResult. */
export function presentMetadata(base: LinkBase, result: HistorySearchResult): Record<string, unknown> {
  const { count, offset, limit, linkParams } = result
  const link = (rel: string, at: number): Link => ({ rel, href: searchHref(base, limit, at, linkParams) })
  const metadata: Record<string, unknown> = { count }
  if (count > 0) {
    if (offset + limit < count) metadata.next = link('next', offset + limit)
    if (offset > 0) metadata.prev = link('prev', Math.max(0, offset - limit))
    if (count > limit) metadata.last = link('last', Math.floor((count - 1) / limit) * limit)
  }
  metadata.self = link('self', offset)
  metadata.shardsStatusResult = { failureShards: 0, totalShards: 1, partialResult: false }
  return metadata
}

/**
 * The whole response document as JSON text. Records are embedded as archived: the archive keeps
 * them in section order (§5, `inSectionOrder`), so they need no parsing or re-serialising here.
 */
export function presentSearchPage(base: LinkBase, result: HistorySearchResult): string {
  return `{"_metadata":${JSON.stringify(presentMetadata(base, result))},"interactionHistoryRecords":[${result.documents.join(',')}]}`
}
