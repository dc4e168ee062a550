import { expect, test } from '@playwright/test'
import {
  actionDialog,
  DEMO_USERS,
  fillDateTime,
  inputByTestId,
  login,
  runToken,
  saveAction,
  seedCase,
  trpcData,
  trpcError,
  waitForHydration,
} from './helpers'

test('a crisis record claims no notification nobody made; completing a notification task asks who and when; a task can be not applicable', async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const token = runToken()
  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, DEMO_USERS.school1Counsellor)
  const seeded = await seedCase(page.request, { token, suffix: 'N1', level: 'watch' })
  await page.goto(`/school/cases/${seeded.caseId}`)
  await waitForHydration(page)

  await test.step('records a crisis without any notification: nothing is claimed, the notification tasks stay open', async () => {
    const now = Date.now()
    await page.getByTestId('action-crisis').click()
    const dialog = actionDialog(page)
    await expect(dialog.getByTestId('crisis-none-notified')).toBeVisible()
    await expect(dialog.getByTestId('crisis-notified-row')).toHaveCount(0)
    await fillDateTime(dialog.getByTestId('crisis-at'), new Date(now - 5 * 60_000))
    await inputByTestId(page, 'crisis-what').fill(`（E2E）体育课后情绪激动，有自伤言语。${token}`)
    await inputByTestId(page, 'crisis-actions').fill('（E2E）带至心理辅导室。')
    await saveAction(page)

    const crisis = page.getByTestId('case-timeline').locator('[data-kind="crisis"]')
    await expect(crisis.getByTestId('crisis-notified')).toContainText('尚未登记任何通知')
    // Not confirmed, so the record says so instead of claiming it.
    await expect(crisis.getByTestId('crisis-accompanied')).toHaveText('未确认有人陪伴学生')
    for (const kind of ['notify_principal', 'notify_guardian', 'hospital_referral'])
      await expect(page.getByTestId(`task-${kind}`)).toHaveAttribute('data-status', 'open')
    await expect(page.getByTestId('task-stay_with_student')).toHaveCount(0)
  })

  await test.step('a notification task cannot be ticked off, over the API either', async () => {
    const file = await trpcData<{ tasks: { id: number; kind: string }[] }>(page.request, 'case.byId', { id: seeded.caseId })
    const guardian = file.tasks.find((x) => x.kind === 'notify_guardian')!
    const error = await trpcError(page.request, 'case.completeTask', { taskId: guardian.id, status: 'done' })
    expect([error.status, error.data.appCode]).toEqual([400, 'task.needsNotification'])
  })

  await test.step('completing the guardian task asks who was told and when; the task and the timeline show that one record', async () => {
    await expect(page.getByTestId('task-done-notify_guardian')).toHaveText('登记通知')
    await page.getByTestId('task-done-notify_guardian').click()
    const dialog = actionDialog(page)
    await expect(dialog.getByTestId('case-notify-form')).toBeVisible()
    // Only the guardian fulfils this task, so it is picked; the time is asked, never assumed.
    await expect(dialog.getByTestId('notify-recipient')).toContainText('监护人')
    await expect(dialog.getByTestId('notify-at').locator('input')).toHaveValue('')
    await dialog.getByTestId('case-action-save').click()
    await expect(dialog).toContainText('通知时间')
    await expect(page.getByTestId('task-notify_guardian')).toHaveAttribute('data-status', 'open')

    await inputByTestId(page, 'notify-name').fill('秦父亲')
    await fillDateTime(dialog.getByTestId('notify-at'), new Date(Date.now() - 60_000))
    await saveAction(page)
    const task = page.getByTestId('task-notify_guardian')
    await expect(task).toHaveAttribute('data-status', 'done')
    await expect(task.getByTestId('task-outcome')).toContainText('监护人 秦父亲')
    await expect(page.getByTestId('case-timeline').getByTestId('timeline-notification')).toContainText('监护人 秦父亲')
  })

  await test.step('marks the return plan not applicable with a reason, kept on the file and in the print', async () => {
    await page.getByTestId('task-na-return_plan').click()
    const dialog = actionDialog(page)
    await dialog.getByTestId('case-action-save').click()
    await expect(dialog).toBeVisible()
    await inputByTestId(page, 'task-na-reason').fill('（E2E）学生未离校，无需返校计划。')
    await saveAction(page)
    const task = page.getByTestId('task-return_plan')
    await expect(task).toHaveAttribute('data-status', 'not_applicable')
    await expect(task.getByTestId('task-outcome')).toContainText('不适用：（E2E）学生未离校，无需返校计划。')

    await page.goto(`/school/cases/${seeded.caseId}/print`)
    await waitForHydration(page)
    const print = page.getByTestId('case-print')
    await expect(print).toContainText('（E2E）学生未离校，无需返校计划。')
    await expect(print).toContainText('监护人 秦父亲')
    await expect(print).toContainText('尚未登记任何通知')
  })

  await test.step('in English, at 390 px, the tasks read naturally and the page does not scroll sideways', async () => {
    await page.goto(`/school/cases/${seeded.caseId}`)
    await waitForHydration(page)
    await page.getByTestId('locale-switch').click()
    await expect(page.getByTestId('task-done-notify_principal')).toHaveText('Record notification')
    await page.setViewportSize({ width: 390, height: 844 })
    await page.reload()
    await waitForHydration(page)
    await expect(page.getByTestId('task-done-notify_principal')).toHaveText('Record notification')
    await expect(page.getByTestId('task-notify_guardian').getByTestId('task-outcome')).toContainText('Guardian 秦父亲, told')
    await expect(page.getByTestId('task-return_plan').getByTestId('task-outcome')).toContainText('Not applicable: ')
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
  })
  await context.close()
})
