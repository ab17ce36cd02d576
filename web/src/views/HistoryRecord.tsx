import type { CoBrowseSession, HistoryLine, HistoryRecord, SurveyItem } from '../api/history.ts'
import { formatSeconds } from './duration.ts'
import { McsChart } from './McsChart.tsx'
import { AgentHtml, RichContent } from './Transcript.tsx'
import { visitorLabel } from './visitor-name.ts'

type Pair = [label: string, value: string | number | boolean | null | undefined]

/** A definition list of the pairs that have a value. */
function Pairs({ pairs }: { pairs: Pair[] }) {
  const shown = pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
  if (shown.length === 0) return <p class="muted">Nothing recorded.</p>
  return (
    <dl class="pairs">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{typeof value === 'boolean' ? (value ? 'Yes' : 'No') : String(value)}</dd>
        </div>
      ))}
    </dl>
  )
}

const when = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toLocaleString())

function Surveys({ title, items }: { title: string; items: SurveyItem[] }) {
  return (
    <>
      <h4>{title}</h4>
      {items.length === 0 ? (
        <p class="muted">Not answered.</p>
      ) : (
        <Pairs pairs={items.map((item): Pair => [item.displayName, item.values?.join(', ') || item.value])} />
      )}
    </>
  )
}

/** Time stamps and flags every SDE level carries; the event's own are shown once, in its heading. */
const SDE_META = new Set(['serverTimeStamp', 'originalTimeStamp', 'sdeType', 'isAuthenticated'])

/** `{purchase: {total: 9, cart: {products: […]}}}` → `purchase.total: 9`, … (as text, never as HTML). */
function flatten(value: unknown, path: string, into: Pair[], depth = 0): void {
  if (into.length >= 40) return
  if (value === null || value === undefined) return
  if (typeof value !== 'object') {
    into.push([path, typeof value === 'string' ? value : JSON.stringify(value)])
    return
  }
  if (depth > 5) {
    into.push([path, JSON.stringify(value)])
    return
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value)
  for (const [key, item] of entries)
    if (!SDE_META.has(key)) flatten(item, path ? `${path}.${key}` : key, into, depth + 1)
}

function Attributes({ events }: { events: Array<Record<string, unknown>> }) {
  if (events.length === 0) return <p class="muted">No engagement attributes.</p>
  return (
    <ul class="attribute-list">
      {events.map((event, index) => {
        const pairs: Pair[] = []
        for (const [key, value] of Object.entries(event)) if (!SDE_META.has(key)) flatten(value, key, pairs)
        const time = Number(event.serverTimeStamp)
        return (
          <li key={index}>
            <strong>{typeof event.sdeType === 'string' ? event.sdeType : 'Attribute'}</strong>{' '}
            {Number.isFinite(time) && <span class="muted">{new Date(time).toLocaleString()}</span>}
            {event.isAuthenticated === true && <span class="muted"> · authenticated</span>}
            <Pairs pairs={pairs} />
          </li>
        )
      })}
    </ul>
  )
}

function CoBrowse({ sessions }: { sessions: CoBrowseSession[] }) {
  if (sessions.length === 0) return <p class="muted">No co-browse session.</p>
  return (
    <table class="table compact">
      <caption class="visually-hidden">Co-browse sessions</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Interactive</th>
          <th scope="col">End reason</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session, index) => (
          <tr key={session.sessionId ?? index}>
            <td>{when(session.startTimeL) ?? ''}</td>
            <td>{session.duration === undefined ? '' : formatSeconds(Math.round(session.duration / 1000))}</td>
            <td>{session.interactive ? 'Yes' : 'No'}</td>
            <td>{session.endReason ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Line({ line, record }: { line: HistoryLine; record: HistoryRecord }) {
  const source = line.source === 'visitor' || line.source === 'agent' ? line.source : 'system'
  const note = line.subType === 'ONLY_TO_REP'
  const author =
    source === 'visitor'
      ? visitorLabel(line.by, record.info.visitorName)
      : source === 'agent'
        ? (line.by ?? record.info.agentNickName ?? 'Agent')
        : 'System'
  return (
    <li class={`line ${source}${note ? ' note' : ''}`}>
      <div class="line-meta">
        <span class="line-author">{note ? `${author} (note for agents)` : author}</span>
        <time dateTime={new Date(line.timeL).toISOString()}>{new Date(line.timeL).toLocaleTimeString()}</time>
      </div>
      {line.textType === 'rich-content' ? (
        <RichContent json={line.json} />
      ) : line.textType === 'html' && source === 'agent' ? (
        <AgentHtml html={line.text ?? ''} />
      ) : (
        <div class="line-text">{line.text ?? ''}</div>
      )}
    </li>
  )
}

/** One archived engagement: summary, MCS chart, surveys, attributes, visitor, campaign, co-browse, transcript. */
export function RecordView({ record, onClose }: { record: HistoryRecord; onClose: () => void }) {
  const { info } = record
  const visitor = record.visitorInfo
  const campaign = (record.campaign ?? {}) as Record<string, string | number | boolean | undefined>
  const place = [visitor.city, visitor.state, visitor.country].filter(Boolean).join(', ')
  return (
    <section class="card record" aria-labelledby="record-title">
      <header class="chat-header">
        <h2 id="record-title">Engagement {info.engagementId}</h2>
        <button class="button small" type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <Pairs
        pairs={[
          ['Visitor', `${visitorLabel(info.visitorName)} (${info.visitorId})`],
          ['Agent', info.agentNickName],
          ['Skill', info.skillName],
          ['Agent group', info.agentGroupName],
          ['Started', when(info.startTimeL)],
          ['Duration', formatSeconds(info.duration)],
          ['Start reason', info.startReasonDesc],
          ['End reason', info.endReasonDesc],
          ['Interactive', info.isInteractive ?? info.interactive],
          ['Start page', info.chatStartUrl],
        ]}
      />
      <h3>
        MCS {info.chatMCS ?? '–'}
        {info.alertedMCS !== null && <span class="muted"> · alerted {info.alertedMCS}</span>}
      </h3>
      <McsChart record={record} />
      <h3>Surveys</h3>
      <Surveys title="Pre-chat survey" items={record.surveys.preChat} />
      <Surveys title="Exit survey" items={record.surveys.postChat} />
      <Surveys title="Agent survey" items={record.surveys.operator} />
      <h3>Engagement attributes</h3>
      <Attributes events={record.sdes?.events ?? []} />
      <h3>Visitor info</h3>
      <Pairs
        pairs={[
          ['Location', place],
          ['ISP', visitor.isp],
          ['Organisation', visitor.org],
          ['Device', visitor.device],
          ['Browser', visitor.browser],
          ['OS', visitor.operatingSystem],
          ['IP address', visitor.ipAddress],
        ]}
      />
      <h3>Campaign</h3>
      <Pairs
        pairs={[
          ['Campaign', campaign.campaignName],
          ['Engagement', campaign.campaignEngagementName],
          ['Goal', campaign.goalName],
          ['Visitor behavior', campaign.visitorBehaviorName],
          ['Visitor profile', campaign.visitorProfileName],
          ['Line of business', campaign.lobName],
          ['Note for agents', campaign.engagementAgentNote],
        ]}
      />
      <h3>Co-browse sessions</h3>
      <CoBrowse sessions={record.coBrowseSessions?.coBrowseSessionsList ?? []} />
      <h3>Transcript</h3>
      <ol class="record-lines" aria-label="Transcript">
        {record.transcript.lines.map((line, index) => (
          <Line key={index} line={line} record={record} />
        ))}
      </ol>
    </section>
  )
}
