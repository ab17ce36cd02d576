import { useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import DOMPurify from 'dompurify'
import { csvHeader, csvRow, historyApi, type HistoryCriteria, type HistoryRecord } from '../api/history.ts'
import { useApp } from '../context.ts'
import { Trend } from './Trend.tsx'

const RANGES: ReadonlyArray<[string, string, number]> = [
  ['1h', 'Last hour', 3600_000],
  ['24h', 'Last 24 hours', 24 * 3600_000],
  ['7d', 'Last 7 days', 7 * 24 * 3600_000],
  ['30d', 'Last 30 days', 30 * 24 * 3600_000],
]
const SORTS: ReadonlyArray<[string, string]> = [
  ['start:desc', 'Newest first'],
  ['start:asc', 'Oldest first'],
  ['duration:desc', 'Longest first'],
]
const PAGE = 25

interface Query {
  range: string
  keyword: string
  sort: string
  offset: number
}

function queryFromUrl(): Query {
  const params = new URLSearchParams(location.search)
  return {
    range: RANGES.some(([id]) => id === params.get('range')) ? (params.get('range') ?? '24h') : '24h',
    keyword: params.get('keyword') ?? '',
    sort: SORTS.some(([id]) => id === params.get('sort')) ? (params.get('sort') ?? 'start:desc') : 'start:desc',
    offset: Math.max(0, Number(params.get('offset')) || 0),
  }
}

function criteriaOf(query: Query, now: number): HistoryCriteria {
  const span = RANGES.find(([id]) => id === query.range)?.[2] ?? 24 * 3600_000
  return {
    start: { from: now - span, to: now },
    ...(query.keyword.trim() ? { keyword: query.keyword.trim() } : {}),
    sort: query.sort,
  }
}

const duration = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`

/** History explorer (agent managers and admins): search, page, open a record, download the whole result as CSV. */
export function History() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const api = useMemo(() => historyApi(app.http, accountId), [accountId])
  const query = useSignal<Query>(queryFromUrl())
  const draft = useSignal<Query>(query.value)
  const count = useSignal<number | null>(null)
  const records = useSignal<HistoryRecord[]>([])
  const error = useSignal('')
  const busy = useSignal(false)
  const opened = useSignal<HistoryRecord | null>(null)
  const exporting = useSignal('')

  const run = async (next: Query) => {
    query.value = next
    busy.value = true
    error.value = ''
    const params = new URLSearchParams({ range: next.range, sort: next.sort, offset: String(next.offset) })
    if (next.keyword) params.set('keyword', next.keyword)
    history.replaceState(null, '', `/console/history?${params.toString()}`)
    try {
      const page = await api.search(criteriaOf(next, Date.now()), next.offset, PAGE)
      count.value = page.count
      records.value = page.records
    } catch (failure) {
      error.value =
        failure instanceof Error && 'kind' in failure && failure.kind === 'forbidden'
          ? 'Your account may not search the history (agent managers and admins only).'
          : failure instanceof Error && 'kind' in failure && failure.kind === 'rate-limited'
            ? 'The server is busy with other searches. Try again in a moment.'
            : `The search failed: ${failure instanceof Error ? failure.message : String(failure)}`
    } finally {
      busy.value = false
    }
  }
  useEffect(() => void run(query.value), [api])

  const download = async () => {
    const parts: string[] = [csvHeader()]
    let rows = 0
    exporting.value = 'Preparing…'
    try {
      for await (const page of api.all(criteriaOf(query.value, Date.now()))) {
        for (const record of page.records) parts.push(csvRow(record))
        rows += page.records.length
        exporting.value = `${rows} of ${page.count}…`
      }
      const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }))
      const link = document.createElement('a')
      link.href = url
      link.download = `engagements-${new Date().toISOString().slice(0, 10)}.csv`
      link.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      exporting.value = `Downloaded ${rows} engagements.`
    } catch (failure) {
      exporting.value = `Download failed: ${failure instanceof Error ? failure.message : String(failure)}`
    }
  }

  const q = draft.value
  return (
    <div class="page">
      <h1>History</h1>
      <form
        class="card search-form"
        role="search"
        onSubmit={(event) => {
          event.preventDefault()
          void run({ ...draft.value, offset: 0 })
        }}
      >
        <div class="field">
          <label for="history-range">Time</label>
          <select
            id="history-range"
            value={q.range}
            onChange={(event) => (draft.value = { ...q, range: event.currentTarget.value })}
          >
            {RANGES.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field grow">
          <label for="history-keyword">Keyword</label>
          <input
            id="history-keyword"
            type="search"
            placeholder='Words in transcripts, surveys, attributes… "quoted phrase"'
            value={q.keyword}
            onInput={(event) => (draft.value = { ...q, keyword: event.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="history-sort">Sort</label>
          <select
            id="history-sort"
            value={q.sort}
            onChange={(event) => (draft.value = { ...q, sort: event.currentTarget.value })}
          >
            {SORTS.map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button class="button primary" type="submit" disabled={busy.value}>
          Search
        </button>
      </form>
      {error.value && (
        <p class="banner banner-warn" role="alert">
          {error.value}
        </p>
      )}
      <div class="results-bar" role="status">
        <span>
          {busy.value
            ? 'Searching…'
            : count.value === null
              ? ''
              : `${count.value} engagement${count.value === 1 ? '' : 's'}`}
        </span>
        {count.value !== null && count.value > 0 && (
          <>
            <span class="muted">
              {query.value.offset + 1}–{Math.min(count.value, query.value.offset + PAGE)}
            </span>
            <button
              class="button small"
              type="button"
              disabled={query.value.offset === 0}
              onClick={() => void run({ ...query.value, offset: Math.max(0, query.value.offset - PAGE) })}
            >
              Previous page
            </button>
            <button
              class="button small"
              type="button"
              disabled={query.value.offset + PAGE >= count.value}
              onClick={() => void run({ ...query.value, offset: query.value.offset + PAGE })}
            >
              Next page
            </button>
            <button class="button small" type="button" onClick={() => void download()}>
              Download CSV
            </button>
            <span class="muted">{exporting.value}</span>
          </>
        )}
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
              <tr key={record.info.engagementId} class={opened.value === record ? 'selected' : ''}>
                <td>
                  <button class="link" type="button" onClick={() => (opened.value = record)}>
                    {new Date(record.info.startTimeL).toLocaleString()}
                  </button>
                </td>
                <td>{record.info.visitorName}</td>
                <td>{record.info.agentNickName ?? ''}</td>
                <td>{record.info.skillName ?? ''}</td>
                <td>{duration(record.info.duration)}</td>
                <td>{record.info.chatMCS ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {opened.value && <RecordView record={opened.value} onClose={() => (opened.value = null)} />}
      </div>
    </div>
  )
}

function RecordView({ record, onClose }: { record: HistoryRecord; onClose: () => void }) {
  const surveys = [...record.surveys.preChat, ...record.surveys.postChat, ...record.surveys.operator]
  const visitorLines = record.transcript.lines
    .map((line, index) => ({ line, score: record.lineScores[index] }))
    .filter((entry) => entry.line.source === 'visitor')
  return (
    <section class="card record" aria-labelledby="record-title">
      <header class="chat-header">
        <h2 id="record-title">Engagement {record.info.engagementId}</h2>
        <button class="button small" type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <dl class="pairs">
        {(
          [
            ['Visitor', `${record.info.visitorName} (${record.info.visitorId})`],
            ['Agent', record.info.agentNickName],
            ['Skill', record.info.skillName],
            ['Started', new Date(record.info.startTimeL).toLocaleString()],
            ['Duration', duration(record.info.duration)],
            ['End', record.info.endReasonDesc],
            ['Start page', record.info.chatStartUrl],
            ['Browser', record.visitorInfo.browser],
            ['OS', record.visitorInfo.operatingSystem],
            ['IP address', record.visitorInfo.ipAddress],
          ] as Array<[string, string | undefined]>
        )
          .filter((row): row is [string, string] => Boolean(row[1]))
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <h3>MCS {record.info.chatMCS ?? '–'}</h3>
      <Trend values={visitorLines.map((entry) => entry.score?.mcs ?? 0)} />
      {surveys.length > 0 && (
        <>
          <h3>Surveys</h3>
          <dl class="pairs">
            {surveys.map((item, index) => (
              <div key={index}>
                <dt>{item.displayName}</dt>
                <dd>{item.value}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <h3>Transcript</h3>
      <ol class="record-lines">
        {record.transcript.lines.map((line, index) => (
          <li
            key={index}
            class={`line ${line.source === 'visitor' || line.source === 'agent' ? line.source : 'system'}`}
          >
            <div class="line-meta">
              <span class="line-author">
                {line.source === 'visitor' ? record.info.visitorName : line.source === 'agent' ? line.by : 'System'}
              </span>
              <time dateTime={line.time}>{new Date(line.timeL).toLocaleTimeString()}</time>
            </div>
            {line.textType === 'html' && line.source === 'agent' ? (
              <div
                class="line-text"
                dangerouslySetInnerHTML={{
                  __html: DOMPurify.sanitize(line.text ?? '', { FORBID_TAGS: ['style', 'img'] }),
                }}
              />
            ) : (
              <div class="line-text">{line.text ?? ''}</div>
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}
