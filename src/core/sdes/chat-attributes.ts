import type { SdeEvent } from '../history/record.types.ts'
import type { Chat, Engagement } from '../chat/chat.types.ts'
import {
  engagementAttributesRepository,
  type AttributeQuery,
} from '../../storage/repositories/engagement-attributes.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { toHistoryEvent } from './sde-mapping.ts'
import type { StoredEngagementAttribute } from './sde.types.ts'

/** How long before the chat request a report still counts as pre-chat (engagement-history.md §6.2). */
export const PRE_CHAT_WINDOW_MS = 6 * 60 * 60 * 1000

type ChatLink = Pick<Chat, 'accountId' | 'visitorId' | 'requestedAt' | 'request'>

/**
 * The reports that belong to a chat up to `until` (engagement-history.md §6.2): visitor id = the
 * request's `LETagVisitorId` or the chat's numeric visitor id; `sid` = its `LETagSessionId` when
 * the request had one; received from 6 hours before the chat request to `until`.
 */
export function chatAttributeQuery(chat: ChatLink, until: number): AttributeQuery {
  const visitorIds = [chat.request.sharkVisitorId, chat.visitorId].filter(
    (id): id is string => id !== undefined && id !== '',
  )
  return {
    accountId: chat.accountId,
    visitorIds: [...new Set(visitorIds)],
    ...(chat.request.sharkSessionId === undefined ? {} : { sessionId: chat.request.sharkSessionId }),
    from: chat.requestedAt - PRE_CHAT_WINDOW_MS,
    to: until,
  }
}

/** A chat's attributes reported up to `until`, in the order received. */
export function chatAttributes(db: Executor, chat: ChatLink, until: number): Promise<StoredEngagementAttribute[]> {
  return engagementAttributesRepository.list(db, chatAttributeQuery(chat, until))
}

/**
 * The `sdes` section of an ended engagement's record (engagement-history.md §5.8, §6): every
 * attribute reported before the chat (6 h window) and up to the engagement's end.
 */
export async function engagementSdesOf(
  db: Executor,
  chat: ChatLink,
  engagement: Pick<Engagement, 'endedAt'>,
): Promise<{ events: SdeEvent[] }> {
  if (engagement.endedAt === null) return { events: [] }
  const attributes = await chatAttributes(db, chat, engagement.endedAt)
  return { events: attributes.map(toHistoryEvent) }
}
