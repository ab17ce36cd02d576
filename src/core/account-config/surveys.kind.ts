import { invalid } from '../errors.ts'
import { skillsRepository } from '../../storage/repositories/skills.repository.ts'
import { surveysRepository } from '../../storage/repositories/surveys.repository.ts'
import {
  SELECTION_QUESTION_TYPES,
  SURVEY_QUESTION_TYPES,
  SURVEY_TYPES,
  SURVEY_VALIDATION_TYPES,
  type Survey,
  type SurveyInput,
  type SurveyQuestion,
  type SurveyQuestionInput,
  type SurveyValues,
} from './account-config.types.ts'
import { requireInteger, requireKnownIds, requireOneOf, requireText, unique } from './config-rules.ts'
import type { EntityKind } from './entity-service.ts'

/**
 * Applies question defaults (logicId = position + 1, order = position) and assigns ids to new
 * questions: one more than the highest id sent or already stored in the survey, so ids sent
 * back on update are kept and never collide.
 */
export function resolveQuestions(
  inputs: readonly SurveyQuestionInput[],
  existing: Survey | undefined,
): SurveyQuestion[] {
  if (inputs.length === 0) throw invalid('questions', 'must contain at least one question')
  const sentIds = inputs.flatMap((question, index) =>
    question.id === undefined ? [] : [requireInteger(`questions.${index}.id`, question.id, 1)],
  )
  if (new Set(sentIds).size !== sentIds.length) throw invalid('questions.id', 'must be unique in the survey')
  let nextId = Math.max(0, ...sentIds, ...(existing?.questions.map((question) => question.id) ?? [])) + 1

  const logicIds = inputs.map((question, index) =>
    requireInteger(`questions.${index}.logicId`, question.logicId ?? index + 1, 1),
  )
  if (new Set(logicIds).size !== logicIds.length) throw invalid('questions.logicId', 'must be unique in the survey')
  const knownLogicIds = new Set(logicIds)

  return inputs.map((question, index) => {
    const field = `questions.${index}`
    const type = requireOneOf(`${field}.type`, question.type, SURVEY_QUESTION_TYPES)
    const selection = SELECTION_QUESTION_TYPES.includes(type)
    const entries = selection
      ? (question.entries ?? []).map((entry, entryIndex) => {
          const showLogicIds = unique(entry.showLogicIds ?? [])
          requireKnownIds(`${field}.entries.${entryIndex}.showLogicIds`, showLogicIds, knownLogicIds)
          return {
            value: entry.value,
            displayValue: entry.displayValue ?? entry.value,
            checked: entry.checked ?? false,
            showLogicIds,
            ...(entry.skillId === undefined ? {} : { skillId: entry.skillId }),
          }
        })
      : []
    if (selection && entries.length === 0) throw invalid(`${field}.entries`, `are required for type "${type}"`)
    return {
      id: question.id ?? nextId++,
      logicId: logicIds[index] ?? index + 1,
      order: requireInteger(`${field}.order`, question.order ?? index, 0),
      type,
      label: requireText(`${field}.label`, question.label),
      mandatory: question.mandatory ?? false,
      validationType: requireOneOf(
        `${field}.validationType`,
        question.validationType ?? 'alpha_numeric',
        SURVEY_VALIDATION_TYPES,
      ),
      entries,
    }
  })
}

export const surveyKind: EntityKind<Survey, SurveyInput, SurveyInput, SurveyValues> = {
  label: 'survey',
  list: (db, scope, includeDeleted) => surveysRepository.list(db, scope.accountId, includeDeleted),
  find: (db, scope, id) => surveysRepository.findById(db, scope.accountId, id),
  prepare: async (input) => input,
  async resolve(tx, scope, input, existing) {
    const skillIds = unique(input.skillIds ?? [])
    requireKnownIds('skillIds', skillIds, await skillsRepository.existingIds(tx, scope.accountId, skillIds))
    // Entry skills (runWithRules, a Parley extension) must be skills of the account too.
    const entrySkillIds = unique(
      input.questions.flatMap((question) => (question.entries ?? []).flatMap((entry) => entry.skillId ?? [])),
    )
    requireKnownIds(
      'questions.entries.skillId',
      entrySkillIds,
      await skillsRepository.existingIds(tx, scope.accountId, entrySkillIds),
    )
    return {
      name: requireText('name', input.name),
      type: requireOneOf('type', input.type, SURVEY_TYPES),
      header: input.header ?? '',
      skillIds,
      isDefault: input.isDefault ?? false,
      questions: resolveQuestions(input.questions, existing),
    }
  },
  insert: (tx, scope, values, now) => surveysRepository.insert(tx, scope.accountId, values, now),
  update: (tx, scope, existing, values, now) => surveysRepository.update(tx, scope.accountId, existing.id, values, now),
  remove: (tx, scope, existing, now) => surveysRepository.markDeleted(tx, scope.accountId, existing.id, now),
  // At most one default per type: the survey just made default takes it from the others.
  async afterChange(tx, scope, survey, now) {
    if (survey.isDefault && !survey.deleted) {
      await surveysRepository.clearDefault(tx, scope.accountId, survey.type, survey.id, now)
    }
  },
}
