import type { ChatService } from '../chat/chat.service.ts'
import { createKeyedMutex } from '../chat/keyed-mutex.ts'
import { invalid, ParleyError } from '../errors.ts'
import { parseEmailAddress } from './email-address.ts'
import type { MailQueueService } from './mail-queue.ts'
import { MAX_TIMEZONE_OFFSET_MS, renderTranscript } from './transcript-mail.ts'

/** A chat gets at most this many transcripts (docs/transcripts.md): the API cannot be used to spam. */
export const MAX_TRANSCRIPTS_PER_CHAT = 5

/** V19/V20 input as the routes pass it on (validated here, so every caller gets the same rules). */
export interface TranscriptRequest {
  email: string
  /** ms, `local = UTC + offset`; bounded by ±14 h. */
  timezoneOffset?: number | undefined
  /** V20 only. */
  subject?: string | undefined
}

export interface TranscriptService {
  /**
   * Queues the chat's transcript as the visitor sees it (docs/transcripts.md) and resolves once it
   * is stored; delivery happens in the background. Allowed in every chat state. VALIDATION_FAILED
   * (field `email` or `timezoneOffset`) for bad input, CHAT_NOT_FOUND for an unknown chat,
   * RATE_LIMITED once the chat had `MAX_TRANSCRIPTS_PER_CHAT` transcripts.
   */
  requestTranscript(accountId: string, chatKey: string, request: TranscriptRequest): Promise<void>
}

export interface TranscriptServiceDeps {
  chat: Pick<ChatService, 'getChat' | 'visitorEvents'>
  mail: Pick<MailQueueService, 'enqueue' | 'countForChat'>
  sanitizeHtml: (html: string) => string
  maxPerChat?: number
}

export function createTranscriptService(deps: TranscriptServiceDeps): TranscriptService {
  const maxPerChat = deps.maxPerChat ?? MAX_TRANSCRIPTS_PER_CHAT
  // Count-then-insert must not interleave for one chat (single node, like the chat engine's mutex).
  const mutex = createKeyedMutex()
  return {
    async requestTranscript(accountId, chatKey, request) {
      const to = parseEmailAddress(request.email)
      if (to === undefined) throw invalid('email', 'must be one e-mail address (name@example.com)')
      const offset = request.timezoneOffset
      if (offset !== undefined && (!Number.isFinite(offset) || Math.abs(offset) > MAX_TIMEZONE_OFFSET_MS))
        throw invalid(
          'timezoneOffset',
          `must be a number of ms between -${MAX_TIMEZONE_OFFSET_MS} and ${MAX_TIMEZONE_OFFSET_MS}`,
        )
      const chat = await deps.chat.getChat(accountId, chatKey)
      await mutex.run(`${accountId}/${chat.key}`, async () => {
        if ((await deps.mail.countForChat(accountId, chat.key, 'transcript')) >= maxPerChat)
          throw new ParleyError('RATE_LIMITED', `At most ${maxPerChat} transcripts can be requested for a chat`)
        const events = await deps.chat.visitorEvents(accountId, chat.key)
        const mail = renderTranscript({
          events,
          requestedAt: chat.requestedAt,
          timezoneOffsetMs: offset,
          subject: request.subject,
          sanitizeHtml: deps.sanitizeHtml,
        })
        await deps.mail.enqueue({ accountId, kind: 'transcript', chatKey: chat.key, to, ...mail })
      })
    },
  }
}
