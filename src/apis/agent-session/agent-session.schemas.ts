import { Type } from '@fastify/type-provider-typebox'

export const AccountParams = Type.Object({ accountId: Type.String() })
export const SessionParams = Type.Object({ accountId: Type.String(), agentSessionId: Type.String() })

/** A1: Parley's `availability` extension (docs/agent-sessions.md): the first session's availability. */
export const StartSessionQuery = Type.Object({ availability: Type.Optional(Type.String({ maxLength: 64 })) })

/** A2: `cs=1` adds the user's open chats. */
export const SessionQuery = Type.Object({ cs: Type.Optional(Type.String()) })

/** A4: `{"availability": {"chat": "Away", "chatReasonId": "12"}}`; numbers arrive as strings and vice versa. */
export const AvailabilityBody = Type.Object({
  availability: Type.Object({
    chat: Type.Optional(Type.String({ maxLength: 64 })),
    chatReasonId: Type.Optional(Type.String({ maxLength: 256 })),
  }),
})

/** A6 filters. */
export const AvailableAgentsQuery = Type.Object({
  skill: Type.Optional(Type.String({ maxLength: 256 })),
  chatState: Type.Optional(Type.String({ maxLength: 64 })),
  voiceState: Type.Optional(Type.String({ maxLength: 64 })),
  chatReasonId: Type.Optional(Type.String({ maxLength: 256 })),
})

/** A7: `skill` + `maxWaitTime` (accepted and ignored), or `agent` (login name). */
export const AvailableSlotsQuery = Type.Object({
  skill: Type.Optional(Type.String({ maxLength: 256 })),
  agent: Type.Optional(Type.String({ maxLength: 256 })),
  maxWaitTime: Type.Optional(Type.String({ maxLength: 32 })),
})
