import { asList, type Survey, type SurveyAnswer, type SurveyQuestion } from '../api/agent.ts'

/** A question as the form shows it: entries always a list, show-logic ids always a list. */
export interface FormQuestion {
  id: number
  logicId: number
  type: string
  label: string
  mandatory: boolean
  entries: Array<{ value: string; label: string; reveals: number[] }>
}

/** The survey's questions in their order (A23 collapses one question or entry to a bare object). */
export function formQuestions(survey: Survey): FormQuestion[] {
  return asList<SurveyQuestion>(survey.questions?.question)
    .slice()
    .sort((a, b) => a.order - b.order)
    .map((question) => ({
      id: Number(question.id),
      logicId: Number(question.logicId),
      type: question.type,
      label: question.label,
      mandatory: question.mandatory === true || String(question.mandatory) === 'true',
      entries: asList(question.entry).map((entry) => ({
        value: entry.value,
        label: entry.displayValue ?? entry.value,
        reveals: asList(entry.logic?.showLogicId).map(Number),
      })),
    }))
}

/** The picked values of a question (several only for `Checkbox`). */
export type FormValues = Readonly<Record<number, readonly string[]>>

/**
 * Show-logic as the server applies it (docs/surveys.md): a question no entry reveals is always
 * shown; one that some entry reveals is shown only when a shown question's answer picks such an
 * entry (chains are followed).
 */
export function visibleQuestions(questions: readonly FormQuestion[], values: FormValues): FormQuestion[] {
  const revealable = new Set(questions.flatMap((question) => question.entries.flatMap((entry) => entry.reveals)))
  const shown = new Set(questions.filter((question) => !revealable.has(question.logicId)).map((q) => q.id))
  for (let changed = true; changed;) {
    changed = false
    for (const question of questions) {
      if (!shown.has(question.id)) continue
      const picked = values[question.id] ?? []
      for (const entry of question.entries) {
        if (!picked.includes(entry.value)) continue
        for (const logicId of entry.reveals) {
          const target = questions.find((candidate) => candidate.logicId === logicId)
          if (target && !shown.has(target.id)) {
            shown.add(target.id)
            changed = true
          }
        }
      }
    }
  }
  return questions.filter((question) => shown.has(question.id))
}

/** The A23 answers: the shown questions with a non-empty answer (the server checks the rest). */
export function surveyAnswers(questions: readonly FormQuestion[], values: FormValues): SurveyAnswer[] {
  return visibleQuestions(questions, values).flatMap((question) => {
    const picked = (values[question.id] ?? []).filter((value) => value.trim() !== '')
    if (picked.length === 0) return []
    return [{ id: question.id, answer: question.type === 'Checkbox' ? [...picked] : (picked[0] ?? '') }]
  })
}

/** The question a 400 names (`Survey question 12 "Topic": an answer is mandatory`), if any. */
export function questionOfError(message: string): number | undefined {
  const match = /^Survey question (\d+)\b/.exec(message)
  return match ? Number(match[1]) : undefined
}
