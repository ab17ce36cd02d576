import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { checkAccessibility, describeConsole, type Json } from '../support/console-browser.ts'

/**
 * The console's surveys and campaigns admin pages (issue 13, item 6) against a real server on each
 * database: an admin builds a pre-chat survey with show-logic that a visitor then gets through the
 * Server Chat API, sees a validation error beside its question and a 412 reload, and creates a
 * campaign with an engagement. Screenshots at 1280×720 go to test-results/screenshots.
 */
describeConsole('Console admin: surveys and campaigns', (harness) => {
  const { newPage, shot, http, problems } = harness
  let sales = 0
  let admin: Page
  let adminAuth: Record<string, string>

  beforeAll(async () => {
    const scope = { accountId: harness.account.accountId }
    sales = (await harness.server.services.accountConfig.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value
      .id
    const login = await http(
      'POST',
      `/api/account/${harness.account.accountId}/login?v=1.3`,
      {},
      { username: harness.account.adminLogin, password: harness.account.adminPassword },
    )
    adminAuth = { authorization: `Bearer ${login.json!.bearer}` }
    admin = await newPage()
    await harness.signIn(admin, { login: harness.account.adminLogin, password: harness.account.adminPassword })
  })

  const config = () => `/api/account/${harness.account.accountId}/configuration`
  const question = (n: number) => admin.getByRole('group', { name: `Question ${n}`, exact: true })
  // Strings run in the page (this file is typechecked without the DOM library).
  const focusedId = () => admin.evaluate<string>("document.activeElement?.id ?? ''")
  const toTop = () => admin.evaluate("document.querySelector('main')?.scrollTo(0, 0); window.scrollTo(0, 0)")

  it('an admin builds a pre-chat survey with show-logic; a visitor gets it as configured', async () => {
    const nav = admin.getByRole('navigation', { name: 'Pages' })
    await nav.getByRole('link', { name: 'Admin' }).click()
    await admin.getByRole('navigation', { name: 'Admin pages' }).getByRole('link', { name: 'Surveys' }).click()
    expect(admin.url()).toMatch(/\/console\/admin\/surveys$/)
    await admin.getByRole('button', { name: 'New pre-chat survey' }).click()
    await admin.getByLabel('Name', { exact: true }).fill('Welcome')
    await admin.getByLabel('Header (shown above the questions)').fill('Before we start')

    // Question 1: a dropdown with two choices, mandatory.
    await question(1).getByLabel('Type').selectOption('Dropdown Box')
    await question(1).getByLabel('Question text').fill('What is it about?')
    await question(1).getByLabel('Mandatory').check()
    await question(1).getByLabel('Value of choice 1').fill('Buying')
    await question(1).getByRole('button', { name: 'Add choice to question 1' }).click()
    await question(1).getByLabel('Value of choice 2').fill('Support')
    await question(1).getByLabel('Skill choice 2 routes to (runWithRules)').selectOption('Sales')

    // Question 2: a number, mandatory, shown only when question 1 is "Support".
    await admin.getByRole('button', { name: 'Add question' }).click()
    await expect.poll(focusedId).toMatch(/-type$/)
    await question(2).getByLabel('Question text').fill('Your order number?')
    await question(2).getByLabel('Answer must be').selectOption('numeric')
    await question(2).getByLabel('Mandatory').check()
    await question(2).getByLabel('Q1 “What is it about?” is “Support”').check()

    // Question 3: a text area whose text is left empty, so the API names it.
    await admin.getByRole('button', { name: 'Add question' }).click()
    await admin.keyboard.press('ArrowDown') // the focused type select: Text Field → Text Area
    await admin.getByLabel('Default survey of its kind (used when no skill or name picks another)').check()
    await admin.getByRole('button', { name: 'Create survey' }).click()
    const labelError = question(3).locator('.field-error')
    await labelError.getByText('must not be empty').waitFor()
    const label3 = question(3).getByLabel('Question text')
    expect(await label3.getAttribute('aria-invalid')).toBe('true')
    expect(await label3.getAttribute('aria-describedby')).toBe(await labelError.getAttribute('id'))
    expect(await question(1).locator('.field-error').count()).toBe(0)
    await expect.poll(focusedId).toMatch(/-label$/) // the page takes the admin to the field
    await checkAccessibility(admin, 'survey with a validation error')
    await shot(admin, 'admin-surveys-error')

    // Keyboard: Alt+↑ moves question 3 up with the focus staying in its field; the buttons move it back.
    await label3.fill('Anything else?')
    await label3.press('Alt+ArrowUp')
    expect(await question(2).getByLabel('Question text').inputValue()).toBe('Anything else?')
    await expect.poll(focusedId).toMatch(/-label$/)
    await admin.keyboard.press('Shift+Tab') // the type select of (now) question 2
    await admin.keyboard.press('Shift+Tab') // its Remove button
    await admin.keyboard.press('Shift+Tab') // its Move down button
    expect(await focusedId()).toMatch(/-down$/)
    await admin.keyboard.press('Enter')
    expect(await question(3).getByLabel('Question text').inputValue()).toBe('Anything else?')
    await expect.poll(focusedId).toMatch(/-up$/) // at the end "Move down" is disabled: focus moves to "Move up"
    await admin.getByRole('button', { name: 'Create survey' }).click()
    await admin.getByText('Saved "Welcome".').waitFor()
    await admin.getByText('Default', { exact: true }).waitFor()
    await checkAccessibility(admin, 'surveys')
    await toTop()
    await shot(admin, 'admin-surveys')

    // The visitor's V4 answer, on the wire: the questions, types, rules and show-logic as configured.
    const v4 = await http(
      'GET',
      `/api/account/${harness.account.accountId}/chat/preSurvey.json?v=1`,
      harness.visitorHeaders(),
    )
    expect(v4.status).toBe(200)
    const survey = v4.json!.survey as Json
    expect(survey.header).toBe('Before we start')
    const questions = survey.questions.question as Json[]
    expect(questions.map((q): unknown[] => [q.order, q.type, q.label, q.mandatory, q.validationType])).toEqual([
      ['0', 'Dropdown Box', 'What is it about?', 'true', 'alpha_numeric'],
      ['1', 'Text Field', 'Your order number?', 'true', 'numeric'],
      ['2', 'Text Area', 'Anything else?', 'false', 'alpha_numeric'],
    ])
    expect(questions[0]!.entry).toEqual([
      { checked: 'false', value: 'Buying' },
      { checked: 'false', value: 'Support', logic: { showLogicId: questions[1]!.logicId } },
    ])
    expect(questions[1]!.logicId).not.toBe(questions[2]!.logicId)
    // The routing skill of "Support" is stored (the Parley runWithRules extension).
    const stored = await http('GET', `${config()}/le-surveys/surveys/${survey.id}`, adminAuth)
    expect(stored.json!.questions[0].entries[1].skillId).toBe(sales)

    // Someone else changes the account meanwhile: the save answers 412, the page says so and reloads.
    await admin.getByLabel('Name', { exact: true }).fill('Welcome v2')
    expect((await http('POST', `${config()}/le-users/skills`, adminAuth, { name: 'Billing' })).status).toBe(201)
    await admin.getByRole('button', { name: 'Save survey' }).click()
    await admin.getByText('The account configuration changed since this page loaded').waitFor()
    expect(await admin.getByLabel('Name', { exact: true }).inputValue()).toBe('Welcome')
    await admin.getByLabel('Name', { exact: true }).fill('Welcome v2')
    await admin.getByRole('button', { name: 'Save survey' }).click()
    await admin.getByText('Saved "Welcome v2".').waitFor()
    expect(problems).toEqual([])
  }, 60_000)

  it('an admin creates a campaign and an engagement on a skill', async () => {
    await admin.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Admin' }).click()
    await admin.getByRole('navigation', { name: 'Admin pages' }).getByRole('link', { name: 'Campaigns' }).click()
    expect(admin.url()).toMatch(/\/console\/admin\/campaigns$/)
    await admin.getByRole('button', { name: 'New campaign' }).click()
    await admin.getByLabel('Name', { exact: true }).fill('Spring sale')
    await admin.getByLabel('Description').fill('Chat on the sale pages')
    await admin.getByLabel('Expires').fill('2027-04-30T23:59:59')
    await admin.getByRole('button', { name: 'Create campaign' }).click()
    await admin.getByText('Saved campaign "Spring sale".').waitFor()

    // An engagement without a name: the API's error beside the name field.
    await admin.getByRole('button', { name: 'New engagement' }).click()
    await admin.getByRole('button', { name: 'Create engagement' }).click()
    const nameInput = admin.getByLabel('Engagement name')
    await admin.locator('#engagement-name-error').waitFor()
    expect(await nameInput.getAttribute('aria-invalid')).toBe('true')
    await nameInput.fill('Chat button')
    await admin.getByLabel('Skill', { exact: true }).selectOption('Sales')
    await admin.getByLabel('Note shown to the agent').fill('From the sale pages')
    await admin.getByRole('button', { name: 'Create engagement' }).click()
    await admin.getByText('Saved engagement "Chat button".').waitFor()
    await admin.getByRole('cell', { name: 'Chat button', exact: true }).waitFor()
    await checkAccessibility(admin, 'campaigns')
    await shot(admin, 'admin-campaigns-engagements')
    await toTop()
    await shot(admin, 'admin-campaigns')

    const campaigns = await http('GET', `${config()}/le-campaigns/campaigns`, adminAuth)
    const campaign = (campaigns.json as unknown as Json[]).find((c) => c.name === 'Spring sale')!
    expect(campaign).toMatchObject({
      description: 'Chat on the sale pages',
      status: 1,
      expirationDate: '2027-04-30 23:59:59',
    })
    const engagements = await http('GET', `${config()}/le-campaigns/campaigns/${campaign.id}/engagements`, adminAuth)
    expect(engagements.json).toEqual([
      expect.objectContaining({ name: 'Chat button', skillId: sales, enabled: true, agentNote: 'From the sale pages' }),
    ])
    expect(problems).toEqual([])
  }, 60_000)
})
