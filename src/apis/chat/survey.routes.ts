import { Type, type Static } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SurveyType } from '../../core/account-config/account-config.types.ts'
import { parseSurveyAnswers } from '../../core/chat/request-fields.ts'
import type { ParleyApp } from '../../http/parley-app.ts'
import { VISITOR_ROUTE } from '../../http/auth/visitor-auth.ts'
import { AGENT_CHAT_ROUTE } from '../agent-session/agent-chat-access.ts'
import { ChatParams as AgentChatParams } from '../agent-session/agent-chat.schemas.ts'
import { sendPresented } from './chat-links.ts'
import { presentSurvey } from './survey.presenter.ts'
import { OfflineSurveyBody, SurveySubmissionBody, submittedSurvey } from './survey.schemas.ts'
import { AccountParams, ChatParams, first } from './visitor-chat.schemas.ts'

const Repeatable = Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 100 })

/**
 * V4/V5 (and V17/A23, which take only the first two): every parameter may repeat, the first value
 * counts; `visitorIp`, `userAgent`, `visitorProfile` are accepted and ignored.
 */
const SurveyQuery = Type.Object({
  surveyName: Type.Optional(Repeatable),
  surveyApiId: Type.Optional(Repeatable),
  skill: Type.Optional(Repeatable),
  visitorId: Type.Optional(Repeatable),
  visitorIp: Type.Optional(Repeatable),
  userAgent: Type.Optional(Repeatable),
  visitorProfile: Type.Optional(Repeatable),
})
type SurveyQuery = Static<typeof SurveyQuery>

/** `surveyApiId` as an id; anything else (absent, not a number) means "not given". */
function apiIdOf(value: string | undefined): number | undefined {
  const trimmed = value?.trim()
  return trimmed !== undefined && /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : undefined
}

const byNameOrId = (query: SurveyQuery) => ({
  surveyName: first(query.surveyName),
  surveyApiId: apiIdOf(first(query.surveyApiId)),
})

/** D2: `{}` in JSON mode, an empty body in XML mode. */
const emptyObject = (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
  request.wire.format === 'json'
    ? reply.code(200).type('application/json; charset=UTF-8').send('{}')
    : reply.code(200).send()

/**
 * Surveys on the visitor and agent APIs (chat-api.md §6, §11.1, §14; agent-api.md A23): V4
 * preSurvey, V5/V6 offlineSurvey, V17/V18 exitSurvey, A23 agent survey. Selection, validation and
 * offline messages live in the surveys service and the chat engine; this module only maps HTTP.
 */
export function registerSurveyRoutes(app: ParleyApp): void {
  const surveys = () => app.services.surveys
  const chat = () => app.services.chat

  /** V4 and V5: selection by name, id, skill (name or id) or default; `lastKnownValue` from `visitorId`. */
  const accountSurvey = (path: string, type: SurveyType) =>
    app.get(
      path,
      { schema: { params: AccountParams, querystring: SurveyQuery }, ...VISITOR_ROUTE },
      async (request, reply) => {
        const { accountId } = request.params
        const query = request.query
        const skillId = await surveys().skillIdOf(accountId, first(query.skill))
        const survey = await surveys().select(accountId, type, { ...byNameOrId(query), skillId })
        const lastKnownValues = await surveys().lastKnownValues(accountId, first(query.visitorId), survey)
        return sendPresented(request, reply, presentSurvey(survey, { style: 'strings', lastKnownValues }))
      },
    )
  accountSurvey('/api/account/:accountId/chat/preSurvey', 'preChat')
  accountSurvey('/api/account/:accountId/chat/offlineSurvey', 'offline')

  // V6: POST + override PUT; stored as an offline message.
  app.put(
    '/api/account/:accountId/chat/offlineSurvey',
    { schema: { params: AccountParams, body: OfflineSurveyBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      await surveys().submitOffline(request.params.accountId, request.body, {
        visitorIp: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      })
      return emptyObject(request, reply)
    },
  )

  const exitPath = '/api/account/:accountId/chat/:chatId/exitSurvey'
  // V17: in every state, for the chat's skill; `lastKnownValue` from the chat's visitor.
  app.get(
    exitPath,
    { schema: { params: ChatParams, querystring: SurveyQuery }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      await chat().touchVisitor(accountId, chatId)
      const found = await chat().getChat(accountId, chatId)
      const survey = await surveys().select(accountId, 'exit', { ...byNameOrId(request.query), skillId: found.skillId })
      const lastKnownValues = await surveys().lastKnownValues(accountId, found.visitorId, survey)
      return sendPresented(request, reply, presentSurvey(survey, { style: 'typed', lastKnownValues }))
    },
  )

  // V18: validated, stored (a second submission replaces the first), archived by the engine.
  app.put(
    exitPath,
    { schema: { params: ChatParams, body: SurveySubmissionBody }, ...VISITOR_ROUTE },
    async (request, reply) => {
      const { accountId, chatId } = request.params
      await chat().touchVisitor(accountId, chatId)
      await chat().submitExitSurvey(accountId, chatId, request.body)
      const found = await chat().getChat(accountId, chatId)
      // The answers become the visitor's `lastKnownValue`s.
      const answers = parseSurveyAnswers(submittedSurvey(request.body))
      if (answers) await surveys().rememberAnswers(accountId, found.visitorId, answers)
      return emptyObject(request, reply)
    },
  )

  const agentPath = '/api/account/:accountId/agentSession/:agentSessionId/chat/:chatId/survey'
  // A23 GET: the agent survey for the chat's skill (or by name/id), typed values.
  app.get(
    agentPath,
    { ...AGENT_CHAT_ROUTE, schema: { params: AgentChatParams, querystring: SurveyQuery } },
    async (request, reply) => {
      const { session } = request.agent
      const found = await chat().agentChat(session.accountId, session.userId, request.params.chatId)
      const survey = await surveys().select(session.accountId, 'agent', {
        ...byNameOrId(request.query),
        skillId: found.skillId,
      })
      return sendPresented(request, reply, presentSurvey(survey, { style: 'typed' }))
    },
  )

  // A23 PUT: during the chat and after it ended; for the engagement this agent handled.
  app.put(
    agentPath,
    { ...AGENT_CHAT_ROUTE, schema: { params: AgentChatParams, body: SurveySubmissionBody } },
    async (request, reply) => {
      const { session } = request.agent
      await chat().submitAgentSurvey(session.accountId, session.userId, request.params.chatId, request.body)
      return emptyObject(request, reply)
    },
  )
}
