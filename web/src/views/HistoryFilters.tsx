import type { Signal } from '@preact/signals'
import type { ComponentChildren } from 'preact'
import { ALERTED, AREAS, CUSTOM, RANGES, SORTS, extraFilters, type HistorySearch } from '../state/history-search.ts'

/** A choice list loaded from the account configuration API, or why it could not be. */
export interface Choices {
  options: Array<{ id: string; label: string }> | null
  /** Shown instead of the list (a manager may not read the account's configuration). */
  note: string
}

export interface FilterChoices {
  skills: Choices
  agents: Choices
  groups: Choices
}

/** API field (as a validation message names it) → the id of the form control it belongs to. */
export const FIELD_CONTROLS: Readonly<Record<string, string>> = {
  start: 'history-range',
  keyword: 'history-keyword',
  keyword_search_area: 'history-areas',
  skillIds: 'history-skills',
  agentIds: 'history-agents',
  agentGroupIds: 'history-groups',
  duration: 'history-duration-from',
  chatMCS: 'history-mcs-from',
  alertedMcsValues: 'history-alerted',
  mcs: 'history-alerted',
  visitor: 'history-visitor',
  engagementId: 'history-engagement',
  interactive: 'history-interactive',
  hasInteractiveCoBrowse: 'history-cobrowse',
  coBrowseDuration: 'history-cobrowse-from',
  lineContentTypes: 'history-rich',
  channel: 'history-channel',
  sort: 'history-sort',
}

/** Fields of the "More filters" part (an error there opens it). */
const MORE = new Set(Object.keys(FIELD_CONTROLS).filter((field) => !['start', 'keyword', 'sort'].includes(field)))
export const isMoreField = (field: string) => MORE.has(field)

interface Props {
  draft: Signal<HistorySearch>
  /** Validation errors of the API by field (`chatMCS` → its message). */
  errors: Record<string, string>
  choices: FilterChoices
  moreOpen: Signal<boolean>
  busy: boolean
  onSearch: () => void
  onReset: () => void
}

/**
 * The search form: time, keyword and sort always visible, every other filter of the API in a
 * "More filters" disclosure. Native controls only (labels, fieldsets with legends), so it works by
 * keyboard and screen reader; an API error is shown under the field it names and linked with
 * `aria-describedby`.
 */
export function HistoryFilters({ draft, errors, choices, moreOpen, busy, onSearch, onReset }: Props) {
  const q = draft.value
  const set = (patch: Partial<HistorySearch>) => (draft.value = { ...draft.value, ...patch })
  const errorOf = (field: string) => errors[field]
  /** Props linking a control to the error of `field` (and to an optional hint). */
  const described = (field: string, hint?: string) => {
    const ids = [hint, errorOf(field) ? `${FIELD_CONTROLS[field]}-error` : undefined].filter(Boolean)
    return {
      'aria-invalid': errorOf(field) ? true : undefined,
      'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    }
  }
  const error = (field: string) =>
    errorOf(field) ? (
      <p class="field-error" id={`${FIELD_CONTROLS[field]}-error`}>
        {errorOf(field)}
      </p>
    ) : null
  const text = (
    field: string,
    id: string,
    label: string,
    key: keyof HistorySearch,
    extra: { inputMode?: 'numeric'; placeholder?: string } = {},
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        {...extra}
        value={q[key] as string}
        onInput={(event) => set({ [key]: event.currentTarget.value })}
        {...described(field)}
      />
    </div>
  )
  const more = extraFilters(q)

  return (
    <form
      class="card history-filters"
      role="search"
      aria-label="History filters"
      onSubmit={(event) => {
        event.preventDefault()
        onSearch()
      }}
    >
      <div class="filter-row">
        <div class="field">
          <label for="history-range">Time</label>
          <select
            id="history-range"
            value={q.range}
            onChange={(event) => set({ range: event.currentTarget.value })}
            {...described('start')}
          >
            {RANGES.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
            <option value={CUSTOM}>Custom range…</option>
          </select>
        </div>
        {q.range === CUSTOM && (
          <>
            <div class="field">
              <label for="history-from">From</label>
              <input
                id="history-from"
                type="datetime-local"
                value={q.from}
                onInput={(event) => set({ from: event.currentTarget.value })}
                {...described('start')}
              />
            </div>
            <div class="field">
              <label for="history-to">To</label>
              <input
                id="history-to"
                type="datetime-local"
                value={q.to}
                onInput={(event) => set({ to: event.currentTarget.value })}
                {...described('start')}
              />
            </div>
          </>
        )}
        <div class="field grow">
          <label for="history-keyword">Keyword</label>
          <input
            id="history-keyword"
            type="search"
            value={q.keyword}
            onInput={(event) => set({ keyword: event.currentTarget.value })}
            {...described('keyword', 'history-keyword-hint')}
          />
        </div>
        <div class="field">
          <label for="history-sort">Sort</label>
          <select
            id="history-sort"
            value={q.sort}
            onChange={(event) => set({ sort: event.currentTarget.value })}
            {...described('sort')}
          >
            {SORTS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button class="button primary" type="submit" disabled={busy}>
          Search
        </button>
        <button class="button" type="button" onClick={onReset}>
          Reset
        </button>
      </div>
      <p class="hint" id="history-keyword-hint">
        All words must appear together, in this order. Put one phrase in quotes (<kbd>"order number"</kbd>); two quoted
        phrases are refused. Time windows are at most 31 days; a visitor or engagement id searches all time.
      </p>
      {error('start')}
      {error('keyword')}
      {error('sort')}
      <details
        class="more-filters"
        open={moreOpen.value}
        onToggle={(event) => (moreOpen.value = event.currentTarget.open)}
      >
        <summary>More filters{more.length > 0 ? `: ${more.join(', ')}` : ''}</summary>
        <div class="filter-grid">
          <Checks
            id="history-areas"
            legend="Keyword areas (none = all)"
            options={AREAS.map(([id, label]) => ({ id, label }))}
            selected={q.areas}
            onChange={(areas) => set({ areas })}
            error={error('keyword_search_area')}
            described={described('keyword_search_area')}
          />
          <ChoiceList
            id="history-skills"
            legend="Skills"
            choices={choices.skills}
            selected={q.skills}
            onChange={(skills) => set({ skills })}
            error={error('skillIds')}
            described={described('skillIds')}
          />
          <ChoiceList
            id="history-agents"
            legend="Agents"
            choices={choices.agents}
            selected={q.agents}
            onChange={(agents) => set({ agents })}
            error={error('agentIds')}
            described={described('agentIds')}
          />
          <ChoiceList
            id="history-groups"
            legend="Agent groups"
            choices={choices.groups}
            selected={q.groups}
            onChange={(groups) => set({ groups })}
            error={error('agentGroupIds')}
            described={described('agentGroupIds')}
          />
          <fieldset class="field">
            <legend>Duration (seconds)</legend>
            <div class="pair-inputs">
              {text('duration', 'history-duration-from', 'Shortest', 'durationFrom', { inputMode: 'numeric' })}
              {text('duration', 'history-duration-to', 'Longest', 'durationTo', { inputMode: 'numeric' })}
            </div>
            {error('duration')}
          </fieldset>
          <fieldset class="field">
            <legend>Chat MCS (−100 to 100)</legend>
            <div class="pair-inputs">
              {text('chatMCS', 'history-mcs-from', 'MCS from', 'mcsFrom', { inputMode: 'numeric' })}
              {text('chatMCS', 'history-mcs-to', 'MCS to', 'mcsTo', { inputMode: 'numeric' })}
            </div>
            {error('chatMCS')}
          </fieldset>
          <Checks
            id="history-alerted"
            legend="Alerted MCS"
            options={ALERTED.map(([id, label]) => ({ id, label }))}
            selected={q.alerted}
            onChange={(alerted) => set({ alerted })}
            error={error('alertedMcsValues') ?? error('mcs')}
            described={described('alertedMcsValues')}
          />
          <fieldset class="field">
            <legend>Co-browse duration (seconds)</legend>
            <div class="pair-inputs">
              {text('coBrowseDuration', 'history-cobrowse-from', 'Co-browse shortest', 'coBrowseFrom', {
                inputMode: 'numeric',
              })}
              {text('coBrowseDuration', 'history-cobrowse-to', 'Co-browse longest', 'coBrowseTo', {
                inputMode: 'numeric',
              })}
            </div>
            {error('coBrowseDuration')}
          </fieldset>
          <fieldset class="field">
            <legend>Visitor and engagement</legend>
            {text('visitor', 'history-visitor', 'Visitor id', 'visitor')}
            {error('visitor')}
            {text('engagementId', 'history-engagement', 'Engagement id', 'engagementId')}
            {error('engagementId')}
            {text('channel', 'history-channel', 'Channel', 'channel', { inputMode: 'numeric' })}
            {error('channel')}
          </fieldset>
          <fieldset class="field">
            <legend>Only engagements</legend>
            <Flag id="history-interactive" label="where the visitor wrote (interactive)" value={q.interactive}>
              {(checked) => set({ interactive: checked })}
            </Flag>
            {error('interactive')}
            <Flag id="history-cobrowse" label="with an interactive co-browse session" value={q.coBrowse}>
              {(checked) => set({ coBrowse: checked })}
            </Flag>
            {error('hasInteractiveCoBrowse')}
            <Flag id="history-rich" label="with rich content" value={q.richContent}>
              {(checked) => set({ richContent: checked })}
            </Flag>
            {error('lineContentTypes')}
          </fieldset>
        </div>
      </details>
    </form>
  )
}

function Flag({
  id,
  label,
  value,
  children,
}: {
  id: string
  label: string
  value: boolean
  children: (checked: boolean) => void
}) {
  return (
    <label class="check" for={id}>
      <input id={id} type="checkbox" checked={value} onChange={(event) => children(event.currentTarget.checked)} />
      {label}
    </label>
  )
}

interface ChecksProps {
  id: string
  legend: string
  options: Array<{ id: string; label: string }>
  selected: string[]
  onChange: (selected: string[]) => void
  error: ComponentChildren
  described: Record<string, unknown>
}

/** A fieldset of checkboxes (a keyboard- and screen-reader-friendly multi-select). */
function Checks({ id, legend, options, selected, onChange, error, described }: ChecksProps) {
  return (
    <fieldset class="field" id={id} {...described}>
      <legend>{legend}</legend>
      <div class="check-list">
        {options.map((option) => (
          <label class="check" key={option.id}>
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
            {option.label}
          </label>
        ))}
      </div>
      {error}
    </fieldset>
  )
}

/** Checkboxes from the configuration API, or, when the caller may not read it, ids typed by hand. */
function ChoiceList(props: Omit<ChecksProps, 'options'> & { choices: Choices }) {
  const { choices, id, legend, selected, onChange, error, described } = props
  if (choices.options) {
    // Ids in the URL that the list does not know (a deleted skill) stay selectable.
    const known = new Set(choices.options.map((option) => option.id))
    const options = [
      ...choices.options,
      ...selected.filter((value) => !known.has(value)).map((value) => ({ id: value, label: `id ${value}` })),
    ]
    if (options.length > 0) return <Checks {...props} options={options} />
  }
  return (
    <fieldset class="field" id={id}>
      <legend>{legend}</legend>
      <label for={`${id}-ids`}>Ids, separated by commas</label>
      <input
        id={`${id}-ids`}
        inputMode="numeric"
        value={selected.join(', ')}
        onChange={(event) =>
          onChange(
            event.currentTarget.value
              .split(',')
              .map((value) => value.trim())
              .filter(Boolean),
          )
        }
        {...described}
        aria-describedby={[`${id}-note`, described['aria-describedby']].filter(Boolean).join(' ')}
      />
      <p class="hint" id={`${id}-note`}>
        {choices.note}
      </p>
      {error}
    </fieldset>
  )
}
