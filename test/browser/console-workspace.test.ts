import type { Page, Route } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { checkAccessibility, describeConsole, type Json } from '../support/console-browser.ts'
import { pollUntil } from '../support/poll-until.ts'

/**
 * The agent workspace beyond the main flow (issue 13, console.test.ts has that): ringing chats
 * with skill, ticking wait and first answers; keyboard-only use; hostile visitor and rich content
 * shown as text; a 429 with Retry-After, a 5xx, and a line sent to a chat that ended meanwhile;
 * the agent survey with the API's error beside its question; the tablet layouts; managers start Away.
 */
describeConsole('Parley Console agent workspace in headless Chromium', (harness) => {
  const { newPage, shot, http, visitorHeaders, problems } = harness
  const nat = { login: 'nat', password: 'nat-pass-123' }
  const mia = { login: 'mia', password: 'mia-pass-123' }
  let accountId = ''
  let preChatSurvey = 0

  beforeAll(async () => {
    accountId = harness.account.accountId
    const scope = { accountId }
    const configApi = harness.server.services.accountConfig
    const sales = (await configApi.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    await configApi.users.create(SYSTEM_CALLER, scope, {
      loginName: nat.login,
      password: nat.password,
      nickname: 'Natalie',
      email: 'nat@example.com',
      maxChats: 3,
      skillIds: [sales],
    })
    // An agent manager who is also an agent of Support: not offered chats until she chooses Online.
    const support = (await configApi.skills.create(SYSTEM_CALLER, scope, { name: 'Support' })).value.id
    await configApi.users.create(SYSTEM_CALLER, scope, {
      loginName: mia.login,
      password: mia.password,
      nickname: 'Mia',
      email: 'mia@example.com',
      skillIds: [support],
      permissionGroups: ['1', '2'],
    })
    preChatSurvey = (
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
    await configApi.surveys.create(SYSTEM_CALLER, scope, {
      name: 'Wrap-up',
      type: 'agent',
      isDefault: true,
      questions: [
        {
          type: 'Radio Button',
          label: 'Resolved?',
          mandatory: true,
          entries: [
            { value: 'yes', displayValue: 'Yes' },
            { value: 'no', displayValue: 'No' },
          ],
        },
        { type: 'Text Area', label: 'Notes' },
      ],
    })
  })

  const requestChat = async (request: Json) => {
    const answer = await http('POST', `/api/account/${accountId}/chat/request.json?v=1&NC=true`, visitorHeaders(), {
      request: { skill: 'Sales', ...request },
    })
    expect(answer.status).toBe(201)
    return { url: answer.location, key: answer.location.split('/').pop()! }
  }
  // Evaluated in the page (the test's TypeScript has no DOM types).
  const focusShows = (page: Page) =>
    page.evaluate<string>('document.activeElement ? getComputedStyle(document.activeElement).boxShadow : "none"')
  const activeId = (page: Page) => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""')
  const activeText = (page: Page) =>
    page.evaluate<string>('document.activeElement ? document.activeElement.textContent : ""')
  const activeType = (page: Page) =>
    page.evaluate<string>('document.activeElement ? document.activeElement.type || "" : ""')

  it('an agent sees ringing chats with their answers, works by keyboard only, and gets a clear message for every failure', async () => {
    const page = await newPage()
    await harness.signIn(page, nat)
    await page.getByText('No chat waiting').waitFor()
    expect(await page.getByRole('radio', { name: 'Online' }).isChecked()).toBe(true)

    // Two visitors: the first with pre-chat answers and a hostile pre-chat line.
    const first = await requestChat({
      preChatLines: { line: 'Hello <img src=x onerror="window.__pwned=1">' },
      survey: {
        id: preChatSurvey,
        question: [
          { id: 1, answer: 'Ada' },
          { id: 2, answer: '1234' },
        ],
      },
    })
    const ringing = page.getByRole('region', { name: /chats? waiting/ })
    await ringing.getByText('Ada').waitFor()
    await ringing.getByText('Hello <img src=x onerror="window.__pwned=1">').waitFor()
    const wait = ringing.locator('time').first()
    const before = await wait.textContent()
    await expect.poll(() => wait.textContent(), { timeout: 5_000 }).not.toBe(before)
    const second = await requestChat({ preChatLines: { line: 'Second visitor here' } })
    await ringing.getByText('Second visitor here').waitFor()
    await page.getByRole('heading', { name: '2 chats waiting' }).waitFor()
    expect(await page.locator('.ringing-list img').count()).toBe(0)
    await checkAccessibility(page, 'ringing chats')
    await shot(page, '21-workspace-ringing-chats')

    // Keyboard only: Alt+A accepts (oldest first), twice; the composer has the focus, visibly.
    await page.keyboard.press('Alt+A')
    await page.getByLabel('Message to visitor').waitFor()
    await page.getByRole('heading', { name: '1 chat waiting' }).waitFor()
    await page.keyboard.press('Alt+A')
    await page.getByText('No chat waiting').waitFor()
    const items = page.getByRole('navigation', { name: 'Your chats' }).getByRole('button')
    await expect.poll(() => items.count()).toBe(2)
    await expect.poll(() => items.nth(1).getAttribute('aria-current')).toBe('true')
    await expect.poll(() => activeId(page)).toMatch(/^composer-/)
    expect(await focusShows(page)).not.toBe('none')
    // Alt+↑ / Alt+↓ switch chats; the composer of the selected chat takes the focus.
    await page.keyboard.press('Alt+ArrowUp')
    await expect.poll(() => items.nth(0).getAttribute('aria-current')).toBe('true')
    await expect.poll(() => activeId(page)).toBe(`composer-${first.key}`)
    await page.keyboard.type('Line one')
    await page.keyboard.press('Shift+Enter')
    await page.keyboard.type('line two')
    await page.keyboard.press('Enter')
    await pollUntil(async () => {
      const events = await http('GET', `${first.url}/events.json?v=1&from=0`, visitorHeaders())
      return ([events.json?.events?.event ?? []].flat() as Json[]).some((event) => event.text === 'Line one\nline two')
    })
    // Alt+T opens the transfer form with its first field focused; Escape closes it, back on the button.
    await page.keyboard.press('Alt+T')
    await expect.poll(() => activeId(page)).toBe(`transfer-target-${first.key}`)
    expect(await focusShows(page)).not.toBe('none')
    await page.keyboard.press('Escape')
    await expect.poll(() => activeText(page)).toBe('Transfer')
    // Alt+I moves to the visitor details.
    await page.keyboard.press('Alt+I')
    await expect.poll(() => activeId(page)).toBe('side-panel')
    expect(await focusShows(page)).not.toBe('none')

    // A hostile visitor line and script-like rich content (from an agent client): text only, nothing runs.
    await http('POST', `${first.url}/events.json?v=1`, visitorHeaders(), {
      event: { '@type': 'line', text: '<img src=x onerror="window.__pwned=2"><script>window.__pwned=3</script>' },
    })
    const natLogin = await http(
      'POST',
      `/api/account/${accountId}/login?v=1.3`,
      {},
      { username: 'nat', password: nat.password },
    )
    const natAuth = { authorization: `Bearer ${natLogin.json!.bearer}` }
    const apiSession = await http('POST', `/api/account/${accountId}/agentSession?v=1`, natAuth, { loginData: '' })
    const rich = await http('POST', `${apiSession.location}/chat/${first.key}/events.json?v=1`, natAuth, {
      event: {
        '@type': 'line',
        textType: 'rich-content',
        json: {
          type: 'vertical',
          elements: [
            { type: 'text', text: '<script>window.__pwned=4</script>' },
            { type: 'image', url: 'javascript:window.__pwned=5' },
            { type: 'button', title: '<img src=x onerror="window.__pwned=6">', click: { actions: [] } },
          ],
        },
      },
    })
    expect(rich.status, JSON.stringify(rich.json)).toBe(201)
    const log = page.getByRole('log')
    await log.getByText('<script>window.__pwned=4</script>', { exact: false }).waitFor()
    await log.getByText('<img src=x onerror="window.__pwned=2">', { exact: false }).waitFor()
    expect(await page.locator('.transcript img, .transcript script, .transcript a').count()).toBe(0)
    expect(await page.evaluate<string>('typeof window.__pwned')).toBe('undefined')

    // A 429 with Retry-After on the ringing poll: a visible note, then the console carries on.
    let limited = 0
    await page.route(/\/parley\/ringingChats/, async (route: Route) => {
      if (limited++ > 0) return route.continue()
      await route.fulfill({
        status: 429,
        headers: { 'retry-after': '2', 'content-type': 'application/json' },
        body: JSON.stringify({ error: { time: '', message: 'Too many requests', internalCode: 29 } }),
      })
    })
    await page.getByText(/The server is busy \(too many requests\): trying again in 2 s/).waitFor()
    await page.getByText(/The server is busy/).waitFor({ state: 'detached', timeout: 10_000 })
    await page.unroute(/\/parley\/ringingChats/)

    // A 5xx on accept: the message says so, with "Try again", which then works.
    const third = await requestChat({ preChatLines: { line: 'Third' } })
    await page.getByRole('heading', { name: '1 chat waiting' }).waitFor()
    let failed = false
    await page.route(/\/incomingRequests\?/, async (route: Route) => {
      if (route.request().method() !== 'POST' || failed) return route.continue()
      failed = true
      await route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"message":"down"}}' })
    })
    await page.keyboard.press('Alt+A')
    const notice = page.getByRole('alert').filter({ hasText: 'Could not accept the chat.' })
    await notice.getByText(/The server had a problem \(HTTP 503\)/).waitFor()
    await notice.getByRole('button', { name: 'Try again' }).click()
    await expect.poll(() => items.count()).toBe(3)
    await page.unroute(/\/incomingRequests\?/)
    expect(third.key).not.toBe(first.key)

    // The second visitor leaves while the console's poll of that chat is held: the line sent then
    // is refused, the chat shows as ended with the text kept, and the agent survey follows.
    const held: Route[] = []
    const secondPoll = new RegExp(`/chat/${second.key}\\?.*wait=[1-9]`)
    await page.route(secondPoll, (route: Route) => void held.push(route))
    await items.nth(1).click()
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0)
    await http('POST', `${second.url}/events.json?v=1`, visitorHeaders(), {
      event: { '@type': 'state', state: 'ended' },
    })
    await page.getByLabel('Message to visitor').fill('Are you still there?')
    await page.getByLabel('Message to visitor').press('Enter')
    await page.getByText('The chat ended before your line was sent (the visitor left).', { exact: false }).waitFor()
    expect(await page.getByLabel('Your unsent text').inputValue()).toBe('Are you still there?')
    await page.unroute(secondPoll)
    for (const route of held) await route.continue().catch(() => undefined)

    // The agent survey: sent unanswered, the API's message sits under its question, which gets the focus.
    const survey = page.getByRole('form', { name: 'Agent survey' })
    await survey.getByRole('button', { name: 'Send survey' }).click()
    const question = survey.getByRole('group', { name: /Resolved\?/ })
    await question.getByText(/Survey question 1 "Resolved\?": an answer is mandatory/).waitFor()
    await expect.poll(() => activeType(page)).toBe('radio')
    await checkAccessibility(page, 'ended chat with the agent survey')
    await shot(page, '22-workspace-agent-survey')
    await page.keyboard.press('Space')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Left before the answer')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.getByText('Agent survey sent.', { exact: false }).waitFor()

    // Tablets: 1024×768 keeps the chat list with the details folded; 768×1024 folds the list too.
    await page.setViewportSize({ width: 1024, height: 768 })
    await items.first().click()
    await page.getByRole('button', { name: 'Details' }).waitFor()
    await checkAccessibility(page, 'workspace at 1024×768')
    await shot(page, '23-workspace-tablet-1024x768')
    await page.setViewportSize({ width: 768, height: 1024 })
    await page.getByRole('button', { name: 'Hide chats' }).click()
    await page.getByRole('navigation', { name: 'Your chats' }).waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: 'Chats (3)' }).waitFor()
    await page.keyboard.press('Alt+I')
    await page.getByRole('complementary', { name: 'Visitor details' }).getByText('Ada').waitFor()
    await checkAccessibility(page, 'workspace at 768×1024')
    await shot(page, '24-workspace-tablet-768x1024')
    expect(problems).toEqual([])
  }, 120_000)

  it('an agent manager opens the console Away, so no chat is offered until she chooses Online', async () => {
    const page = await newPage()
    await harness.signIn(page, mia)
    await page.getByText('You are Away: no chat is offered until you choose Online.').waitFor()
    expect(await page.getByRole('radio', { name: 'Away' }).isChecked()).toBe(true)
    await requestChat({ skill: 'Support', preChatLines: { line: 'Anyone?' } })
    await page.waitForTimeout(2_500)
    expect(await page.getByRole('region', { name: /chats? waiting/ }).count()).toBe(0)
    await page.getByRole('radio', { name: 'Online' }).check()
    await page
      .getByRole('region', { name: /chat waiting/ })
      .getByText('Anyone?')
      .waitFor()
    expect(problems).toEqual([])
  }, 60_000)
})
