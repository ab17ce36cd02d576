import { useLayoutEffect, useRef } from 'preact/hooks'
import type { Named } from '../api/config.ts'
import { SURVEY_TYPES, type SurveyType } from '../api/surveys.ts'
import { addQuestion, moveQuestion, removeQuestion, type DraftErrors, type SurveyDraft } from '../state/survey-draft.ts'
import { FieldError, invalidProps } from './Fields.tsx'
import { QuestionEditor } from './QuestionEditor.tsx'

interface Props {
  draft: SurveyDraft
  skills: Named[]
  errors: DraftErrors
  formError: string
  confirmingDelete: boolean
  onChange: (draft: SurveyDraft) => void
  onSave: (draft: SurveyDraft) => void
  onDelete: (draft: SurveyDraft) => void
  onCancelDelete: () => void
  announce: (text: string) => void
}

/** One survey: its own fields, then its questions in order, each with a question editor. */
export function SurveyForm(props: Props) {
  const { draft, errors, onChange } = props
  // After a move or a removal, focus goes to a control of the same (or the next) question.
  const pendingFocus = useRef<string | undefined>(undefined)
  useLayoutEffect(() => {
    if (!pendingFocus.current) return
    document.getElementById(pendingFocus.current)?.focus()
    pendingFocus.current = undefined
  })

  const set = <K extends keyof SurveyDraft>(key: K, value: SurveyDraft[K]) => onChange({ ...draft, [key]: value })

  /** `focusId`: the field to keep focused (a keyboard shortcut); else the move button, as below. */
  const move = (key: string, delta: -1 | 1, focusId?: string) => {
    const next = moveQuestion(draft, key, delta)
    if (!next) return
    const position = next.questions.findIndex((question) => question.key === key)
    // The button pressed is disabled once the question reaches that end: focus the other one then.
    const reachedEdge = delta === -1 ? position === 0 : position === next.questions.length - 1
    const same = delta === -1 ? 'up' : 'down'
    const other = delta === -1 ? 'down' : 'up'
    pendingFocus.current = focusId ?? `q-${key}-${reachedEdge ? other : same}`
    onChange(next)
    props.announce(`Question moved to position ${position + 1} of ${next.questions.length}.`)
  }

  const remove = (key: string) => {
    const index = draft.questions.findIndex((question) => question.key === key)
    const next = removeQuestion(draft, key)
    const neighbour = next.questions[Math.min(index, next.questions.length - 1)]
    pendingFocus.current = neighbour ? `q-${neighbour.key}-label` : 'survey-add-question'
    onChange(next)
    props.announce(`Question removed. ${next.questions.length} left.`)
  }

  const add = () => {
    const next = addQuestion(draft)
    const added = next.questions[next.questions.length - 1]
    if (added) pendingFocus.current = `q-${added.key}-type`
    onChange(next)
  }

  const submit = (event: Event) => {
    event.preventDefault()
    props.onSave(draft)
  }

  const title = draft.id === undefined ? 'New survey' : `Edit survey "${draft.name}"`
  return (
    <form class="card survey-form" onSubmit={submit} aria-labelledby="survey-form-title" noValidate>
      <h2 id="survey-form-title">{title}</h2>
      <div class="form-grid">
        <div class="field">
          <label for="survey-name">Name</label>
          <input
            id="survey-name"
            type="text"
            value={draft.name}
            {...invalidProps('survey-name', errors.survey.name)}
            onInput={(event) => set('name', event.currentTarget.value)}
          />
          <FieldError id="survey-name" text={errors.survey.name} />
        </div>
        <div class="field">
          <label for="survey-type">Kind</label>
          <select
            id="survey-type"
            value={draft.type}
            {...invalidProps('survey-type', errors.survey.type)}
            onChange={(event) => set('type', event.currentTarget.value as SurveyType)}
          >
            {SURVEY_TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id="survey-type" text={errors.survey.type} />
        </div>
        <div class="field wide">
          <label for="survey-header">Header (shown above the questions)</label>
          <input
            id="survey-header"
            type="text"
            value={draft.header}
            {...invalidProps('survey-header', errors.survey.header)}
            onInput={(event) => set('header', event.currentTarget.value)}
          />
          <FieldError id="survey-header" text={errors.survey.header} />
        </div>
        <fieldset class="field" aria-describedby={errors.survey.skillIds ? 'survey-skillIds-error' : undefined}>
          <legend>Used for the skills</legend>
          <div class="checks">
            {props.skills.map((skill) => (
              <label key={skill.id} class="check">
                <input
                  type="checkbox"
                  checked={draft.skillIds.includes(skill.id)}
                  onChange={(event) =>
                    set(
                      'skillIds',
                      event.currentTarget.checked
                        ? [...draft.skillIds, skill.id]
                        : draft.skillIds.filter((id) => id !== skill.id),
                    )
                  }
                />
                {skill.name}
              </label>
            ))}
          </div>
          <FieldError id="survey-skillIds" text={errors.survey.skillIds} />
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.isDefault}
            onChange={(event) => set('isDefault', event.currentTarget.checked)}
          />
          Default survey of its kind (used when no skill or name picks another)
        </label>
      </div>

      <h3 id="survey-questions-title">Questions</h3>
      <p class="muted hint">Move a question with its buttons, or with Alt+↑ and Alt+↓ from any of its fields.</p>
      <FieldError id="survey-questions" text={errors.survey.questions} />
      <ol class="questions" aria-labelledby="survey-questions-title">
        {draft.questions.map((question, index) => (
          <li key={question.key}>
            <QuestionEditor
              draft={draft}
              question={question}
              position={index + 1}
              count={draft.questions.length}
              skills={props.skills}
              errors={errors.questions[index] ?? {}}
              onChange={onChange}
              onMove={(delta, focusId) => move(question.key, delta, focusId)}
              onRemove={() => remove(question.key)}
            />
          </li>
        ))}
      </ol>
      <div class="row">
        <button id="survey-add-question" class="button" type="button" onClick={add}>
          Add question
        </button>
      </div>

      {props.formError && (
        <p class="banner banner-warn" role="alert">
          {props.formError}
        </p>
      )}
      <div class="row form-actions">
        <button class="button primary" type="submit">
          {draft.id === undefined ? 'Create survey' : 'Save survey'}
        </button>
        {draft.id !== undefined && (
          <>
            <button class="button danger" type="button" onClick={() => props.onDelete(draft)}>
              {props.confirmingDelete ? `Yes, delete "${draft.name}"` : 'Delete survey'}
            </button>
            {props.confirmingDelete && (
              <button class="button" type="button" onClick={props.onCancelDelete}>
                Keep it
              </button>
            )}
          </>
        )}
      </div>
    </form>
  )
}
