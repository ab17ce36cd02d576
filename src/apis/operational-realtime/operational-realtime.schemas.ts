import { Type, type Static } from '@fastify/type-provider-typebox'
import { Lenient, NoBody } from '../shared/body-schemas.ts'

export const AccountParams = Type.Object({ accountId: Type.String() })

/**
 * POST agentactivity (§8.1 of LivePerson's reference): the query parameters again, in a JSON
 * object whose values win over the query's; the service validates them as it does the query
 * (`"interval": null` means not given).
 */
export const AgentActivityBody = Type.Union([
  Type.Object({ v: Lenient, timeframe: Lenient, interval: Lenient, agentIds: Lenient, agentsIds: Lenient }),
  NoBody,
])
export type AgentActivityBody = Static<typeof AgentActivityBody>
