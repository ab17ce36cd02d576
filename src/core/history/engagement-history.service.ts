import { ADMIN, AGENT_MANAGER } from '../accounts/accounts.types.ts'
import type { Actor } from '../actor.ts'
import { ParleyError, invalid } from '../errors.ts'
import { agentGroupsRepository } from '../../storage/repositories/agent-groups.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import type { HistoryQuery } from './history-query.types.ts'
import { parseSearchRequest, type LinkParams, type RawQuery, type SearchRequest } from './search-request.ts'

/** One page of an Engagement History search, with what the links need. */
export interface HistorySearchResult {
  /** Exact number of matching engagements visible to the caller. */
  count: number
  /** The records' archived JSON text, in section order (`HistoryPage.documents`). */
  documents: string[]
  offset: number
  /** Effective (clamped) page size. */
  limit: number
  linkParams: LinkParams
}

export interface EngagementHistoryService {
  /**
   * Retrieve Engagement List by Criteria (engagement-history.md §2): checks access first, then
   * validates the raw query and body (Decision D4) and runs the search through `HistoryQuery`.
   * FORBIDDEN for callers without access, VALIDATION_FAILED naming the field for bad input.
   */
  search(actor: Actor | null, accountId: string, query: RawQuery, body: unknown): Promise<HistorySearchResult>
  /** The single-engagement lookup (§2.1): `{"engagementId": ...}` gives zero or one record. */
  lookup(actor: Actor | null, accountId: string, query: RawQuery, body: unknown): Promise<HistorySearchResult>
}

const forbidden = (): ParleyError => new ParleyError('FORBIDDEN', 'Unauthorized account access')

/** `roots` and every group below them through `parent_group_id` (deleted groups included: old records keep their ids). */
export function withDescendants(
  roots: readonly number[],
  groups: ReadonlyArray<{ id: number; parentGroupId: number | null }>,
): number[] {
  const children = new Map<number, number[]>()
  for (const group of groups) {
    if (group.parentGroupId === null) continue
    const siblings = children.get(group.parentGroupId) ?? []
    siblings.push(group.id)
    children.set(group.parentGroupId, siblings)
  }
  const visible = new Set<number>()
  const pending = [...roots]
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (visible.has(id)) continue
    visible.add(id)
    pending.push(...(children.get(id) ?? []))
  }
  return [...visible].sort((a, b) => a - b)
}

export function createEngagementHistoryService(deps: {
  db: Executor
  historyQuery: HistoryQuery
}): EngagementHistoryService {
  const { db, historyQuery } = deps

  /**
   * Which agent groups the caller may see: undefined = everything. API keys need the
   * `engagementHistory` permission; Admins see everything; Agent Managers see the engagements of
   * their `managerOf` groups and all groups below them (docs/engagement-history.md).
   */
  async function visibleGroups(actor: Actor | null, accountId: string): Promise<number[] | undefined> {
    if (!actor || actor.accountId !== accountId) throw forbidden()
    if (actor.kind === 'apiKey') {
      if (actor.permissions.includes('engagementHistory')) return undefined
      throw forbidden()
    }
    if (actor.kind !== 'user') throw forbidden()
    if (actor.permissionGroups.includes(ADMIN)) return undefined
    if (!actor.permissionGroups.includes(AGENT_MANAGER)) throw forbidden()
    if (actor.managedGroupIds.length === 0) return []
    return withDescendants(actor.managedGroupIds, await agentGroupsRepository.list(db, accountId, true))
  }

  async function run(request: SearchRequest, visible: number[] | undefined): Promise<HistorySearchResult> {
    const { filter, sort, offset, limit, linkParams } = request
    if (request.matchesNothing || visible?.length === 0) return { count: 0, documents: [], offset, limit, linkParams }
    if (visible) filter.visibleAgentGroupIds = visible
    const page = await historyQuery.search(filter, sort, offset, limit)
    return { count: page.count, documents: page.documents, offset, limit, linkParams }
  }

  return {
    async search(actor, accountId, query, body) {
      const visible = await visibleGroups(actor, accountId)
      return run(parseSearchRequest(accountId, query, body), visible)
    },
    async lookup(actor, accountId, query, body) {
      const visible = await visibleGroups(actor, accountId)
      const engagementId = (body as { engagementId?: unknown } | null | undefined)?.engagementId
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'must be an object')
      if (engagementId === undefined || engagementId === null || engagementId === '')
        throw invalid('engagementId', 'is required')
      return run(parseSearchRequest(accountId, query, { engagementId }), visible)
    },
  }
}
