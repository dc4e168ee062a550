import { expect, test, type APIRequestContext } from '@playwright/test'
import { INSTRUMENTS } from '../../shared/instruments'
import { apiLogin, DEMO_USERS, inputByTestId, login, runToken, seedCase, trpcData, waitForHydration } from './helpers'

/**
 * The district centre (区级辅导中心): a school without a counsellor has its teacher-assessment alert
 * routed to the centre, which finds it in its inbox and acknowledges it; the bureau sees where each
 * school's alerts go. Break-glass: the centre opens a restricted case only with a reason, reads it for a
 * limited time, the school's counsellor is told, and the bureau marks the opening reviewed.
 * (Escalation after the working-hours deadline runs on the server's clock: it is proven with a
 * controllable clock in tests/server/district-centre.test.ts.)
 */

const PHQ9_ALERT = Object.fromEntries(INSTRUMENTS.phq9.items.map((i) => [i.key, i.key === 'phq9_9' ? 1 : 0]))

/** A new school with only a school admin (no counsellor); returns its code and the admin's request context. */
async function schoolWithoutCounsellor(request: APIRequestContext, token: string) {
  const code = `E2E-C-${token}`.slice(0, 30)
  const school = await trpcData<{ id: number }>(request, 'school.create', {
    code,
    name: `无心理教师学校（E2E${token}）`,
    nameEn: `No-counsellor school (E2E ${token})`,
    type: 'junior',
    streetId: 1,
    isPublic: true,
    address: null,
  })
  const username = `e2e.centre.${token}`.toLowerCase()
  await trpcData(request, 'account.create', {
    username,
    displayName: `学校管理员（E2E${token}）`,
    role: 'school_admin',
    schoolId: school.id,
    password: 'Initial-Pass-2026',
  })
  return { code, schoolId: school.id, username }
}

test('an alert of a school without a counsellor reaches the district centre, which acknowledges it; the bureau sees the routing', async ({
  browser,
}) => {
  test.setTimeout(150_000)
  const token = runToken()
  const adminContext = await browser.newContext()
  await apiLogin(adminContext.request, DEMO_USERS.admin)
  const school = await schoolWithoutCounsellor(adminContext.request, token)
  await adminContext.close()

  const schoolAdmin = await browser.newContext()
  await apiLogin(schoolAdmin.request, school.username, 'Initial-Pass-2026')
  await trpcData(schoolAdmin.request, 'auth.changePassword', { currentPassword: 'Initial-Pass-2026', newPassword: 'Centre-Pass-2026-x' })
  await apiLogin(schoolAdmin.request, school.username, 'Centre-Pass-2026-x')
  const teacher = await trpcData<{ id: number }>(schoolAdmin.request, 'teacher.create', {
    staffNo: `E2E-${token}`,
    name: `中心预警教师（E2E${token}）`,
    sex: 'M',
    birthYear: 1982,
  })
  const round = await trpcData<{ id: number }>(schoolAdmin.request, 'assessment.openRound', {
    name: `E2E 中心 ${token}`,
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    instruments: ['phq9'],
    schoolIds: [],
    consentZh: '本评估自愿参加，结果不作为考核依据。',
    consentEn: 'Voluntary; never used in appraisal.',
    recurrence: 'none',
  })
  const { slips } = await trpcData<{ slips: { teacherId: number; code: string }[] }>(schoolAdmin.request, 'assessment.issueCodes', {
    roundId: round.id,
  })
  await schoolAdmin.close()
  const anonymous = await browser.newContext()
  await trpcData(anonymous.request, 'respond.submit', {
    code: slips.find((s) => s.teacherId === teacher.id)!.code,
    answers: { phq9: PHQ9_ALERT },
    contactMe: false,
  })
  await anonymous.close()

  // The centre (zh-CN): the inbox item leads to the alert of that school; acknowledge it.
  const centre = await browser.newContext()
  const cp = await centre.newPage()
  await login(cp, DEMO_USERS.centre)
  await expect(cp).toHaveURL('/school/assessment/alerts')
  await expect(cp.getByTestId('alert-table')).toContainText(`无心理教师学校（E2E${token}）`)
  await cp.goto('/inbox')
  await waitForHydration(cp)
  await cp.getByTestId('inbox-item').filter({ hasText: '保密预警' }).first().locator('button').first().click()
  await cp.waitForURL(/\/school\/assessment\/alerts\/\d+$/)
  await waitForHydration(cp)
  await expect(cp.getByTestId('alert-head')).toContainText(`中心预警教师（E2E${token}）`)
  await expect(cp.getByTestId('alert-head')).toContainText(`无心理教师学校（E2E${token}）`)
  await cp.getByTestId('alert-acknowledge').click()
  await expect(cp.getByTestId('alert-acknowledged')).toBeVisible()
  await centre.close()

  // The bureau (en): the school's alerts go to the district centre; routing it there is a switch.
  const bureau = await browser.newContext()
  await bureau.addCookies([{ name: 'xq_locale', value: 'en', url: test.info().project.use.baseURL! }])
  const bp = await bureau.newPage()
  await login(bp, DEMO_USERS.bureau)
  await bp.goto('/bureau/settings')
  await waitForHydration(bp)
  await inputByTestId(bp, 'routing-search').fill(school.code)
  const row = bp.getByTestId('routing-table').locator('tr').filter({ hasText: school.code })
  await expect(row).toContainText('District centre')
  await bp.getByTestId(`routing-${school.code}`).click()
  await expect(bp.getByTestId(`routing-${school.code}`)).toHaveClass(/is-checked/)
  await bureau.close()
})

test('the district centre opens a restricted case only with a reason; the counsellor is told; the bureau reviews it', async ({
  browser,
}) => {
  test.setTimeout(150_000)
  const token = runToken()
  const school = await browser.newContext()
  await apiLogin(school.request, DEMO_USERS.school1Counsellor)
  const seeded = await seedCase(school.request, { token, suffix: 'BG', concern: `（E2E）破窗调阅的关注内容。${token}` })

  // The centre on a phone, in English: a too-short reason is refused; a real one opens the file read-only.
  const centre = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await centre.addCookies([{ name: 'xq_locale', value: 'en', url: test.info().project.use.baseURL! }])
  const cp = await centre.newPage()
  await login(cp, DEMO_USERS.centre)
  await cp.goto('/break-glass')
  await waitForHydration(cp)
  await expect(cp.getByTestId('page-title')).toHaveText('Break-glass: open a restricted case')
  await inputByTestId(cp, 'break-glass-case').fill(String(seeded.caseId))
  await inputByTestId(cp, 'break-glass-reason').fill('need it')
  await cp.getByTestId('break-glass-open').click()
  await expect(cp.locator('.el-form-item__error').first()).toBeVisible()
  expect(cp.url()).toMatch(/\/break-glass$/)
  const reason = `Guardian called the centre at night: the student speaks of self-harm (E2E ${token})`
  await inputByTestId(cp, 'break-glass-reason').fill(reason)
  await cp.getByTestId('break-glass-open').click()
  await cp.waitForURL(/\/break-glass\/\d+$/)
  await waitForHydration(cp)
  await expect(cp.getByTestId('break-glass-banner')).toContainText('Read-only break-glass access until')
  await expect(cp.getByTestId('break-glass-file')).toContainText(`破窗调阅的关注内容。${token}`)
  expect(await cp.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await centre.close()

  // The school's counsellor is told through the inbox.
  const inbox = await trpcData<{ items: { kind: string; entityId: number }[] }>(school.request, 'inbox.list', {
    page: 1,
    unreadOnly: false,
  })
  expect(inbox.items.some((i) => i.kind === 'case.break_glass' && i.entityId === seeded.caseId)).toBe(true)
  await school.close()

  // The bureau (zh-CN) reviews the opening with its reason and marks it reviewed.
  const bureau = await browser.newContext()
  const bp = await bureau.newPage()
  await login(bp, DEMO_USERS.bureau)
  await bp.goto('/bureau/break-glass')
  await waitForHydration(bp)
  await expect(bp.getByTestId('page-title')).toHaveText('紧急调阅审查')
  const row = bp.getByTestId('break-glass-review').locator('tr').filter({ hasText: reason })
  await expect(row).toContainText('区心理辅导中心')
  await row.getByRole('button', { name: '标记已审查' }).click()
  await bp.getByText('全部', { exact: true }).click()
  await expect(bp.getByTestId('break-glass-review').locator('tr').filter({ hasText: reason })).toContainText('区教育局')
  await bureau.close()
})
