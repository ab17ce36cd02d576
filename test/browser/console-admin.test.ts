import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SYSTEM_CALLER } from '../../src/core/account-config/account-config.types.ts'
import { signRequest } from '../../src/http/auth/oauth1.ts'
import { checkAccessibility, describeConsole } from '../support/console-browser.ts'

/**
 * The console's admin pages (issue 13, item 6): users edited through the configuration API with
 * its revision, skills, agent groups, and the keys extension, on each database in headless
 * Chromium. Screenshots at 1280×720 go to test-results/screenshots (docs/console.md uses them).
 */
describeConsole('Parley Console admin pages', (harness) => {
  const { newPage, shot, problems } = harness
  const kim = { login: 'kim', password: 'kim-pass-123', newPassword: 'kim-new-pass-456', id: 0 }
  let sales = 0

  beforeAll(async () => {
    const scope = { accountId: harness.account.accountId }
    const config = harness.server.services.accountConfig
    sales = (await config.skills.create(SYSTEM_CALLER, scope, { name: 'Sales' })).value.id
    const user = await config.users.create(SYSTEM_CALLER, scope, {
      loginName: kim.login,
      password: kim.password,
      nickname: 'Kim',
      fullName: 'Kim Agent',
      email: 'kim@example.com',
      maxChats: 2,
    })
    kim.id = user.value.id
  })

  interface Focused {
    id: string
    text: string
    parentText: string
  }
  // A string, so the DOM code runs in the page (this file is compiled without the DOM library).
  const FOCUSED = `(() => { const e = document.activeElement; return { id: e?.id ?? '', text: e?.textContent ?? '', parentText: e?.parentElement?.textContent ?? '' } })()`

  /** Presses Tab until the focused element matches (keyboard only), at most 30 times. */
  const tabTo = async (page: Page, matches: (focused: Focused) => boolean, what: string) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab')
      if (matches(await page.evaluate<Focused>(FOCUSED))) return
    }
    throw new Error(`Tab never reached ${what}`)
  }

  /** A configuration API read signed with an API key's OAuth 1.0a credentials. */
  const readSkillsWith = (key: Record<string, string>) => {
    const url = `${harness.parley}/api/account/${harness.account.accountId}/configuration/le-users/skills`
    const authorization = signRequest({
      method: 'GET',
      url,
      consumerKey: key.appKey ?? '',
      consumerSecret: key.secret ?? '',
      token: key.accessToken ?? '',
      tokenSecret: key.accessTokenSecret ?? '',
      timestamp: Math.floor(Date.now() / 1000),
    })
    // Plain fetch: a refused key gets LivePerson's plain-text `oauth_problem=` body, not JSON.
    return fetch(url, { headers: { authorization } })
  }

  it('an admin edits a user with the keyboard (412 when someone else changed the account), resets a password, and the user signs in with it', async () => {
    const admin = await newPage()
    await harness.signIn(admin, { login: harness.account.adminLogin, password: harness.account.adminPassword })
    const nav = admin.getByRole('navigation', { name: 'Pages' })
    await nav.getByRole('link', { name: 'Admin' }).click()
    expect(admin.url()).toMatch(/\/console\/admin\/users$/)
    const adminNav = admin.getByRole('navigation', { name: 'Admin pages' })
    expect(await adminNav.getByRole('link').allTextContents()).toEqual([
      'Users',
      'Skills',
      'Agent groups',
      'Surveys',
      'Campaigns',
      'Keys',
    ])

    // Someone else changes the account after the page loaded it: the save answers 412.
    const kimRow = admin.getByRole('row').filter({ hasText: 'Kim Agent' })
    await kimRow.getByRole('button', { name: 'Edit kim' }).click()
    await admin.getByRole('heading', { name: 'Edit kim' }).waitFor()
    await harness.server.services.accountConfig.skills.create(
      SYSTEM_CALLER,
      { accountId: harness.account.accountId },
      { name: 'Returns' },
    )
    await admin.getByLabel('Max chats').fill('9')
    await admin.getByRole('button', { name: 'Save user' }).click()
    await admin
      .getByRole('alert')
      .getByText(/Someone else changed the account configuration/)
      .waitFor()
    // The page reloaded: the form shows the stored value again, and the new skill is offered.
    await admin.getByLabel('Returns').waitFor()
    expect(await admin.getByLabel('Max chats').inputValue()).toBe('2')

    // Keyboard only: the login name has the focus after Edit; Tab to max chats, Sales, Save.
    await admin.getByLabel('Login name').focus()
    await tabTo(admin, (focused) => focused.id === 'user-maxChats', 'max chats')
    await admin.keyboard.press('Control+A')
    await admin.keyboard.type('5')
    await tabTo(admin, (focused) => focused.parentText === 'Sales', 'the Sales checkbox')
    await admin.keyboard.press('Space')
    await tabTo(admin, (focused) => focused.text === 'Save user', 'Save user')
    await admin.keyboard.press('Enter')
    await admin.getByText('Saved kim.').waitFor()
    await kimRow.getByRole('cell', { name: 'Sales', exact: true }).waitFor()
    const stored = (
      await harness.server.services.accountConfig.users.get(
        SYSTEM_CALLER,
        { accountId: harness.account.accountId },
        kim.id,
      )
    ).value
    expect(stored).toMatchObject({ maxChats: 5, skillIds: [sales] })

    // Reset password: the API's validation error sits next to its field.
    await kimRow.getByRole('button', { name: 'Edit kim' }).click()
    const newPassword = admin.getByLabel('New password')
    await newPassword.fill('short')
    await admin.getByRole('button', { name: 'Set password' }).click()
    await admin
      .locator('#reset-passwordSh-error')
      .getByText(/at least 8 characters/)
      .waitFor()
    expect(await newPassword.getAttribute('aria-invalid')).toBe('true')
    expect(await newPassword.getAttribute('aria-describedby')).toContain('reset-passwordSh-error')
    await checkAccessibility(admin, 'users with a field error')
    await shot(admin, 'admin-users')
    await newPassword.fill(kim.newPassword)
    await admin.getByRole('button', { name: 'Set password' }).click()
    await admin.getByText('New password set for kim.', { exact: false }).waitFor()

    const kimPage = await newPage()
    await harness.signIn(kimPage, { login: kim.login, password: kim.newPassword })
    await kimPage.getByText('Kim Agent · 0 of 5 chats').waitFor()
    expect(problems).toEqual([])
  }, 60_000)

  it('creates a skill and agent groups; a refused delete says why; creates an API key whose secret shows once, then revokes it', async () => {
    const admin = await newPage()
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: harness.parley })
    await harness.signIn(admin, { login: harness.account.adminLogin, password: harness.account.adminPassword })
    await admin.goto(`${harness.parley}/console/admin/skills`)
    await admin.getByLabel('Name').fill('Billing')
    await admin.getByRole('button', { name: 'Create skill' }).click()
    await admin.getByText('Created the skill Billing.').waitFor()
    await admin.getByRole('cell', { name: 'Billing', exact: true }).waitFor()
    // A duplicate name: the API's 409 names the field.
    await admin.getByLabel('Name').fill('billing')
    await admin.getByRole('button', { name: 'Create skill' }).click()
    await admin
      .locator('#skill-name-error')
      .getByText(/already exists/)
      .waitFor()
    await checkAccessibility(admin, 'skills')
    await shot(admin, 'admin-skills')

    const adminNav = admin.getByRole('navigation', { name: 'Admin pages' })
    await adminNav.getByRole('link', { name: 'Agent groups' }).click()
    await admin.getByLabel('Name').fill('Night shift')
    await admin.getByRole('button', { name: 'Create agent group' }).click()
    await admin.getByText('Created the agent group Night shift.').waitFor()
    await admin.getByLabel('Name').fill('Late night')
    await admin.getByLabel('Parent group').selectOption({ label: 'Night shift' })
    await admin.getByRole('button', { name: 'Create agent group' }).click()
    await admin.getByText('Created the agent group Late night.').waitFor()
    await admin.getByRole('button', { name: 'Delete Night shift' }).click()
    await admin.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete Night shift' }).click()
    await admin
      .getByRole('alert')
      .getByText('Could not delete Night shift: the agent group still has members or child groups.')
      .waitFor()
    await checkAccessibility(admin, 'agent groups')
    await shot(admin, 'admin-agent-groups')

    await adminNav.getByRole('link', { name: 'Keys' }).click()
    await admin.getByRole('button', { name: 'Create API key' }).click()
    const card = admin.getByRole('region', { name: 'New API key: copy the secrets now' })
    await card.waitFor()
    const key = {
      appKey: await card.getByLabel('Consumer key (appKey)').inputValue(),
      secret: await card.getByLabel('Consumer secret').inputValue(),
      accessToken: await card.getByLabel('Access token', { exact: true }).inputValue(),
      accessTokenSecret: await card.getByLabel('Access token secret').inputValue(),
    }
    expect(key.secret).toMatch(/^[0-9a-f]{32}$/)
    await card.getByRole('button', { name: 'Copy consumer secret' }).click()
    await card.getByText('Consumer secret copied.').waitFor()
    expect(await admin.evaluate<string>('navigator.clipboard.readText()')).toBe(key.secret)
    await checkAccessibility(admin, 'keys with a new key')
    await shot(admin, 'admin-keys')
    expect((await readSkillsWith(key)).status).toBe(200)

    // Shown once: after a reload the key is listed, its secrets are gone.
    await admin.reload()
    const row = admin.getByRole('row').filter({ hasText: key.appKey })
    await row.waitFor()
    const text = await admin.locator('body').innerText()
    for (const secret of [key.secret, key.accessToken, key.accessTokenSecret]) expect(text).not.toContain(secret)
    await row.getByRole('button', { name: `Revoke API key ${key.appKey}` }).click()
    await admin.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Revoke key' }).click()
    await admin.getByText(`Revoked the API key ${key.appKey}.`).waitFor()
    await row.waitFor({ state: 'detached' })
    expect((await readSkillsWith(key)).status).toBe(401)
    expect(problems).toEqual([])
  }, 60_000)
})
