import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config/config.ts'
import type { ConfigCaller, ConfigEntity } from '../../core/account-config/account-config.types.ts'
import type { AccountScope, EntityService, Versioned } from '../../core/account-config/entity-service.ts'
import { ParleyError, invalid } from '../../core/errors.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { linkOrigin } from '../../http/client-url.ts'
import { registerKeyRoutes } from './keys.routes.ts'
import { registerLoginLockRoutes } from './login-locks.routes.ts'
import {
  AccountParams,
  AgentGroupBody,
  CampaignBody,
  CampaignParams,
  ConfigQuery,
  EngagementBody,
  EngagementParams,
  ItemParams,
  SimpleEntityBody,
  SkillBody,
  SurveyBody,
  UserBody,
} from './account-config.schemas.ts'
import {
  applySelection,
  presentAgentGroup,
  presentCampaign,
  presentEngagement,
  presentNamedEntity,
  presentSkill,
  presentSurvey,
  presentTargetingEntity,
  presentUser,
  selectedFields,
  type ConfigDocument,
  type Presenter,
} from './account-config.presenter.ts'

const BASE = '/api/account/:accountId/configuration'
const MAX_BATCH = 100

interface PathParams {
  accountId: string
  campaignId?: number
  id?: number
}

/** One entity family's routes: where it lives, its body schema, how the body maps to the service input. */
interface EntityRoutes<T extends ConfigEntity, I, S extends AccountScope, B extends TSchema> {
  collection: string
  collectionParams: TSchema
  itemParams: TSchema
  body: B
  toInput(body: Static<B>): I
  present: Presenter<T>
  service(app: ParleyApp): EntityService<T, I, S>
  scope(params: PathParams): S
}

/**
 * An entity or a non-empty array of them. `if`/`then`/`else` rather than `anyOf`, so a
 * validation error names the failing field of the shape actually sent.
 */
const oneOrMany = <B extends TSchema>(body: B) =>
  Type.Unsafe<Static<B> | Array<Static<B>>>({
    if: { type: 'array' },
    then: Type.Array(body, { minItems: 1, maxItems: MAX_BATCH }),
    else: body,
  })

const accountScope = (params: PathParams): AccountScope => ({ accountId: params.accountId })

function callerOf(request: FastifyRequest): ConfigCaller {
  if (!request.actor) throw new ParleyError('UNAUTHORIZED', 'Unauthorized')
  return request.actor
}

/** `If-Match: "7"` (also unquoted or weak); `*` means no precondition; anything unparsable never matches. */
function expectedRevision(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match']?.trim()
  if (header === undefined || header === '*') return undefined
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(header)
  return match ? Number(match[1]) : Number.NaN
}

function withRevision(reply: FastifyReply, revision: number): FastifyReply {
  return reply.header('ac-revision', String(revision)).header('etag', `"${revision}"`)
}

function registerEntityRoutes<T extends ConfigEntity, I, S extends AccountScope, B extends TSchema>(
  app: ParleyApp,
  config: Config,
  routes: EntityRoutes<T, I, S, B>,
): void {
  const item = `${routes.collection}/:id`
  const routeConfig = { auth: ['bearer', 'oauth1'] } as const
  const querystring = ConfigQuery

  const render = (request: FastifyRequest, entity: T, timeZone: string): ConfigDocument => {
    const query = request.query as ConfigQuery
    return applySelection(routes.present(entity, timeZone), selectedFields(query.select, query.fields))
  }
  const sendOne = (request: FastifyRequest, reply: FastifyReply, result: Versioned<T>, status = 200) =>
    withRevision(reply, result.revision)
      .code(status)
      .send(render(request, result.value, result.timeZone))
  const inputOf = (request: FastifyRequest): I => routes.toInput(request.body as Static<B>)
  const paramsOf = (request: FastifyRequest): PathParams => request.params as PathParams

  app.get(
    routes.collection,
    { schema: { params: routes.collectionParams, querystring }, config: routeConfig },
    async (request, reply) => {
      const includeDeleted = request.query.include_deleted === true
      const result = await routes
        .service(app)
        .list(callerOf(request), routes.scope(paramsOf(request)), { includeDeleted })
      if (expectedRevision(request) === result.revision) return withRevision(reply, result.revision).code(304).send()
      return withRevision(reply, result.revision).send(
        result.value.map((entity) => render(request, entity, result.timeZone)),
      )
    },
  )

  app.get(item, { schema: { params: routes.itemParams, querystring }, config: routeConfig }, async (request, reply) => {
    const params = paramsOf(request)
    const result = await routes.service(app).get(callerOf(request), routes.scope(params), params.id ?? 0)
    if (expectedRevision(request) === result.revision) return withRevision(reply, result.revision).code(304).send()
    return sendOne(request, reply, result)
  })

  app.post(
    routes.collection,
    {
      schema: {
        params: routes.collectionParams,
        querystring,
        body: oneOrMany(routes.body),
      },
      config: routeConfig,
    },
    async (request, reply) => {
      const service = routes.service(app)
      const scope = routes.scope(paramsOf(request))
      const body: unknown = request.body
      if (Array.isArray(body)) {
        const inputs = (body as Array<Static<B>>).map((entry) => routes.toInput(entry))
        const result = await service.createMany(callerOf(request), scope, inputs)
        return withRevision(reply, result.revision)
          .code(201)
          .send(result.value.map((entity) => render(request, entity, result.timeZone)))
      }
      const result = await service.create(callerOf(request), scope, inputOf(request))
      const path = request.url.split('?', 1)[0] ?? ''
      reply.header('location', `${linkOrigin(request, config)}${path}/${result.value.id}`)
      return sendOne(request, reply, result, 201)
    },
  )

  app.put(
    item,
    { schema: { params: routes.itemParams, querystring, body: routes.body }, config: routeConfig },
    async (request, reply) => {
      const params = paramsOf(request)
      const id = params.id ?? 0
      const bodyId = (request.body as { id?: number }).id
      if (bodyId !== undefined && bodyId !== id) throw invalid('id', `must equal the id in the path (${id})`)
      const result = await routes.service(app).update(callerOf(request), routes.scope(params), id, inputOf(request), {
        expectedRevision: expectedRevision(request),
      })
      return sendOne(request, reply, result)
    },
  )

  app.delete(
    item,
    { schema: { params: routes.itemParams, querystring }, config: routeConfig },
    async (request, reply) => {
      const params = paramsOf(request)
      const result = await routes.service(app).remove(callerOf(request), routes.scope(params), params.id ?? 0, {
        expectedRevision: expectedRevision(request),
      })
      return sendOne(request, reply, result)
    },
  )
}

const simpleInput = (body: Static<typeof SimpleEntityBody>) => ({ name: body.name, description: body.description })

/**
 * Account configuration API (account-config.md): skills, agent groups, users, campaigns and
 * their engagements, goals, visitor behaviors and profiles, lines of business and surveys, under
 * `/api/account/:accountId/configuration`. JSON only; bearer of an Admin user, or an OAuth 1.0a API key
 * with `configRead` (reads) or `configWrite` (reads and writes).
 */
export function registerAccountConfigRoutes(app: ParleyApp, deps: { config: Config }): void {
  const { config } = deps
  const accountRoutes = { collectionParams: AccountParams, itemParams: ItemParams, scope: accountScope }
  registerLoginLockRoutes(app)
  registerKeyRoutes(app)

  registerEntityRoutes(app, config, {
    ...accountRoutes,
    collection: `${BASE}/le-users/skills`,
    body: SkillBody,
    toInput: (body) => ({ name: body.name, description: body.description, maxWaitTime: body.maxWaitTime }),
    present: presentSkill,
    service: (a) => a.services.accountConfig.skills,
  })

  registerEntityRoutes(app, config, {
    ...accountRoutes,
    collection: `${BASE}/le-users/agentGroups`,
    body: AgentGroupBody,
    toInput: (body) => ({
      name: body.name,
      description: body.description,
      parentGroupId: body.parentGroupId,
      isEnabled: body.isEnabled,
    }),
    present: presentAgentGroup,
    service: (a) => a.services.accountConfig.agentGroups,
  })

  registerEntityRoutes(app, config, {
    ...accountRoutes,
    collection: `${BASE}/le-users/users`,
    body: UserBody,
    toInput: (body) => ({
      loginName: body.loginName,
      password: body.passwordSh,
      fullName: body.fullName,
      nickname: body.nickname,
      email: body.email,
      isEnabled: body.isEnabled,
      maxChats: body.maxChats,
      skillIds: body.skillIds,
      memberOf: body.memberOf,
      managerOf: body.managerOf,
      permissionGroups: body.permissionGroups,
    }),
    present: presentUser,
    service: (a) => a.services.accountConfig.users,
  })

  registerEntityRoutes(app, config, {
    ...accountRoutes,
    collection: `${BASE}/le-campaigns/campaigns`,
    body: CampaignBody,
    toInput: (body) => ({
      name: body.name,
      description: body.description,
      goalId: body.goalId,
      lobId: body.lobId,
      status: body.status,
      visitorProfileIds: body.visitorProfiles,
      startDate: body.startDate,
      expirationDate: body.expirationDate,
    }),
    present: presentCampaign,
    service: (a) => a.services.accountConfig.campaigns,
  })

  registerEntityRoutes(app, config, {
    collection: `${BASE}/le-campaigns/campaigns/:campaignId/engagements`,
    collectionParams: CampaignParams,
    itemParams: EngagementParams,
    scope: (params) => ({ accountId: params.accountId, campaignId: params.campaignId ?? 0 }),
    body: EngagementBody,
    toInput: (body) => ({
      name: body.name,
      description: body.description,
      enabled: body.enabled,
      channel: body.channel,
      skillId: body.skillId,
      visitorBehaviorIds: body.visitorBehaviors,
      agentNote: body.agentNote,
    }),
    present: presentEngagement,
    service: (a) => a.services.accountConfig.engagements,
  })

  const simpleFamilies = [
    { path: 'le-goals/goals', present: presentNamedEntity, key: 'goals' },
    { path: 'le-targeting/visitor-behaviors', present: presentTargetingEntity, key: 'visitorBehaviors' },
    { path: 'le-targeting/visitor-profiles', present: presentTargetingEntity, key: 'visitorProfiles' },
    { path: 'le-account/lobs', present: presentNamedEntity, key: 'lobs' },
  ] as const
  for (const family of simpleFamilies) {
    registerEntityRoutes(app, config, {
      ...accountRoutes,
      collection: `${BASE}/${family.path}`,
      body: SimpleEntityBody,
      toInput: simpleInput,
      present: family.present,
      service: (a) => a.services.accountConfig[family.key],
    })
  }

  registerEntityRoutes(app, config, {
    ...accountRoutes,
    collection: `${BASE}/le-surveys/surveys`,
    body: SurveyBody,
    toInput: (body) => ({
      name: body.name,
      type: body.type,
      header: body.header,
      skillIds: body.skillIds,
      isDefault: body.isDefault,
      questions: body.questions.map((question) => ({
        id: question.id,
        logicId: question.logicId,
        order: question.order,
        type: question.type,
        label: question.label,
        mandatory: question.mandatory,
        validationType: question.validationType,
        entries: question.entries,
      })),
    }),
    present: presentSurvey,
    service: (a) => a.services.accountConfig.surveys,
  })
}
