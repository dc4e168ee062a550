import { expect, test } from '@playwright/test'
import {
  actionDialog,
  addCrisisNotification,
  DEMO_USERS,
  fillDateTime,
  importRoster,
  inputByTestId,
  login,
  moreAction,
  openCaseFor,
  rosterCsv,
  runToken,
  saveAction,
  searchCaseBoard,
  studentNo,
  trpcCall,
  waitForHydration,
  type TrpcError,
} from './helpers'

/**
 * What a crisis requires (server/rules/risk.ts REQUIRED_ACTIONS.crisis), with the labels the file shows.
 * Staying with the student is confirmed in the crisis dialog, not a task.
 */
const CRISIS_TASKS: [kind: string, label: string][] = [
  ['notify_principal', '当日通知校长/危机干预小组'],
  ['notify_guardian', '当日通知监护人'],
  ['hospital_referral', '当日转介医院（绿色通道）'],
  ['incident_record', '完成事件记录'],
  ['follow_up_24h', '24小时内跟进'],
  ['return_plan', '制定返校计划'],
]
/** What 三级·关注 requires at opening. */
const WATCH_TASKS: [kind: string, label: string][] = [
  ['counselling', '安排心理辅导'],
  ['head_teacher_monitoring', '请班主任关注'],
  ['monthly_review', '每月复评'],
]

test('counsellor: imports a class, opens a case, records a crisis, works its tasks, refers, closes and prints; another school cannot open it', async ({
  browser,
}) => {
  test.setTimeout(240_000)
  const token = runToken()
  const no = studentNo('E2E-0101', token)
  const name = '褚危一（E2E）'
  const concern = `（E2E）近两周情绪低落，上课常趴在桌上，作业未交。${token}`
  const crisisWhat = `（E2E）午休时在走廊情绪崩溃，说不想活了。${token}`
  const crisisActions = '（E2E）专人陪护，带至心理辅导室，联系家长到校。'
  const hospital = `示例市儿童医院心理门诊（E2E-${token}）`
  const feedback = '（E2E）门诊已接诊，建议每两周复诊，学校继续关注。'
  const outcome = `（E2E）情绪稳定，按返校计划复学，结案并请班主任继续关注。${token}`

  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, DEMO_USERS.school1Counsellor)
  let caseId = 0

  await test.step('imports a class list', async () => {
    await page.goto('/school/students')
    await waitForHydration(page)
    await importRoster(page, rosterCsv('class-4-2.csv', token), 3)
    await inputByTestId(page, 'student-search').fill(no)
    await expect(page.getByTestId('student-table').locator('tbody tr')).toHaveCount(1)
    await expect(page.getByTestId('student-table')).toContainText(name)
  })

  await test.step("opens a case at 三级·关注; the level's tasks appear", async () => {
    caseId = await openCaseFor(page, no, { categories: ['情绪', '学习'], concern, level: '三级·关注' })
    expect(caseId).toBeGreaterThan(0)
    await expect(page.getByTestId('page-title')).toContainText(name)
    await expect(page.getByTestId('page-title')).toContainText('三级·关注')
    await expect(page.getByText(concern)).toBeVisible()
    await expect(page.getByText('情绪、学习')).toBeVisible()
    for (const [kind, label] of WATCH_TASKS) {
      await expect(page.getByTestId(`task-${kind}`)).toHaveAttribute('data-status', 'open')
      await expect(page.getByTestId(`task-${kind}`)).toContainText(label)
    }
    for (const [kind] of CRISIS_TASKS) await expect(page.getByTestId(`task-${kind}`)).toHaveCount(0)
    const timeline = page.getByTestId('case-timeline')
    await expect(timeline.locator('[data-kind="risk"]')).toHaveCount(1)
    await expect(timeline.locator('[data-kind="risk"]')).toContainText('建立个案时设定')

    // It is on the caseload board, found by its student number.
    await page.goto('/school/cases')
    await waitForHydration(page)
    await searchCaseBoard(page, no)
    await expect(page.getByTestId(`case-link-${no}`)).toHaveText(name)
    await expect(page.getByTestId('case-board').locator('tbody tr')).toHaveCount(1)
    // And by the student's full name.
    await searchCaseBoard(page, name)
    await expect(page.getByTestId('case-board').locator('tbody tr')).toHaveCount(1)
    await expect(page.getByTestId(`case-link-${no}`)).toHaveText(name)
    await page.getByTestId(`case-link-${no}`).click()
    await expect(page).toHaveURL(`/school/cases/${caseId}`)
    await waitForHydration(page)
  })

  await test.step('records a crisis with the two notifications made: the case goes to 一级·危机, those two tasks are done', async () => {
    const now = Date.now()
    await page.getByTestId('action-crisis').click()
    const dialog = actionDialog(page)
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('保存后个案立即升为一级')
    // Nothing is claimed in advance: the notified list starts empty.
    await expect(dialog.getByTestId('crisis-none-notified')).toBeVisible()
    await fillDateTime(dialog.getByTestId('crisis-at'), new Date(now - 4 * 60_000))
    await inputByTestId(page, 'crisis-what').fill(crisisWhat)
    await dialog.getByTestId('crisis-accompanied').click()
    await inputByTestId(page, 'crisis-actions').fill(crisisActions)
    await addCrisisNotification(page, '学校危机干预小组', '', new Date(now - 3 * 60_000))
    await addCrisisNotification(page, '监护人', '褚母亲', new Date(now - 2 * 60_000))
    await saveAction(page)

    await expect(page.getByTestId('page-title')).toContainText('一级·危机')
    for (const [kind, label] of CRISIS_TASKS) await expect(page.getByTestId(`task-${kind}`)).toContainText(label)
    await expect(page.getByTestId('task-stay_with_student')).toHaveCount(0)
    await expect(page.getByTestId('task-notify_principal')).toHaveAttribute('data-status', 'done')
    await expect(page.getByTestId('task-notify_principal')).toContainText('学校危机干预小组')
    await expect(page.getByTestId('task-notify_guardian')).toHaveAttribute('data-status', 'done')
    await expect(page.getByTestId('task-notify_guardian')).toContainText('监护人 褚母亲')
    const timeline = page.getByTestId('case-timeline')
    const crisis = timeline.locator('[data-kind="crisis"]')
    await expect(crisis).toHaveCount(1)
    await expect(crisis).toContainText(crisisWhat)
    await expect(crisis).toContainText(crisisActions)
    await expect(crisis).toContainText('已安排专人陪伴学生')
    await expect(crisis).toContainText('学校危机干预小组')
    await expect(crisis).toContainText('监护人 褚母亲')
    await expect(timeline.locator('[data-kind="risk"]').filter({ hasText: '危机事件自动升为一级' })).toHaveCount(1)

    // Nothing falls due the moment a crisis is recorded: the case is a crisis, not overdue.
    await page.goto('/school/cases')
    await waitForHydration(page)
    await expect(page.getByTestId(`case-link-${no}`)).toBeVisible()
    await expect(page.getByTestId(`overdue-${no}`)).toHaveCount(0)
    expect(Number(await page.getByTestId('count-crisis').innerText())).toBeGreaterThanOrEqual(1)
    await page.getByTestId(`case-link-${no}`).click()
    await expect(page).toHaveURL(`/school/cases/${caseId}`)
    await waitForHydration(page)
  })

  await test.step('completes every task that is ticked off', async () => {
    const ticked = [...CRISIS_TASKS, ...WATCH_TASKS].filter(([kind]) => !kind.startsWith('notify_') && kind !== 'hospital_referral')
    for (const [kind] of ticked) {
      const task = page.getByTestId(`task-${kind}`)
      await page.getByTestId(`task-done-${kind}`).click()
      await expect(task).toHaveAttribute('data-status', 'done')
      await expect(task).toContainText('已完成')
      await expect(page.getByTestId(`task-done-${kind}`)).toHaveCount(0)
    }
    // The hospital referral is done by recording the referral, not by a tick.
    await expect(page.locator('[data-testid^="task-"][data-status="open"]')).toHaveCount(1)
    await expect(page.getByTestId('task-done-hospital_referral')).toHaveText('登记转介')

    // Nothing is overdue on the board.
    await page.goto('/school/cases')
    await waitForHydration(page)
    await expect(page.getByTestId(`case-link-${no}`)).toBeVisible()
    await expect(page.getByTestId(`overdue-${no}`)).toHaveCount(0)
    await page.getByTestId(`case-link-${no}`).click()
    await expect(page).toHaveURL(`/school/cases/${caseId}`)
    await waitForHydration(page)
  })

  await test.step('refers to a hospital clinic from its task and follows the referral both ways', async () => {
    await page.getByTestId('task-done-hospital_referral').click()
    await expect(actionDialog(page)).toBeVisible()
    await inputByTestId(page, 'referral-target').fill(hospital)
    await saveAction(page)
    const referral = page.getByTestId('referral')
    await expect(referral).toHaveCount(1)
    await expect(referral).toContainText(hospital)
    await expect(referral).toContainText('已转介')
    await expect(page.getByTestId('case-timeline').locator('[data-kind="referral"]')).toContainText(`转介至 ${hospital}`)
    // Recording it completed the referral task, which names it.
    await expect(page.getByTestId('task-hospital_referral')).toHaveAttribute('data-status', 'done')
    await expect(page.getByTestId('task-hospital_referral')).toContainText(`已转介至 ${hospital}`)
    await expect(page.locator('[data-testid^="task-"][data-status="open"]')).toHaveCount(0)

    await referral.getByTestId('referral-to-accepted').click()
    await expect(actionDialog(page)).toContainText('将转介状态登记为：对方已接收')
    await saveAction(page)
    await expect(referral.getByTestId('referral-status')).toHaveText('对方已接收')

    await referral.getByTestId('referral-to-feedback_received').click()
    await inputByTestId(page, 'referral-feedback').fill(feedback)
    await saveAction(page)
    await expect(referral.getByTestId('referral-status')).toHaveText('已收到反馈')
    await expect(referral).toContainText(feedback)

    await referral.getByTestId('referral-to-returned').click()
    await inputByTestId(page, 'referral-return-plan').fill('（E2E）先上半天课，每周与心理教师面谈一次。')
    await saveAction(page)
    await expect(referral.getByTestId('referral-status')).toHaveText('已返校')
    await expect(referral.locator('button')).toHaveCount(0)
  })

  await test.step('closes the case with an outcome', async () => {
    await moreAction(page, 'action-close')
    await inputByTestId(page, 'close-outcome').fill(outcome)
    await saveAction(page)
    await expect(page.getByTestId('case-closed-tag')).toHaveText('已结案')
    await expect(page.getByText(outcome)).toBeVisible()
    await expect(page.getByTestId('action-reopen')).toBeVisible()
    await expect(page.getByTestId('action-crisis')).toHaveCount(0)
    await expect(page.getByTestId('action-note')).toHaveCount(0)
    await expect(page.locator('[data-testid^="task-done-"]')).toHaveCount(0)

    // Off the open board, on the closed one.
    await page.goto('/school/cases')
    await waitForHydration(page)
    await searchCaseBoard(page, no)
    await expect(page.getByTestId('case-board')).toContainText('没有符合条件的个案')
    await expect(page.getByTestId(`case-link-${no}`)).toHaveCount(0)
  })

  await test.step('the case file prints', async () => {
    await page.goto(`/school/cases/${caseId}/print`)
    await waitForHydration(page)
    const print = page.getByTestId('case-print')
    await expect(print).toBeVisible()
    await expect(print).toContainText('机密 · 仅限个案工作使用')
    await expect(print).toContainText('学生心理个案档案')
    await expect(print).toContainText(name)
    await expect(print).toContainText(no)
    await expect(print).toContainText('四年级2班')
    await expect(print).toContainText('褚家长')
    await expect(print).toContainText('一级·危机')
    await expect(print).toContainText('已结案')
    await expect(print).toContainText(concern)
    await expect(print).toContainText(outcome)
    await expect(print).toContainText(crisisWhat)
    await expect(print).toContainText(hospital)
    await expect(print).toContainText(feedback)
    for (const [, label] of CRISIS_TASKS) await expect(print).toContainText(label)
    // The print shows the same notification record as the file, in the task and in the crisis entry.
    await expect(print).toContainText('监护人 褚母亲')
    await expect(print).toContainText('已安排专人陪伴学生')
    // No app chrome on the print page: no navigation, no action buttons.
    await expect(page.getByTestId('action-more')).toHaveCount(0)
    await expect(page.getByTestId('user-menu')).toHaveCount(0)
    // The print stylesheet hides the print button itself.
    await page.emulateMedia({ media: 'print' })
    await expect(print.getByRole('button', { name: '打印' })).toBeHidden()
    await page.emulateMedia({ media: 'screen' })
    await expect(print.getByRole('button', { name: '打印' })).toBeVisible()
  })

  await test.step('a counsellor of another school cannot open it', async () => {
    const otherContext = await browser.newContext()
    const other = await otherContext.newPage()
    await login(other, DEMO_USERS.school2Counsellor)
    for (const path of [`/school/cases/${caseId}`, `/school/cases/${caseId}/print`]) {
      await other.goto(path)
      await waitForHydration(other)
      await expect(other.getByTestId('case-timeline')).toHaveCount(0)
      await expect(other.getByTestId('case-print')).toHaveCount(0)
      await expect(other.getByTestId('action-crisis')).toHaveCount(0)
      const html = await other.content()
      for (const secret of [name, no, concern, crisisWhat, outcome, hospital]) expect(html, `${path} leaks ${secret}`).not.toContain(secret)
    }

    // Over the API: exactly the answer for an id that does not exist.
    const request = other.request
    const theirs = (await (await trpcCall(request, 'case.byId', { id: caseId })).json()) as { error: TrpcError }
    const missing = (await (await trpcCall(request, 'case.byId', { id: 999_999 })).json()) as { error: TrpcError }
    expect(theirs.error.data.code).toBe('NOT_FOUND')
    expect(theirs.error.data.httpStatus).toBe(404)
    expect(missing.error.data.code).toBe('NOT_FOUND')
    expect(theirs.error.message).toBe(missing.error.message)
    expect(JSON.stringify(theirs.error)).not.toContain(name)
    // Nor can it write to it (a closed case: reopening is a write).
    const reopen = (await (await trpcCall(request, 'case.reopen', { caseId, version: 1, reason: 'x' })).json()) as { error: TrpcError }
    expect(reopen.error.data.code).toBe('NOT_FOUND')
    await otherContext.close()

    // While its own counsellor still can (the page's request context carries its session).
    const own = await trpcCall(page.request, 'case.byId', { id: caseId })
    expect(own.status()).toBe(200)
  })

  await context.close()
})
