import { Kysely, SqliteDialect } from 'kysely'
import { parentPort, workerData } from 'node:worker_threads'
import type { DatabaseConfig } from '../../config/config.ts'
import { createStorage } from '../db.ts'
import { openNodeSqlite } from '../dialect/node-sqlite-database.ts'
import type { Database } from '../schema.ts'
import type { WorkerReply, WorkerRequest } from './history-worker-pool.ts'
import { createArchiveSearcher } from './inline-history-query.ts'

// One history worker: its own read connection (a read-only SQLite handle on the WAL file, or a
// small PostgreSQL pool), one search at a time, results posted back as stored JSON text.

const { database } = workerData as { database: DatabaseConfig }
const port = parentPort
if (!port) throw new Error('history.worker.ts must run in a worker thread')

function openReadDatabase(config: DatabaseConfig): Kysely<Database> {
  if (config.kind === 'sqlite') {
    const sqlite = openNodeSqlite(config.path, { readOnly: true })
    sqlite.raw.exec('PRAGMA busy_timeout = 5000')
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  }
  return createStorage(config, { poolSize: 2 }).db
}

const db = openReadDatabase(database)
const search = createArchiveSearcher(db, database.kind)

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'close') {
    void db.destroy().finally(() => port.close())
    return
  }
  search(message.filter, message.sort, message.offset, message.limit).then(
    (result) => port.postMessage({ id: message.id, ok: true, ...result } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies WorkerReply),
  )
})
