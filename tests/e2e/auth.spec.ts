import { expect, test, type Page } from '@playwright/test'
import { DEMO_ACCOUNTS, DEMO_USERS, login, loginExpectingError, waitForHydration } from './helpers'

/** What each role must see on its landing page: real data it may see, not a placeholder. */
async function expectLandingContent(page: Page, role: string, username: string) {
  const title = page.getByTestId('page-title')
  switch (role) {
    case 'admin':
      await expect(title).toHaveText('账户管理')
      await expect(page.getByTestId('account-table')).toContainText('school1.counsellor')
      break
    case 'bureau':
      await expect(title).toHaveText('全区概况')
      // 100 demo schools, plus any another journey added before this one.
      await expect(page.getByTestId('stat-schools')).toHaveText(/^1\d\d$/)
      await expect(page.getByTestId('street-table')).toContainText('香蜜湖')
      await expect(page.getByTestId('school-table')).toContainText('DEMO-')
      break
    case 'school_admin':
      await expect(title).toContainText('示例·')
      await expect(page.getByTestId('enrolment-table')).toContainText('-20')
      break
    case 'counsellor':
      // the caseload board, with the school's own synthetic cases
      await expect(title).toHaveText('个案跟进')
      await expect(page.getByTestId('case-board')).toContainText('示例')
      break
    case 'researcher':
      // the researcher's projects: none until the bureau registers one (or the one a journey registered)
      await expect(title).toHaveText('我的研究项目')
      await expect(page.getByTestId('research-empty').or(page.getByTestId('research-project'))).toBeVisible()
      break
    case 'expert':
      // the expert's review list: only the applications the bureau assigned to this expert (the demo assigns some)
      await expect(title).toHaveText('我的评审任务')
      await expect(page.getByTestId(/^assignment-\d+$/).first()).toBeVisible()
      break
    case 'district_centre':
      // the alerts routed or escalated to the district centre
      await expect(title).toHaveText('评估预警')
      await expect(page.getByTestId('alert-table')).toBeVisible()
      break
    default:
      await expect(title).toHaveText('我的账户')
      await expect(page.getByText(username, { exact: true })).toBeVisible()
      await expect(page.getByTestId('session-table')).toContainText('本设备')
  }
}

test.describe('signing in', () => {
  for (const account of DEMO_ACCOUNTS) {
    test(`${account.username} (${account.role}) lands on ${account.landing} with its own data`, async ({ page }) => {
      await login(page, account.username)
      await expect(page).toHaveURL(account.landing)
      await expectLandingContent(page, account.role, account.username)
      await expect(page.getByTestId('demo-banner')).toBeVisible()
    })
  }

  test('a wrong password shows a localised error and signs nobody in', async ({ page }) => {
    const error = await loginExpectingError(page, DEMO_USERS.bureau, 'not-the-password-1')
    await expect(error).toHaveText('用户名或密码不正确。')
    await page.getByTestId('locale-switch').click()
    await loginExpectingError(page, DEMO_USERS.bureau, 'still-not-it-2')
    await expect(page.getByTestId('login-error')).toHaveText('Incorrect username or password.')
    await page.goto('/bureau')
    await expect(page).toHaveURL(/\/login/)
  })

  test('an unknown username gets exactly the same answer as a wrong password', async ({ page }) => {
    const error = await loginExpectingError(page, 'nobody-here', 'whatever-password-9')
    await expect(error).toHaveText('用户名或密码不正确。')
  })

  test('a school role cannot open admin pages; it is sent back to its own page', async ({ page }) => {
    await login(page, DEMO_USERS.school1Counsellor)
    await page.goto('/admin/accounts')
    await waitForHydration(page)
    await expect(page).toHaveURL('/school/cases')
    await expect(page.getByTestId('nav-admin-accounts')).toHaveCount(0)
  })

  test('signing out ends the session: the back button does not bring the page back', async ({ page }) => {
    await login(page, DEMO_USERS.school3Admin)
    await page.getByTestId('user-menu').click()
    await page.getByTestId('logout').click()
    await expect(page).toHaveURL(/\/login/)
    await page.goto('/school')
    await expect(page).toHaveURL(/\/login/)
  })
})

test('disabling an account signs its open browser out on the next request', async ({ browser }) => {
  const victimContext = await browser.newContext()
  const adminContext = await browser.newContext()
  const victim = await victimContext.newPage()
  const admin = await adminContext.newPage()

  await login(victim, DEMO_USERS.school2Counsellor)
  await expect(victim).toHaveURL('/school/cases')

  await login(admin, DEMO_USERS.admin)
  await admin.getByTestId('account-search').fill('school2.counsellor')
  await expect(admin.getByTestId('account-table')).not.toContainText('school1.counsellor')
  await admin.getByTestId('account-toggle-school2.counsellor').click()
  await admin.locator('.el-message-box').getByRole('button', { name: '停用' }).click()
  await expect(admin.getByTestId('account-table')).toContainText('已停用')

  // The victim's next request — a click inside the app — finds the session gone.
  await victim.getByTestId('nav-school-team').click()
  await expect(victim).toHaveURL(/\/login\?expired=1/)
  await expect(victim.getByText('登录已失效，请重新登录。')).toBeVisible()

  // And the account cannot sign in again while disabled.
  const error = await loginExpectingError(victim, DEMO_USERS.school2Counsellor, 'Xinqiao-Demo-2026')
  await expect(error).toHaveText('用户名或密码不正确。')

  // Re-enabled, it works again.
  await admin.getByTestId('account-toggle-school2.counsellor').click()
  await expect(admin.getByTestId('account-table')).toContainText('正常')
  await login(victim, DEMO_USERS.school2Counsellor)
  await expect(victim).toHaveURL('/school/cases')

  await victimContext.close()
  await adminContext.close()
})
