import { expect, test } from '@playwright/test'
import { actionDialog, apiLogin, DEMO_USERS, inputByTestId, login, runToken, saveAction, trpcData, waitForHydration } from './helpers'

test('a colleague put on a case and told of its crisis finds both in the inbox; opening one leads to the case and marks it read', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const token = runToken()
  const username = `e2e.inbox.${token}`.toLowerCase()
  const password = 'Inbox-Pass-2026-x'

  // A second counsellor at school 1, made by the admin, who has already set their own password.
  const adminContext = await browser.newContext()
  await apiLogin(adminContext.request, DEMO_USERS.admin)
  const { rows } = await trpcData<{ rows: { username: string; schoolId: number }[] }>(adminContext.request, 'account.list', {
    search: DEMO_USERS.school1Counsellor,
  })
  const schoolId = rows.find((r) => r.username === DEMO_USERS.school1Counsellor)!.schoolId
  await trpcData(adminContext.request, 'account.create', {
    username,
    displayName: `第二心理教师（E2E${token}）`,
    role: 'counsellor',
    schoolId,
    password: 'Initial-Pass-2026',
  })
  await adminContext.close()
  const colleagueContext = await browser.newContext()
  await apiLogin(colleagueContext.request, username, 'Initial-Pass-2026')
  await trpcData(colleagueContext.request, 'auth.changePassword', { currentPassword: 'Initial-Pass-2026', newPassword: password })

  // Counsellor 1 opens a case for both of them, then records a crisis on it.
  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, DEMO_USERS.school1Counsellor)
  const counsellors = await trpcData<{ id: number; name: string }[]>(page.request, 'case.counsellors')
  const colleagueId = counsellors.find((c) => c.name.includes(token))!.id
  const me = counsellors.find((c) => !c.name.includes(token) && c.name.includes('心理教师1'))!.id
  const { id: studentId } = await trpcData<{ id: number }>(page.request, 'student.create', {
    studentNo: `E2E-${token}-IN`,
    name: `邮箱生（E2E${token}）`,
    sex: 'M',
    birthDate: null,
    grade: 7,
    className: '2班',
  })
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const { id: caseId } = await trpcData<{ id: number }>(page.request, 'case.open', {
    studentId,
    source: 'self',
    categories: ['emotion'],
    flags: [],
    concern: `（E2E）考试焦虑。${token}`,
    riskLevel: 'watch',
    openedOn: today,
    counsellorIds: [me, colleagueId],
  })
  const unreadBefore = await trpcData<number | { count: number }>(page.request, 'inbox.unread')
  await page.goto(`/school/cases/${caseId}`)
  await waitForHydration(page)
  await page.getByTestId('action-crisis').click()
  await inputByTestId(page, 'crisis-what').fill('（E2E）课间情绪失控。')
  await inputByTestId(page, 'crisis-actions').fill('（E2E）带至心理辅导室。')
  await expect(actionDialog(page)).toBeVisible()
  await saveAction(page)
  // The one who did it is not told of their own act (the demo may have left them other unread items).
  expect(await trpcData<number | { count: number }>(page.request, 'inbox.unread')).toEqual(unreadBefore)

  const colleague = await colleagueContext.newPage()
  await colleague.goto('/school/cases')
  await waitForHydration(colleague)
  const bell = colleague.getByTestId('inbox-bell')
  await expect(bell.locator('sup')).toHaveText('2')
  await expect(bell).toHaveAttribute('aria-label', '通知，2 条未读')
  await bell.click()
  await expect(colleague).toHaveURL('/inbox')
  await waitForHydration(colleague)
  const items = colleague.getByTestId('inbox-item')
  await expect(items).toHaveCount(2)
  await expect(items.nth(0)).toContainText('你负责的个案记录了危机事件')
  await expect(items.nth(1)).toContainText('你被加入一个个案的负责教师')
  // Nothing of the case itself is in the inbox, and nothing sensitive in its URL.
  await expect(colleague.getByTestId('inbox-list')).not.toContainText('邮箱生')

  await items.nth(0).locator('button').click()
  await expect(colleague).toHaveURL(`/school/cases/${caseId}`)
  await waitForHydration(colleague)
  await expect(bell.locator('sup')).toHaveText('1')

  await bell.click()
  await waitForHydration(colleague)
  await expect(colleague.getByTestId('inbox-item').nth(0)).toHaveAttribute('data-read', 'true')
  await colleague.getByTestId('inbox-unread-only').click()
  await expect(colleague.getByTestId('inbox-item')).toHaveCount(1)
  await colleague.getByTestId('inbox-mark-all').click()
  await expect(colleague.getByText('没有未读通知')).toBeVisible()
  await expect(bell.locator('sup')).toBeHidden()

  await colleagueContext.close()
  await context.close()
})
