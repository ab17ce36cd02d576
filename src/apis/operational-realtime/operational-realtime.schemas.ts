import { Type } from '@fastify/type-provider-typebox'

export const AccountParams = Type.Object({ accountId: Type.String() })
