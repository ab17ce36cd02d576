import type { Migration } from 'kysely/migration'
import * as createFoundation from './2026_11_25_1200_create_foundation.ts'
import * as createArchive from './2026_11_25_1300_create_archive.ts'
import * as tuneArchiveIndexes from './2026_11_25_1400_tune_archive_indexes.ts'
import * as createLiveChat from './2026_12_02_1000_create_live_chat.ts'
import * as createAgentSessions from './2026_12_02_1100_create_agent_sessions.ts'
import * as createChatSurveyAnswers from './2026_12_02_1400_create_chat_survey_answers.ts'
import * as createChatCoBrowseSessions from './2026_12_06_1500_create_chat_cobrowse_sessions.ts'
import * as createEngagementAttributes from './2026_12_06_1300_create_engagement_attributes.ts'
import * as createMailOutbox from './2026_12_06_1200_create_mail_outbox.ts'
import * as createOfflineMessages from './2026_12_06_1100_create_offline_messages.ts'
import * as createServerLock from './2026_12_07_1400_create_server_lock.ts'
import * as createJs2RestParts from './2026_12_08_0110_create_js2rest_parts.ts'
import * as createLeases from './2026_12_08_0100_create_leases.ts'
import * as indexChatsByStateAndAgent from './2026_12_06_1600_index_chats_by_state_and_agent.ts'
import * as allocateRtSessionIds from './2026_12_07_1000_allocate_rt_session_ids.ts'
import * as snapshotSurveyAnswers from './2026_12_07_1010_snapshot_survey_answers.ts'
import * as createIdempotencyKeys from './2026_12_07_1300_create_idempotency_keys.ts'
import * as createArchiveFailures from './2026_12_07_1100_create_archive_failures.ts'
import * as createLoginAttempts from './2026_12_07_1200_create_login_attempts.ts'
import * as grantConfigReadToApiKeys from './2026_12_07_1210_grant_config_read_to_api_keys.ts'
import * as createAgentStateChanges from './2026_12_07_1500_create_agent_state_changes.ts'

/** Every migration of this dialect, by name; names are identical in both dialect folders. */
export const migrations: Record<string, Migration> = {
  '2026_11_25_1200_create_foundation': createFoundation,
  '2026_11_25_1300_create_archive': createArchive,
  '2026_11_25_1400_tune_archive_indexes': tuneArchiveIndexes,
  '2026_12_02_1000_create_live_chat': createLiveChat,
  '2026_12_02_1100_create_agent_sessions': createAgentSessions,
  '2026_12_02_1400_create_chat_survey_answers': createChatSurveyAnswers,
  '2026_12_06_1500_create_chat_cobrowse_sessions': createChatCoBrowseSessions,
  '2026_12_06_1300_create_engagement_attributes': createEngagementAttributes,
  '2026_12_06_1200_create_mail_outbox': createMailOutbox,
  '2026_12_06_1100_create_offline_messages': createOfflineMessages,
  '2026_12_06_1600_index_chats_by_state_and_agent': indexChatsByStateAndAgent,
  '2026_12_07_1000_allocate_rt_session_ids': allocateRtSessionIds,
  '2026_12_07_1010_snapshot_survey_answers': snapshotSurveyAnswers,
  '2026_12_07_1300_create_idempotency_keys': createIdempotencyKeys,
  '2026_12_07_1100_create_archive_failures': createArchiveFailures,
  '2026_12_07_1200_create_login_attempts': createLoginAttempts,
  '2026_12_07_1210_grant_config_read_to_api_keys': grantConfigReadToApiKeys,
  '2026_12_07_1500_create_agent_state_changes': createAgentStateChanges,
  '2026_12_07_1400_create_server_lock': createServerLock,
  '2026_12_08_0110_create_js2rest_parts': createJs2RestParts,
  '2026_12_08_0100_create_leases': createLeases,
}
