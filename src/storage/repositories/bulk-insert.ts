import { CompiledQuery, sql, type CompiledQuery as Compiled } from 'kysely'
import type { DialectName } from '../dialect/dialect.ts'
import type { Executor } from './executor.ts'

const ROWS_PER_STATEMENT = 500
const templates = new Map<string, Compiled>()

/**
 * Inserts rows (values in `columns` order) with one multi-row INSERT per 500 rows. The SQL text is
 * compiled once per table, column list, row count and dialect and then reused with new
 * parameters: building the statement through the query builder for every batch costs more than
 * the database's own work on bulk ingest.
 */
export async function insertRows(
  db: Executor,
  dialect: DialectName,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const part = rows.slice(i, i + ROWS_PER_STATEMENT)
    const key = `${dialect}\u0000${table}\u0000${columns.join(',')}\u0000${part.length}`
    let template = templates.get(key)
    if (!template) {
      template =
        sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))}) values ${sql.join(
          part.map((row) => sql`(${sql.join(row.map((value) => sql`${value}`))})`),
        )}`.compile(db)
      templates.set(key, template)
    }
    await db.executeQuery(CompiledQuery.raw(template.sql, part.flat()))
  }
}
