import type { Server } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
} from 'fastify'
import type { Services } from '../compose.ts'
import type { ApiKeyPermission } from '../core/accounts/accounts.types.ts'
import type { Actor } from '../core/actor.ts'
import type { AgentActor } from '../core/agents/agents.service.ts'
import type { AgentSession } from '../core/agents/agents.types.ts'
import type { AuthFailureStyle, AuthMethod } from './auth/resolve-actor.ts'
import type { ErrorTimeStyle } from './errors.ts'
import type { WireFormat } from './format.ts'

// The types of what http/app.ts decorates, apart from app.ts so that the API route modules can name
// them without importing the module that registers them (conventions §3: of http/, only app.ts
// imports apis/).
declare module 'fastify' {
  interface FastifyInstance {
    services: Services
    /** Every route as registered: method, URL and route config (the auth walk test visits each). */
    registeredRoutes: ReadonlyArray<{ method: string; url: string; config: FastifyContextConfig }>
  }
  interface FastifyRequest {
    /** The authenticated caller; set by the auth hook on routes that declare `config.auth`. */
    actor: Actor | null
    /** The negotiated response format (Decision D1). */
    wire: { format: WireFormat }
    /**
     * The Chat Agent API caller and the agent session of the path, set by the agent-session hook
     * (`AGENT_CHAT_ROUTE` in apis/agent-session/agent-chat-access.ts); only routes that spread it
     * may read it.
     */
    agent: AgentContext
  }
  interface FastifyContextConfig {
    /** Accepted credentials; absent = public route. */
    auth?: readonly AuthMethod[]
    /** How auth failures are reported (default `envelope`). */
    authFailure?: AuthFailureStyle
    /** Without any credential the route runs with `actor` null (A1's legacy login in the body). */
    authOptional?: boolean
    /** An OAuth 1.0a API key must hold this permission (403 otherwise); other actors pass. */
    apiKeyPermission?: ApiKeyPermission
    /**
     * Answer 404 for an `:accountId` Parley does not host before anything else (default true);
     * `unprocessable`: 422 instead, as LivePerson documents for the monitoring API.
     */
    requireAccount?: boolean | 'unprocessable'
    /** Time format of error envelopes (default `chat`). */
    errorTimeStyle?: ErrorTimeStyle
  }
}

/** What a Chat Agent API chat route works with: the caller and their live agent session (its user is the agent). */
export interface AgentContext {
  actor: AgentActor
  session: AgentSession
}

/** The Fastify instance type every route module registers on (built by http/app.ts `buildApp`). */
export type ParleyApp = FastifyInstance<
  Server,
  RawRequestDefaultExpression<Server>,
  RawReplyDefaultExpression<Server>,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>
