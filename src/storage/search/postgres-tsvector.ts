import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { TextArea } from '../../core/history/history-query.types.ts'
import { insertRows } from '../repositories/bulk-insert.ts'
import type { KeywordQuery, SearchDocument, SearchIndex } from './search-index.ts'

/** Lexeme tag of each area (stored in the index: never renumber). */
const AREA_TAGS: Readonly<Record<TextArea, number>> = {
  chatLine: 0,
  surveyAnswer: 1,
  surveyQuestion: 2,
  visitorInfo: 3,
  'ea.purchase': 4,
  'ea.viewedProduct': 5,
  'ea.cartStatus': 6,
  'ea.serviceActivity': 7,
  'ea.visitorError': 8,
  'ea.lead': 9,
  'ea.customerInfo': 10,
  'ea.marketingCampaignInfo': 11,
  'ea.personalInfo': 12,
}
const AREAS = Object.keys(AREA_TAGS) as TextArea[]

// PostgreSQL refuses lexemes of 2 KiB or more; longer words are indexed and searched by digest,
// identically on both sides, so they still match exactly.
const LONG_WORD = 256

/** The lexeme of `word` in `area`: "<area index>.<word>", so area restriction is a lexeme choice. */
function lexeme(area: TextArea, word: string): string {
  const tag = AREA_TAGS[area]
  return Buffer.byteLength(word) >= LONG_WORD
    ? `${tag}#${createHash('sha256').update(word).digest('hex')}`
    : `${tag}.${word}`
}

// tsvector/tsquery literal quoting: single quotes doubled, backslashes escaped.
const quote = (text: string): string => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`

// Positions above 16383 are clamped by PostgreSQL; a phrase beyond that point in one record
// (more than ~16k words) may then be missed (docs/engagement-history.md).
const MAX_POSITION = 16383

/**
 * The tsvector literal of a document: every word at its own position, one unused position
 * between two fields, so `<->` (adjacent positions) never joins words of different fields.
 */
export function tsvectorLiteral(fields: SearchDocument['fields']): string {
  const positions = new Map<string, number[]>()
  let position = 1
  for (const area of AREAS) {
    for (const words of fields[area]) {
      for (const word of words) {
        const key = lexeme(area, word)
        const list = positions.get(key)
        const at = Math.min(position, MAX_POSITION)
        if (list) list.push(at)
        else positions.set(key, [at])
        position++
      }
      position++
    }
  }
  return [...positions].map(([key, list]) => `${quote(key)}:${list.join(',')}`).join(' ')
}

const DELETE_CHUNK = 500

/** PostgreSQL tsvector with a GIN index in `archived_engagements_fts`, one row per archive row. */
export const postgresTsvectorIndex: SearchIndex = {
  async add(db, documents) {
    // The literal is cast by the target column's type (tsvector input: no parsing or normalising).
    await insertRows(
      db,
      'postgres',
      'archived_engagements_fts',
      ['id', 'words'],
      documents.map((doc) => [doc.id, tsvectorLiteral(doc.fields)]),
    )
  },

  async remove(db, ids) {
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      await sql`delete from archived_engagements_fts where id in (${sql.join(ids.slice(i, i + DELETE_CHUNK))})`.execute(
        db,
      )
    }
  },

  matches(keyword, idRange) {
    const query = this.queryText(keyword)
    // Without a window (visitor/engagementId lookups) the candidates are few: probe each row.
    if (!idRange)
      return sql<boolean>`exists (select 1 from archived_engagements_fts f where f.id = archived_engagements.id and f.words @@ ${query}::tsquery)`
    return sql<boolean>`archived_engagements.id in (select id from archived_engagements_fts where words @@ ${query}::tsquery and id between ${idRange.from} and ${idRange.to})`
  },

  queryText(keyword: KeywordQuery) {
    return keyword.areas
      .map((area) => `(${keyword.words.map((word) => quote(lexeme(area, word))).join(' <-> ')})`)
      .join(' | ')
  },
}
