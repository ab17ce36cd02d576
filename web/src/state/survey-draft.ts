import {
  isSelection,
  type QuestionType,
  type Survey,
  type SurveyBody,
  type SurveyType,
  type ValidationType,
} from '../api/surveys.ts'

/**
 * The survey editor's model, apart from its views: a draft with stable keys for questions and
 * entries (so reordering, renaming and removing keep focus and show-logic), its conversion to and
 * from the API's survey, and the API's validation messages mapped back to the question they name.
 *
 * Show-logic lives on the wire as `entry.showLogicIds` (the questions an entry reveals); the editor
 * shows it from the revealed question's side ("shown only when …"), which is how people think of it.
 */

export interface DraftEntry {
  key: string
  value: string
  /** Empty: shown as `value`. */
  displayValue: string
  checked: boolean
  skillId: number | undefined
}

export interface DraftQuestion {
  key: string
  id: number | undefined
  logicId: number
  type: QuestionType
  label: string
  mandatory: boolean
  validationType: ValidationType
  entries: DraftEntry[]
  /** Keys of the entries (of other questions) that reveal this question; empty: always shown. */
  shownWhen: string[]
}

export interface SurveyDraft {
  id: number | undefined
  name: string
  type: SurveyType
  header: string
  skillIds: number[]
  isDefault: boolean
  questions: DraftQuestion[]
  /** The last key handed out. */
  seq: number
}

function nextKey(draft: SurveyDraft, prefix: string): [string, SurveyDraft] {
  const seq = draft.seq + 1
  return [`${prefix}${seq}`, { ...draft, seq }]
}

export function newEntry(draft: SurveyDraft): [DraftEntry, SurveyDraft] {
  const [key, next] = nextKey(draft, 'e')
  return [{ key, value: '', displayValue: '', checked: false, skillId: undefined }, next]
}

export function emptyDraft(type: SurveyType): SurveyDraft {
  return addQuestion({
    id: undefined,
    name: '',
    type,
    header: '',
    skillIds: [],
    isDefault: false,
    questions: [],
    seq: 0,
  })
}

/** The draft of a stored survey: `showLogicIds` turned into each revealed question's `shownWhen`. */
export function draftOf(survey: Survey): SurveyDraft {
  let seq = 0
  const byLogicId = new Map<number, string[]>()
  const questions = [...survey.questions]
    .sort((a, b) => a.order - b.order)
    .map((question): DraftQuestion => {
      const entries = question.entries.map((entry): DraftEntry => {
        const key = `e${++seq}`
        for (const logicId of entry.showLogicIds) byLogicId.set(logicId, [...(byLogicId.get(logicId) ?? []), key])
        return {
          key,
          value: entry.value,
          displayValue: entry.displayValue === entry.value ? '' : entry.displayValue,
          checked: entry.checked,
          skillId: entry.skillId,
        }
      })
      return {
        key: `q${++seq}`,
        id: question.id,
        logicId: question.logicId,
        type: question.type,
        label: question.label,
        mandatory: question.mandatory,
        validationType: question.validationType,
        entries,
        shownWhen: [],
      }
    })
  for (const question of questions) question.shownWhen = byLogicId.get(question.logicId) ?? []
  const { id, name, type, header, skillIds, isDefault } = survey
  return { id, name, type, header, skillIds, isDefault, questions, seq }
}

/** The API body: questions in draft order, show-logic back on the revealing entries. */
export function bodyOfDraft(draft: SurveyDraft): SurveyBody {
  return {
    name: draft.name,
    type: draft.type,
    header: draft.header,
    skillIds: draft.skillIds,
    isDefault: draft.isDefault,
    questions: draft.questions.map((question, order) => ({
      ...(question.id === undefined ? {} : { id: question.id }),
      logicId: question.logicId,
      order,
      type: question.type,
      label: question.label,
      mandatory: question.mandatory,
      validationType: question.validationType,
      entries: isSelection(question.type)
        ? question.entries.map((entry) => ({
            value: entry.value,
            displayValue: entry.displayValue === '' ? entry.value : entry.displayValue,
            checked: entry.checked,
            showLogicIds: draft.questions
              .filter((revealed) => revealed !== question && revealed.shownWhen.includes(entry.key))
              .map((revealed) => revealed.logicId),
            ...(entry.skillId === undefined ? {} : { skillId: entry.skillId }),
          }))
        : [],
    })),
  }
}

export function addQuestion(draft: SurveyDraft, type: QuestionType = 'Text Field'): SurveyDraft {
  const [key, next] = nextKey(draft, 'q')
  const logicId = Math.max(0, ...draft.questions.map((question) => question.logicId)) + 1
  const question: DraftQuestion = {
    key,
    id: undefined,
    logicId,
    type,
    label: '',
    mandatory: false,
    validationType: 'alpha_numeric',
    entries: [],
    shownWhen: [],
  }
  return { ...next, questions: [...next.questions, question] }
}

export function updateQuestion(draft: SurveyDraft, key: string, patch: Partial<DraftQuestion>): SurveyDraft {
  let next = {
    ...draft,
    questions: draft.questions.map((question) => (question.key === key ? { ...question, ...patch } : question)),
  }
  // A selection question needs entries: give it a first empty one to fill in.
  const changed = next.questions.find((question) => question.key === key)
  if (changed && isSelection(changed.type) && changed.entries.length === 0) next = addEntry(next, key)
  return next
}

/** Moves a question by `delta` places; false when it is already at that end. */
export function moveQuestion(draft: SurveyDraft, key: string, delta: -1 | 1): SurveyDraft | undefined {
  const from = draft.questions.findIndex((question) => question.key === key)
  const to = from + delta
  if (from < 0 || to < 0 || to >= draft.questions.length) return undefined
  const questions = [...draft.questions]
  const [moved] = questions.splice(from, 1)
  if (moved) questions.splice(to, 0, moved)
  return { ...draft, questions }
}

export function removeQuestion(draft: SurveyDraft, key: string): SurveyDraft {
  const removed = draft.questions.find((question) => question.key === key)
  const gone = new Set(removed?.entries.map((entry) => entry.key))
  return {
    ...draft,
    questions: draft.questions
      .filter((question) => question.key !== key)
      .map((question) => ({ ...question, shownWhen: question.shownWhen.filter((entryKey) => !gone.has(entryKey)) })),
  }
}

export function addEntry(draft: SurveyDraft, questionKey: string): SurveyDraft {
  const [entry, next] = newEntry(draft)
  return {
    ...next,
    questions: next.questions.map((question) =>
      question.key === questionKey ? { ...question, entries: [...question.entries, entry] } : question,
    ),
  }
}

export function updateEntry(
  draft: SurveyDraft,
  questionKey: string,
  entryKey: string,
  patch: Partial<DraftEntry>,
): SurveyDraft {
  return {
    ...draft,
    questions: draft.questions.map((question) =>
      question.key === questionKey
        ? {
            ...question,
            entries: question.entries.map((entry) => (entry.key === entryKey ? { ...entry, ...patch } : entry)),
          }
        : question,
    ),
  }
}

export function removeEntry(draft: SurveyDraft, questionKey: string, entryKey: string): SurveyDraft {
  return {
    ...draft,
    questions: draft.questions.map((question) => ({
      ...question,
      entries:
        question.key === questionKey ? question.entries.filter((entry) => entry.key !== entryKey) : question.entries,
      shownWhen: question.shownWhen.filter((key) => key !== entryKey),
    })),
  }
}

/** The entries of other selection questions, which may reveal `question`. */
export function revealCandidates(
  draft: SurveyDraft,
  question: DraftQuestion,
): Array<{ entry: DraftEntry; source: DraftQuestion; position: number }> {
  return draft.questions.flatMap((source, index) =>
    source === question || !isSelection(source.type)
      ? []
      : source.entries.map((entry) => ({ entry, source, position: index + 1 })),
  )
}

/** Validation errors of a save, where the editor shows them. */
export interface DraftErrors {
  /** By survey field (`name`, `header`, `skillIds`, `questions`, …). */
  survey: Record<string, string>
  /** By question position (0-based, as sent), then by field (`label`, `entries`, `type`, …). */
  questions: Record<number, Record<string, string>>
}

export const NO_ERRORS: DraftErrors = { survey: {}, questions: {} }

/**
 * `questions.2.entries.0.value: must …` (or `body.questions.2.label: …` from schema validation)
 * → beside question 3's entries; `name: must …` → beside the name. Undefined when the message names
 * no field (then the form shows it as a whole).
 */
export function errorsOf(message: string): DraftErrors | undefined {
  const match = /^(?:body\.)?([A-Za-z][\w.[\]]*):\s*(.*)$/s.exec(message)
  if (!match?.[1]) return undefined
  const path = match[1].split(/[.[\]]+/).filter((part) => part !== '')
  const text = match[2] ?? message
  const [first, index, field] = path
  if (first === 'questions' && index !== undefined && /^\d+$/.test(index)) {
    return { survey: {}, questions: { [Number(index)]: { [field ?? 'question']: text } } }
  }
  return first ? { survey: { [first]: text }, questions: {} } : undefined
}
