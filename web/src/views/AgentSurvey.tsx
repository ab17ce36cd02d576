import { useSignal } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import { ApiError } from '../api/http.ts'
import {
  formQuestions,
  questionOfError,
  surveyAnswers,
  visibleQuestions,
  type FormQuestion,
  type FormValues,
} from '../state/agent-survey.ts'
import { explain } from '../state/failures.ts'
import type { ChatModel, WorkspaceStore } from '../state/workspace.ts'

/**
 * The account's agent survey for an ended chat (A23), when it has one. Mandatory questions are
 * marked; the API decides (its 400 names the question, and the message appears under it).
 */
export function AgentSurvey({ store, chat }: { store: WorkspaceStore; chat: ChatModel }) {
  const state = useSignal<'loading' | 'none' | 'ready' | 'failed'>('loading')
  const surveyId = useSignal(0)
  const header = useSignal('')
  const questions = useSignal<FormQuestion[]>([])
  const values = useSignal<FormValues>({})
  const fieldError = useSignal<{ id: number; message: string } | null>(null)
  const formError = useSignal('')
  const sending = useSignal(false)
  const form = useRef<HTMLFormElement>(null)

  const load = () => {
    state.value = 'loading'
    store
      .survey(chat.key)
      .then((survey) => {
        if (!survey) return void (state.value = 'none')
        surveyId.value = Number(survey.id)
        header.value = survey.header ?? ''
        questions.value = formQuestions(survey)
        state.value = 'ready'
      })
      .catch((failure: unknown) => {
        formError.value = `The agent survey could not be loaded. ${explain(failure)}`
        state.value = 'failed'
      })
  }
  useEffect(load, [chat.key])

  if (chat.surveyDone)
    return (
      <p class="banner banner-info" role="status">
        Agent survey sent. Close the chat when you are done.
      </p>
    )
  if (state.value === 'none' || state.value === 'loading') return null
  if (state.value === 'failed')
    return (
      <div class="banner banner-warn" role="alert">
        {formError.value}{' '}
        <button class="button small" type="button" onClick={load}>
          Try again
        </button>
      </div>
    )

  const set = (id: number, picked: string[]) => {
    values.value = { ...values.value, [id]: picked }
    if (fieldError.value?.id === id) fieldError.value = null
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    sending.value = true
    fieldError.value = null
    formError.value = ''
    try {
      await store.submitSurvey(chat.key, surveyId.value, surveyAnswers(questions.value, values.value))
    } catch (failure) {
      const id =
        failure instanceof ApiError && failure.kind === 'invalid' ? questionOfError(failure.message) : undefined
      if (id !== undefined && failure instanceof Error) {
        fieldError.value = { id, message: failure.message }
        // The question the API named gets the focus, its message is read with it.
        requestAnimationFrame(() =>
          form.current
            ?.querySelector<HTMLElement>(
              `[data-question="${id}"] input, [data-question="${id}"] select, [data-question="${id}"] textarea`,
            )
            ?.focus(),
        )
      } else formError.value = `Not sent. ${explain(failure)}`
    } finally {
      sending.value = false
    }
  }

  const shown = visibleQuestions(questions.value, values.value)
  return (
    <form
      ref={form}
      class="agent-survey card"
      aria-labelledby={`survey-title-${chat.key}`}
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h3 id={`survey-title-${chat.key}`}>Agent survey</h3>
      {header.value && <p class="muted">{header.value}</p>}
      {shown.map((question) => (
        <Question
          key={question.id}
          chatKey={chat.key}
          question={question}
          picked={values.value[question.id] ?? []}
          error={fieldError.value?.id === question.id ? fieldError.value.message : ''}
          onChange={(picked) => set(question.id, picked)}
        />
      ))}
      {formError.value && (
        <p class="field-error" role="alert">
          {formError.value}
        </p>
      )}
      <div class="row">
        <button class="button primary" type="submit" disabled={sending.value}>
          {sending.value ? 'Sending…' : 'Send survey'}
        </button>
      </div>
    </form>
  )
}

function Question(props: {
  chatKey: string
  question: FormQuestion
  picked: readonly string[]
  error: string
  onChange: (picked: string[]) => void
}) {
  const { question, picked, error, onChange } = props
  const id = `survey-${props.chatKey}-${question.id}`
  const errorId = `${id}-error`
  const described = error ? errorId : undefined
  const label = (
    <>
      {question.label}
      {question.mandatory && <span class="muted"> (required)</span>}
    </>
  )
  let control
  if (question.type === 'Text Field' || question.type === 'Text Area') {
    const common = {
      id,
      value: picked[0] ?? '',
      'aria-invalid': error ? true : undefined,
      'aria-required': question.mandatory || undefined,
      'aria-describedby': described,
      onInput: (event: Event) => onChange([(event.currentTarget as HTMLInputElement).value]),
    }
    control = question.type === 'Text Area' ? <textarea rows={2} {...common} /> : <input type="text" {...common} />
    return (
      <div class="field" data-question={question.id}>
        <label for={id}>{label}</label>
        {control}
        {error && (
          <p class="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    )
  }
  if (question.type === 'Dropdown Box') {
    return (
      <div class="field" data-question={question.id}>
        <label for={id}>{label}</label>
        <select
          id={id}
          value={picked[0] ?? ''}
          aria-invalid={error ? true : undefined}
          aria-required={question.mandatory || undefined}
          aria-describedby={described}
          onChange={(event) => onChange(event.currentTarget.value ? [event.currentTarget.value] : [])}
        >
          <option value="">Choose…</option>
          {question.entries.map((entry) => (
            <option key={entry.value} value={entry.value}>
              {entry.label}
            </option>
          ))}
        </select>
        {error && (
          <p class="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    )
  }
  // Radio buttons (one answer) and checkboxes (several) as a group.
  const multiple = question.type === 'Checkbox'
  return (
    <fieldset
      class="field choice"
      data-question={question.id}
      aria-invalid={error ? true : undefined}
      aria-describedby={described}
    >
      <legend>{label}</legend>
      {question.entries.map((entry) => (
        <label key={entry.value} class="choice-option">
          <input
            type={multiple ? 'checkbox' : 'radio'}
            name={id}
            value={entry.value}
            checked={picked.includes(entry.value)}
            onChange={(event) => {
              const on = event.currentTarget.checked
              if (!multiple) return onChange([entry.value])
              onChange(on ? [...picked, entry.value] : picked.filter((value) => value !== entry.value))
            }}
          />
          {entry.label}
        </label>
      ))}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  )
}
