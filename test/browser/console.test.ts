import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import type { RunningServer } from '../../src/server.ts'
import { checkAccessibility, describeConsole, type Json } from '../support/console-browser.ts'
import type { TestAccount } from '../support/factories.ts'
import { pollUntil } from '../support/poll-until.ts'

/**
 * The Parley Console end to end (issue 13): a real server on each database, the built console in
 * headless Chromium, visitors on the Server Chat API over HTTP. Screenshots of every page at
 * 1280×720 go to test-results/screenshots (docs/console.md uses the best of them).
 */

/**
 * The Parley Console end to end (issue 13): a real server on each database, the built console in
 * headless Chromium, visitors on the Server Chat API over HTTP. Screenshots of every page at
 * 1280×720 go to test-results/screenshots (docs/console.md uses the best of them).
 */
describeConsole('Parley Console in headless Chromium', (harness) => {
  const { newPage, shot, http, visitorHeaders, problems } = harness
  let server: RunningServer
  let parley: string
  let account: TestAccount
  const agents = {
    nat: { login: 'nat', password: 'nat-pass-123', id: 0 },
    omar: { login: 'omar', password: 'omar-pass-123', id: 0 },
  }
  let surveyId = 0

  beforeAll(async () => {
    server = harness.server
    parley = harness.parley
    account = harness.account
    const scope = { accountId: account.accountId }
    const configApi = server.services.accountConfig
    const sales = (await configApi.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    for (const [key, nickname] of [
      ['nat', 'Natalie'],
      ['omar', 'Omar'],
    ] as const) {
      const user = await configApi.users.create(SYSTEM_CALLER, scope, {
        loginName: agents[key].login,
        password: agents[key].password,
        nickname,
        fullName: `${nickname} Agent`,
        email: `${key}@example.com`,
        maxChats: 3,
        skillIds: [sales],
      })
      agents[key].id = user.value.id
    }
    surveyId = (
      await configApi.surveys.create(SYSTEM_CALLER, scope, {
        name: 'Pre-chat',
        type: 'preChat',
        isDefault: true,
        questions: [
          { type: 'Text Field', label: 'What is your name?' },
          { type: 'Text Field', label: 'Order number?' },
        ],
      })
    ).value.id
  })

  const signIn = async (page: Page, who: { login: string; password: string }) => {
    await harness.signIn(page, who)
    await page
      .getByText('No chat waiting')
      .or(page.getByText(/chats? waiting/))
      .first()
      .waitFor()
  }

  it('serves the console with its security headers and client-route fallback', async () => {
    const index = await fetch(`${parley}/console/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('cache-control')).toBe('no-cache')
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'")
    const html = await index.text()
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/)
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1]
    expect(asset).toBeDefined()
    const script = await fetch(`${parley}${asset}`)
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await fetch(`${parley}/console/sign-in`)).headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('an agent signs in, accepts a visitor chat by keyboard, chats both ways with typing, transfers; the second agent ends it', async () => {
    // Engagement attributes reported before the chat, for the visitor's monitoring ids.
    const natLogin = await http(
      'POST',
      `/api/account/${account.accountId}/login?v=1.3`,
      {},
      {
        username: agents.nat.login,
        password: agents.nat.password,
      },
    )
    const reported = await http(
      'PUT',
      `/api/account/${account.accountId}/monitoring/visitors/vis-1/visits/current/events?v=1&sid=sess-1`,
      { authorization: `Bearer ${natLogin.json!.bearer}` },
      [{ type: 'lead', lead: { topic: 'inquiry about upgrade', value: 200, leadId: 'xyz123' } }],
    )
    expect(reported.status).toBe(200)

    const nat = await newPage()
    await nat.goto(`${parley}/console/`)
    await nat.getByLabel('Account').waitFor()
    await checkAccessibility(nat, 'sign-in')
    await shot(nat, '01-sign-in')
    await signIn(nat, agents.nat)
    const natNav = nat.getByRole('navigation', { name: 'Pages' })
    await expect.poll(() => natNav.getByRole('link').allTextContents()).toEqual(['Workspace'])
    await checkAccessibility(nat, 'empty workspace')
    await shot(nat, '02-workspace-empty')

    // A visitor asks for a chat with pre-chat answers, custom variables and a referrer.
    const requested = await http(
      'POST',
      `/api/account/${account.accountId}/chat/request.json?v=1&NC=true`,
      {
        ...visitorHeaders(),
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      },
      {
        request: {
          skill: 'Sales',
          LETagVisitorId: 'vis-1',
          LETagSessionId: 'sess-1',
          chatReferrer: 'https://search.example/?q=parley',
          customVariables: { customVariable: [{ name: 'orderId', value: 'A-17' }] },
          survey: {
            id: surveyId,
            question: [
              { id: 1, answer: 'Ada' },
              { id: 2, answer: '1234' },
            ],
          },
        },
      },
    )
    expect(requested.status).toBe(201)
    const chatUrl = requested.location

    // Ringing, then accepted with the keyboard only (Alt+A); the composer gets the focus.
    await nat.getByText('1 chat waiting').waitFor()
    await expect.poll(() => nat.title()).toMatch(/^\(1\) /)
    await shot(nat, '03-workspace-ringing')
    await nat.keyboard.press('Alt+A')
    const composer = nat.getByLabel('Message to visitor')
    await composer.waitFor()
    await expect.poll(() => composer.evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true)

    // Visitor → agent: the line (HTML as text, never markup) and the typing indicator.
    await http('POST', `${chatUrl}/events.json?v=1`, visitorHeaders(), {
      event: { '@type': 'line', text: 'Hello <b>there</b>, I love your shop <img src=x onerror=alert(1)>' },
    })
    const natLog = nat.getByRole('log')
    await natLog.getByText('Hello <b>there</b>, I love your shop', { exact: false }).waitFor()
    expect(await nat.locator('.transcript b, .transcript img').count()).toBe(0)
    await http('PUT', `${chatUrl}/info/visitorTyping.json?v=1`, visitorHeaders(), { visitorTyping: 'typing' })
    await nat.getByText('visitor is typing…').waitFor({ timeout: 10_000 })

    // Side panel: pre-chat answers, engagement attributes, custom variables, referrer, browser, MCS.
    const panel = nat.getByRole('complementary', { name: 'Visitor details' })
    await panel.getByText('Ada').waitFor()
    await panel.getByText('inquiry about upgrade').waitFor()
    await panel.getByText('A-17').waitFor()
    await panel.getByText('https://search.example/?q=parley').waitFor()
    await panel.getByText('Chrome').first().waitFor()
    await panel.getByRole('img', { name: /MCS trend/ }).waitFor()

    // Agent → visitor, keyboard only: typing is reported while typing, Enter sends, Shift+Enter breaks the line.
    await nat.keyboard.type('Hi Ada')
    await pollUntil(async () => {
      const typing = await http('GET', `${chatUrl}/info/agentTyping.json?v=1`, visitorHeaders())
      return typing.json?.agentTyping === 'typing'
    })
    await nat.keyboard.press('Shift+Enter')
    await nat.keyboard.type('how can I help?')
    await nat.keyboard.press('Enter')
    await pollUntil(async () => {
      const events = await http('GET', `${chatUrl}/events.json?v=1&from=0`, visitorHeaders())
      const lines = [events.json?.events?.event ?? []].flat() as Json[]
      return lines.some((event) => event.source === 'agent' && event.text === 'Hi Ada\nhow can I help?')
    })
    await expect.poll(() => composer.inputValue()).toBe('')
    await http('PUT', `${chatUrl}/info/visitorTyping.json?v=1`, visitorHeaders(), { visitorTyping: 'not-typing' })
    await checkAccessibility(nat, 'workspace in a chat')
    await shot(nat, '04-workspace-chat')

    // A server restart during the chat: "reconnecting", then the line sent meanwhile arrives once.
    await harness.stopServer()
    await nat.getByText(/Reconnecting/).waitFor({ timeout: 20_000 })
    await shot(nat, '05-workspace-reconnecting')
    await composer.fill('Are you still there?')
    await composer.press('Enter')
    await harness.startServerAgain()
    server = harness.server
    await pollUntil(
      async () => {
        const events = await http('GET', `${chatUrl}/events.json?v=1&from=0`, visitorHeaders())
        const lines = [events.json?.events?.event ?? []].flat() as Json[]
        return lines.filter((event) => event.text === 'Are you still there?').length === 1
      },
      { timeoutMs: 30_000 },
    )
    await nat.getByText(/Reconnecting/).waitFor({ state: 'detached', timeout: 20_000 })
    await http('POST', `${chatUrl}/events.json?v=1`, visitorHeaders(), {
      event: { '@type': 'line', text: 'Yes, back again' },
    })
    await natLog.getByText('Yes, back again').waitFor({ timeout: 15_000 })

    // A second agent in another browser context; the first transfers the chat to him with a note.
    const omar = await newPage()
    await signIn(omar, agents.omar)
    await nat.getByRole('button', { name: 'Transfer' }).click()
    const target = nat.getByLabel('Transfer to')
    await expect.poll(() => target.locator('option', { hasText: 'Omar' }).count()).toBe(1)
    await target.selectOption({ label: 'Omar (0 chats)' })
    await nat.getByLabel('Note for the next agent').fill('Wants an upgrade, order 1234')
    await checkAccessibility(nat, 'transfer form')
    await shot(nat, '06-workspace-transfer')
    await nat.getByRole('button', { name: 'Transfer', exact: true }).last().click()
    await nat.getByText('Transferred to Omar.').waitFor()

    // Omar accepts with a click, sees the history and the note, and ends the chat.
    await omar.getByRole('button', { name: /Accept chat/ }).click()
    const omarLog = omar.getByRole('log')
    await omarLog.getByText('Wants an upgrade, order 1234').waitFor()
    await omarLog.getByText('Yes, back again').waitFor()
    await omar.getByRole('complementary', { name: 'Visitor details' }).getByText('Ada').waitFor()
    await omar.getByRole('button', { name: 'End chat' }).click()
    await omar.getByText('You ended the chat.').waitFor()
    await pollUntil(async () => {
      const info = await http('GET', `${chatUrl}/info.json?v=1`, visitorHeaders())
      return info.json?.info?.state === 'ended'
    })
    await checkAccessibility(omar, 'ended chat')
    await shot(omar, '07-workspace-ended')
    expect(problems).toEqual([])
  }, 180_000)

  it('an admin finds the chat in the history, opens it, downloads the CSV, and creates a user who can sign in', async () => {
    const admin = await newPage()
    await admin.goto(`${parley}/console/`)
    await admin.getByLabel('Account').fill(account.accountId)
    await admin.getByLabel('Login name').fill(account.adminLogin)
    await admin.getByLabel('Password').fill(account.adminPassword)
    await admin.getByRole('button', { name: 'Sign in' }).click()
    const nav = admin.getByRole('navigation', { name: 'Pages' })
    await expect
      .poll(() => nav.getByRole('link').allTextContents())
      .toEqual(['Workspace', 'History', 'Dashboard', 'Users', 'Surveys', 'Campaigns'])

    // History: the ended chat is archived by a background drain, so search until it is there.
    await nav.getByRole('link', { name: 'History' }).click()
    await admin.getByLabel('Keyword').fill('love')
    await pollUntil(
      async () => {
        await admin.getByRole('button', { name: 'Search', exact: true }).click()
        await admin.getByText('Searching…').waitFor({ state: 'detached' })
        return (await admin.getByText('1 engagement', { exact: true }).count()) === 1
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    )
    expect(admin.url()).toContain('keyword=love')
    await admin.locator('tbody tr').first().getByRole('button').click()
    const record = admin.getByRole('region', { name: /Engagement / })
    await record.getByText('Hi Ada').waitFor()
    await record.getByText('Ada', { exact: true }).waitFor()
    await checkAccessibility(admin, 'history with a record')
    await shot(admin, '09-history-record')

    // CSV of the whole result: one row per engagement the API counts.
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: 'Download CSV' }).click(),
    ])
    const csv = readFileSync(await download.path(), 'utf8')
    const rows = csv.trim().split('\r\n')
    expect(rows[0]).toMatch(/^engagementId,startTime,/)
    expect(rows).toHaveLength(1 + 1)
    // The transfer split the chat into two engagements; "love" was said in the first, Natalie's.
    expect(rows[1]).toContain('Natalie')

    // Users: a field error next to its field, then a user who signs in at once.
    await nav.getByRole('link', { name: 'Users' }).click()
    await admin.getByLabel('Login name').fill('newbie')
    await admin.getByLabel('Password').fill('short')
    await admin.getByLabel('Nickname (shown to visitors)').fill('Newbie')
    await admin.getByLabel('Email').fill('newbie@example.com')
    await admin.getByLabel('Sales').check()
    await admin.getByRole('button', { name: 'Create user' }).click()
    await admin
      .locator('#user-passwordSh-error')
      .getByText(/at least 8 characters/)
      .waitFor()
    await admin.getByLabel('Password').fill('newbie-pass-123')
    await admin.getByRole('button', { name: 'Create user' }).click()
    await admin.getByText('Created newbie. They can sign in now.').waitFor()
    await admin.getByRole('cell', { name: 'newbie', exact: true }).waitFor()
    await checkAccessibility(admin, 'users')
    await shot(admin, '10-admin-users')

    const newbie = await newPage()
    await signIn(newbie, { login: 'newbie', password: 'newbie-pass-123' })
    await newbie.getByText('Newbie · 0 of 4 chats').waitFor()
    expect(problems).toEqual([])
  }, 120_000)

  it('the live dashboard shows a waiting chat per skill, then in progress once an agent accepts it; managers see their groups', async () => {
    // The agents work over the Agent API (fast); an admin and an agent manager watch in the console.
    const natLogin = await http(
      'POST',
      `/api/account/${account.accountId}/login?v=1.3`,
      {},
      { username: agents.nat.login, password: agents.nat.password },
    )
    const natAuth = { authorization: `Bearer ${natLogin.json!.bearer}` }
    const agentSession = await http('POST', `/api/account/${account.accountId}/agentSession?v=1`, natAuth, {
      loginData: '',
    })
    expect(agentSession.status).toBe(201)

    // An agent manager of a team with one Sales agent (Pia, Away): sees the Sales queue and Pia, not Natalie.
    const scope = { accountId: account.accountId }
    const configApi = server.services.accountConfig
    const team = (await configApi.agentGroups.create(SYSTEM_CALLER, scope, { name: 'Dash team' })).value.id
    const sales = (await configApi.skills.list(SYSTEM_CALLER, scope)).value.find((skill) => skill.name === 'Sales')!.id
    const person = (loginName: string, nickname: string, extra: object) =>
      configApi.users.create(SYSTEM_CALLER, scope, {
        loginName,
        password: `${loginName}-pass-123`,
        nickname,
        email: `${loginName}@example.com`,
        ...extra,
      })
    await person('pia', 'Pia', { maxChats: 2, skillIds: [sales], memberOf: { agentGroupId: team } })
    await person('mia', 'Mia', { permissionGroups: ['2'], managerOf: [{ agentGroupId: team }] })
    const piaLogin = await http(
      'POST',
      `/api/account/${account.accountId}/login?v=1.3`,
      {},
      {
        username: 'pia',
        password: 'pia-pass-123',
      },
    )
    const piaAuth = { authorization: `Bearer ${piaLogin.json!.bearer}` }
    const piaSession = await http('POST', `/api/account/${account.accountId}/agentSession?v=1`, piaAuth, {
      loginData: '',
    })
    const away = await http('PUT', `${piaSession.location}/availability?v=1`, piaAuth, {
      availability: { chat: 'Away' },
    })
    expect(away.status).toBe(200)
    const manager = await newPage()
    await signIn(manager, { login: 'mia', password: 'mia-pass-123' })
    const managerNav = manager.getByRole('navigation', { name: 'Pages' })
    await expect
      .poll(() => managerNav.getByRole('link').allTextContents())
      .toEqual(['Workspace', 'History', 'Dashboard'])
    await managerNav.getByRole('link', { name: 'Dashboard' }).click()
    const managerAgents = manager.getByRole('table', { name: 'Agents by availability' })
    await managerAgents.getByRole('row', { name: /Pia \(pia\) Away 0 \/ 2 \(0 %\)/ }).waitFor()

    const admin = await newPage()
    await signIn(admin, { login: account.adminLogin, password: account.adminPassword })
    const nav = admin.getByRole('navigation', { name: 'Pages' })
    await expect.poll(() => nav.getByRole('link').allTextContents()).toContain('Dashboard')
    await nav.getByRole('link', { name: 'Dashboard' }).click()
    expect(admin.url()).toMatch(/\/console\/dashboard$/)
    const waiting = admin.getByRole('table', { name: 'Chats waiting per skill' })
    const agentsTable = admin.getByRole('table', { name: 'Agents by availability' })
    const inProgress = admin.getByRole('table', { name: 'Chats in progress' })
    await waiting.getByRole('row', { name: /^Sales 0 / }).waitFor()
    await agentsTable.getByRole('row', { name: /Natalie \(nat\) Online 0 \/ 3 \(0 %\)/ }).waitFor()

    // A visitor asks for a Sales chat: the dashboard shows it waiting, with its wait, before anyone accepts.
    const requested = await http(
      'POST',
      `/api/account/${account.accountId}/chat/request.json?v=1&NC=true`,
      visitorHeaders(),
      {
        request: { skill: 'Sales', LETagVisitorId: 'vis-dash', LETagSessionId: 'sess-dash' },
      },
    )
    expect(requested.status).toBe(201)
    const chatUrl = requested.location
    const salesRow = waiting.getByRole('row', { name: /^Sales / })
    await expect
      .poll(() => salesRow.getByRole('cell').allTextContents(), { timeout: 15_000 })
      .toEqual(['1', expect.stringMatching(/^\d+ s$/), 'No wait (a slot is free)', expect.stringMatching(/^[1-9]\d*$/)])
    await admin.getByRole('listitem').filter({ hasText: 'Chats waiting' }).getByText('1', { exact: true }).waitFor()
    expect(await inProgress.getByRole('row', { name: /Natalie/ }).count()).toBe(0)
    // The manager sees the chat waiting in Sales (a skill of their team), and only their team's agents.
    await manager
      .getByRole('table', { name: 'Chats waiting per skill' })
      .getByRole('row', { name: /^Sales 1 \d+ s / })
      .waitFor()
    expect(await managerAgents.getByRole('row', { name: /Natalie|admin/ }).count()).toBe(0)
    // The change is announced once, in the live region, not on every refresh.
    await expect.poll(() => admin.locator('[aria-live="polite"]').textContent()).toMatch(/^1 chat waiting/)

    // Natalie accepts over the Agent API: the chat leaves the queue and shows in progress.
    const accepted = await http('POST', `${agentSession.location}/incomingRequests?v=1`, natAuth, {})
    expect(accepted.status).toBe(201)
    await http('POST', `${chatUrl}/events.json?v=1`, visitorHeaders(), {
      event: { '@type': 'line', text: 'Thanks, this is great, I love it' },
    })
    const chatRow = inProgress.getByRole('row', { name: /Natalie/ })
    await chatRow.waitFor({ timeout: 15_000 })
    const cells = await chatRow.getByRole('cell').allTextContents()
    expect(cells[0]).toBe('Sales')
    expect(cells[1]).toBe('Natalie')
    expect(cells[3]).toMatch(/^\d+ s$/)
    await expect.poll(() => chatRow.getByRole('cell').last().textContent(), { timeout: 15_000 }).toMatch(/^-?\d+$/)
    await expect.poll(() => salesRow.getByRole('cell').first().textContent()).toBe('0')
    await agentsTable.getByRole('row', { name: /Natalie \(nat\) Online 1 \/ 3 \(33 %\)/ }).waitFor()
    // A second visitor waits meanwhile, so the page (and its screenshot) shows every section filled.
    const second = await http(
      'POST',
      `/api/account/${account.accountId}/chat/request.json?v=1&NC=true`,
      visitorHeaders(),
      {
        request: { skill: 'Sales', LETagVisitorId: 'vis-dash-2', LETagSessionId: 'sess-dash-2' },
      },
    )
    expect(second.status).toBe(201)
    await expect.poll(() => salesRow.getByRole('cell').first().textContent(), { timeout: 15_000 }).toBe('1')
    await checkAccessibility(admin, 'dashboard')
    // Natalie is outside the manager's groups: her chat is not among the manager's chats in progress.
    await manager.getByRole('table', { name: 'Chats in progress' }).getByText('No chat in progress').waitFor()
    await checkAccessibility(manager, 'dashboard (agent manager)')
    await shot(admin, '11-dashboard')
    await http('POST', `${second.location}/events.json?v=1`, visitorHeaders(), {
      event: { '@type': 'state', state: 'ended' },
    })

    // The visitor ends it: it leaves the chats in progress and counts as ended in the last hour.
    await http('POST', `${chatUrl}/events.json?v=1`, visitorHeaders(), { event: { '@type': 'state', state: 'ended' } })
    await expect.poll(() => chatRow.count(), { timeout: 15_000 }).toBe(0)
    const lastHour = admin.getByRole('table', { name: 'Last hour' })
    expect(
      Number(
        await lastHour
          .getByRole('row', { name: /Chats ended/ })
          .getByRole('cell')
          .textContent(),
      ),
    ).toBeGreaterThan(0)
    expect(problems).toEqual([])
  }, 90_000)

  it('an expired session returns to sign-in with a message', async () => {
    const page = await newPage()
    await signIn(page, agents.omar)
    // Log the session out behind the console's back (as another tab or an admin would).
    const stored = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem('parley.console.session'))) ?? '{}',
    ) as Json
    const out = await http(
      'POST',
      `/api/account/${account.accountId}/logout?v=1.3`,
      { authorization: `Bearer ${stored.bearer}` },
      { csrf: stored.csrf },
    )
    expect(out.status).toBe(200)
    await page.getByText('Your session has expired. Please sign in again.').waitFor({ timeout: 15_000 })
    await page.getByLabel('Password').waitFor()
    await checkAccessibility(page, 'sign-in after expiry')
    await shot(page, '08-sign-in-expired')

    // A wrong password gets a clear message, not a blank page.
    await page.getByLabel('Login name').fill(agents.omar.login)
    await page.getByLabel('Password').fill('wrong-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('The account, login name or password is not right.').waitFor()
    expect(problems).toEqual([])
  }, 60_000)
})
