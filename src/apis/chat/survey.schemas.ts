import { Type, type Static } from '@fastify/type-provider-typebox'
import { Lenient, NoBody } from '../shared/body-schemas.ts'

/**
 * The answers of a submission (chat-api.md §14): `{"id", "question": [{"id", "answer"}]}`, where
 * `question` may be one object and `answer` one value or a list; the services check every answer
 * against the stored survey, so the values stay as sent.
 */
const SurveyFields = { id: Lenient, question: Lenient }

/**
 * V18 and A23: `{"survey": {...}}` (JSON, and XML's `<survey>` root) or the survey object itself;
 * the engine answers "survey: needs a numeric id" for anything else, as before.
 */
export const SurveySubmissionBody = Type.Union([Type.Object({ survey: Lenient, ...SurveyFields }), NoBody])
export type SurveySubmissionBody = Static<typeof SurveySubmissionBody>

/**
 * V6: the answers in `survey`, and the visitor's details inside `survey` or next to it at the top
 * level (both documented shapes; `chatRefferer` is LivePerson's spelling, `chatReferrer` the fixed one).
 */
const OfflineVisitorFields = {
  skill: Lenient,
  visitorId: Lenient,
  visitorIp: Lenient,
  userAgent: Lenient,
  chatReferrer: Lenient,
  chatRefferer: Lenient,
  visitorSessionId: Lenient,
  LETagVisitorId: Lenient,
  LETagSessionId: Lenient,
  LETagContextId: Lenient,
}
export const OfflineSurveyBody = Type.Union([Type.Object({ survey: Lenient, ...OfflineVisitorFields }), NoBody])
export type OfflineSurveyBody = Static<typeof OfflineSurveyBody>

/** The survey object of a V18/A23 submission: `survey` when the body wraps it, else the body itself. */
export const submittedSurvey = (body: SurveySubmissionBody): unknown =>
  body !== null && body.survey !== undefined ? body.survey : body
