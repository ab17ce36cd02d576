import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'

interface InputFieldProps {
  /** The element id; the error's id is `${id}-error`. */
  id: string
  label: string
  value: string | number
  onInput: (value: string) => void
  error?: string | undefined
  type?: 'text' | 'password' | 'email' | 'number'
  autoComplete?: string
  min?: number
  hint?: string
}

/** A labelled input whose API error is shown beneath it, linked by `aria-describedby` and `aria-invalid`. */
export function InputField(props: InputFieldProps) {
  const errorId = `${props.id}-error`
  const hintId = `${props.id}-hint`
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : ''].filter(Boolean).join(' ')
  // One set of attributes; the input types are separate elements because Preact types each differently.
  const common = {
    id: props.id,
    value: props.value,
    autoComplete: props.autoComplete ?? 'off',
    'aria-invalid': props.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
    onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
  }
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.type === 'password' ? (
        <input type="password" {...common} />
      ) : props.type === 'email' ? (
        <input type="email" {...common} />
      ) : props.type === 'number' ? (
        <input type="number" min={props.min} {...common} />
      ) : (
        <input type="text" {...common} />
      )}
      {props.hint && (
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      )}
      <FieldError id={errorId} error={props.error} />
    </div>
  )
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null
  return (
    <p class="field-error" id={id}>
      {error}
    </p>
  )
}

/** A group of checkboxes (skills, permission groups, permissions) with its error linked to the group. */
export function CheckGroup(props: {
  id: string
  legend: string
  options: ReadonlyArray<[string, string]>
  selected: readonly string[]
  onChange: (selected: string[]) => void
  error?: string | undefined
  /** One column of a two-column form instead of the whole width. */
  half?: boolean
}) {
  const errorId = `${props.id}-error`
  return (
    <fieldset
      class={props.half ? 'field half' : 'field'}
      id={props.id}
      aria-describedby={props.error ? errorId : undefined}
    >
      <legend>{props.legend}</legend>
      {props.options.length === 0 && <p class="field-hint">None yet.</p>}
      {props.options.map(([value, label]) => (
        <label key={value} class="check">
          <input
            type="checkbox"
            checked={props.selected.includes(value)}
            onChange={(event) =>
              props.onChange(
                event.currentTarget.checked
                  ? [...props.selected, value]
                  : props.selected.filter((entry) => entry !== value),
              )
            }
          />
          {label}
        </label>
      ))}
      <FieldError id={errorId} error={props.error} />
    </fieldset>
  )
}

/**
 * A confirmation asked in the page (no blocking `confirm()`): the question and two buttons; the
 * confirming one takes the focus, Escape cancels.
 */
export function Confirm(props: {
  children: ComponentChildren
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
}) {
  const confirmRef = useRef<HTMLButtonElement>(null)
  useEffect(() => confirmRef.current?.focus(), [])
  return (
    <div
      class="banner banner-warn confirm"
      role="group"
      aria-label="Confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') props.onCancel()
      }}
    >
      <p>{props.children}</p>
      <div class="row">
        <button ref={confirmRef} class="button small danger" type="button" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
        <button class="button small" type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  )
}

/** A page's problem banner: what failed, with a way on (reload). */
export function ProblemBanner({ message, onReload }: { message: string; onReload: () => void }) {
  if (!message) return null
  return (
    <div class="banner banner-warn" role="alert">
      {message}{' '}
      <button class="button small" type="button" onClick={onReload}>
        Reload
      </button>
    </div>
  )
}
