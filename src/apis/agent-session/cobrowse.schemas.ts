import { Type } from '@fastify/type-provider-typebox'

export const CoBrowseSessionParams = Type.Object({
  accountId: Type.String(),
  agentSessionId: Type.String(),
  chatId: Type.String({ maxLength: 256 }),
  sessionId: Type.String({ maxLength: 64 }),
})

/**
 * The co-browse change (docs/cobrowse.md): `{"coBrowseSession": {"interactive": true}}`,
 * `{"coBrowseSession": {"state": "ended", "endReason": "VISITOR"}}`, or both at once. XML sends
 * `<coBrowseSession><interactive>true</interactive></coBrowseSession>`; Ajv coerces `"true"`.
 */
export const CoBrowseChangeBody = Type.Object({
  coBrowseSession: Type.Object({
    interactive: Type.Optional(Type.Boolean()),
    state: Type.Optional(Type.String({ maxLength: 32 })),
    endReason: Type.Optional(Type.String({ maxLength: 32 })),
  }),
})
