import cookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyContextConfig,
  type FastifyRequest,
  type FastifyServerOptions,
  type RouteOptions,
} from 'fastify'
import type { Services } from '../compose.ts'
import type { Config } from '../config/config.ts'
import type { Clock } from '../core/clock.ts'
import { ParleyError, isParleyError } from '../core/errors.ts'
import { registerAccountConfigRoutes } from '../apis/account-config/account-config.routes.ts'
import { registerAgentChatRoutes } from '../apis/agent-session/agent-chat.routes.ts'
import { registerAgentSessionRoutes } from '../apis/agent-session/agent-session.routes.ts'
import { registerAgentVisitRoutes } from '../apis/agent-session/agent-visit.routes.ts'
import { registerBrowserRoutes } from '../apis/browser/browser.routes.ts'
import { registerCoBrowseRoutes } from '../apis/agent-session/cobrowse.routes.ts'
import { registerChatAccountRoutes } from '../apis/chat/chat-account.routes.ts'
import { registerTranscriptRoutes } from '../apis/chat/transcript.routes.ts'
import { registerSurveyRoutes } from '../apis/chat/survey.routes.ts'
import { registerVisitorChatRoutes } from '../apis/chat/visitor-chat.routes.ts'
import { registerVisitRoutes } from '../apis/chat/visit.routes.ts'
import { registerConsoleRoutes } from '../apis/console/console.routes.ts'
import { registerCsdsRoutes } from '../apis/csds/csds.routes.ts'
import { registerEngagementHistoryRoutes } from '../apis/engagement-history/engagement-history.routes.ts'
import { registerEngagementAttributesRoutes } from '../apis/engagement-attributes/engagement-attributes.routes.ts'
import { registerAgentChatAttributeRoutes } from '../apis/agent-session/agent-chat-attributes.routes.ts'
import { registerLoginRoutes } from '../apis/login/login.routes.ts'
import { registerOfflineMessageRoutes } from '../apis/offline-messages/offline-messages.routes.ts'
import { registerOpsRoutes } from '../apis/ops/ops.routes.ts'
import { hasCredentials, requireApiKeyPermission, resolveActor } from './auth/resolve-actor.ts'
import { registerOperationalRealtimeRoutes } from '../apis/operational-realtime/operational-realtime.routes.ts'
import { registerBodyParsers } from './body-parsers.ts'
import { installEdgeRules } from './edge-rules.ts'
import { clientErrorHandler, frameworkErrorHandler, sendError, toParleyError } from './errors.ts'
import { isJsonOnlyPath, negotiateFormat } from './format.ts'
import { loggerOptions, requestIdOf } from './logging.ts'
import { installMethodNotAllowed } from './method-not-allowed.ts'
import { requestTarget, rewriteUrl } from './rewrite-url.ts'
import { fastifyTrustProxy } from './trusted-proxies.ts'
import type { ParleyApp } from './parley-app.ts'

export type { ParleyApp } from './parley-app.ts'

export interface AppDeps {
  config: Config
  services: Services
  clock: Clock
  /** Log to this stream instead of stdout (tests). */
  logStream?: NodeJS.WritableStream
  serverFactory?: FastifyServerOptions['serverFactory']
  /** Sees every route as it is registered (the edge fuzz test enumerates them this way). */
  onRoute?: (route: RouteOptions) => void
  /** Folder of the built console (default `dist/console` of this checkout). */
  consoleDir?: string
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
    frameworkErrors: frameworkErrorHandler(() => clock.now()),
    clientErrorHandler: clientErrorHandler(() => clock.now()),
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
  const registeredRoutes: Array<{ method: string; url: string; config: FastifyContextConfig }> = []
  app.decorate('registeredRoutes', registeredRoutes)
  app.addHook('onRoute', (route) => {
    const config: FastifyContextConfig = route.config ?? {}
    for (const method of Array.isArray(route.method) ? route.method : [route.method])
      registeredRoutes.push({ method, url: route.url, config })
  })
  app.decorateRequest('actor', null)
  app.decorateRequest('wire', null as unknown as FastifyRequest['wire'])
  app.decorateRequest('agent', null as unknown as FastifyRequest['agent'])

  if (deps.onRoute) app.addHook('onRoute', deps.onRoute)
  await app.register(cookie)
  registerBodyParsers(app)

  app.addHook('onRequest', async (request, reply) => {
    const target = requestTarget(request.raw)
    const path = request.url.split('?', 1)[0] ?? '/'
    request.wire = { format: isJsonOnlyPath(path) ? 'json' : negotiateFormat(target.suffix, request.headers) }
    reply.header('x-request-id', request.id)
    // CORS only for the origins the operator lists (PARLEY_CORS_ORIGINS); browsers on other pages
    // reach Parley through the bridge page and js2rest, which need none (docs/wire-conventions.md).
    if (config.corsOrigins.length > 0) {
      reply.header('vary', 'Origin')
      const origin = request.headers.origin?.toLowerCase()
      if (origin !== undefined && config.corsOrigins.includes(origin)) {
        reply.header('access-control-allow-origin', origin)
        reply.header('access-control-allow-credentials', 'true')
        reply.header('access-control-expose-headers', 'Location, ac-revision, ETag')
      }
    }
  })

  // Before schema validation: an unknown account is 404 and a caller without valid credentials
  // 401/403 whatever the body or the other path parameters hold; only then is input validated.
  app.addHook('preValidation', async (request) => {
    const routeConfig = request.routeOptions.config
    const params = request.params as Record<string, string | undefined> | undefined
    const accountId = params?.accountId
    if (accountId === undefined) return
    if (routeConfig.requireAccount === 'unprocessable') await requireProcessableAccount(services, accountId)
    else if (routeConfig.requireAccount !== false) await services.accounts.requireAccount(accountId)
    const methods = routeConfig.auth
    if (!methods || methods.length === 0) return
    if (routeConfig.authOptional === true && !hasCredentials(request, methods)) return
    request.actor = await resolveActor(request, accountId, methods, routeConfig.authFailure ?? 'envelope', {
      services,
      config,
      clock,
    })
    if (routeConfig.apiKeyPermission) requireApiKeyPermission(request.actor, routeConfig.apiKeyPermission)
  })

  // After the account and credential hooks above (docs/wire-conventions.md, "Input the databases cannot store").
  installEdgeRules(app, config)

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

  // CORS preflight for every path (wire-conventions.md §6): 204, with permissions only for a listed origin.
  app.options('/*', { config: { requireAccount: false } }, (request, reply) => {
    if (reply.hasHeader('access-control-allow-origin')) {
      reply
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
        .header('access-control-allow-headers', CORS_ALLOW_HEADERS)
        .header('access-control-max-age', '600')
    }
    return reply.code(204).send()
  })

  const routes = installMethodNotAllowed(app)
  registerOpsRoutes(app, { config })
  registerCsdsRoutes(app, { config })
  registerLoginRoutes(app, { config })
  registerAccountConfigRoutes(app, { config })
  registerEngagementHistoryRoutes(app, { config })
  registerOperationalRealtimeRoutes(app)
  registerAgentSessionRoutes(app, { config, clock })
  registerChatAccountRoutes(app, { config })
  registerAgentChatRoutes(app, { config, clock })
  registerCoBrowseRoutes(app, { config, clock })
  registerVisitorChatRoutes(app, { config })
  registerVisitRoutes(app, { config })
  registerAgentVisitRoutes(app, { config })
  registerBrowserRoutes(app, { config, clock })
  registerEngagementAttributesRoutes(app, { config, clock })
  registerAgentChatAttributeRoutes(app)
  registerTranscriptRoutes(app)
  registerSurveyRoutes(app)
  registerOfflineMessageRoutes(app)
  registerConsoleRoutes(app, { consoleDir: deps.consoleDir })
  routes.finish()
  return app
}

async function requireProcessableAccount(services: Services, accountId: string): Promise<void> {
  try {
    await services.accounts.requireAccount(accountId)
  } catch (error) {
    if (isParleyError(error) && error.code === 'ACCOUNT_NOT_FOUND')
      throw new ParleyError('ACCOUNT_UNPROCESSABLE', error.message)
    throw error
  }
}
