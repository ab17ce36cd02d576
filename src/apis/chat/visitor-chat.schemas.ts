import { Type, type Static } from '@fastify/type-provider-typebox'
import { Lenient, NoBody } from '../shared/body-schemas.ts'

export const AccountParams = Type.Object({ accountId: Type.String() })
/** Any chat key or event id is a string: one that does not exist is 404, never 400. */
export const ChatParams = Type.Object({ accountId: Type.String(), chatId: Type.String() })
export const EventParams = Type.Object({ accountId: Type.String(), chatId: Type.String(), eventId: Type.String() })

/**
 * A query parameter that may repeat (`?from=1&from=2`); Ajv's `coerceTypes: 'array'` turns a
 * single value into a one-element list, and the routes read the first value.
 */
const Repeatable = (maxLength: number) => Type.Array(Type.String({ maxLength }), { maxItems: 100 })

/** The first value of a repeatable query parameter. */
export const first = (values: readonly string[] | undefined): string | undefined => values?.[0]

/**
 * V8/V9: `from` (non-numeric or negative → 0) and the D10 `wait` extension (0..60 s, invalid → 0).
 * Both stay strings here so a bad value is tolerated instead of answering 400.
 */
export const ChatQuery = Type.Object({
  from: Type.Optional(Repeatable(32)),
  wait: Type.Optional(Repeatable(32)),
})
export type ChatQuery = Static<typeof ChatQuery>

const EventFields = {
  '@type': Type.Optional(Type.String({ maxLength: 64 })),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  text: Type.Optional(Type.String()),
  state: Type.Optional(Type.String({ maxLength: 64 })),
}

/**
 * V10: `{"event": {"@type": "line", "text": "hi"}}` or `{"event": {"@type": "state", "state": "ended"}}`;
 * `type` without `@` and an unwrapped event are accepted too. The XML body parser yields the same shape.
 */
export const EventBody = Type.Object({ event: Type.Optional(Type.Object(EventFields)), ...EventFields })
export type EventBody = Static<typeof EventBody>

/**
 * Every field of a V7 chat request (chat-api.md §7), declared so that Ajv's `removeAdditional`
 * keeps it: the fields may come wrapped in `request` (JSON `{"request": {...}}`, XML `<request>`)
 * or at the top level.
 */
const ChatRequestFields = {
  skill: Lenient,
  serviceQueue: Lenient,
  skillId: Lenient,
  agent: Lenient,
  maxWaitTime: Lenient,
  interactionTimeout: Lenient,
  language: Lenient,
  visitorId: Lenient,
  visitorIp: Lenient,
  userAgent: Lenient,
  chatReferrer: Lenient,
  preChatLines: Lenient,
  visitorSessionId: Lenient,
  survey: Lenient,
  runWithRules: Lenient,
  customVariables: Lenient,
  campaignId: Lenient,
  engagementId: Lenient,
  LETagVisitorId: Lenient,
  LETagSessionId: Lenient,
  LETagContextId: Lenient,
  participantId: Lenient,
  conversationId: Lenient,
  ssoKey: Lenient,
  a2aSourceSiteId: Lenient,
  a2aSourceSessionId: Lenient,
  a2aEventId: Lenient,
}

/** V7: `{"request": {...}}`, the same fields unwrapped, or no body at all (an empty request). */
export const ChatRequestBody = Type.Union([Type.Object({ request: Lenient, ...ChatRequestFields }), NoBody])
export type ChatRequestBody = Static<typeof ChatRequestBody>

/**
 * V21: `{"customVariables": {"customVariable": [{"name", "value"}]}}`, the inner object alone, one
 * bare `{"name", "value"}`, or a JSON array of them; an empty body changes nothing.
 */
export const CustomVariablesBody = Type.Union([
  Type.Object({ customVariables: Lenient, customVariable: Lenient, name: Lenient, value: Lenient }),
  Type.Array(Type.Unknown()),
  NoBody,
])
export type CustomVariablesBody = Static<typeof CustomVariablesBody>

/** V13 `{"visitorName": "Natalie"}`. */
export const VisitorNameBody = Type.Object({ visitorName: Type.String({ maxLength: 256 }) })

/** V15 `{"visitorTyping": "typing"}` or `"not-typing"`. */
export const VisitorTypingBody = Type.Object({
  visitorTyping: Type.Union([Type.Literal('typing'), Type.Literal('not-typing')]),
})

/** V1: `skill` may repeat (one answer per skill); `serviceQueue` is a skill name used when `skill` is absent. */
export const AvailabilityQuery = Type.Object({
  skill: Type.Optional(Repeatable(256)),
  serviceQueue: Type.Optional(Repeatable(256)),
  maxWaitTime: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  agent: Type.Optional(Repeatable(256)),
})
export type AvailabilityQuery = Static<typeof AvailabilityQuery>

/** V2: the first `skill` counts; `maxWaitTime` is accepted and ignored (validated like V1's). */
export const AvailableSlotsQuery = Type.Object({
  skill: Type.Optional(Repeatable(256)),
  serviceQueue: Type.Optional(Repeatable(256)),
  maxWaitTime: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400 })),
  agent: Type.Optional(Repeatable(256)),
})

/** V3: the first `skill` counts; no `agent`. */
export const WaitTimeQuery = Type.Object({
  skill: Type.Optional(Repeatable(256)),
  serviceQueue: Type.Optional(Repeatable(256)),
})
