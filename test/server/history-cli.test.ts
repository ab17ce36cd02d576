import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServices, type Services } from '../../src/compose.ts'
import { loadConfig, type DatabaseConfig } from '../../src/config/config.ts'
import { normalizeRecord } from '../../src/core/history/normalize-record.ts'
import type { EngagementRecord } from '../../src/core/history/record.types.ts'
import { createStorage, type Storage } from '../../src/storage/db.ts'
import { runCli, type CliResult } from '../support/cli.ts'
import { describeEachDialect, testDatabase } from '../support/dialects.ts'
import { createAccount } from '../support/factories.ts'
import { specExampleRecord } from '../support/history-fixtures.ts'

const databaseArg = (database: DatabaseConfig): string => (database.kind === 'sqlite' ? database.path : database.url)

/** A copy of the spec example with another engagement id and start time. */
function exampleRecord(n: number): EngagementRecord {
  const record = specExampleRecord()
  record.info.engagementId = `qa35931557${4294967296 + n}`
  record.info.startTimeL += n * 60_000
  record.info.startTime = `record ${n}`
  return record
}

/** The same record in LivePerson's methods-page SDE spelling (Decision D5). */
function legacySpelling(record: EngagementRecord): unknown {
  return {
    ...record,
    sdes: {
      events: [
        { viewProduct: { serverTimeStamp: '1434394466093', originalTimeStamp: '1435801272063', products: [] } },
        {
          formFillingError: {
            serverTimeStamp: '1435764972047',
            originalTimeStamp: '1435801272063',
            visitorError: { message: { string: 'Expiration date missing' }, code: { string: 'er100004' } },
          },
        },
      ],
    },
  }
}

interface ImportSummary {
  accountId: string
  imported: number
  inserted: number
  updated: number
  rejected: number
  interrupted: boolean
  reasons: Array<{ where: string; reason: string }>
  reasonCounts: Array<{ reason: string; count: number }>
}

interface GenerateSummary {
  generated: number
  inserted: number
  updated: number
  rejected: number
  firstRtSessionId: number
}

const parseLines = (stdout: string): EngagementRecord[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EngagementRecord)

describeEachDialect('parley history', (dialect) => {
  let database: DatabaseConfig
  let storage: Storage
  let services: Services
  const dir = mkdtempSync(join(tmpdir(), 'parley-history-cli-'))
  const cli = (...args: string[]): Promise<CliResult> => runCli([...args, '--database', databaseArg(database)])
  const file = (name: string, content: string): string => {
    const path = join(dir, name)
    writeFileSync(path, content)
    return path
  }
  const newAccount = async (): Promise<string> => (await createAccount(services)).accountId
  const importFile = async (path: string, accountId: string): Promise<ImportSummary> => {
    const result = await cli('history', 'import', path, '--account', accountId, '--json')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    return JSON.parse(result.stdout) as ImportSummary
  }
  /** The archive's records, read in this process (the CLI's export is tested on its own). */
  const archived = async (accountId: string): Promise<EngagementRecord[]> => {
    const records: EngagementRecord[] = []
    for await (const record of services.archive.exportRecords(accountId)) records.push(record)
    return records
  }
  const exportAll = async (accountId: string, ...range: string[]): Promise<EngagementRecord[]> => {
    const result = await cli('history', 'export', '--account', accountId, ...range)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    return parseLines(result.stdout)
  }

  beforeAll(async () => {
    database = testDatabase(dialect)
    const config = loadConfig({ PARLEY_LOG_LEVEL: 'silent' }, { database: databaseArg(database) })
    storage = createStorage(config.database, { poolSize: 2 })
    services = createServices({ storage, config })
  })
  afterAll(async () => {
    await services?.close?.()
    await storage?.close()
    rmSync(dir, { recursive: true, force: true })
    if (database?.kind === 'sqlite') rmSync(dirname(database.path), { recursive: true, force: true })
  })

  describe('import', () => {
    const records = [0, 1, 2].map(exampleRecord)
    const expected = [...records].sort((a, b) => a.info.startTimeL - b.info.startTimeL)

    it('reads a JSON array, normalising the legacy SDE spellings', async () => {
      const accountId = await newAccount()
      const input = [legacySpelling(records[0]!), records[1], records[2]]
      const summary = await importFile(file('array.json', JSON.stringify(input, null, 2)), accountId)
      expect(summary).toEqual({
        accountId,
        imported: 3,
        inserted: 3,
        updated: 0,
        rejected: 0,
        interrupted: false,
        reasons: [],
        reasonCounts: [],
      })
      const exported = await archived(accountId)
      expect(exported.map((r) => r.info.engagementId)).toEqual(expected.map((r) => r.info.engagementId))
      expect(exported.slice(1)).toEqual(expected.slice(1))
      expect(exported[0]!.sdes.events.map((e) => e.sdeType)).toEqual(['VIEWED_PRODUCT', 'VISITOR_ERROR'])
      expect(exported[0]!.sdes.events[1]).toMatchObject({
        visitorError: { visitorError: { message: 'Expiration date missing', code: 'er100004' } },
      })
    })

    it('reads JSON Lines', async () => {
      const accountId = await newAccount()
      const lines = records.map((r) => JSON.stringify(r)).join('\n')
      const summary = await importFile(file('records.jsonl', `${lines}\n`), accountId)
      expect(summary.inserted).toBe(3)
      expect(await archived(accountId)).toEqual(expected)
    })

    it('reads whole response pages, pretty-printed or one per line', async () => {
      const accountId = await newAccount()
      const page = (list: EngagementRecord[]) => ({
        _metadata: { count: list.length, self: { rel: 'self', href: 'https://x/y' } },
        interactionHistoryRecords: list,
      })
      const pretty = await importFile(file('page.json', JSON.stringify(page(records), null, 2)), accountId)
      expect(pretty.inserted).toBe(3)
      const more = [3, 4].map(exampleRecord)
      const compact = `${JSON.stringify(page(more.slice(0, 1)))}\n${JSON.stringify(page(more.slice(1)))}\n`
      const perLine = await importFile(file('pages.jsonl', compact), accountId)
      expect(perLine.inserted).toBe(2)
      expect(await archived(accountId)).toEqual([...expected, ...more])
    })

    it('is idempotent on engagementId: a second import updates and loses nothing', async () => {
      const accountId = await newAccount()
      const path = file('again.json', JSON.stringify(records))
      expect((await importFile(path, accountId)).inserted).toBe(3)
      const changed = exampleRecord(1)
      changed.info.visitorName = 'Changed'
      const second = await importFile(file('again2.json', JSON.stringify([records[0], changed])), accountId)
      expect(second).toMatchObject({ imported: 2, inserted: 0, updated: 2 })
      const exported = await archived(accountId)
      expect(exported).toHaveLength(3)
      expect(exported[1]!.info.visitorName).toBe('Changed')
      expect(exported[2]).toEqual(expected[2])
    })

    it('reports malformed records with the reason, imports the others and exits with 1', async () => {
      const accountId = await newAccount()
      const missingId = exampleRecord(7) as unknown as { info: Record<string, unknown> }
      delete missingId.info.engagementId
      const badTime = exampleRecord(8) as unknown as { info: Record<string, unknown> }
      badTime.info.startTimeL = 'yesterday'
      const content = [
        JSON.stringify(records[0]),
        '{"info": {"engagementId": ',
        JSON.stringify(missingId),
        JSON.stringify(badTime),
        JSON.stringify(records[1]),
      ].join('\n')
      const result = await cli('history', 'import', file('mixed.jsonl', content), '--account', accountId)
      // Rejected records make the exit code 1 (issue 12): a script notices them.
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`Imported 2 record(s) into account ${accountId}: 2 new, 0 updated, 3 rejected.`)
      expect(result.stdout).toContain('line 2: invalid JSON')
      expect(result.stdout).toContain('line 3: missing info.engagementId')
      expect(result.stdout).toContain('line 4: info.startTimeL must be a number')
      expect((await archived(accountId)).map((r) => r.info.engagementId)).toEqual(
        [records[0]!, records[1]!].map((r) => r.info.engagementId),
      )
    })

    it('stops at a syntax error inside an array with exit code 1, keeping what was read', async () => {
      const accountId = await newAccount()
      const broken = `[${JSON.stringify(records[0])}, ${JSON.stringify(records[1])}, {"info": `
      const result = await cli('history', 'import', file('broken.json', broken), '--account', accountId, '--json')
      expect(result.code).toBe(1)
      const summary = JSON.parse(result.stdout) as ImportSummary
      expect(summary).toMatchObject({ inserted: 2, rejected: 1 })
      expect(summary.reasons[0]!.reason).toContain('not valid JSON')
      expect(await archived(accountId)).toHaveLength(2)
    })

    it('refuses an unknown account and a missing --account', async () => {
      const path = file('one.json', JSON.stringify([records[0]]))
      const unknown = await cli('history', 'import', path, '--account', 'no_such_account')
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toContain('Account no_such_account not found')
      const noAccount = await cli('history', 'import', path)
      expect(noAccount.code).toBe(2)
      expect(noAccount.stderr).toContain('--account is required')
    })
  })

  describe('export and generate', () => {
    const window = ['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-08T00:00:00Z']
    let accountId: string
    let generated: EngagementRecord[]

    beforeAll(async () => {
      accountId = await newAccount()
      const result = await cli(
        'history',
        'generate',
        '--account',
        accountId,
        '--count',
        '150',
        '--seed',
        '5',
        ...window,
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(
        /^Generated 150 engagement\(s\) for account \w+ \(150 new, 0 updated\) in [\d.]+ s: \d+ records\/s\.\n$/,
      )
      generated = await archived(accountId)
    })

    it('generates records on the account catalog, created when absent', async () => {
      expect(generated).toHaveLength(150)
      const agents = (await services.accountConfig.users.list({ kind: 'system' }, { accountId })).value
      const agentIds = new Set(agents.map((user) => String(user.id)))
      for (const { info } of generated) {
        expect(info.accountId).toBe(accountId)
        expect(info.startTimeL).toBeGreaterThanOrEqual(Date.parse('2026-10-01T00:00:00Z'))
        expect(info.endTimeL).toBeLessThanOrEqual(Date.parse('2026-10-08T00:00:00Z'))
        if (info.agentId !== '-1') expect(agentIds).toContain(info.agentId)
      }
      const skills = (await services.accountConfig.skills.list({ kind: 'system' }, { accountId })).value
      expect(skills.length).toBeGreaterThan(0)
      for (const record of generated) expect(normalizeRecord(record)).toEqual({ ok: true, record })
    })

    it('is deterministic: the same seed and window generate the same records again, under new ids', async () => {
      const other = await newAccount()
      const once = await cli('history', 'generate', '--account', other, '--count', '40', '--seed', '5', ...window)
      expect(once.code).toBe(0)
      const first = await archived(other)
      const again = await cli(
        'history',
        'generate',
        '--account',
        other,
        '--count',
        '40',
        '--seed',
        '5',
        ...window,
        '--json',
      )
      expect(again.code).toBe(0)
      const summary = JSON.parse(again.stdout) as GenerateSummary
      expect(summary).toMatchObject({ generated: 40, inserted: 40, updated: 0, rejected: 0, seed: 5 })
      expect(summary.firstRtSessionId).toBe(2 ** 32 + 40)
      // Issue 11: a second run replaces none of the first; its records are the first's, renumbered.
      const all = await archived(other)
      expect(all).toHaveLength(80)
      const byId = new Map(all.map((record) => [record.info.engagementId, record]))
      for (const record of first) expect(byId.get(record.info.engagementId)).toEqual(record)
      for (const [index, record] of first.entries()) {
        const rt = Number(record.info.engagementId.slice(other.length)) + 40
        expect(byId.get(`${other}${rt}`), `record ${index}`).toEqual({
          ...record,
          info: { ...record.info, engagementId: `${other}${rt}` },
        })
      }
    })

    it('round-trips: importing an export into another account exports the same records', async () => {
      const exported = await cli('history', 'export', '--account', accountId)
      const path = file('export.jsonl', exported.stdout)
      const target = await newAccount()
      const summary = await importFile(path, target)
      expect(summary).toMatchObject({ inserted: 150, rejected: 0 })
      const reexported = await cli('history', 'export', '--account', target)
      expect(parseLines(reexported.stdout)).toEqual(generated)
      expect(reexported.stdout).toBe(exported.stdout)
    })

    it('exports only the start-time window given as ISO dates or epoch ms', async () => {
      const from = Date.parse('2026-10-03T00:00:00Z')
      const to = Date.parse('2026-10-05T00:00:00Z')
      const inside = generated.filter((r) => r.info.startTimeL >= from && r.info.startTimeL <= to)
      expect(inside.length).toBeGreaterThan(0)
      expect(await exportAll(accountId, '--from', '2026-10-03T00:00:00Z', '--to', String(to))).toEqual(inside)
    })

    it('reports bad options as usage errors', async () => {
      const cases: Array<[string[], string]> = [
        [['generate', '--account', accountId], '--count is required'],
        [['generate', '--account', accountId, '--count', '5', '--seed', 'x'], '--seed must be an integer'],
        [['export', '--account', accountId, '--from', 'not a date'], '--from must be a date'],
      ]
      for (const [args, message] of cases) {
        const result = await cli('history', ...args)
        expect(result.code).toBe(2)
        expect(result.stderr).toContain(message)
        expect(result.stdout).toBe('')
      }
    })
  })

  // Issue 11 item 1: live chats, `generate` and `import` share one allocator per account, and a
  // record never replaces one of another origin, whatever order they come in.
  describe('engagement ids never collide', { timeout: 240_000 }, () => {
    const visitor = { visitorIp: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' }
    const BASE = 2 ** 32
    /** Requests a chat with one pre-chat line; ends it (and so archives it) unless `keepOpen`. */
    const liveChat = async (accountId: string, text: string, keepOpen = false) => {
      const request = { skill: 'Nobody', preChatLines: { line: [`pre-chat: ${text}`] } }
      const chat = await services.chat.requestChat(accountId, { request }, visitor)
      if (!keepOpen) await services.chat.endByVisitor(accountId, chat.key)
      return { key: chat.key, rtSessionId: chat.rtSessionId, engagementId: `${accountId}${chat.rtSessionId}` }
    }
    const generate = async (accountId: string, count: number): Promise<GenerateSummary> => {
      const result = await cli('history', 'generate', '--account', accountId, '--count', String(count), '--json')
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      return JSON.parse(result.stdout) as GenerateSummary
    }
    const byId = async (accountId: string): Promise<Map<string, EngagementRecord>> =>
      new Map((await archived(accountId)).map((record) => [record.info.engagementId, record]))
    /** The pre-chat line of a live chat's record (the other lines are system lines). */
    const linesOf = (record: EngagementRecord | undefined): string[] =>
      (record?.transcript.lines ?? []).flatMap((line) => line.text?.match(/^pre-chat: (.*)$/)?.[1] ?? [])
    /** An export record of this account with this rtSessionId. */
    const exported = (accountId: string, rtSessionId: number, visitorName: string): EngagementRecord => {
      const record = exampleRecord(rtSessionId - BASE)
      record.info.accountId = accountId
      record.info.engagementId = `${accountId}${rtSessionId}`
      record.info.visitorName = visitorName
      return record
    }

    it('chat then generate: the chat keeps its record; generated records take the ids after it', async () => {
      const accountId = await newAccount()
      const chat = await liveChat(accountId, 'the real chat')
      expect(chat.rtSessionId).toBe(BASE)
      const summary = await generate(accountId, 50)
      expect(summary).toMatchObject({
        generated: 50,
        inserted: 50,
        updated: 0,
        rejected: 0,
        firstRtSessionId: BASE + 1,
      })
      const records = await byId(accountId)
      expect(records.size).toBe(51)
      expect(linesOf(records.get(chat.engagementId))).toEqual(['the real chat'])
    })

    it('generate then chat: the chat takes an id after the generated ones and replaces none', async () => {
      const accountId = await newAccount()
      await generate(accountId, 30)
      const before = await byId(accountId)
      const chat = await liveChat(accountId, 'after generate')
      expect(chat.rtSessionId).toBe(BASE + 30)
      const after = await byId(accountId)
      expect(after.size).toBe(31)
      for (const [id, record] of before) expect(after.get(id)).toEqual(record)
      expect(linesOf(after.get(chat.engagementId))).toEqual(['after generate'])
    })

    it('generate twice: the second run adds records and replaces none', async () => {
      const accountId = await newAccount()
      const first = await generate(accountId, 25)
      const second = await generate(accountId, 25)
      expect(second).toMatchObject({
        inserted: 25,
        updated: 0,
        rejected: 0,
        firstRtSessionId: first.firstRtSessionId + 25,
      })
      expect((await archived(accountId)).length).toBe(50)
    })

    it('import then chat: later chats never reuse an imported id', async () => {
      const accountId = await newAccount()
      const first = await liveChat(accountId, 'chat one')
      const imported = [exported(accountId, BASE + 1, 'Imported one'), exported(accountId, BASE + 2, 'Imported two')]
      const summary = await importFile(file(`import-${accountId}.json`, JSON.stringify(imported)), accountId)
      expect(summary).toMatchObject({ inserted: 2, rejected: 0 })
      const second = await liveChat(accountId, 'chat two')
      const third = await liveChat(accountId, 'chat three')
      expect([first.rtSessionId, second.rtSessionId, third.rtSessionId]).toEqual([BASE, BASE + 3, BASE + 4])
      const records = await byId(accountId)
      expect(records.size).toBe(5)
      expect(records.get(`${accountId}${BASE + 1}`)).toEqual(imported[0])
      expect(records.get(`${accountId}${BASE + 2}`)).toEqual(imported[1])
      expect(linesOf(records.get(third.engagementId))).toEqual(['chat three'])
      // An id far ahead moves the allocator past it too; generate follows.
      await importFile(
        file(`far-${accountId}.json`, JSON.stringify([exported(accountId, BASE + 1000, 'Far')])),
        accountId,
      )
      expect((await liveChat(accountId, 'chat four')).rtSessionId).toBe(BASE + 1001)
      expect((await generate(accountId, 3)).firstRtSessionId).toBe(BASE + 1002)
    })

    it('chat then import of an overlapping export: records of live chats are rejected with the reason', async () => {
      const accountId = await newAccount()
      const ended = await liveChat(accountId, 'ended chat')
      const open = await liveChat(accountId, 'open chat', true)
      const overlapping = [
        exported(accountId, ended.rtSessionId, 'Overwrites the ended chat'),
        exported(accountId, open.rtSessionId, 'Takes the open chat'),
        exported(accountId, BASE + 7, 'New'),
      ]
      const path = file(`overlap-${accountId}.jsonl`, overlapping.map((r) => JSON.stringify(r)).join('\n'))
      const result = await cli('history', 'import', path, '--account', accountId, '--json')
      expect(result.code).toBe(1)
      const summary = JSON.parse(result.stdout) as ImportSummary
      expect(summary).toMatchObject({ imported: 1, inserted: 1, updated: 0, rejected: 2 })
      expect(summary.reasons).toEqual([
        {
          where: `line 1 (${ended.engagementId})`,
          reason: 'engagementId is archived from a live chat; an imported record does not replace it',
        },
        {
          where: `line 2 (${open.engagementId})`,
          reason: 'engagementId belongs to a live chat; an imported record does not replace it',
        },
      ])
      expect(summary.reasonCounts).toEqual([
        { reason: 'engagementId is archived from a live chat; an imported record does not replace it', count: 1 },
        { reason: 'engagementId belongs to a live chat; an imported record does not replace it', count: 1 },
      ])
      const text = await cli('history', 'import', path, '--account', accountId)
      expect(text.code).toBe(1)
      expect(text.stdout).toContain(`Imported 1 record(s) into account ${accountId}: 0 new, 1 updated, 2 rejected.`)
      expect(text.stdout).toMatch(
        /Rejected, by reason:\n +1 {2}engagementId is archived from a live chat; an imported record does not replace it\n/,
      )
      // The open chat ends afterwards and is archived under its own id, as itself.
      await services.chat.endByVisitor(accountId, open.key)
      const records = await byId(accountId)
      expect(records.size).toBe(3)
      expect(linesOf(records.get(ended.engagementId))).toEqual(['ended chat'])
      expect(linesOf(records.get(open.engagementId))).toEqual(['open chat'])
      expect(records.get(`${accountId}${BASE + 7}`)?.info.visitorName).toBe('New')
    })

    it('an import updates only imported records: generated ones are rejected, never replaced', async () => {
      const accountId = await newAccount()
      await generate(accountId, 2)
      const imported = exported(accountId, BASE + 5, 'First import')
      await importFile(file(`own-${accountId}.json`, JSON.stringify([imported])), accountId)
      const again = exported(accountId, BASE + 5, 'Second import')
      const replacing = exported(accountId, BASE, 'Replaces a generated record')
      const path = file(`own2-${accountId}.json`, JSON.stringify([again, replacing]))
      const result = await cli('history', 'import', path, '--account', accountId, '--json')
      expect(result.code).toBe(1)
      expect(JSON.parse(result.stdout)).toMatchObject({
        inserted: 0,
        updated: 1,
        rejected: 1,
        reasons: [
          { reason: 'engagementId is archived from a generated record; an imported record does not replace it' },
        ],
      })
      const records = await byId(accountId)
      expect(records.get(`${accountId}${BASE + 5}`)).toEqual(again)
      expect(records.get(`${accountId}${BASE}`)?.info.visitorName).not.toBe('Replaces a generated record')
    })
  })
})

describe('parley history --help', () => {
  it('documents each of the three commands with examples', async () => {
    for (const [command, usage] of [
      ['import', 'Usage: parley history import FILE --account ID'],
      ['export', 'Usage: parley history export --account ID'],
      ['generate', 'Usage: parley history generate --account ID --count N'],
    ] as const) {
      const result = await runCli(['history', command, '--help'])
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(usage)
      expect(result.stdout).toContain('Examples:')
    }
    const main = await runCli(['--help'])
    expect(main.stdout).toContain('  history import ')
  })
})
