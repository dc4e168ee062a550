import { expect, test, type Page } from '@playwright/test'
import {
  actionDialog,
  DEMO_USERS,
  inputByTestId,
  login,
  moreAction,
  runToken,
  saveAction,
  seedCase,
  trpcData,
  waitForHydration,
} from './helpers'

async function openFile(page: Page, caseId: number) {
  await page.goto(`/school/cases/${caseId}`)
  await waitForHydration(page)
  await expect(page.getByTestId('case-timeline')).toBeVisible()
}

const errorToast = (page: Page) => page.locator('.el-message--error')

test('two counsellors on the same case: the second save gets a clear conflict message and overwrites nothing', async ({ browser }) => {
  const token = runToken()
  const context = await browser.newContext()
  const a = await context.newPage()
  await login(a, DEMO_USERS.school1Counsellor)
  const seeded = await seedCase(a.request, { token })
  const b = await context.newPage()
  await openFile(a, seeded.caseId)
  await openFile(b, seeded.caseId)

  // A raises the level.
  await moreAction(a, 'action-risk')
  await actionDialog(a).locator('.el-radio').filter({ hasText: '二级·高危' }).click()
  await inputByTestId(a, 'risk-reason').fill('（E2E）班主任反映情况加重。')
  await saveAction(a)
  await expect(a.getByTestId('page-title')).toContainText('二级·高危')

  // B still shows the file as it was, and tries to close it.
  await expect(b.getByTestId('page-title')).toContainText('三级·关注')
  await moreAction(b, 'action-close')
  await inputByTestId(b, 'close-outcome').fill('（E2E）不该生效的结案。')
  await actionDialog(b).getByTestId('case-action-save').click()
  await expect(errorToast(b)).toContainText('该记录已被他人修改，请刷新后重试。您的修改尚未保存。')
  await expect(actionDialog(b)).toBeVisible()

  // Nothing was overwritten: the case is open at A's level.
  const file = await trpcData<{ status: string; riskLevel: string; outcome: string | null }>(a.request, 'case.byId', { id: seeded.caseId })
  expect(file).toMatchObject({ status: 'open', riskLevel: 'high', outcome: null })
  await b.reload()
  await waitForHydration(b)
  await expect(b.getByTestId('page-title')).toContainText('二级·高危')
  await expect(b.getByTestId('case-closed-tag')).toHaveCount(0)
  await context.close()
})

test('bad input gets a localised error and changes nothing', async ({ page }) => {
  const token = runToken()
  await login(page, DEMO_USERS.school1Counsellor)
  const seeded = await seedCase(page.request, { token })
  await openFile(page, seeded.caseId)

  // A level change needs a reason.
  await moreAction(page, 'action-risk')
  await actionDialog(page).locator('.el-radio').filter({ hasText: '二级·高危' }).click()
  await actionDialog(page).getByTestId('case-action-save').click()
  await expect(errorToast(page)).toBeVisible()
  await expect(actionDialog(page).locator('.el-form-item__error')).toBeVisible()
  await expect(actionDialog(page)).toBeVisible()
  await actionDialog(page).getByRole('button', { name: '取消' }).click()
  await expect(page.getByTestId('page-title')).toContainText('三级·关注')

  // Closing needs an outcome.
  await moreAction(page, 'action-close')
  await actionDialog(page).getByTestId('case-action-save').click()
  await expect(actionDialog(page).locator('.el-form-item__error')).toBeVisible()
  await actionDialog(page).getByRole('button', { name: '取消' }).click()
  await expect(page.getByTestId('case-closed-tag')).toHaveCount(0)

  // A second open case for the same student is refused, with the reason, as soon as the student is picked
  // (before the rest of the form is filled; the server refuses it too: tests/server/cases.test.ts).
  await page.goto('/school/cases/new')
  await waitForHydration(page)
  await page.getByTestId('student-picker').click()
  await page.keyboard.type(seeded.studentNo)
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: seeded.studentNo }).click()
  await expect(page.getByTestId('case-exists')).toContainText('该生已有跟进中的个案')
  await page.getByTestId('case-categories').locator('.el-checkbox').filter({ hasText: '学习' }).click()
  await inputByTestId(page, 'case-concern').fill('（E2E）重复建档')
  await page.getByTestId('case-open-submit').click()
  await expect(page.locator('.el-form-item__error').first()).toBeVisible()
  await expect(page).toHaveURL('/school/cases/new')

  // An empty form is stopped before it reaches the server.
  await page.reload()
  await waitForHydration(page)
  await page.getByTestId('case-open-submit').click()
  await expect(page.locator('.el-form-item__error').first()).toBeVisible()
  await expect(page).toHaveURL('/school/cases/new')

  const board = await trpcData<{ items: { id: number }[] }>(page.request, 'case.board', { search: seeded.studentNo, status: 'all' })
  expect(board.items.map((i) => i.id)).toEqual([seeded.caseId])
})

test("a closed case reopens with a reason; the level's tasks are due again", async ({ page }) => {
  const token = runToken()
  await login(page, DEMO_USERS.school1Counsellor)
  const seeded = await seedCase(page.request, { token })
  await openFile(page, seeded.caseId)

  await moreAction(page, 'action-close')
  await inputByTestId(page, 'close-outcome').fill('（E2E）关系改善，结案。')
  await saveAction(page)
  await expect(page.getByTestId('case-closed-tag')).toBeVisible()
  // Closing cancels what was still open.
  await expect(page.locator('[data-testid^="task-"][data-status="open"]')).toHaveCount(0)
  await expect(page.locator('[data-testid^="task-"][data-status="cancelled"]')).toHaveCount(3)

  await page.getByTestId('action-reopen').click()
  const reason = `（E2E）期中后再次出现冲突。${token}`
  await inputByTestId(page, 'reopen-reason').fill(reason)
  await saveAction(page)
  await expect(page.getByTestId('case-closed-tag')).toHaveCount(0)
  await expect(page.getByTestId('action-crisis')).toBeVisible()
  await expect(page.getByTestId('case-timeline').locator('[data-kind="risk"]').filter({ hasText: reason })).toHaveCount(1)
  await expect(page.locator('[data-testid="task-counselling"][data-status="open"]')).toHaveCount(1)
})

test('a referral that already has feedback is offered a further feedback, which starts from the one recorded', async ({ page }) => {
  const token = runToken()
  await login(page, DEMO_USERS.school1Counsellor)
  const seeded = await seedCase(page.request, { token })
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const { id: referralId } = await trpcData<{ id: number }>(page.request, 'case.addReferral', {
    caseId: seeded.caseId,
    kind: 'hospital_clinic',
    target: `示例市儿童医院（E2E-${token}）`,
    sentOn: today,
  })
  await trpcData(page.request, 'case.updateReferral', {
    referralId,
    version: 1,
    status: 'feedback_received',
    on: today,
    feedback: '（E2E）门诊首次反馈。',
  })
  await openFile(page, seeded.caseId)

  const referral = page.getByTestId('referral')
  await expect(referral.getByTestId('referral-status')).toHaveText('已收到反馈')
  await expect(referral.getByTestId('referral-to-returned')).toBeVisible()
  const again = referral.getByTestId('referral-to-feedback_received')
  await expect(again).toHaveText('登记新的反馈')
  await again.click()
  await expect(inputByTestId(page, 'referral-feedback')).toHaveValue('（E2E）门诊首次反馈。')
  await inputByTestId(page, 'referral-feedback').fill('（E2E）复诊反馈：情况好转，继续每两周复诊。')
  await saveAction(page)
  await expect(referral.getByTestId('referral-status')).toHaveText('已收到反馈')
  await expect(referral).toContainText('（E2E）复诊反馈：情况好转，继续每两周复诊。')
  await expect(referral.getByTestId('referral-to-feedback_received')).toBeVisible()
})
