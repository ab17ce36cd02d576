export type DialectName = 'sqlite' | 'postgres'

/** The differences between SQLite and PostgreSQL that repositories need, as named operations. */
export interface DialectOps {
  readonly name: DialectName
  /** Escapes `%`, `_` and the escape character itself for a LIKE pattern using `ESCAPE '\'`. */
  escapeLike(text: string): string
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (ch) => `\\${ch}`)

export const sqliteOps: DialectOps = { name: 'sqlite', escapeLike }
export const postgresOps: DialectOps = { name: 'postgres', escapeLike }
