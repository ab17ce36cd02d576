import { invalid } from '../errors.ts'
import { validateSurveyAnswers } from '../surveys/survey-answers.ts'
import type { Executor } from '../../storage/repositories/executor.ts'
import { surveysRepository } from '../../storage/repositories/surveys.repository.ts'
import { parseSurveyAnswers } from './request-fields.ts'

/** Survey answers of a submission body, for an existing survey of `type`. */
export async function surveyAnswersOf(db: Executor, accountId: string, body: unknown, type: 'exit' | 'agent') {
  const wrapped = typeof body === 'object' && body !== null && 'survey' in body ? body.survey : body
  const parsed = parseSurveyAnswers(wrapped)
  if (!parsed) throw invalid('survey', 'needs a numeric id')
  const survey = await surveysRepository.findById(db, accountId, parsed.id)
  if (!survey || survey.deleted || survey.type !== type) throw invalid('survey', `unknown survey ${parsed.id}`)
  validateSurveyAnswers(survey, parsed.answers)
  return { ...parsed, survey }
}
