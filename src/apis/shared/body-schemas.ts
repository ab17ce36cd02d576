import { Type } from '@fastify/type-provider-typebox'

/**
 * A body field the service reads leniently: clients send strings, numbers or booleans, XML sends
 * text, and a value of another shape is ignored or refused by the service with its own message.
 * Declared so that Ajv's `removeAdditional: 'all'` keeps it; nested values stay as sent.
 */
export const Lenient = Type.Optional(Type.Unknown())

/**
 * No body at all (Fastify validates a missing body as `null`). `const`, not `type: 'null'`, so that
 * Ajv's type coercion does not turn `""`, `0` or `false` into an empty body.
 */
export const NoBody = Type.Unsafe<null>({ const: null })
