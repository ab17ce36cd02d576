import { SELECTION_QUESTION_TYPES, type Survey, type SurveyQuestion } from '../account-config/account-config.types.ts'
import type { SurveyAnswerInput } from '../chat/chat.types.ts'
import { ParleyError } from '../errors.ts'

/** The only question type that takes several answers (chat-api.md §14). */
const MULTI_ANSWER_TYPE = 'Checkbox'
const NUMERIC = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/
// Deliberately loose (one @, a dot in the domain, no spaces): clients validate more strictly.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const isSelection = (question: SurveyQuestion): boolean => SELECTION_QUESTION_TYPES.includes(question.type)

/** The answers given to a question, without empty ones (an empty string is no answer). */
const givenValues = (answers: ReadonlyMap<number, readonly string[]>, questionId: number): string[] =>
  (answers.get(questionId) ?? []).map((value) => value.trim()).filter((value) => value !== '')

/** A 400 (VALIDATION_FAILED) naming the question by id and label, as clients show it. */
function questionError(question: SurveyQuestion, problem: string): ParleyError {
  return new ParleyError('VALIDATION_FAILED', `Survey question ${question.id} "${question.label}": ${problem}`, {
    field: `survey.question.${question.id}`,
    questionId: question.id,
  })
}

/**
 * The questions a visitor (or agent) is shown given `answers`: a question no entry reveals is
 * always shown; a question some entry reveals (`showLogicIds` holds its `logicId`) is shown when a
 * shown question's answer picks such an entry. Revealed questions can reveal further ones.
 */
export function shownQuestionIds(survey: Survey, answers: readonly SurveyAnswerInput[]): Set<number> {
  const byQuestion = new Map(answers.map((answer) => [answer.id, answer.answers]))
  const revealed = new Set(
    survey.questions.flatMap((question) => question.entries.flatMap((entry) => entry.showLogicIds)),
  )
  const shown = new Set(survey.questions.filter((q) => !revealed.has(q.logicId)).map((q) => q.id))
  let grew = true
  while (grew) {
    grew = false
    for (const question of survey.questions) {
      if (!shown.has(question.id) || !isSelection(question)) continue
      const picked = new Set(givenValues(byQuestion, question.id))
      for (const entry of question.entries) {
        if (!picked.has(entry.value)) continue
        for (const logicId of entry.showLogicIds) {
          const target = survey.questions.find((candidate) => candidate.logicId === logicId)
          if (target && !shown.has(target.id)) {
            shown.add(target.id)
            grew = true
          }
        }
      }
    }
  }
  return shown
}

/**
 * Checks submitted answers against their survey (pre-chat, offline, exit and agent alike) and
 * throws VALIDATION_FAILED (400) naming the first failing question: an answer to a question the
 * survey does not have; a selection answer that is not one of the question's entry values; more
 * than one answer to a single-choice question (only `Checkbox` takes several); a free-text answer
 * that is not a number (`numeric`) or an email address (`email`); no answer to a mandatory question
 * the submitter was shown (see `shownQuestionIds`). `alpha_numeric` accepts any text.
 */
export function validateSurveyAnswers(survey: Survey, answers: readonly SurveyAnswerInput[]): void {
  const questions = new Map(survey.questions.map((question) => [question.id, question]))
  for (const answer of answers) {
    if (!questions.has(answer.id)) {
      throw new ParleyError(
        'VALIDATION_FAILED',
        `Survey question ${answer.id}: not a question of survey ${survey.id}`,
        {
          field: `survey.question.${answer.id}`,
          questionId: answer.id,
        },
      )
    }
  }
  const byQuestion = new Map(answers.map((answer) => [answer.id, answer.answers]))
  const shown = shownQuestionIds(survey, answers)
  for (const question of [...survey.questions].sort((a, b) => a.order - b.order)) {
    const values = givenValues(byQuestion, question.id)
    if (values.length === 0) {
      if (question.mandatory && shown.has(question.id)) throw questionError(question, 'an answer is mandatory')
      continue
    }
    if (isSelection(question)) {
      if (question.type !== MULTI_ANSWER_TYPE && values.length > 1)
        throw questionError(question, `takes one answer, got ${values.length}`)
      const allowed = new Set(question.entries.map((entry) => entry.value))
      const unknown = values.find((value) => !allowed.has(value))
      if (unknown !== undefined) throw questionError(question, `"${unknown}" is not one of its entries`)
      continue
    }
    if (values.length > 1) throw questionError(question, `takes one answer, got ${values.length}`)
    const [value = ''] = values
    if (question.validationType === 'numeric' && !NUMERIC.test(value))
      throw questionError(question, 'the answer must be a number')
    if (question.validationType === 'email' && !EMAIL.test(value))
      throw questionError(question, 'the answer must be an email address')
  }
}

/**
 * `runWithRules` (a Parley extension, docs/surveys.md): the skill of the first entry, in question
 * order, that the answers pick and that carries a `skillId`; undefined when none does.
 */
export function answeredSkillId(survey: Survey, answers: readonly SurveyAnswerInput[]): number | undefined {
  const byQuestion = new Map(answers.map((answer) => [answer.id, answer.answers]))
  for (const question of [...survey.questions].sort((a, b) => a.order - b.order)) {
    if (!isSelection(question)) continue
    const picked = new Set(givenValues(byQuestion, question.id))
    const entry = question.entries.find((candidate) => picked.has(candidate.value) && candidate.skillId !== undefined)
    if (entry?.skillId !== undefined) return entry.skillId
  }
  return undefined
}
