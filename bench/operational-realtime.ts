/**
 * `npx node bench/operational-realtime.ts [--database PATH|postgres://...] [--chats N] [--agents N] [--skills N]`
 *
 * The Operational Realtime API over a busy day (docs/operational-realtime.md): a fresh account with
 * N chats spread over the last 24 hours (one in ten unanswered, the last 50 still open), agents
 * with two skills each and ten availability changes, then each method's service call measured
 * five times (median), beside the ceiling: the one engagements query every windowed method runs.
 */
import { parseArgs } from 'node:util'
import { createServices } from '../src/compose.ts'
import { loadConfig } from '../src/config/config.ts'
import type { Actor } from '../src/core/actor.ts'
import { createStorage, migrateToLatest } from '../src/storage/db.ts'
import type { ChatRow, EngagementRow } from '../src/storage/schema.ts'

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: '/tmp/parley-bench-operational.db' },
    chats: { type: 'string', default: '20000' },
    agents: { type: 'string', default: '200' },
    skills: { type: 'string', default: '20' },
  },
})
const CHATS = Number(values.chats)
const AGENTS = Number(values.agents)
const SKILLS = Number(values.skills)
const DAY = 86_400_000
const now = Date.UTC(2026, 11, 7, 12, 0, 0)

const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: values.database })
const storage = createStorage(config.database, { poolSize: 2 })
await migrateToLatest(storage)
const services = createServices({ storage, config, clock: { now: () => now } })
const db = storage.db
const accountId = `b${Date.now().toString(36)}`
await services.accounts.createAccount({ id: accountId, adminLoginName: 'admin', adminPassword: 'admin-pass-123' })

const entity = { account_id: accountId, deleted: false, created_at: now - 2 * DAY, updated_at: now - 2 * DAY }
const skillIds: number[] = []
for (let s = 0; s < SKILLS; s += 1) {
  const row = await db
    .insertInto('skills')
    .values({ ...entity, name: `S${s}`, name_key: `s${s}`, description: '', max_wait_time: 0 })
    .returning('id')
    .executeTakeFirstOrThrow()
  skillIds.push(Number(row.id))
}
const userIds: number[] = []
const STATES = ['Online', 'Away', 'Online', 'Occupied', 'Online', 'Offline', 'Online', 'Away', 'Online', 'Offline']
for (let u = 0; u < AGENTS; u += 1) {
  const row = await db
    .insertInto('users')
    .values({
      ...entity,
      login_name: `u${u}`,
      login_key: `u${u}`,
      password_hash: 'x',
      full_name: '',
      nickname: `u${u}`,
      email: '',
      is_enabled: true,
      max_chats: 3,
      member_group_id: -1,
      member_assigned_at: 0,
      permission_groups: '["1"]',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const userId = Number(row.id)
  userIds.push(userId)
  await db
    .insertInto('user_skills')
    .values([
      { user_id: userId, skill_id: skillIds[u % SKILLS]! },
      { user_id: userId, skill_id: skillIds[(u + 1) % SKILLS]! },
    ])
    .execute()
  await db
    .insertInto('agent_state_changes')
    .values(
      STATES.map((state, i) => ({
        account_id: accountId,
        user_id: userId,
        chat_state: state,
        chat_reason_id: state === 'Away' ? '3' : null,
        changed_at: now - DAY + i * 2 * 3_600_000 + u * 1000,
      })),
    )
    .execute()
}

const chats: ChatRow[] = []
const engagements: EngagementRow[] = []
for (let c = 0; c < CHATS; c += 1) {
  const start = now - DAY + Math.floor((c / CHATS) * DAY)
  const accepted = c % 10 === 0 ? null : start + 5000 + (c % 90) * 1000
  const ended = c >= CHATS - 50 ? null : (accepted ?? start) + 300_000
  const agent = accepted === null ? null : userIds[c % AGENTS]!
  const id = `H${c}-${accountId}`
  const rtSessionId = 4_294_967_296 + c
  chats.push({
    id,
    account_id: accountId,
    state: ended !== null ? 'ended' : accepted === null ? 'waiting' : 'chatting',
    skill_id: skillIds[c % SKILLS]!,
    requested_agent_id: null,
    target_agent_id: null,
    language: 'en',
    visitor_id: `v${c}`,
    campaign_id: null,
    campaign_engagement_id: null,
    max_wait_time: null,
    chat_timeout: 40,
    request: '{}',
    custom_variables: '[]',
    visitor_name: null,
    visitor_typing: false,
    agent_typing: false,
    agent_user_id: agent,
    agent_nickname: null,
    ringing_user_id: null,
    ring_started_at: null,
    ring_skipped: '[]',
    sequence: 0,
    rt_session_id: rtSessionId,
    waiting_since: start,
    wait_deadline_at: null,
    requested_at: start,
    last_update: start,
    expires_at: null,
    next_event_id: 0,
    ended_at: ended,
    end_event_id: null,
  })
  engagements.push({
    chat_id: id,
    sequence: 0,
    account_id: accountId,
    rt_session_id: rtSessionId,
    skill_id: skillIds[c % SKILLS]!,
    start_reason: '0',
    started_at: start,
    accepted_at: accepted,
    agent_user_id: agent,
    agent_group_id: agent === null ? null : -1,
    end_reason: ended === null ? null : '1',
    ended_at: ended,
    archived_at: ended,
  })
}
for (let i = 0; i < CHATS; i += 500) {
  await db
    .insertInto('chats')
    .values(chats.slice(i, i + 500))
    .execute()
  await db
    .insertInto('engagements')
    .values(engagements.slice(i, i + 500))
    .execute()
}

const actor: Actor = { kind: 'apiKey', accountId, apiKeyId: 1, permissions: ['operationalRealtime'], userId: null }
const api = services.operationalRealtime
async function median(label: string, fn: () => Promise<unknown>): Promise<void> {
  const runs: number[] = []
  for (let i = 0; i < 5; i += 1) {
    const started = performance.now()
    await fn()
    runs.push(performance.now() - started)
  }
  runs.sort((a, b) => a - b)
  process.stdout.write(`| ${label} | ${runs[2]!.toFixed(0)} ms |\n`)
}
const all = { skillIds: 'all', agentIds: 'all', v: '1' }
process.stdout.write(
  `${CHATS} chats, ${AGENTS} agents, ${SKILLS} skills (${config.database.kind})\n\n| call | median |\n|---|---|\n`,
)
await median('queuehealth timeframe=1440 interval=5 skillIds=all', () =>
  api.queueHealth(actor, accountId, { ...all, timeframe: '1440', interval: '5' }),
)
await median('queuehealth timeframe=60 skillIds=all', () =>
  api.queueHealth(actor, accountId, { ...all, timeframe: '60' }),
)
await median('engactivity timeframe=1440 interval=60 skillIds=all agentIds=all', () =>
  api.engagementActivity(actor, accountId, { ...all, timeframe: '1440', interval: '60' }),
)
await median('agentactivity timeframe=1440 interval=60 agentIds=all', () =>
  api.agentActivity(actor, accountId, { ...all, timeframe: '1440', interval: '60' }),
)
await median('sla timeframe=1440', () => api.sla(actor, accountId, { timeframe: '1440', v: '1' }))
await median('queuestate', () => api.queueState(actor, accountId, { v: '1' }))
await median('parley/dashboard', () => api.dashboard(actor, accountId, { v: '1' }))
await median('ceiling: the day of engagements, one query', () =>
  db
    .selectFrom('engagements')
    .select(['chat_id', 'sequence', 'skill_id', 'started_at', 'accepted_at', 'ended_at', 'agent_user_id'])
    .where('account_id', '=', accountId)
    .where('started_at', '<=', now)
    .execute(),
)
await services.close()
await storage.close()
