import { sql, type Kysely } from 'kysely'

// Frozen in time: this migration never imports application code.
// API keys gained the configuration permissions (`configRead`, `configWrite`). Keys made before had
// no way to choose permissions: every one holds the four of the time. They keep working as the key
// made by `account create` does now, which also reads the account configuration.

const OLD_DEFAULTS = ['engagementHistory', 'monitoring', 'agent', 'visitor']

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: number; permissions: string }>`select id, permissions from api_keys`.execute(db)
  for (const row of rows) {
    const permissions = parseList(row.permissions)
    if (!permissions || !OLD_DEFAULTS.every((name) => permissions.includes(name))) continue
    if (permissions.includes('configRead')) continue
    const updated = JSON.stringify([...permissions, 'configRead'])
    await sql`update api_keys set permissions = ${updated} where id = ${row.id}`.execute(db)
  }
}

function parseList(text: string): unknown[] | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value : undefined
  } catch {
    return undefined
  }
}

export async function down(): Promise<void> {
  // Extra permissions are harmless to older code, which ignores names it does not know.
}
