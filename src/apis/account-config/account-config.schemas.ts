import { Type, type Static } from '@fastify/type-provider-typebox'

// Bounded so no value can overflow a bigint column or lose precision in JavaScript.
const SAFE = { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }
// Text the databases cannot store (NUL, unpaired surrogates) is refused for every route at the
// edge, after authentication (src/http/edge-rules.ts), not by these schemas.
const Str = (options: { minLength?: number; maxLength: number }) => Type.String(options)
const Int = () => Type.Integer(SAFE)
const Id = Int()
const Name = Str({ minLength: 1, maxLength: 256 })
const Text = Str({ maxLength: 4096 })
const IdList = Type.Array(Id, { maxItems: 1000 })
/** `null` passes as null; Ajv's `nullable` keeps type coercion from turning it into "" or 0. */
const NullableString = Type.Unsafe<string | null>({ type: 'string', nullable: true, maxLength: 4096 })
const NullableId = Type.Unsafe<number | null>({ type: 'integer', nullable: true, ...SAFE })

export const AccountParams = Type.Object({ accountId: Type.String() })
export const ItemParams = Type.Object({ accountId: Type.String(), id: Id })
export const CampaignParams = Type.Object({ accountId: Type.String(), campaignId: Id })
export const EngagementParams = Type.Object({ accountId: Type.String(), campaignId: Id, id: Id })

/** `v` is accepted and ignored; unknown parameters are dropped by Ajv (removeAdditional). */
export const ConfigQuery = Type.Object({
  v: Type.Optional(Type.String()),
  include_deleted: Type.Optional(Type.Boolean()),
  select: Type.Optional(Str({ maxLength: 2048 })),
  fields: Type.Optional(Type.Array(Str({ maxLength: 256 }), { maxItems: 100 })),
})
export type ConfigQuery = Static<typeof ConfigQuery>

export const SkillBody = Type.Object({
  id: Type.Optional(Id),
  name: Name,
  description: Type.Optional(Text),
  maxWaitTime: Type.Optional(Int()),
})

export const AgentGroupBody = Type.Object({
  id: Type.Optional(Id),
  name: Name,
  description: Type.Optional(Text),
  parentGroupId: Type.Optional(NullableId),
  isEnabled: Type.Optional(Type.Boolean()),
})

const GroupRef = Type.Object({ agentGroupId: Id })

export const UserBody = Type.Object({
  id: Type.Optional(Id),
  loginName: Name,
  passwordSh: Type.Optional(Type.Unsafe<string | null>({ type: 'string', nullable: true, maxLength: 1024 })),
  fullName: Type.Optional(Str({ maxLength: 256 })),
  nickname: Name,
  email: Str({ maxLength: 256 }),
  isEnabled: Type.Optional(Type.Boolean()),
  maxChats: Type.Optional(Int()),
  skillIds: Type.Optional(IdList),
  memberOf: Type.Optional(GroupRef),
  managerOf: Type.Optional(Type.Array(GroupRef, { maxItems: 1000 })),
  permissionGroups: Type.Optional(Type.Array(Str({ maxLength: 8 }), { maxItems: 10 })),
})

export const SimpleEntityBody = Type.Object({
  id: Type.Optional(Id),
  name: Name,
  description: Type.Optional(Text),
})

export const CampaignBody = Type.Object({
  id: Type.Optional(Id),
  name: Name,
  description: Type.Optional(Text),
  goalId: Type.Optional(Id),
  lobId: Type.Optional(Id),
  status: Type.Optional(Int()),
  visitorProfiles: Type.Optional(IdList),
  startDate: Type.Optional(NullableString),
  expirationDate: Type.Optional(NullableString),
})

export const EngagementBody = Type.Object({
  id: Type.Optional(Id),
  name: Name,
  description: Type.Optional(Text),
  enabled: Type.Optional(Type.Boolean()),
  channel: Type.Optional(Int()),
  skillId: Type.Optional(Id),
  visitorBehaviors: Type.Optional(IdList),
  agentNote: Type.Optional(Text),
})

const SurveyEntryBody = Type.Object({
  value: Str({ maxLength: 1024 }),
  displayValue: Type.Optional(Str({ maxLength: 1024 })),
  checked: Type.Optional(Type.Boolean()),
  showLogicIds: Type.Optional(IdList),
  skillId: Type.Optional(Id),
})

const SurveyQuestionBody = Type.Object({
  id: Type.Optional(Id),
  logicId: Type.Optional(Id),
  order: Type.Optional(Int()),
  type: Str({ maxLength: 64 }),
  label: Str({ maxLength: 4096 }),
  mandatory: Type.Optional(Type.Boolean()),
  validationType: Type.Optional(Str({ maxLength: 64 })),
  entries: Type.Optional(Type.Array(SurveyEntryBody, { maxItems: 500 })),
})

export const SurveyBody = Type.Object({
  id: Type.Optional(Id),
  name: Name,
  type: Str({ maxLength: 64 }),
  header: Type.Optional(Text),
  skillIds: Type.Optional(IdList),
  isDefault: Type.Optional(Type.Boolean()),
  questions: Type.Array(SurveyQuestionBody, { minItems: 1, maxItems: 500 }),
})
