import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { EngagementRecord, SdeEvent } from '../../src/core/history/record.types.ts'
import { buildRecord } from '../support/archive-records.ts'
import { checkAccessibility, describeConsole } from '../support/console-browser.ts'

/**
 * The history explorer (issue 13, item 4) in headless Chromium on both databases: an agent
 * manager filters archived engagements by skill, MCS range and keyword, the count equals the API's
 * for the same body, the search lives in the URL (a fresh page restores it after sign-in, back and
 * forward walk it), an API validation error shows next to the field it names, the record view
 * draws the per-line MCS and lists the surveys, and both downloads hold the API's count of rows.
 */
describeConsole('Parley Console history explorer', (harness) => {
  const { newPage, shot, http, problems } = harness
  const manager = { login: 'mia', password: 'mia-pass-123' }
  let sales = 0
  const FILLERS = 120

  beforeAll(async () => {
    const { accountId } = harness.account
    const scope = { accountId }
    const config = harness.server.services.accountConfig
    sales = (await config.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    const support = (await config.skills.create(SYSTEM_CALLER, scope, { name: 'Support' })).value.id
    const team = (await config.agentGroups.create(SYSTEM_CALLER, scope, { name: 'Team' })).value.id
    const others = (await config.agentGroups.create(SYSTEM_CALLER, scope, { name: 'Others' })).value.id
    const pia = await config.users.create(SYSTEM_CALLER, scope, {
      loginName: 'pia',
      password: 'pia-pass-123',
      nickname: 'Pia',
      email: 'pia@example.com',
      skillIds: [sales, support],
      memberOf: { agentGroupId: team },
    })
    await config.users.create(SYSTEM_CALLER, scope, {
      loginName: manager.login,
      password: manager.password,
      nickname: 'Mia',
      email: 'mia@example.com',
      permissionGroups: ['2'],
      managerOf: [{ agentGroupId: team }],
    })

    // Engagements of the last hour: the manager's team (and one of another group, never shown).
    const now = Date.now()
    const agent = { agentId: String(pia.value.id), agentNickName: 'Pia', agentGroupId: team, agentGroupName: 'Team' }
    const salesInfo = { skillId: sales, skillName: 'Sales' }
    const record = (rt: number, info: Partial<EngagementRecord['info']>, words: string) =>
      buildRecord(accountId, {
        rt,
        start: now - 30 * 60_000 - rt * 1000,
        info: { ...agent, ...salesInfo, ...info },
        lines: [{ source: 'agent', by: 'Pia', text: 'Hello, how can I help?', agentId: pia.value.id }, words],
      })
    const purchase: SdeEvent = {
      purchase: { total: '11.7', orderId: 'DRV1534XC' },
      serverTimeStamp: String(now - 40 * 60_000),
      originalTimeStamp: String(now - 40 * 60_000),
      sdeType: 'PURCHASE',
      isAuthenticated: false,
    }
    const first = buildRecord(accountId, {
      rt: 1,
      start: now - 30 * 60_000,
      info: { ...agent, ...salesInfo, chatMCS: 60, alertedMCS: 1, mcs: 1, isPreChatSurvey: true },
      lines: [
        { source: 'system', by: 'info', text: 'Thank you for choosing to chat with us.', controlType: 4 },
        'My new phone will not start',
        { source: 'agent', by: 'Pia', text: 'Let us fix that.', agentId: pia.value.id },
        'I love your service, it works now',
      ],
      surveys: {
        preChat: [{ displayName: 'Order number?', value: 'A-1001', values: ['A-1001'], source: 'PreChat' }],
        postChat: [{ displayName: 'How was the chat?', value: 'Great', values: ['Great'] }],
        operator: [{ displayName: 'Issue solved?', value: 'Yes', values: ['Yes'], source: 'Agent' }],
      },
      coBrowse: [{ duration: 95_000, interactive: true }],
      sdes: [purchase],
    })
    first.lineScores = [
      { lineSeq: '1', lineRawScore: 0, mcs: 0 },
      { lineSeq: '2', lineRawScore: 0, mcs: 0 },
      { lineSeq: '3', lineRawScore: 0, mcs: 0 },
      { lineSeq: '4', lineRawScore: 60, mcs: 60 },
    ]
    const records = [
      first,
      record(2, { chatMCS: 50, visitorName: 'Ada' }, 'The phone case is lovely'),
      record(3, { chatMCS: -40, alertedMCS: -1, mcs: -1 }, 'This phone is awful'),
      record(4, { chatMCS: 70, skillId: support, skillName: 'Support' }, 'Phone support please'),
      record(5, { chatMCS: 60, agentGroupId: others, agentGroupName: 'Others' }, 'Another phone question'),
      record(6, { chatMCS: 80 }, 'Thanks a lot'),
      ...Array.from({ length: FILLERS }, (_, index) =>
        record(100 + index, { chatMCS: 0, skillId: support, skillName: 'Support' }, `Filler question ${index}`),
      ),
    ]
    const result = await harness.server.services.archive.archiveRecords(accountId, records, 'imported')
    expect(result.rejected).toEqual([])
  })

  const search = (page: Page) => page.getByRole('search', { name: 'History filters' })
  const status = (page: Page) => page.locator('.results-bar [role=status]').first()
  const signInToHistory = async (page: Page) => {
    // A wait that fails names its locator well inside the test's own timeout.
    page.setDefaultTimeout(10_000)
    await harness.signIn(page, manager)
    const nav = page.getByRole('navigation', { name: 'Pages' })
    await nav.getByRole('link', { name: 'History' }).waitFor()
  }
  const countFor = async (body: object) => {
    const login = await http(
      'POST',
      `/api/account/${harness.account.accountId}/login?v=1.3`,
      {},
      { username: manager.login, password: manager.password },
    )
    const answer = await http(
      'POST',
      `/interaction_history/api/account/${harness.account.accountId}/interactions/search?limit=1`,
      { authorization: `Bearer ${login.json!.bearer}` },
      body,
    )
    expect(answer.status).toBe(200)
    return answer.json!._metadata.count as number
  }
  const downloadRows = async (page: Page, button: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ])
    return readFileSync(await download.path(), 'utf8')
      .split(/\r?\n/)
      .filter(Boolean)
  }

  it('a manager filters by skill, MCS and keyword; the URL, the record view and both downloads follow the API', async () => {
    const page = await newPage()
    await signInToHistory(page)
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'History' }).click()
    // Everything the manager may see in the last 24 hours: the API's count, exactly.
    const window = { start: { from: Date.now() - 24 * 3600_000, to: Date.now() } }
    const all = await countFor(window)
    expect(all).toBe(5 + FILLERS)
    await status(page).getByText(`${all} engagements`).waitFor()

    // By keyboard: skills come from the manager's groups (the configuration API is for admins only).
    const form = search(page)
    await form.getByLabel('Keyword', { exact: true }).fill('phone')
    await form.getByText('More filters').press('Enter')
    await form.getByRole('group', { name: 'Skills' }).getByLabel('Sales').press('Space')
    await form.getByLabel('MCS from').fill('30')
    await form.getByLabel('MCS from').press('Tab')
    await page.keyboard.type('100')
    expect(await form.getByLabel('MCS to').inputValue()).toBe('100')
    await checkAccessibility(page, 'history filters')
    await shot(page, 'history-filters')
    await form.getByLabel('MCS to').press('Enter')
    const expected = await countFor({ ...window, skillIds: [sales], chatMCS: { from: 30, to: 100 }, keyword: 'phone' })
    expect(expected).toBe(2)
    await status(page).getByText('2 engagements', { exact: true }).waitFor()
    const url = new URL(page.url())
    expect(url.pathname).toBe('/console/history')
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      keyword: 'phone',
      skill: String(sales),
      mcsFrom: '30',
    })
    // The filters fold away after a search; their summary names what is set.
    await form.getByText('More filters: skills, MCS').waitFor()

    // The record: transcript (the default visitor name is shown as "Visitor"), MCS chart, surveys.
    await page
      .getByRole('row', { name: /Visitor Pia Sales/ })
      .getByRole('button')
      .first()
      .click()
    const record = page.getByRole('region', { name: /Engagement / })
    const chart = record.getByRole('img', { name: /MCS per visitor line, 2 lines: from 0 to 60/ })
    await chart.waitFor()
    await record.getByText('MCS values per visitor line').click()
    await record
      .getByRole('table', { name: 'MCS per visitor line' })
      .getByRole('row')
      .nth(2)
      .getByText('60')
      .first()
      .waitFor()
    await record.getByText('A-1001').waitFor()
    await record.getByText('Great', { exact: true }).waitFor()
    await record.getByText('purchase.orderId').waitFor()
    expect(await record.locator('.line.visitor .line-author').allTextContents()).toEqual(['Visitor', 'Visitor'])
    expect(await record.getByText('You', { exact: true }).count()).toBe(0)
    expect(new URL(page.url()).searchParams.get('open')).toBe(`${harness.account.accountId}1`)
    await checkAccessibility(page, 'history record')
    await shot(page, 'history-record')
    await record.getByRole('heading', { name: 'Surveys' }).scrollIntoViewIfNeeded()
    await shot(page, 'history-record-surveys')

    // Downloads: the filtered result as CSV, everything as JSON Lines (two API pages of 100).
    const csv = await downloadRows(page, 'Download CSV')
    expect(csv[0]).toMatch(/^engagementId,/)
    expect(csv).toHaveLength(1 + expected)

    // A shared link: a fresh browser signs in and gets the same search and record.
    const shared = page.url()
    const fresh = await newPage()
    fresh.setDefaultTimeout(10_000)
    await fresh.goto(shared)
    // The link leads to the sign-in page, which returns to it.
    await fresh.getByLabel('Account').fill(harness.account.accountId)
    await fresh.getByLabel('Login name').fill(manager.login)
    await fresh.getByLabel('Password').fill(manager.password)
    await fresh.getByRole('button', { name: 'Sign in' }).click()
    await status(fresh).getByText('2 engagements', { exact: true }).waitFor()
    await expect.poll(() => search(fresh).getByLabel('Keyword', { exact: true }).inputValue()).toBe('phone')
    await search(fresh).getByText('More filters: skills, MCS').click()
    expect(await search(fresh).getByRole('group', { name: 'Skills' }).getByLabel('Sales').isChecked()).toBe(true)
    expect(await search(fresh).getByLabel('MCS to').inputValue()).toBe('100')
    await fresh
      .getByRole('region', { name: /Engagement / })
      .getByRole('img', { name: /MCS per visitor line/ })
      .waitFor()

    // An invalid range: the API's message next to the MCS field, focused; back restores the search.
    await form.getByText('More filters').click()
    await form.getByLabel('MCS from').fill('90')
    await form.getByLabel('MCS to').fill('10')
    await form.getByRole('button', { name: 'Search', exact: true }).click()
    const error = page.locator('#history-mcs-from-error')
    await error.getByText('chatMCS: from must not be greater than to').waitFor()
    expect(await page.getByRole('region', { name: /Engagement / }).count()).toBe(0)
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe('history-mcs-from')
    expect(await form.getByLabel('MCS from').getAttribute('aria-describedby')).toBe('history-mcs-from-error')
    await checkAccessibility(page, 'history with a field error')
    await shot(page, 'history-error')
    await page.goBack()
    await status(page).getByText('2 engagements', { exact: true }).waitFor()
    expect(await form.getByLabel('MCS from').inputValue()).toBe('30')
    await page.goForward()
    await error.waitFor()

    // Reset: everything of the window again, downloaded as JSON Lines across two pages.
    await form.getByRole('button', { name: 'Reset' }).click()
    await status(page).getByText(`${all} engagements`).waitFor()
    const jsonl = await downloadRows(page, 'Download JSON Lines')
    expect(jsonl).toHaveLength(all)
    const ids = new Set(jsonl.map((line) => (JSON.parse(line) as EngagementRecord).info.engagementId))
    expect(ids.size).toBe(all)
    expect(ids.has(`${harness.account.accountId}5`)).toBe(false)
    expect(problems).toEqual([])
  })
})
