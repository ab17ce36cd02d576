import { Type, type Static } from '@fastify/type-provider-typebox'

const TranscriptFields = {
  email: Type.Optional(Type.String({ maxLength: 320 })),
  /** ms; bounded by the service, so the error names the field with the range. */
  timezoneOffset: Type.Optional(Type.Number()),
  /** V20 only; made header-safe and cut to 200 characters by the renderer. */
  subject: Type.Optional(Type.String({ maxLength: 2000 })),
}

/**
 * V19 `{"email": "...", "timezoneOffset": -7200000}` and V20 `{"email": "...", "subject": "..."}`
 * (chat-api.md §11.2). XML bodies arrive wrapped in their root element
 * (`<transcriptRequest><email>...</email></transcriptRequest>`), so the wrapped form is accepted too.
 */
export const TranscriptBody = Type.Object({
  ...TranscriptFields,
  transcriptRequest: Type.Optional(Type.Object(TranscriptFields)),
  transcriptWithSubjectRequest: Type.Optional(Type.Object(TranscriptFields)),
})
export type TranscriptBody = Static<typeof TranscriptBody>
