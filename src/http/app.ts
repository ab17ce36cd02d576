import type { Server } from 'node:http'
import cookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyRequest,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
} from 'fastify'
import type { Services } from '../compose.ts'
import type { Config } from '../config/config.ts'
import type { Actor } from '../core/actor.ts'
import type { Clock } from '../core/clock.ts'
import { ParleyError } from '../core/errors.ts'
import { registerAccountConfigRoutes } from '../apis/account-config/account-config.routes.ts'
import { registerAgentChatRoutes } from '../apis/agent-session/agent-chat.routes.ts'
import { registerAgentSessionRoutes } from '../apis/agent-session/agent-session.routes.ts'
import { registerBrowserRoutes } from '../apis/browser/browser.routes.ts'
import { registerCoBrowseRoutes } from '../apis/agent-session/cobrowse.routes.ts'
import { registerChatAccountRoutes } from '../apis/chat/chat-account.routes.ts'
import { registerTranscriptRoutes } from '../apis/chat/transcript.routes.ts'
import { registerSurveyRoutes } from '../apis/chat/survey.routes.ts'
import { registerVisitorChatRoutes } from '../apis/chat/visitor-chat.routes.ts'
import { registerVisitRoutes } from '../apis/chat/visit.routes.ts'
import { registerCsdsRoutes } from '../apis/csds/csds.routes.ts'
import { registerEngagementHistoryRoutes } from '../apis/engagement-history/engagement-history.routes.ts'
import { registerEngagementAttributesRoutes } from '../apis/engagement-attributes/engagement-attributes.routes.ts'
import { registerAgentChatAttributeRoutes } from '../apis/agent-session/agent-chat-attributes.routes.ts'
import { registerLoginRoutes } from '../apis/login/login.routes.ts'
import { registerOfflineMessageRoutes } from '../apis/offline-messages/offline-messages.routes.ts'
import { registerOpsRoutes } from '../apis/ops/ops.routes.ts'
import { resolveActor, type AuthFailureStyle, type AuthMethod } from './auth/resolve-actor.ts'
import { registerBodyParsers } from './body-parsers.ts'
import { sendError, toParleyError, type ErrorTimeStyle } from './errors.ts'
import { isJsonOnlyPath, negotiateFormat, type WireFormat } from './format.ts'
import { loggerOptions, requestIdOf } from './logging.ts'
import { installMethodNotAllowed } from './method-not-allowed.ts'
import { requestTarget, rewriteUrl } from './rewrite-url.ts'
import { fastifyTrustProxy } from './trusted-proxies.ts'

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
  interface FastifyRequest {
    /** The authenticated caller; set by the auth hook on routes that declare `config.auth`. */
    actor: Actor | null
    /** The negotiated response format (Decision D1). */
    wire: { format: WireFormat }
  }
  interface FastifyContextConfig {
    /** Accepted credentials; absent = public route. */
    auth?: readonly AuthMethod[]
    /** How auth failures are reported (default `envelope`). */
    authFailure?: AuthFailureStyle
    /** Answer 404 for an `:accountId` Parley does not host before anything else (default true). */
    requireAccount?: boolean
    /** Time format of error envelopes (default `chat`). */
    errorTimeStyle?: ErrorTimeStyle
  }
}

/** The Fastify instance type every route module registers on. */
export type ParleyApp = FastifyInstance<
  Server,
  RawRequestDefaultExpression<Server>,
  RawReplyDefaultExpression<Server>,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

export interface AppDeps {
  config: Config
  services: Services
  clock: Clock
  /** Log to this stream instead of stdout (tests). */
  logStream?: NodeJS.WritableStream
  serverFactory?: FastifyServerOptions['serverFactory']
}

const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, Accept, X-HTTP-Method-Override, X-Requested-With'

/** Builds the application: transport conventions, auth, error handling and every API family. */
export async function buildApp(deps: AppDeps): Promise<ParleyApp> {
  const { config, services, clock } = deps
  const logger = loggerOptions(config, deps.logStream ? false : process.stdout.isTTY === true)
  const app = Fastify({
    logger: deps.logStream && logger && typeof logger === 'object' ? { ...logger, stream: deps.logStream } : logger,
    bodyLimit: config.bodyLimit,
    rewriteUrl,
    trustProxy: fastifyTrustProxy(config),
    requestIdHeader: false,
    genReqId: requestIdOf,
    return503OnClosing: false,
    forceCloseConnections: false,
    ...(deps.serverFactory ? { serverFactory: deps.serverFactory } : {}),
    ajv: {
      customOptions: {
        // Clients add cache busters and unknown fields; they are dropped, never rejected.
        removeAdditional: 'all',
        // Numbers and booleans arrive as strings (wire-conventions.md §9).
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: false,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('services', services)
  app.decorateRequest('actor', null)
  app.decorateRequest('wire', null as unknown as FastifyRequest['wire'])

  await app.register(cookie)
  registerBodyParsers(app)

  app.addHook('onRequest', async (request, reply) => {
    const target = requestTarget(request.raw)
    const path = request.url.split('?', 1)[0] ?? '/'
    request.wire = { format: isJsonOnlyPath(path) ? 'json' : negotiateFormat(target.suffix, request.headers) }
    reply.header('x-request-id', request.id)
    const origin = request.headers.origin
    if (origin) {
      reply.header('access-control-allow-origin', origin)
      reply.header('access-control-allow-credentials', 'true')
      reply.header('access-control-expose-headers', 'Location, ac-revision, ETag')
      reply.header('vary', 'Origin')
    }
  })

  app.addHook('preHandler', async (request) => {
    const routeConfig = request.routeOptions.config
    const params = request.params as Record<string, string | undefined> | undefined
    const accountId = params?.accountId
    if (accountId === undefined) return
    if (routeConfig.requireAccount !== false) await services.accounts.requireAccount(accountId)
    if (routeConfig.auth && routeConfig.auth.length > 0) {
      request.actor = await resolveActor(request, accountId, routeConfig.auth, routeConfig.authFailure ?? 'envelope', {
        services,
        config,
        clock,
      })
    }
  })

  app.setErrorHandler((error, request, reply) => {
    const parleyError = toParleyError(error, request)
    if (parleyError.code !== 'INTERNAL') request.log.info({ code: parleyError.code }, 'request rejected')
    return sendError(request, reply, parleyError, clock.now())
  })

  app.setNotFoundHandler((request, reply) => {
    const target = requestTarget(request.raw)
    const asReceived = target.query === '' ? target.path : `${target.path}?${target.query}`
    return sendError(request, reply, new ParleyError('ROUTE_NOT_FOUND', `null for uri: ${asReceived}`), clock.now())
  })

  // CORS preflight for every path (wire-conventions.md §6).
  app.options('/*', { config: { requireAccount: false } }, (request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
      .header('access-control-allow-headers', CORS_ALLOW_HEADERS)
      .header('access-control-max-age', '600')
      .send(),
  )

  const routes = installMethodNotAllowed(app)
  registerOpsRoutes(app, { config })
  registerCsdsRoutes(app, { config })
  registerLoginRoutes(app, { config })
  registerAccountConfigRoutes(app, { config })
  registerEngagementHistoryRoutes(app, { config })
  registerAgentSessionRoutes(app, { config, clock })
  registerChatAccountRoutes(app, { config })
  registerAgentChatRoutes(app, { config, clock })
  registerCoBrowseRoutes(app, { config, clock })
  registerVisitorChatRoutes(app, { config })
  registerVisitRoutes(app, { config, clock })
  registerBrowserRoutes(app, { config, clock })
  registerEngagementAttributesRoutes(app, { config, clock })
  registerAgentChatAttributeRoutes(app, { config, clock })
  registerTranscriptRoutes(app)
  registerSurveyRoutes(app, { config, clock })
  registerOfflineMessageRoutes(app)
  routes.finish()
  return app
}
