import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { loadConfig, type Config } from '../../src/config/config.ts'
import { startServer, type RunningServer } from '../../src/server.ts'
import type { DialectName } from '../../src/storage/dialect/dialect.ts'
import { describeEachDialect, privateTestDatabase } from './dialects.ts'
import { createAccount, type TestAccount } from './factories.ts'

/**
 * The shared harness of the Parley Console browser tests (test/browser/console-*.test.ts): a real
 * server on a private database per dialect, the console built once by the global setup
 * (test/support/global-setup.ts) into the dist/console the server serves, headless Chromium
 * through playwright-core, axe-core, and screenshots at 1280×720 in test-results/screenshots.
 */

export const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const VIEWPORT = { width: 1280, height: 720 }
export const SCREENSHOTS = join(import.meta.dirname, '../../test-results/screenshots')
const AXE_SOURCE = readFileSync(join(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8')

export type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export const chromiumInstalled = existsSync(CHROMIUM)
if (!chromiumInstalled && process.env.CI) throw new Error(`CI is set but ${CHROMIUM} is missing (.ci/run installs it)`)

/** What one `describeConsole` block gets: its server, account and browser helpers. */
export interface ConsoleHarness {
  readonly dialect: DialectName
  readonly server: RunningServer
  readonly config: Config
  /** The server's base URL, e.g. http://127.0.0.1:40123 */
  readonly parley: string
  readonly account: TestAccount
  /** Page errors and CSP refusals seen by any page of this block; a test ends with `expect(problems).toEqual([])`. */
  readonly problems: string[]
  /** A page in a fresh browser context (its own cookies and sessionStorage) at 1280×720. */
  newPage: (viewport?: { width: number; height: number }) => Promise<Page>
  /** A screenshot of the viewport as test-results/screenshots/<dialect>-<name>.png. */
  shot: (page: Page, name: string) => Promise<Buffer>
  /** A JSON call to the server: status, Location and parsed body. */
  http: (
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => Promise<{ status: number; location: string; json: Json | undefined }>
  /** The visitor's `Authorization` header (the account's app key). */
  visitorHeaders: () => Record<string, string>
  /** Signs in through the console's sign-in page and waits for the first page after it. */
  signIn: (page: Page, who: { login: string; password: string }) => Promise<void>
  /** Stops the server (a restart test); `startServerAgain` starts it on the same port and database. */
  stopServer: () => Promise<void>
  startServerAgain: () => Promise<void>
}

/**
 * One describe block per dialect with a started server and a fresh account; `setup` runs once per
 * dialect after the server starts (create users, skills, surveys through `server.services`).
 * Skipped with a reason when Chromium is missing (never in CI).
 */
export function describeConsole(
  title: string,
  body: (harness: ConsoleHarness) => void,
  options: { env?: Record<string, string> } = {},
): void {
  if (!chromiumInstalled) {
    describe.skip(`${title} (needs ${CHROMIUM}: apt-get install chromium)`, () => {})
    return
  }
  describeEachDialect(title, (dialect) => {
    let browser: Browser
    const contexts: BrowserContext[] = []
    const state = {} as { server: RunningServer; config: Config; account: TestAccount }
    let dropDatabase = async (): Promise<void> => {}
    const problems: string[] = []

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true })
      // A real server sweeps and archives every account of its database (without geo-IP, on the
      // real clock): it gets a database of its own, so it never touches another test file's chats.
      const { database, drop } = await privateTestDatabase(dialect)
      dropDatabase = drop
      state.config = loadConfig(
        { PARLEY_LOG_LEVEL: 'silent', PARLEY_HISTORY_WORKERS: '0', PARLEY_GEOIP_CITY_DB: 'none', ...options.env },
        { database: database.kind === 'sqlite' ? database.path : database.url, port: '0', host: '127.0.0.1' },
      )
      state.server = await startServer(state.config)
      state.account = await createAccount(state.server.services)
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    }, 120_000)
    afterAll(async () => {
      for (const context of contexts) await context.close()
      await browser?.close()
      await state.server?.close()
      await dropDatabase()
    })

    const http: ConsoleHarness['http'] = async (method, url, headers, requestBody) => {
      const response = await fetch(url.startsWith('http') ? url : `${state.server.httpUrl}${url}`, {
        method,
        headers: {
          accept: 'application/json',
          ...headers,
          ...(requestBody === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(requestBody === undefined ? {} : { body: JSON.stringify(requestBody) }),
      })
      const text = await response.text()
      return {
        status: response.status,
        location: response.headers.get('location') ?? '',
        json: text ? (JSON.parse(text) as Json) : undefined,
      }
    }

    const harness: ConsoleHarness = {
      dialect,
      get server() {
        return state.server
      },
      get config() {
        return state.config
      },
      get parley() {
        return state.server.httpUrl
      },
      get account() {
        return state.account
      },
      problems,
      async newPage(viewport = VIEWPORT) {
        const context = await browser.newContext({ viewport })
        contexts.push(context)
        const page = await context.newPage()
        page.on('console', (message) => {
          if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text()))
            problems.push(message.text())
        })
        page.on('pageerror', (error) => problems.push(error.message))
        return page
      },
      shot: (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${dialect}-${name}.png`), fullPage: false }),
      http,
      visitorHeaders: () => ({ authorization: `LivePerson appKey=${state.account.appKey}` }),
      async signIn(page, who) {
        await page.goto(`${state.server.httpUrl}/console/`)
        await page.getByLabel('Account').fill(state.account.accountId)
        await page.getByLabel('Login name').fill(who.login)
        await page.getByLabel('Password').fill(who.password)
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.getByLabel('Password').waitFor({ state: 'detached', timeout: 15_000 })
      },
      async stopServer() {
        await state.server.close()
      },
      async startServerAgain() {
        state.server = await startServer({ ...state.config, port: Number(new URL(state.server.httpUrl).port) })
      },
    }
    body(harness)
  })
}

/** No serious or critical axe-core violation on the page as it is now. */
export async function checkAccessibility(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE)
  interface Violation {
    id: string
    impact: string | null
    nodes: Array<{ target: string[] }>
  }
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<unknown> } }).axe
    const result = (await axe.run((globalThis as unknown as { document: unknown }).document, {
      resultTypes: ['violations'],
    })) as { violations: Violation[] }
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }))
  })
  const blocking = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
  expect(blocking, `${what}: ${JSON.stringify(blocking)}`).toEqual([])
}
