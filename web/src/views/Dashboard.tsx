import { useEffect, useMemo } from 'preact/hooks'
import type { Dashboard as DashboardData, DashboardAgent } from '../api/operational.ts'
import { operationalApi } from '../api/operational.ts'
import { useApp } from '../context.ts'
import { createDashboardStore, DASHBOARD_REFRESH_MS, type Visibility } from '../state/dashboard.ts'
import { formatSeconds } from './duration.ts'

/** The estimate's special values (docs/operational-realtime.md) in words. */
function estimate(seconds: number): string {
  if (seconds === 0) return 'No wait (a slot is free)'
  if (seconds === -1) return 'No agent online'
  if (seconds < 0) return 'Not enough recent chats'
  return formatSeconds(seconds)
}

function load(agent: DashboardAgent): string {
  if (agent.maxChats === 0 || agent.load === null) return `${agent.chats} chats (no limit)`
  return `${agent.chats} / ${agent.maxChats} (${Math.round(agent.load * 100)} %)`
}

/** The browser tab's visibility, for the store's pause while hidden. */
const documentVisibility: Visibility = {
  hidden: () => document.visibilityState === 'hidden',
  onChange: (listener) => {
    document.addEventListener('visibilitychange', listener)
    return () => document.removeEventListener('visibilitychange', listener)
  },
}

const AVAILABILITY_ORDER = ['Online', 'Occupied', 'Away']

/** Live dashboard (agent managers and admins) on the Operational Realtime API's dashboard extension. */
export function Dashboard() {
  const app = useApp()
  const accountId = app.session.current.value?.accountId ?? ''
  const store = useMemo(
    () =>
      createDashboardStore({
        api: operationalApi(app.http, accountId),
        announce: app.announce,
        visibility: documentVisibility,
      }),
    [accountId],
  )
  useEffect(() => {
    store.start()
    return () => store.stop()
  }, [store])

  const data = store.data.value
  return (
    // Its own scroll container, focusable so keyboard users can scroll a page without controls.
    <div class="page dashboard" tabIndex={0} role="region" aria-label="Live dashboard">
      <div class="results-bar">
        <h1>Live dashboard</h1>
        <span class="muted">
          {store.paused.value
            ? 'Paused while this tab is hidden'
            : store.updatedAt.value === null
              ? 'Loading…'
              : `Refreshes every ${DASHBOARD_REFRESH_MS / 1000} s · updated ${new Date(store.updatedAt.value).toLocaleTimeString()}`}
        </span>
      </div>
      {store.error.value && (
        <p class="banner banner-warn" role="alert">
          {store.error.value}
        </p>
      )}
      {data && <Figures data={data} />}
    </div>
  )
}

function Figures({ data }: { data: DashboardData }) {
  const skillName = new Map(data.skills.map((skill) => [skill.skillId, skill.name]))
  const waiting = data.skills.reduce((sum, skill) => sum + skill.waitingChats, 0)
  const agents = [...data.agents].sort(
    (a, b) =>
      ((AVAILABILITY_ORDER.indexOf(a.availability) + 4) % 4) - ((AVAILABILITY_ORDER.indexOf(b.availability) + 4) % 4) ||
      a.nickname.localeCompare(b.nickname),
  )
  const online = data.agents.filter((agent) => agent.availability === 'Online').length
  return (
    <>
      <ul class="tiles" aria-label="Summary">
        <Tile value={String(waiting)} label="Chats waiting" />
        <Tile value={String(data.chatsInProgress.length)} label="Chats in progress" />
        <Tile value={String(online)} label="Agents online" />
        <Tile value={String(data.lastHour.endedChats)} label="Chats ended, last hour" />
        <Tile value={formatSeconds(data.lastHour.averageWaitSeconds)} label="Average wait, last hour" />
      </ul>
      <div class="dashboard-grid">
        <table class="table">
          <caption>Chats waiting per skill</caption>
          <thead>
            <tr>
              <th scope="col">Skill</th>
              <th scope="col" class="num">
                Waiting
              </th>
              <th scope="col" class="num">
                Longest wait
              </th>
              <th scope="col">Estimated wait</th>
              <th scope="col" class="num">
                Free slots
              </th>
            </tr>
          </thead>
          <tbody>
            {data.skills.map((skill) => (
              <tr key={skill.skillId} class={skill.waitingChats > 0 ? 'attention' : ''}>
                <th scope="row">{skill.skillId === -1 ? 'No skill' : skill.name}</th>
                <td class="num">{skill.waitingChats}</td>
                <td class="num">{skill.waitingChats > 0 ? formatSeconds(skill.longestWaitSeconds) : '—'}</td>
                <td>{estimate(skill.estimatedWaitSeconds)}</td>
                <td class="num">{skill.availableSlots}</td>
              </tr>
            ))}
            {data.skills.length === 0 && <EmptyRow columns={5} text="No skills yet" />}
          </tbody>
        </table>
        <table class="table">
          <caption>Agents by availability</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Availability</th>
              <th scope="col">Load (chats / max)</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((agent) => (
              <tr key={agent.agentId}>
                <th scope="row">
                  {agent.nickname} <span class="muted">({agent.loginName})</span>
                </th>
                <td>
                  <span class={`status status-${agent.availability.toLowerCase()}`}>{agent.availability}</span>
                </td>
                <td>{load(agent)}</td>
              </tr>
            ))}
            {agents.length === 0 && <EmptyRow columns={3} text="No agent signed in" />}
          </tbody>
        </table>
        <table class="table wide">
          <caption>Chats in progress</caption>
          <thead>
            <tr>
              <th scope="col">Engagement</th>
              <th scope="col">Skill</th>
              <th scope="col">Agent</th>
              <th scope="col">Accepted at</th>
              <th scope="col" class="num">
                Duration
              </th>
              <th scope="col" class="num">
                MCS (−100 to 100)
              </th>
            </tr>
          </thead>
          <tbody>
            {data.chatsInProgress.map((chat) => (
              <tr key={chat.engagementId}>
                <th scope="row">{chat.engagementId}</th>
                <td>{chat.skillId === -1 ? 'No skill' : (skillName.get(chat.skillId) ?? `Skill ${chat.skillId}`)}</td>
                <td>{chat.agentNickname}</td>
                <td>{new Date(chat.startTime).toLocaleTimeString()}</td>
                <td class="num">{formatSeconds(chat.durationSeconds)}</td>
                <td class="num">{chat.mcs === null ? 'Not yet' : chat.mcs}</td>
              </tr>
            ))}
            {data.chatsInProgress.length === 0 && <EmptyRow columns={6} text="No chat in progress" />}
          </tbody>
        </table>
        <table class="table">
          <caption>Last hour</caption>
          <tbody>
            <tr>
              <th scope="row">Chats ended</th>
              <td class="num">{data.lastHour.endedChats}</td>
            </tr>
            <tr>
              <th scope="row">Chats answered</th>
              <td class="num">{data.lastHour.connectedChats}</td>
            </tr>
            <tr>
              <th scope="row">Ended unanswered</th>
              <td class="num">{data.lastHour.abandonedChats}</td>
            </tr>
            <tr>
              <th scope="row">Average wait before an answer</th>
              <td class="num">{formatSeconds(data.lastHour.averageWaitSeconds)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </>
  )
}

function Tile({ value, label }: { value: string; label: string }) {
  return (
    <li class="card tile">
      <span class="tile-value">{value}</span> <span>{label}</span>
    </li>
  )
}

function EmptyRow({ columns, text }: { columns: number; text: string }) {
  return (
    <tr>
      <td colSpan={columns} class="muted">
        {text}
      </td>
    </tr>
  )
}
