import { SELECTION_QUESTION_TYPES, type Survey } from '../account-config/account-config.types.ts'
import type { SurveyItem } from '../history/record.types.ts'
import { formatHistoryTime } from '../time.ts'
import type { ChatSurveyAnswers, SurveyAnswerInput, SurveySnapshot } from './chat.types.ts'

/** Engagement History `source` of each survey list (engagement-history.md §5.4). */
export type SurveySource = 'Pre-Chat' | 'Exit' | 'Operator'

/**
 * Survey answers as Engagement History items (engagement-history.md §5.4): one item per answered
 * question of `survey`, in question order; answers to unknown questions are dropped. `answersId`
 * per answer: the 1-based entry index for selection questions (-2 when no entry has that value),
 * -1 for free text, 0 for an empty answer.
 */
export function surveyItemsOf(
  survey: SurveySnapshot,
  answers: readonly SurveyAnswerInput[],
  source: SurveySource,
  timeL: number,
): SurveyItem[] {
  const byQuestion = new Map(answers.map((answer) => [answer.id, answer.answers]))
  const time = formatHistoryTime(timeL)
  return [...survey.questions]
    .sort((a, b) => a.order - b.order)
    .flatMap((question): SurveyItem[] => {
      const values = byQuestion.get(question.id)
      if (values === undefined) return []
      const selection = SELECTION_QUESTION_TYPES.includes(question.type)
      const answersId = values.map((value) => {
        if (value === '') return 0
        if (!selection) return -1
        const index = question.entries.findIndex((entry) => entry.value === value)
        return index === -1 ? -2 : index + 1
      })
      return [
        {
          scope: 'Session',
          source,
          displayName: question.label,
          value: values.join(','),
          values: [...values],
          answersId,
          name: survey.name,
          time,
          timeL,
          questionID: question.id,
          surveyID: survey.id,
        },
      ]
    })
}

/** The questions of `survey` that `answers` answer, as they are now: what the archive keeps. */
export function surveySnapshotOf(survey: Survey, answers: readonly SurveyAnswerInput[]): SurveySnapshot {
  const answered = new Set(answers.map((answer) => answer.id))
  return {
    id: survey.id,
    name: survey.name,
    questions: survey.questions
      .filter((question) => answered.has(question.id))
      .map((question) => ({
        id: question.id,
        order: question.order,
        type: question.type,
        label: question.label,
        entries: question.entries.map((entry) => ({ value: entry.value })),
      })),
  }
}

/** A submission of `answers` to `survey` at `now`, with the snapshot of the questions answered. */
export function answeredSurvey(
  kind: ChatSurveyAnswers['kind'],
  sequence: number,
  survey: Survey,
  answers: SurveyAnswerInput[],
  userId: number | null,
  now: number,
): ChatSurveyAnswers {
  return {
    kind,
    sequence,
    surveyId: survey.id,
    answers,
    userId,
    submittedAt: now,
    survey: surveySnapshotOf(survey, answers),
  }
}
