import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { pipeline, type Duplex } from 'node:stream'
import parserStream from 'stream-json'
import pick from 'stream-json/filters/pick.js'
import streamArray from 'stream-json/streamers/stream-array.js'

/** One candidate record of an import file, or why it could not be read; `where` locates it for messages. */
export type FileItem = { where: string; value: unknown } | { where: string; error: string }

export interface HistoryFile {
  format: 'array' | 'page' | 'lines'
  totalBytes: number
  /** Bytes consumed so far (for progress). */
  bytesRead(): number
  items: AsyncIterable<FileItem>
}

const PAGE_KEY = 'interactionHistoryRecords'
const SNIFF_BYTES = 1 << 20

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Opens an Engagement History import file (engagement-history.md §9) and streams its records
 * without loading the file: a JSON array of records, a response page
 * (`{"_metadata": ..., "interactionHistoryRecords": [...]}`), or JSON Lines whose lines are
 * records or compact pages. A JSON Lines file is recognised by a first line that is a complete
 * JSON object; a bad line is reported and the next one read. Syntax errors inside an array or a
 * page end the stream with one error item (what was read before stays read).
 */
export async function openHistoryFile(path: string): Promise<HistoryFile> {
  const totalBytes = (await stat(path)).size
  const head = await readHead(path)
  const start = head.replace(/^\uFEFF/, '').trimStart()
  const firstLine = start.split('\n', 1)[0] ?? ''
  let format: HistoryFile['format']
  if (start.startsWith('[')) format = 'array'
  else if (start.startsWith('{') && parsesAsObject(firstLine)) format = 'lines'
  else format = 'page'
  const input = createReadStream(path)
  return {
    format,
    totalBytes,
    bytesRead: () => input.bytesRead,
    items: format === 'lines' ? readLines(input) : readDocument(input, format),
  }
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path)
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
}

function parsesAsObject(text: string): boolean {
  try {
    return isObject(JSON.parse(text))
  } catch {
    return false
  }
}

async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<FileItem> {
  let number = 0
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    number++
    if (line.trim() === '') continue
    const where = `line ${number}`
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      yield { where, error: `invalid JSON (${error instanceof Error ? error.message : String(error)})` }
      continue
    }
    if (isObject(value) && Array.isArray(value[PAGE_KEY])) {
      let index = 0
      for (const record of value[PAGE_KEY] as unknown[]) yield { where: `${where}, record ${index++}`, value: record }
    } else yield { where, value }
  }
}

async function* readDocument(input: NodeJS.ReadableStream, format: 'array' | 'page'): AsyncGenerator<FileItem> {
  const stages: Duplex[] =
    format === 'array'
      ? [streamArray.withParserAsStream()]
      : [parserStream(), pick.asStream({ filter: PAGE_KEY }), streamArray.asStream()]
  // pipeline destroys every stage with the first error, so iterating the last stage throws it.
  const records = pipeline([input, ...stages], () => undefined) as Duplex
  let last = -1
  try {
    for await (const item of records as AsyncIterable<{ key: number; value: unknown }>) {
      last = item.key
      yield { where: `record ${item.key}`, value: item.value }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    yield { where: `after record ${last}`, error: `the file is not valid JSON, import stopped: ${message}` }
    return
  }
  if (format === 'page' && last === -1)
    yield { where: 'file', error: `no records: expected a JSON array, JSON Lines or a page with "${PAGE_KEY}"` }
}
