import type { ArchiveStore } from '../../core/history/archive.types.ts'
import type { Storage } from '../db.ts'
import type { DialectName } from '../dialect/dialect.ts'
import { archiveRepository } from '../repositories/archive.repository.ts'
import { rtSessionIdsRepository } from '../repositories/rt-session-ids.repository.ts'
import { postgresTsvectorIndex } from '../search/postgres-tsvector.ts'
import type { SearchIndex } from '../search/search-index.ts'
import { sqliteFts5Index } from '../search/sqlite-fts5.ts'

/** The full-text index implementation of a dialect. */
export const searchIndexFor = (dialect: DialectName): SearchIndex =>
  dialect === 'sqlite' ? sqliteFts5Index : postgresTsvectorIndex

/** The archive on the application's database: each upsert is one transaction. */
export function createArchiveStore(storage: Storage): ArchiveStore {
  const search = searchIndexFor(storage.ops.name)
  return {
    upsert: (accountId, entries, origin) =>
      storage.db
        .transaction()
        .execute((tx) => archiveRepository.upsert(tx, storage.ops.name, search, accountId, entries, origin)),
    allocateRtSessionIds: (accountId, count) =>
      storage.db.transaction().execute((tx) => rtSessionIdsRepository.allocate(tx, accountId, count)),
    exportPage: (accountId, range, cursor, pageSize) =>
      archiveRepository.exportPage(storage.db, accountId, range, cursor, pageSize),
  }
}
