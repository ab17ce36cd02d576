import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalid } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { VISITOR_ROUTE } from '../../http/auth/visitor-auth.ts'
import { TranscriptBody } from './transcript.schemas.ts'
import { ChatParams } from './visitor-chat.schemas.ts'

const CHAT = '/api/account/:accountId/chat/:chatId'

/**
 * V19 `transcriptRequest` and V20 `transcriptWithSubjectRequest` (chat-api.md §11.2,
 * docs/transcripts.md): queue the chat's transcript for the given address. PUT (or POST with
 * `X-HTTP-Method-Override: PUT`), visitor auth, every chat state; 200 with `{}` in JSON and an
 * empty body in XML (Decision D2).
 */
export function registerTranscriptRoutes(app: ParleyApp): void {
  const handler =
    (withSubject: boolean) =>
    async (
      request: FastifyRequest<{ Params: { accountId: string; chatId: string }; Body: TranscriptBody }>,
      reply: FastifyReply,
    ) => {
      const { accountId, chatId } = request.params
      const body = request.body.transcriptRequest ?? request.body.transcriptWithSubjectRequest ?? request.body
      await app.services.chat.touchVisitor(accountId, chatId)
      if (body.email === undefined) throw invalid('email', 'is required')
      await app.services.transcripts.requestTranscript(accountId, chatId, {
        email: body.email,
        timezoneOffset: body.timezoneOffset,
        subject: withSubject ? body.subject : undefined,
      })
      return request.wire.format === 'json'
        ? reply.code(200).type('application/json; charset=UTF-8').send('{}')
        : reply.code(200).send()
    }
  const options = { schema: { params: ChatParams, body: TranscriptBody }, ...VISITOR_ROUTE }
  app.put(`${CHAT}/transcriptRequest`, options, handler(false))
  app.put(`${CHAT}/transcriptWithSubjectRequest`, options, handler(true))
}
