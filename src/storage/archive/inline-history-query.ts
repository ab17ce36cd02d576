import type { Kysely } from 'kysely'
import type { HistoryQuery } from '../../core/history/history-query.types.ts'
import type { DialectName } from '../dialect/dialect.ts'
import { archiveRepository } from '../repositories/archive.repository.ts'
import type { Database } from '../schema.ts'
import { searchIndexFor } from './archive-store.ts'

/** Runs archive searches on this thread's connection; returns stored records as JSON text. */
export function createArchiveSearcher(db: Kysely<Database>, dialect: DialectName) {
  const search = searchIndexFor(dialect)
  return (...args: Parameters<HistoryQuery['search']>): Promise<{ count: number; documents: string[] }> =>
    archiveRepository.search(db, search, ...args)
}

/** The storage-backed HistoryQuery on the calling thread (in-memory SQLite, where workers cannot share the database). */
export function createInlineHistoryQuery(db: Kysely<Database>, dialect: DialectName): HistoryQuery {
  const searcher = createArchiveSearcher(db, dialect)
  return { search: (filter, sort, offset, limit) => searcher(filter, sort, offset, limit) }
}
