import type { Executor } from './executor.ts'

/** Tables that share the shape id, name, description, is_default, deleted. */
export type SimpleEntityTable = 'goals' | 'visitor_behaviors' | 'visitor_profiles' | 'lobs'

/** Inserts for goals, visitor behaviors, visitor profiles and lines of business. */
export const simpleEntitiesRepository = {
  async insert(
    db: Executor,
    table: SimpleEntityTable,
    input: { accountId: string; name: string; description: string; isDefault: boolean; now: number },
  ): Promise<number> {
    const row = await db
      .insertInto(table)
      .values({
        account_id: input.accountId,
        name: input.name,
        description: input.description,
        is_default: input.isDefault,
        deleted: false,
        created_at: input.now,
        updated_at: input.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return Number(row.id)
  },
}
