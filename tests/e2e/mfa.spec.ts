import { expect, request as playwrightRequest, test, type APIRequestContext, type Browser, type Page } from '@playwright/test'
import { Secret, TOTP } from 'otpauth'
import { apiLogin, DEMO_USERS, inputByTestId, login, runToken, trpcData, waitForHydration } from './helpers'

/**
 * Two-step verification as a user meets it: turning it on from the account page (QR code and key,
 * first code, recovery codes shown once), signing in with password then code, a wrong code refused in
 * the reader's language, a recovery code instead of the phone, an administrator's reset; and, when
 * the district requires it for a role, enrolment at the first sign-in. The codes come from the otpauth
 * library, as an authenticator app would compute them.
 */
const PASSWORD = 'Mfa-Journey-2026'
// Several browser contexts per journey on a shared 2-core machine.
test.setTimeout(180_000)

function appCode(secret: string, offsetMs = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s/g, '')), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetMs,
  })
}

/** A fresh account of `role` whose first password is already changed, created by the demo admin over the API. */
async function freshAccount(baseURL: string, role: 'bureau' | 'admin', token: string): Promise<string> {
  const admin = await playwrightRequest.newContext({ baseURL })
  await apiLogin(admin, DEMO_USERS.admin)
  const username = `mfa.${role}.${token}`
  await trpcData(admin, 'account.create', { username, displayName: `MFA ${token}`, role, schoolId: null, password: `Init-${PASSWORD}` })
  await admin.dispose()
  const user = await playwrightRequest.newContext({ baseURL })
  await apiLogin(user, username, `Init-${PASSWORD}`)
  await trpcData(user, 'auth.changePassword', { currentPassword: `Init-${PASSWORD}`, newPassword: PASSWORD })
  await user.dispose()
  return username
}

async function newPage(browser: Browser, locale: 'zh-CN' | 'en', baseURL: string): Promise<Page> {
  const context = await browser.newContext({ locale })
  if (locale === 'en') await context.addCookies([{ name: 'xq_locale', value: 'en', url: baseURL }])
  return context.newPage()
}

/** The password step; resolves on the second-step page. */
async function passwordThenSecondStep(page: Page, username: string) {
  await page.goto('/login')
  await waitForHydration(page)
  await inputByTestId(page, 'login-username').fill(username)
  await inputByTestId(page, 'login-password').fill(PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => url.pathname === '/mfa')
  await waitForHydration(page)
}

test('a bureau officer turns on two-step verification, signs in with a code or a recovery code, and the admin resets it (zh-CN)', async ({
  browser,
  baseURL,
}) => {
  const username = await freshAccount(baseURL!, 'bureau', runToken())
  const page = await newPage(browser, 'zh-CN', baseURL!)
  await login(page, username, PASSWORD)
  await page.goto('/account')
  await waitForHydration(page)
  const card = page.getByTestId('mfa-card')
  await expect(card).toContainText('两步验证')
  await expect(page.getByTestId('mfa-status')).toContainText('未开启')
  await page.getByTestId('mfa-turn-on').click()
  await expect(page.getByTestId('mfa-qr')).toBeVisible()
  const secret = (await page.getByTestId('mfa-secret').textContent())!.trim()
  expect(secret.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/)
  await inputByTestId(page, 'mfa-enrol-code').fill(appCode(secret))
  await page.getByTestId('mfa-enrol-confirm').click()
  const codes = page.getByTestId('mfa-recovery-code')
  await expect(codes).toHaveCount(10)
  const recovery = (await codes.first().textContent())!.trim()
  expect(recovery).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/)
  await page.getByTestId('mfa-codes-done').click()
  await expect(page.getByTestId('mfa-status')).toContainText('已开启')
  expect(page.url()).not.toContain(secret.replace(/\s/g, ''))
  await page.context().close()

  // Password, then the code: a wrong one is refused in Chinese; the right one (the app's next) opens the app.
  const second = await newPage(browser, 'zh-CN', baseURL!)
  await passwordThenSecondStep(second, username)
  await expect(second.getByTestId('page-title')).toHaveText('输入验证码')
  const right = appCode(secret, 30_000)
  await inputByTestId(second, 'mfa-code').fill(right === '000000' ? '111111' : '000000')
  await second.getByTestId('mfa-submit').click()
  await expect(second.getByTestId('mfa-error')).toContainText('验证码不正确')
  await inputByTestId(second, 'mfa-code').fill(right)
  await second.getByTestId('mfa-submit').click()
  await second.waitForURL((url) => url.pathname.startsWith('/bureau'))
  expect(second.url()).not.toContain(right)
  await second.context().close()

  // Without the phone: a recovery code, once.
  const third = await newPage(browser, 'zh-CN', baseURL!)
  await passwordThenSecondStep(third, username)
  await inputByTestId(third, 'mfa-code').fill(recovery)
  await third.getByTestId('mfa-submit').click()
  await third.waitForURL((url) => url.pathname.startsWith('/bureau'))
  await third.context().close()

  // The admin resets the factor (a lost phone): the next sign-in takes the password alone.
  const admin = await newPage(browser, 'zh-CN', baseURL!)
  await login(admin, DEMO_USERS.admin)
  await admin.goto('/admin/accounts')
  await waitForHydration(admin)
  await inputByTestId(admin, 'account-search').fill(username)
  await expect(admin.getByTestId(`account-mfa-${username}`)).toBeVisible()
  await admin.getByTestId(`account-mfa-reset-${username}`).click()
  await admin.locator('.el-message-box').getByRole('button', { name: '重置两步验证' }).click()
  await expect(admin.locator('.el-message--success')).toContainText('已重置两步验证')
  await expect(admin.getByTestId(`account-mfa-${username}`)).toHaveCount(0)
  await admin.context().close()

  const fourth = await newPage(browser, 'zh-CN', baseURL!)
  await login(fourth, username, PASSWORD)
  await expect(fourth).toHaveURL(/\/bureau/)
  await fourth.context().close()
})

test.describe('when the district requires two-step verification', () => {
  let bureau: APIRequestContext
  test.beforeAll(async ({ baseURL }) => {
    bureau = await playwrightRequest.newContext({ baseURL })
    await apiLogin(bureau, DEMO_USERS.bureau)
  })
  test.afterAll(async () => {
    // Off again whatever happened, so every other journey signs in with its password alone.
    const current = await trpcData<{ retention: unknown }>(bureau, 'security.settings')
    await trpcData(bureau, 'security.updateSettings', { mfaRequiredRoles: [], retention: current.retention })
    await bureau.dispose()
  })

  test('an admin account enrols at its first sign-in, in English, and keeps its recovery codes', async ({ browser, baseURL }) => {
    const username = await freshAccount(baseURL!, 'admin', runToken())
    const current = await trpcData<{ retention: unknown }>(bureau, 'security.settings')
    await trpcData(bureau, 'security.updateSettings', { mfaRequiredRoles: ['admin'], retention: current.retention })
    try {
      await enrolAtSignIn(browser, baseURL!, username)
    } finally {
      await trpcData(bureau, 'security.updateSettings', { mfaRequiredRoles: [], retention: current.retention })
    }
  })

  async function enrolAtSignIn(browser: Browser, baseURL: string, username: string) {
    const page = await newPage(browser, 'en', baseURL)
    await passwordThenSecondStep(page, username)
    await expect(page.getByTestId('page-title')).toHaveText('Set up two-step verification')
    await expect(page.getByText('The district requires two-step verification for your role.')).toBeVisible()
    // the waiting sign-in opens nothing else
    await page.goto('/admin/accounts')
    await expect(page).toHaveURL(/\/login/)
    await page.goto('/mfa')
    await waitForHydration(page)
    await expect(page.getByTestId('mfa-qr')).toBeVisible()
    const secret = (await page.getByTestId('mfa-secret').textContent())!.trim()
    await inputByTestId(page, 'mfa-code').fill('12345')
    await page.getByTestId('mfa-submit').click()
    await expect(page.getByTestId('mfa-error')).toContainText('Enter the 6 digits from your authenticator app')
    await inputByTestId(page, 'mfa-code').fill(appCode(secret))
    await page.getByTestId('mfa-submit').click()
    await expect(page.getByTestId('mfa-recovery-code')).toHaveCount(10)
    await expect(page.getByText('they are shown this once only')).toBeVisible()
    await page.getByTestId('mfa-continue').click()
    await page.waitForURL((url) => url.pathname.startsWith('/admin'))
    await page.goto('/account')
    await waitForHydration(page)
    await expect(page.getByTestId('mfa-status')).toContainText('On since')
    await expect(page.getByTestId('mfa-card')).toContainText('Required by the district')
    await expect(page.getByTestId('mfa-turn-off')).toHaveCount(0)
    await page.context().close()
  }

  test('the bureau sets it per role on the settings page, and a too-short audit retention is refused in words', async ({
    browser,
    baseURL,
  }) => {
    const page = await newPage(browser, 'en', baseURL!)
    await login(page, DEMO_USERS.bureau)
    await page.goto('/bureau/settings')
    await waitForHydration(page)
    const card = page.getByTestId('security-settings')
    await expect(card).toContainText('Two-step verification and data retention')
    await expect(page.getByTestId('retention-last-run')).toContainText('Last purge')
    await inputByTestId(page, 'retention-audit-months').fill('3')
    await page.getByTestId('security-save').click()
    await expect(card).toContainText('Audit logs are kept at least 6 months')
    const stored = await trpcData<{ retention: { auditMonths: number }; mfaRequiredRoles: string[] }>(bureau, 'security.settings')
    expect(stored.retention.auditMonths).toBeGreaterThanOrEqual(6)
    expect(stored.mfaRequiredRoles).toEqual([])
    await page.context().close()
  })
})
