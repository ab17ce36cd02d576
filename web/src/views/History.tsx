import { useSignal } from '@preact/signals'
import { useEffect, useMemo, useRef } from 'preact/hooks'
import { configApi, type Named } from '../api/config.ts'
import {
  exportSearch,
  historyApi,
  type ExportFormat,
  type HistoryCriteria,
  type HistoryRecord,
} from '../api/history.ts'
import { ApiError } from '../api/http.ts'
import { operationalApi } from '../api/operational.ts'
import { useApp } from '../context.ts'
import {
  EMPTY_SEARCH,
  PAGE_SIZE,
  apiFieldOf,
  criteriaOf,
  resultKey,
  searchFromParams,
  searchToParams,
  type HistorySearch,
} from '../state/history-search.ts'
import { formatSeconds } from './duration.ts'
import { FIELD_CONTROLS, HistoryFilters, isMoreField, type Choices, type FilterChoices } from './HistoryFilters.tsx'
import { RecordView } from './HistoryRecord.tsx'
import { visitorLabel } from './visitor-name.ts'

const PATH = '/console/history'
const LOADING: Choices = { options: null, note: 'Loading…' }

const criteria = (search: HistorySearch): HistoryCriteria => ({
  body: criteriaOf(search, Date.now()),
  sort: search.sort,
})

const describe = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure))

/** The skills, agents and groups of the account for the filter lists; a 403 leaves id fields instead. */
function useChoices(accountId: string): FilterChoices {
  const app = useApp()
  const choices = useSignal<FilterChoices>({ skills: LOADING, agents: LOADING, groups: LOADING })
  useEffect(() => {
    const api = configApi(app.http, accountId)
    const named = (items: Named[]) =>
      items.filter((item) => !item.deleted).map((item) => ({ id: String(item.id), label: item.name }))
    const load = async <T,>(what: string, read: () => Promise<T[]>, map: (items: T[]) => Choices['options']) => {
      try {
        return { options: map(await read()), note: '' }
      } catch (failure) {
        const forbidden = failure instanceof ApiError && failure.kind === 'forbidden'
        return {
          options: null,
          note: forbidden
            ? `Only admins may list the account's ${what}; type the ids you need.`
            : `The ${what} could not be loaded (${describe(failure)}); type the ids you need.`,
        }
      }
    }
    // A manager may not read the configuration; the Operational Realtime dashboard lists the
    // skills of their groups, which is what their history holds.
    const skillsOfDashboard = async () =>
      (await operationalApi(app.http, accountId).dashboard()).skills.map((skill) => ({
        id: skill.skillId,
        name: skill.name,
      }))
    void Promise.all([
      load('skills', async () => (await api.skills()).value, named).then((skills) =>
        skills.options ? skills : load('skills', skillsOfDashboard, named),
      ),
      load(
        'users',
        async () => (await api.users()).value,
        (users) =>
          users
            .filter((user) => !user.deleted)
            .map((user) => ({ id: String(user.id), label: `${user.nickname || user.loginName} (${user.loginName})` })),
      ),
      load('agent groups', async () => (await api.agentGroups()).value, named),
    ]).then(([skills, agents, groups]) => (choices.value = { skills, agents, groups }))
  }, [accountId])
  return choices.value
}

/**
 * History explorer (agent managers and admins): every filter of the Engagement History search,
 * the search in the URL (shareable, restored on load and on back/forward), paging with the exact
 * count, a record view, and downloads of the whole result as CSV or JSON Lines.
 */
export function History() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => historyApi(app.http, accountId), [accountId])
  const choices = useChoices(accountId)
  const initial = searchFromParams(new URLSearchParams(location.search))
  const applied = useSignal<HistorySearch>(initial)
  const draft = useSignal<HistorySearch>(initial)
  // Closed at first and after each search (the summary names the filters set), so results stay in view.
  const moreOpen = useSignal(false)
  const count = useSignal<number | null>(null)
  const records = useSignal<HistoryRecord[]>([])
  const opened = useSignal<HistoryRecord | null>(null)
  const error = useSignal('')
  const fieldErrors = useSignal<Record<string, string>>({})
  const busy = useSignal(false)
  const exporting = useSignal('')
  const generation = useRef(0)
  /** The request of the results shown: a download asks for exactly it (the same window as the count). */
  const shownCriteria = useRef<HistoryCriteria | null>(null)

  const writeUrl = (search: HistorySearch, mode: 'push' | 'replace') => {
    const url = `${PATH}?${searchToParams(search).toString()}`
    if (`${location.pathname}${location.search}` === url) return
    if (mode === 'push') history.pushState(null, '', url)
    else history.replaceState(null, '', url)
  }

  const openRecord = async (search: HistorySearch, page: HistoryRecord[]) => {
    if (search.open === '') return (opened.value = null)
    const found = page.find((record) => record.info.engagementId === search.open)
    if (found) return (opened.value = found)
    try {
      const lookup = await api.search({ body: { engagementId: search.open } }, 0, 1)
      opened.value = lookup.records[0] ?? null
    } catch {
      opened.value = null
    }
  }

  /** Runs `search`: the URL first (pushed for a new search or page, replaced on load and back/forward). */
  const run = async (search: HistorySearch, mode: 'push' | 'replace' | 'none') => {
    const mine = ++generation.current
    applied.value = search
    if (mode !== 'none') writeUrl(search, mode)
    busy.value = true
    error.value = ''
    exporting.value = ''
    fieldErrors.value = {}
    try {
      const request = criteria(search)
      const page = await api.search(request, search.offset, PAGE_SIZE)
      if (mine !== generation.current) return
      shownCriteria.current = request
      count.value = page.count
      records.value = page.records
      await openRecord(search, page.records)
    } catch (failure) {
      if (mine !== generation.current) return
      count.value = null
      records.value = []
      opened.value = null
      const kind = failure instanceof ApiError ? failure.kind : undefined
      const field = kind === 'invalid' ? apiFieldOf(describe(failure)) : undefined
      if (field && FIELD_CONTROLS[field]) {
        fieldErrors.value = { [field]: describe(failure) }
        if (isMoreField(field)) moreOpen.value = true
        // After the error is rendered, move focus to the field it names.
        setTimeout(() => {
          const element = document.getElementById(FIELD_CONTROLS[field] as string)
          const control = element?.matches('input, select') ? element : element?.querySelector('input, select')
          ;(control as HTMLElement | null | undefined)?.focus()
        })
      }
      error.value =
        kind === 'forbidden'
          ? 'Your account may not search the history (agent managers and admins only).'
          : kind === 'rate-limited'
            ? 'The server is busy with other searches. Try again in a moment.'
            : kind === 'invalid'
              ? `The search was refused: ${describe(failure)}`
              : `The search failed: ${describe(failure)}`
    } finally {
      if (mine === generation.current) busy.value = false
    }
  }

  useEffect(() => {
    void run(applied.value, 'replace')
    // Back/forward: the URL is the search.
    const onPop = () => {
      if (location.pathname !== PATH) return
      const search = searchFromParams(new URLSearchParams(location.search))
      draft.value = search
      void run(search, 'none')
    }
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [api])

  const page = (offset: number) => void run({ ...applied.value, offset, open: '' }, 'push')

  const select = (record: HistoryRecord | null) => {
    opened.value = record
    applied.value = { ...applied.value, open: record?.info.engagementId ?? '' }
    writeUrl(applied.value, 'replace')
  }

  const download = async (format: ExportFormat) => {
    const label = format === 'csv' ? 'CSV' : 'JSON Lines'
    exporting.value = `Preparing the ${label} file…`
    try {
      const request = shownCriteria.current ?? criteria(applied.value)
      const result = await exportSearch(api, request, format, (rows, total) => {
        exporting.value = `${label}: ${rows} of ${total}…`
      })
      const url = URL.createObjectURL(result.blob)
      const link = document.createElement('a')
      link.href = url
      link.download = `engagements-${new Date().toISOString().slice(0, 10)}.${format}`
      link.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      exporting.value =
        result.rows === result.count
          ? `Downloaded ${result.rows} engagement${result.rows === 1 ? '' : 's'} as ${label}.`
          : `Downloaded ${result.rows} engagements as ${label}; the archive changed meanwhile (now ${result.count}).`
    } catch (failure) {
      exporting.value = `The ${label} download failed: ${describe(failure)}`
    }
  }

  const shown = applied.value
  const total = count.value
  const stale = resultKey(draft.value) !== resultKey(shown)
  return (
    <div class="page">
      <h1>History</h1>
      <HistoryFilters
        draft={draft}
        errors={fieldErrors.value}
        choices={choices}
        moreOpen={moreOpen}
        busy={busy.value}
        onSearch={() => {
          moreOpen.value = false
          void run({ ...draft.value, offset: 0, open: '' }, 'push')
        }}
        onReset={() => {
          draft.value = { ...EMPTY_SEARCH }
          void run({ ...EMPTY_SEARCH }, 'push')
        }}
      />
      {error.value && (
        <p class="banner banner-warn" role="alert">
          {error.value}
        </p>
      )}
      <div class="results-bar">
        <span role="status">
          {busy.value
            ? 'Searching…'
            : total === null
              ? ''
              : `${total} engagement${total === 1 ? '' : 's'}${stale ? ' (filters changed: press Search)' : ''}`}
        </span>
        {total !== null && total > 0 && (
          <>
            <span class="muted">
              {Math.min(total, shown.offset + 1)}–{Math.min(total, shown.offset + PAGE_SIZE)}
            </span>
            <button
              class="button small"
              type="button"
              disabled={shown.offset === 0}
              onClick={() => page(Math.max(0, shown.offset - PAGE_SIZE))}
            >
              Previous page
            </button>
            <button
              class="button small"
              type="button"
              disabled={shown.offset + PAGE_SIZE >= total}
              onClick={() => page(shown.offset + PAGE_SIZE)}
            >
              Next page
            </button>
            <button class="button small" type="button" onClick={() => void download('csv')}>
              Download CSV
            </button>
            <button class="button small" type="button" onClick={() => void download('jsonl')}>
              Download JSON Lines
            </button>
          </>
        )}
        <span class="muted" role="status">
          {exporting.value}
        </span>
      </div>
      <div class="page-columns">
        <table class="table">
          <caption class="visually-hidden">Engagements found</caption>
          <thead>
            <tr>
              <th scope="col">Start</th>
              <th scope="col">Visitor</th>
              <th scope="col">Agent</th>
              <th scope="col">Skill</th>
              <th scope="col">Duration</th>
              <th scope="col">MCS</th>
            </tr>
          </thead>
          <tbody>
            {records.value.map((record) => (
              <tr
                key={record.info.engagementId}
                class={opened.value?.info.engagementId === record.info.engagementId ? 'selected' : ''}
              >
                <td>
                  <button class="link" type="button" onClick={() => select(record)}>
                    {new Date(record.info.startTimeL).toLocaleString()}
                  </button>
                </td>
                <td>{visitorLabel(record.info.visitorName)}</td>
                <td>{record.info.agentNickName ?? ''}</td>
                <td>{record.info.skillName ?? ''}</td>
                <td>{formatSeconds(record.info.duration)}</td>
                <td>{record.info.chatMCS ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {opened.value && <RecordView record={opened.value} onClose={() => select(null)} />}
      </div>
    </div>
  )
}
