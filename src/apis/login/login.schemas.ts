import { Type } from '@fastify/type-provider-typebox'

export const AccountParams = Type.Object({ accountId: Type.String() })

/** User login or application login; which one is decided from the fields present. */
export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 256 }),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  appKey: Type.Optional(Type.String({ maxLength: 256 })),
  secret: Type.Optional(Type.String({ maxLength: 256 })),
  accessToken: Type.Optional(Type.String({ maxLength: 256 })),
  accessTokenSecret: Type.Optional(Type.String({ maxLength: 256 })),
})

export const CsrfBody = Type.Object({ csrf: Type.String({ maxLength: 256 }) })
