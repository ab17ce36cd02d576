import type { RawBuilder, SqlBool } from 'kysely'
import type { TextArea } from '../../core/history/history-query.types.ts'
import type { Executor } from '../repositories/executor.ts'

/** The text of one archived engagement: per area, the normalised words of each field. */
export interface SearchDocument {
  /** The archive row id (`archived_engagements.id`). */
  id: number
  fields: Readonly<Record<TextArea, readonly (readonly string[])[]>>
}

/** Normalised keyword words (engagement-history.md §3) and the areas to search. */
export interface KeywordQuery {
  words: readonly string[]
  areas: readonly TextArea[]
}

/**
 * The full-text index of the archive, one implementation per database engine. Both guarantee:
 * a keyword matches a row when its words appear consecutively inside one field of one of the
 * requested areas (never across two fields or two areas), and no input can change the query's
 * structure (words are quoted for the engine, never concatenated raw).
 */
export interface SearchIndex {
  /** Indexes documents whose ids are not indexed yet (inside the caller's transaction). */
  add(db: Executor, documents: readonly SearchDocument[]): Promise<void>
  /** Removes the documents of these row ids. */
  remove(db: Executor, ids: readonly number[]): Promise<void>
  /**
   * A condition on `archived_engagements.id`: the row's text matches `keyword`. `idRange` (inclusive)
   * bounds the ids the engine looks at, which is how a time window reaches the text index.
   */
  matches(keyword: KeywordQuery, idRange?: { from: number; to: number }): RawBuilder<SqlBool>
  /** The engine query text for `keyword` (FTS5 MATCH string or tsquery literal); exposed for tests. */
  queryText(keyword: KeywordQuery): string
}
