import { Type } from '@fastify/type-provider-typebox'

export const ChatParams = Type.Object({
  accountId: Type.String(),
  agentSessionId: Type.String(),
  chatId: Type.String({ maxLength: 256 }),
})

export const EventParams = Type.Object({
  accountId: Type.String(),
  agentSessionId: Type.String(),
  chatId: Type.String({ maxLength: 256 }),
  eventId: Type.String({ maxLength: 32 }),
})

/** A12/A13: `from` (inclusive) and the D10 `wait`; invalid values count as 0, never 400. */
export const FromQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 32 })),
  wait: Type.Optional(Type.String({ maxLength: 32 })),
})

/** A11: comma-separated chat keys and, position by position, their first event ids. */
export const MultiChatQuery = Type.Object({
  chatSessionKeys: Type.Optional(Type.String({ maxLength: 16_384 })),
  fromEventIds: Type.Optional(Type.String({ maxLength: 4_096 })),
})

/**
 * A14: one event, `@type` or `type` (`line` or `state`). `json` (rich content) is kept as sent:
 * an object in JSON, a text node holding JSON in XML (wire-conventions.md §7).
 */
export const AgentEventBody = Type.Object({
  event: Type.Object({
    '@type': Type.Optional(Type.String({ maxLength: 32 })),
    type: Type.Optional(Type.String({ maxLength: 32 })),
    text: Type.Optional(Type.String({ maxLength: 100_000 })),
    textType: Type.Optional(Type.String({ maxLength: 32 })),
    subType: Type.Optional(Type.String({ maxLength: 32 })),
    state: Type.Optional(Type.String({ maxLength: 32 })),
    json: Type.Optional(Type.Unknown()),
  }),
})

/** A19: `{"agentTyping": "typing"}` or `"not-typing"`. */
export const AgentTypingBody = Type.Object({ agentTyping: Type.String({ maxLength: 32 }) })

/** An id given as `{"id": 2}`, `{"id": "2"}` or, from XML attributes, `{"@id": "2"}`. */
const TargetRef = Type.Object({
  id: Type.Optional(Type.Integer()),
  '@id': Type.Optional(Type.Integer()),
})

/**
 * A21: `{"transfer": {"skill": {"id": 2}, "text": "..."}}` or `{"transfer": {"agent": {"id": 6}}}`;
 * `text` may also sit beside `transfer` at the top level.
 */
export const TransferBody = Type.Object({
  transfer: Type.Object({
    skill: Type.Optional(TargetRef),
    agent: Type.Optional(TargetRef),
    text: Type.Optional(Type.String({ maxLength: 10_000 })),
  }),
  text: Type.Optional(Type.String({ maxLength: 10_000 })),
})
