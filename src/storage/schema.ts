import type { Generated } from 'kysely'

/**
 * Row types of every table. Times are epoch-ms integers; booleans are stored as 0/1 on SQLite
 * and `boolean` on PostgreSQL (mappers normalise both); JSON columns hold text.
 */
export interface Database {
  accounts: AccountRow
  app_keys: AppKeyRow
  api_keys: ApiKeyRow
  skills: SkillRow
  agent_groups: AgentGroupRow
  users: UserRow
  user_skills: UserSkillRow
  user_managed_groups: UserManagedGroupRow
  goals: SimpleEntityRow
  visitor_behaviors: SimpleEntityRow
  visitor_profiles: SimpleEntityRow
  lobs: SimpleEntityRow
  campaigns: CampaignRow
  campaign_engagements: CampaignEngagementRow
  surveys: SurveyRow
  login_sessions: LoginSessionRow
  login_attempts: LoginAttemptRow
  oauth_nonces: OAuthNonceRow
  agent_sessions: AgentSessionRow
  agent_availability: AgentAvailabilityRow
  agent_state_changes: AgentStateChangeRow
  archived_engagements: ArchivedEngagementRow
  archived_engagement_documents: ArchivedEngagementDocumentRow
  archived_cobrowse_sessions: ArchivedCoBrowseSessionRow
  live_chat_counters: LiveChatCounterRow
  chats: ChatRow
  chat_events: ChatEventRow
  engagements: EngagementRow
  chat_survey_answers: ChatSurveyAnswerRow
  chat_cobrowse_sessions: ChatCoBrowseSessionRow
  engagement_attributes: EngagementAttributeRow
  mail_outbox: MailOutboxRow
  archive_failures: ArchiveFailureRow
  offline_messages: OfflineMessageRow
  offline_message_settings: OfflineMessageSettingsRow
  visitor_survey_answers: VisitorSurveyAnswerRow
  idempotency_keys: IdempotencyKeyRow
  server_lock: ServerLockRow
  js2rest_requests: Js2RestRequestRow
  js2rest_request_parts: Js2RestRequestPartRow
  leases: LeaseRow
}

export type DbBool = boolean | number

export interface AccountRow {
  id: string
  name: string
  time_zone: string
  revision: number
  created_at: number
  updated_at: number
}

export interface AppKeyRow {
  id: Generated<number>
  account_id: string
  app_key: string
  created_at: number
  revoked_at: number | null
}

export interface ApiKeyRow {
  id: Generated<number>
  account_id: string
  consumer_key: string
  consumer_secret: string
  access_token: string
  access_token_secret: string
  permissions: string
  user_id: number | null
  created_at: number
  revoked_at: number | null
}

interface EntityColumns {
  id: Generated<number>
  account_id: string
  deleted: DbBool
  created_at: number
  updated_at: number
}

export interface SkillRow extends EntityColumns {
  name: string
  name_key: string
  description: string
  max_wait_time: number
}

export interface AgentGroupRow extends EntityColumns {
  name: string
  description: string
  parent_group_id: number
  is_enabled: DbBool
}

export interface UserRow extends EntityColumns {
  login_name: string
  login_key: string
  password_hash: string
  full_name: string
  nickname: string
  email: string
  is_enabled: DbBool
  max_chats: number
  member_group_id: number
  member_assigned_at: number
  permission_groups: string
}

export interface UserSkillRow {
  user_id: number
  skill_id: number
}

export interface UserManagedGroupRow {
  user_id: number
  agent_group_id: number
  assigned_at: number
}

export interface SimpleEntityRow extends EntityColumns {
  name: string
  description: string
  is_default: DbBool
}

export interface CampaignRow extends EntityColumns {
  name: string
  description: string
  goal_id: number
  lob_id: number
  status: number
  visitor_profile_ids: string
  start_date: string | null
  expiration_date: string | null
}

export interface CampaignEngagementRow extends EntityColumns {
  campaign_id: number
  name: string
  description: string
  enabled: DbBool
  channel: number
  skill_id: number
  visitor_behavior_ids: string
  agent_note: string
}

export interface SurveyRow extends EntityColumns {
  name: string
  type: string
  header: string
  skill_ids: string
  is_default: DbBool
  questions: string
}

export interface LoginSessionRow {
  id: Generated<number>
  account_id: string
  user_id: number
  session_key_hash: string
  bearer_hash: string
  csrf_hash: string
  created_at: number
  last_used_at: number
  expires_at: number
  ended_at: number | null
}

/** Failed-login counter of one account and login name (`scope` 'login') or client address ('ip'). */
export interface LoginAttemptRow {
  account_id: string
  scope: string
  subject: string
  failures: number
  window_start: number
  last_failure_at: number
}

/** Chat Agent API session; `id` is random (docs/agent-sessions.md), tied to a login session or an API key. */
export interface AgentSessionRow {
  id: number
  account_id: string
  user_id: number
  login_session_id: number | null
  api_key_id: number | null
  created_at: number
  last_activity_at: number
  ended_at: number | null
  end_reason: string | null
}

/** A user's chat availability, shared by all of their agent sessions. */
export interface AgentAvailabilityRow {
  user_id: number
  account_id: string
  chat_state: string
  chat_reason_id: string | null
  changed_at: number
}

export interface OAuthNonceRow {
  consumer_key: string
  nonce: string
  expires_at: number
}

/** Every availability change of a user (Offline when their last agent session ended), kept about a day. */
export interface AgentStateChangeRow {
  id: Generated<number>
  account_id: string
  user_id: number
  chat_state: string
  chat_reason_id: string | null
  changed_at: number
}

/** One archived engagement's filter and sort keys; `id` is start ms * 1024 + slot (start-time order). */
export interface ArchivedEngagementRow {
  id: number
  account_id: string
  engagement_id: string
  rt_session_id: number
  start_time: number
  end_time: number
  duration: number
  visitor_id: string
  agent_id: number | null
  agent_group_id: number
  skill_id: number
  is_interactive: DbBool
  channel: number
  alerted_mcs: number | null
  chat_mcs: number | null
  has_rich_content: DbBool
  has_interactive_cobrowse: DbBool
  /** Where the record came from: 'live', 'generated', 'imported' ('legacy': archived before origins were kept). */
  origin: string
}

/** The record as archived: deflate-compressed JSON. */
export interface ArchivedEngagementDocumentRow {
  id: number
  document: Uint8Array
}

export interface ArchivedCoBrowseSessionRow {
  engagement_row_id: number
  seq: number
  duration_ms: number
  interactive: DbBool
}

/**
 * Per-account source of rtSessionIds for live chats, transfers and generated records: the next
 * free one, at least 2^32 and above every numeric one archived or imported in the account.
 */
export interface LiveChatCounterRow {
  account_id: string
  next_rt_session_id: number
}

/** A live chat: its state, request, typing flags, current agent, ringing and current segment. */
export interface ChatRow {
  id: string
  account_id: string
  state: string
  skill_id: number
  requested_agent_id: number | null
  target_agent_id: number | null
  language: string
  visitor_id: string
  campaign_id: string | null
  campaign_engagement_id: string | null
  max_wait_time: number | null
  chat_timeout: number
  /** JSON: the normalised chat request fields. */
  request: string
  /** JSON: `[{ name, value }]`. */
  custom_variables: string
  visitor_name: string | null
  visitor_typing: DbBool
  agent_typing: DbBool
  agent_user_id: number | null
  agent_nickname: string | null
  ringing_user_id: number | null
  ring_started_at: number | null
  /** JSON: user ids that let this chat ring out (Decision D8). */
  ring_skipped: string
  sequence: number
  rt_session_id: number
  waiting_since: number | null
  wait_deadline_at: number | null
  requested_at: number
  last_update: number
  expires_at: number | null
  next_event_id: number
  ended_at: number | null
  end_event_id: number | null
}

export interface ChatEventRow {
  chat_id: string
  id: number
  type: string
  time: number
  /** The engagement (segment) the event belongs to. */
  sequence: number
  state: string | null
  source: string | null
  by_name: string | null
  text: string | null
  text_type: string | null
  json: string | null
  system_message_id: number | null
  sub_type: string | null
  agent_user_id: number | null
}

/** One agent segment of a chat (Decision D6); `archived_at` null after the end = still to archive. */
export interface EngagementRow {
  chat_id: string
  sequence: number
  account_id: string
  rt_session_id: number
  skill_id: number
  start_reason: string
  started_at: number
  accepted_at: number | null
  agent_user_id: number | null
  agent_group_id: number | null
  end_reason: string | null
  ended_at: number | null
  archived_at: number | null
}

/** Exit (`kind` 'exit', sequence -1) and agent (`kind` 'agent', the agent's engagement) survey answers. */
export interface ChatSurveyAnswerRow {
  chat_id: string
  kind: string
  sequence: number
  survey_id: number
  /** JSON: `[{ id, answers }]`. */
  answers: string
  user_id: number | null
  submitted_at: number
  /** JSON snapshot of the answered questions when submitted; null on rows written before snapshots. */
  survey: string | null
}

/** Co-browse sessions of live chats (docs/cobrowse.md); `sequence` is the engagement they started in. */
export interface ChatCoBrowseSessionRow {
  id: string
  account_id: string
  chat_id: string
  sequence: number
  agent_user_id: number
  started_at: number
  interactive_at: number | null
  ended_at: number | null
  end_reason: string | null
}

/** An engagement attribute (SDE) reported through the monitoring API, in the order received (`id`). */
export interface EngagementAttributeRow {
  id: Generated<number>
  account_id: string
  /** The path's visitor id as given: a monitoring id or Parley's numeric visitor id. */
  visitor_id: string
  /** The `sid` query parameter. */
  session_id: string
  /** The input type (`cart`, `lead`, ...). */
  type: string
  /** JSON: the validated attribute in its input shape. */
  attribute: string
  is_authenticated: DbBool
  received_at: number
}

/** One queued mail (core/mail): `status` 'pending' until 'sent' or 'failed'; `finished_at` when it left that state. */
export interface MailOutboxRow {
  id: Generated<number>
  account_id: string
  kind: string
  chat_key: string | null
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  status: string
  attempts: number
  next_attempt_at: number
  last_error: string | null
  created_at: number
  finished_at: number | null
}

/**
 * An ended engagement whose archive failed (docs/live-chat.md): retried at `next_attempt_at`, or
 * set aside since `dead_at` until `parley archive retry`. Deleted once the engagement is archived.
 */
export interface ArchiveFailureRow {
  chat_id: string
  sequence: number
  account_id: string
  rt_session_id: number
  attempts: number
  last_error: string
  first_failed_at: number
  last_failed_at: number
  next_attempt_at: number | null
  dead_at: number | null
}

/** V6 offline-survey submissions (docs/surveys.md). */
export interface OfflineMessageRow {
  id: Generated<number>
  account_id: string
  survey_id: number
  survey_name: string
  /** -1 when the submission named no skill of the account. */
  skill_id: number
  skill_name: string
  visitor_id: string | null
  /** JSON: the visitor fields of the submission (ip, user agent, referrer, monitoring ids). */
  visitor: string
  /** JSON: `[{ questionId, label, values }]`, labels as the survey had them then. */
  answers: string
  created_at: number
}

/** Where each account's offline messages are mailed. */
export interface OfflineMessageSettingsRow {
  account_id: string
  notification_email: string
  updated_at: number
}

/** Each visitor's latest answer per survey question: `lastKnownValue` (chat-api.md §14). */
export interface VisitorSurveyAnswerRow {
  account_id: string
  visitor_id: string
  survey_id: number
  question_id: number
  value: string
  updated_at: number
}

/** The first result of an `Idempotency-Key` per account and caller scope (docs/chat-api.md). */
export interface IdempotencyKeyRow {
  account_id: string
  scope: string
  idempotency_key: string
  status: number
  /** What the result points to: the chat key of a chat request, the event id of a line. */
  result_ref: string
  created_at: number
}

/** The running server's claim on the database (storage/server-lock.ts): at most one row, id 1. */
export interface ServerLockRow {
  id: number
  owner: string
  pid: number
  host: string
  started_at: number
  heartbeat_at: number
}

/** A partial multi-part js2rest request (core/browser/js2rest-parts.service.ts). */
export interface Js2RestRequestRow {
  id: string
  account_id: string
  /** Client address, to bound the partial requests one client holds. */
  client: string
  total: number
  received: number
  /** Characters of its parts together (still URL-encoded). */
  chars: number
  created_at: number
  touched_at: number
}

/** One received part (`lpP`, 1-based) of a partial js2rest request. */
export interface Js2RestRequestPartRow {
  request_id: string
  part_index: number
  chunk: string
}

/** A leadership lease (storage/lease-leadership.ts): held by `holder` until `expires_at` (ms, database clock). */
export interface LeaseRow {
  name: string
  holder: string
  expires_at: number
}
