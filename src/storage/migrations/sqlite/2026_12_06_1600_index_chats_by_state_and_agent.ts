import type { Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// Routing counts each agent's held and ringing chats (`account_id`, `state`, then the user). The
// existing (account_id, agent_user_id, state) index made those counts walk every chat of the
// account, ended ones included, which are kept for a day: the cost grew with the day's traffic.
// This index covers both counts and only visits the chats in the state asked for.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('chats_account_state_agent_idx')
    .on('chats')
    .columns(['account_id', 'state', 'agent_user_id', 'ringing_user_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('chats_account_state_agent_idx').execute()
}
