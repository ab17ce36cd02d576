/** A validation message beside its field; `invalidProps` ties the field to it for screen readers. */
export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null
  return (
    <p class="field-error" id={`${id}-error`}>
      {text}
    </p>
  )
}

export function invalidProps(id: string, text: string | undefined) {
  return text ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {}
}

interface InputProps {
  id: string
  label: string
  value: string
  error: string | undefined
  onInput: (value: string) => void
  type?: 'text' | 'number' | 'datetime-local'
  hint?: string
}

/** A labelled input with its validation message beside it. */
export function InputField({ id, label, value, error, onInput, type = 'text', hint }: InputProps) {
  const common = {
    id,
    value,
    ...invalidProps(id, error),
    onInput: (event: Event) => onInput((event.currentTarget as HTMLInputElement).value),
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {type === 'number' ? (
        <input type="number" {...common} />
      ) : type === 'datetime-local' ? (
        <input type="datetime-local" step={1} {...common} />
      ) : (
        <input type="text" {...common} />
      )}
      {hint && <span class="muted hint">{hint}</span>}
      <FieldError id={id} text={error} />
    </div>
  )
}

interface SelectProps {
  id: string
  label: string
  value: number
  options: ReadonlyArray<{ id: number; name: string }>
  error: string | undefined
  onChange: (value: number) => void
}

export function SelectField({ id, label, value, options, error, onChange }: SelectProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        value={String(value)}
        {...invalidProps(id, error)}
        onChange={(event) => onChange(Number(event.currentTarget.value))}
      >
        {options.map((option) => (
          <option key={option.id} value={String(option.id)}>
            {option.name}
          </option>
        ))}
      </select>
      <FieldError id={id} text={error} />
    </div>
  )
}

interface CheckListProps {
  id: string
  legend: string
  selected: readonly number[]
  options: ReadonlyArray<{ id: number; name: string }>
  error: string | undefined
  onChange: (selected: number[]) => void
}

/** A group of checkboxes over ids (skills, visitor profiles, …). */
export function CheckList({ id, legend, selected, options, error, onChange }: CheckListProps) {
  return (
    <fieldset class="field" id={id} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div class="checks">
        {options.map((option) => (
          <label key={option.id} class="check">
            <input
              type="checkbox"
              checked={selected.includes(option.id)}
              onChange={(event) =>
                onChange(
                  event.currentTarget.checked
                    ? [...selected, option.id]
                    : selected.filter((value) => value !== option.id),
                )
              }
            />
            {option.name}
          </label>
        ))}
        {options.length === 0 && <span class="muted">None defined.</span>}
      </div>
      <FieldError id={id} text={error} />
    </fieldset>
  )
}
