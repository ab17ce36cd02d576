import type { Actor } from '../actor.ts'
import type { Chat } from '../chat/chat.types.ts'
import type { Clock } from '../clock.ts'
import { invalid, ParleyError } from '../errors.ts'
import type { SdeEvent } from '../history/record.types.ts'
import { engagementAttributesRepository } from '../../storage/repositories/engagement-attributes.repository.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { chatAttributes } from './chat-attributes.ts'
import { parseEngagementAttributes } from './sde-input.ts'
import { toHistoryEvent, toParticipantInfo, type ParticipantInfo } from './sde-mapping.ts'

/** Engagement attributes (SDEs): the monitoring API's reports and what chats and agents see of them. */
export interface EngagementAttributesService {
  /**
   * Validates and stores one monitoring request (engagement-history.md §10): all attributes or
   * none, stamped with the receive time. VALIDATION_FAILED names the attribute and field;
   * FORBIDDEN for an API key without the `monitoring` permission. Returns how many were stored.
   */
  report(
    actor: Actor | null,
    input: { accountId: string; visitorId: string; sessionId: string | undefined; body: unknown },
  ): Promise<number>
  /** The chat's attributes so far (§6.2, up to now or the chat's end) in Engagement History shape. */
  chatEvents(chat: Chat): Promise<SdeEvent[]>
  /** A26 for an authenticated visitor's chat, from the chat's latest customer and personal info. */
  participantInfo(chat: Chat, participantId: string): Promise<ParticipantInfo>
}

const forbidden = (): ParleyError => new ParleyError('FORBIDDEN', 'Unauthorized account access')

/** Longest visitor id and `sid` accepted (LivePerson's ids are about 22 characters). */
export const MAX_MONITORING_ID = 256
/**
 * Reports older than this are deleted: a report counts for chats requested up to 6 hours later and
 * for as long as such a chat lasts, so a week keeps every realistic chat's attributes while the
 * table stays bounded (chats themselves are deleted a day after they end).
 */
export const ATTRIBUTE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000
const PURGE_INTERVAL_MS = 60 * 60 * 1000

export function createEngagementAttributesService(deps: { db: Executor; clock: Clock }): EngagementAttributesService {
  const { db, clock } = deps
  const until = (chat: Chat): number => chat.endedAt ?? clock.now()
  let lastPurge = 0

  /** At most hourly, on the reporting path (reports are rare next to chat polling). */
  async function purgeExpired(now: number): Promise<void> {
    if (now - lastPurge < PURGE_INTERVAL_MS) return
    lastPurge = now
    await engagementAttributesRepository.deleteReceivedBefore(db, now - ATTRIBUTE_RETENTION_MS)
  }

  return {
    async report(actor, input) {
      if (!actor || actor.accountId !== input.accountId) throw forbidden()
      if (actor.kind === 'apiKey' && !actor.permissions.includes('monitoring')) throw forbidden()
      if (actor.kind === 'visitorApp') throw forbidden()
      if (input.sessionId === undefined || input.sessionId.trim() === '') throw invalid('sid', 'is required')
      if (input.sessionId.length > MAX_MONITORING_ID)
        throw invalid('sid', `must be at most ${MAX_MONITORING_ID} characters`)
      if (input.visitorId.trim() === '') throw invalid('visitorId', 'is required')
      if (input.visitorId.length > MAX_MONITORING_ID)
        throw invalid('visitorId', `must be at most ${MAX_MONITORING_ID} characters`)
      const attributes = parseEngagementAttributes(input.body)
      const now = clock.now()
      await engagementAttributesRepository.insertMany(
        db,
        { accountId: input.accountId, visitorId: input.visitorId, sessionId: input.sessionId, receivedAt: now },
        attributes,
      )
      await purgeExpired(now)
      return attributes.length
    },

    async chatEvents(chat) {
      return (await chatAttributes(db, chat, until(chat))).map(toHistoryEvent)
    },

    async participantInfo(chat, participantId) {
      const stored = await chatAttributes(db, chat, until(chat))
      return toParticipantInfo(
        participantId,
        stored.map((entry) => entry.attribute),
      )
    },
  }
}
