import type { Named } from '../api/config.ts'
import {
  isSelection,
  QUESTION_TYPES,
  VALIDATION_TYPES,
  type QuestionType,
  type ValidationType,
} from '../api/surveys.ts'
import {
  addEntry,
  removeEntry,
  revealCandidates,
  updateEntry,
  updateQuestion,
  type DraftQuestion,
  type SurveyDraft,
} from '../state/survey-draft.ts'
import { FieldError, invalidProps } from './Fields.tsx'

interface Props {
  draft: SurveyDraft
  question: DraftQuestion
  position: number
  count: number
  skills: Named[]
  /** This question's validation errors by field. */
  errors: Record<string, string>
  onChange: (draft: SurveyDraft) => void
  /** `focusId`: the element to focus after the move (the field the shortcut was pressed in). */
  onMove: (delta: -1 | 1, focusId?: string) => void
  onRemove: () => void
}

/**
 * One question: type, label, mandatory, validation (text types), choices (selection types, with the
 * Parley routing skill on pre-chat surveys) and show-logic ("shown only when an answer is …").
 * Alt+↑ / Alt+↓ anywhere inside move it.
 */
export function QuestionEditor(props: Props) {
  const { draft, question, errors } = props
  const id = `q-${question.key}`
  const update = (patch: Partial<DraftQuestion>) => props.onChange(updateQuestion(draft, question.key, patch))
  const candidates = revealCandidates(draft, question)
  const otherErrors = Object.entries(errors).filter(
    ([field]) => !['label', 'type', 'validationType', 'entries'].includes(field),
  )

  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return
    event.preventDefault()
    const focused = document.activeElement
    props.onMove(
      event.key === 'ArrowUp' ? -1 : 1,
      focused instanceof HTMLElement && focused.id ? focused.id : undefined,
    )
  }

  return (
    <fieldset
      class="question"
      onKeyDown={onKeyDown}
      aria-describedby={otherErrors.length > 0 ? `${id}-error` : undefined}
    >
      <legend>Question {props.position}</legend>
      <div class="question-tools">
        <button
          id={`${id}-up`}
          class="button small"
          type="button"
          disabled={props.position === 1}
          onClick={() => props.onMove(-1)}
        >
          Move up<span class="visually-hidden"> question {props.position}</span>
        </button>
        <button
          id={`${id}-down`}
          class="button small"
          type="button"
          disabled={props.position === props.count}
          onClick={() => props.onMove(1)}
        >
          Move down<span class="visually-hidden"> question {props.position}</span>
        </button>
        <button class="button small danger" type="button" disabled={props.count === 1} onClick={props.onRemove}>
          Remove<span class="visually-hidden"> question {props.position}</span>
        </button>
      </div>
      {otherErrors.length > 0 && (
        <p class="field-error" id={`${id}-error`}>
          {otherErrors.map(([, text]) => text).join(' ')}
        </p>
      )}
      <div class="question-grid">
        <div class="field">
          <label for={`${id}-type`}>Type</label>
          <select
            id={`${id}-type`}
            value={question.type}
            {...invalidProps(`${id}-type`, errors.type)}
            onChange={(event) => update({ type: event.currentTarget.value as QuestionType })}
          >
            {QUESTION_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-type`} text={errors.type} />
        </div>
        <div class="field wide">
          <label for={`${id}-label`}>Question text</label>
          <input
            id={`${id}-label`}
            type="text"
            value={question.label}
            {...invalidProps(`${id}-label`, errors.label)}
            onInput={(event) => update({ label: event.currentTarget.value })}
          />
          <FieldError id={`${id}-label`} text={errors.label} />
        </div>
        {!isSelection(question.type) && (
          <div class="field">
            <label for={`${id}-validation`}>Answer must be</label>
            <select
              id={`${id}-validation`}
              value={question.validationType}
              {...invalidProps(`${id}-validation`, errors.validationType)}
              onChange={(event) => update({ validationType: event.currentTarget.value as ValidationType })}
            >
              {VALIDATION_TYPES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-validation`} text={errors.validationType} />
          </div>
        )}
        <label class="check">
          <input
            type="checkbox"
            checked={question.mandatory}
            onChange={(event) => update({ mandatory: event.currentTarget.checked })}
          />
          Mandatory
        </label>
      </div>

      {isSelection(question.type) && <Choices {...props} id={id} />}

      {candidates.length > 0 && (
        <fieldset class="field show-logic" id={`${id}-logic`}>
          <legend>Show this question only when an answer is (none checked: always shown)</legend>
          <div class="checks">
            {candidates.map(({ entry, source, position }) => (
              <label key={entry.key} class="check">
                <input
                  type="checkbox"
                  checked={question.shownWhen.includes(entry.key)}
                  onChange={(event) =>
                    update({
                      shownWhen: event.currentTarget.checked
                        ? [...question.shownWhen, entry.key]
                        : question.shownWhen.filter((key) => key !== entry.key),
                    })
                  }
                />
                Q{position} {source.label ? `“${source.label}”` : ''} is “
                {entry.displayValue || entry.value || '(empty)'}”
              </label>
            ))}
          </div>
        </fieldset>
      )}
    </fieldset>
  )
}

/** The entries of a selection question. */
function Choices(props: Props & { id: string }) {
  const { draft, question, errors, id } = props
  const routing = draft.type === 'preChat'
  return (
    <fieldset class="field choices" aria-describedby={errors.entries ? `${id}-entries-error` : undefined}>
      <legend>Choices</legend>
      <table class="table compact">
        <thead>
          <tr>
            <th scope="col">Value</th>
            <th scope="col">Shown as</th>
            <th scope="col">Preselected</th>
            {routing && <th scope="col">Routes the chat to</th>}
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {question.entries.map((entry, index) => {
            const entryId = `${id}-${entry.key}`
            const name = `choice ${index + 1}`
            const change = (patch: Parameters<typeof updateEntry>[3]) =>
              props.onChange(updateEntry(draft, question.key, entry.key, patch))
            return (
              <tr key={entry.key}>
                <td>
                  <input
                    id={`${entryId}-value`}
                    type="text"
                    aria-label={`Value of ${name}`}
                    value={entry.value}
                    onInput={(event) => change({ value: event.currentTarget.value })}
                  />
                </td>
                <td>
                  <input
                    type="text"
                    aria-label={`Shown as (${name}; empty: the value)`}
                    value={entry.displayValue}
                    onInput={(event) => change({ displayValue: event.currentTarget.value })}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Preselect ${name}`}
                    checked={entry.checked}
                    onChange={(event) => change({ checked: event.currentTarget.checked })}
                  />
                </td>
                {routing && (
                  <td>
                    <select
                      aria-label={`Skill ${name} routes to (runWithRules)`}
                      value={entry.skillId === undefined ? '' : String(entry.skillId)}
                      onChange={(event) =>
                        change({
                          skillId: event.currentTarget.value === '' ? undefined : Number(event.currentTarget.value),
                        })
                      }
                    >
                      <option value="">No routing</option>
                      {props.skills.map((skill) => (
                        <option key={skill.id} value={String(skill.id)}>
                          {skill.name}
                        </option>
                      ))}
                    </select>
                  </td>
                )}
                <td>
                  <button
                    class="button small"
                    type="button"
                    disabled={question.entries.length === 1}
                    onClick={() => props.onChange(removeEntry(draft, question.key, entry.key))}
                  >
                    Remove<span class="visually-hidden"> {name}</span>
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <FieldError id={`${id}-entries`} text={errors.entries} />
      <div class="row">
        <button class="button small" type="button" onClick={() => props.onChange(addEntry(draft, question.key))}>
          Add choice<span class="visually-hidden"> to question {props.position}</span>
        </button>
      </div>
    </fieldset>
  )
}
