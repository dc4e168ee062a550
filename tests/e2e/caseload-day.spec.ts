import { expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, runToken, searchCaseBoard, seedCase, trpcData, waitForHydration } from './helpers'

/** What the board answers (the parts these journeys read). */
interface Board {
  items: { id: number; riskLevel: string; overdue: number; dueToday: number; student: { studentNo: string; name: string } }[]
  byLevel: Record<string, number>
  overdueCases: number
  dueTodayCases: number
}

/** Every URL the page requests, to prove a search term never travels in one. */
function recordUrls(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (r: Request) => urls.push(r.url()))
  return urls
}

function expectNotInUrls(urls: string[], term: string) {
  for (const url of urls) {
    expect(url, `a request URL carries the search term`).not.toContain(term)
    expect(url).not.toContain(encodeURIComponent(term))
  }
}

async function createStudent(request: APIRequestContext, studentNo: string, name: string): Promise<number> {
  const { id } = await trpcData<{ id: number }>(request, 'student.create', {
    studentNo,
    name,
    sex: 'M',
    birthDate: null,
    grade: 5,
    className: '2班',
    guardianName: null,
    guardianPhone: null,
  })
  return id
}

async function noSidewaysScroll(page: Page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
  expect(scrollWidth, `the page scrolls sideways at ${innerWidth} px`).toBeLessThanOrEqual(innerWidth)
}

test('a student with an open case cannot be picked again: the picker and the roster lead to the open case instead', async ({ page }) => {
  // four pages and a case opened through the form: longer than one page's budget on a shared 2-core machine
  test.setTimeout(180_000)
  const token = runToken()
  const urls = recordUrls(page)
  await login(page, DEMO_USERS.school1Counsellor)
  await expect(page).toHaveURL('/school/cases')
  const open = await seedCase(page.request, { token, suffix: 'DUP', level: 'watch' })
  const freshNo = `E2E-${token}-NEW`
  const freshName = `裴新生（E2E${token}）`
  const freshId = await createStudent(page.request, freshNo, freshName)

  await test.step('the picker marks the student with an open case, links to it and refuses the pick', async () => {
    await page.getByTestId('case-new').click()
    await expect(page).toHaveURL('/school/cases/new')
    await waitForHydration(page)
    const picker = page.getByTestId('student-picker')
    await picker.click()
    // part of the name is enough
    await page.keyboard.type('秦案DUP')
    const option = page.getByTestId(`pick-${open.studentNo}`)
    await expect(option).toContainText('已有跟进中的个案')
    await expect(option.getByTestId(`pick-open-case-${open.studentNo}`)).toHaveAttribute('href', `/school/cases/${open.caseId}`)
    // picking the student anyway: the form keeps no student and says why, before anything else is filled
    await option.locator('.xq-pick-label').click()
    const alert = page.getByTestId('case-exists')
    await expect(alert).toContainText(open.name)
    await expect(alert).toContainText('该生已有跟进中的个案')
    await expect(picker).not.toContainText(open.name)
    await page.getByTestId('case-open-submit').click()
    await expect(page.locator('.el-form-item.is-error').first()).toBeVisible()
    await expect(page).toHaveURL('/school/cases/new')

    // the link in the picker leads to the open case
    await picker.click()
    await page.keyboard.type('秦案DUP')
    await page.getByTestId(`pick-open-case-${open.studentNo}`).click()
    await expect(page).toHaveURL(`/school/cases/${open.caseId}`)
    await waitForHydration(page)
    await expect(page.getByTestId('page-title')).toContainText(open.name)
  })

  await test.step('the new-case form, reached with that student preset, says so before anything is filled', async () => {
    await page.goto(`/school/cases/new?student=${open.studentId}`)
    await waitForHydration(page)
    const alert = page.getByTestId('case-exists')
    await expect(alert).toContainText(open.name)
    await expect(alert).toContainText('该生已有跟进中的个案')
    await page.getByTestId('case-exists-link').click()
    await expect(page).toHaveURL(`/school/cases/${open.caseId}`)
  })

  await test.step('the roster offers "view case" for the student with an open case and "open case" otherwise', async () => {
    await page.goto('/school/students')
    await waitForHydration(page)
    await inputByTestId(page, 'student-search').fill(`E2E-${token}-`)
    await expect(page.getByTestId('student-table').locator('tbody tr')).toHaveCount(2)
    const view = page.getByTestId(`student-case-${open.studentNo}`)
    await expect(view).toHaveText('查看个案')
    await expect(view).toHaveAttribute('href', `/school/cases/${open.caseId}`)
    const start = page.getByTestId(`student-case-${freshNo}`)
    await expect(start).toHaveText('开案')
    await start.click()
    // the student travels as an id, never as a name
    await expect(page).toHaveURL(`/school/cases/new?student=${freshId}`)
    await waitForHydration(page)
  })

  await test.step('the new-case form has the student preset and opens the case', async () => {
    await expect(page.getByTestId('student-picker')).toContainText(freshName)
    await expect(page.getByTestId('case-exists')).toHaveCount(0)
    await page.getByTestId('case-categories').locator('.el-checkbox').filter({ hasText: '学习' }).first().click()
    await inputByTestId(page, 'case-concern').fill(`（E2E）作业拖欠，情绪低落。${token}`)
    await page.getByTestId('case-open-submit').click()
    await page.waitForURL(/\/school\/cases\/\d+$/)
    await waitForHydration(page)
    await expect(page.getByTestId('page-title')).toContainText(freshName)
    const caseId = Number(new URL(page.url()).pathname.split('/').pop())

    await page.goto('/school/students')
    await waitForHydration(page)
    await inputByTestId(page, 'student-search').fill(freshNo)
    await expect(page.getByTestId(`student-case-${freshNo}`)).toHaveText('查看个案')
    await expect(page.getByTestId(`student-case-${freshNo}`)).toHaveAttribute('href', `/school/cases/${caseId}`)
  })

  await test.step('no search term nor name ever travelled in a URL', async () => {
    for (const term of ['秦案DUP', open.name, freshName, `E2E-${token}-`]) expectNotInUrls(urls, term)
  })
})

test('part of a name finds the student on the board and in the roster, and the term stays out of URLs', async ({ page }) => {
  const urls = recordUrls(page)
  await login(page, DEMO_USERS.school1Counsellor)
  const board = await trpcData<Board>(page.request, 'case.board', {})
  // a demo student's full name carries a suffix ("黄佳怡（示例）"); typing the name alone finds it
  const full = board.items.map((i) => i.student.name).find((n) => /（示例）$/.test(n))!
  const part = full.replace('（示例）', '')
  const expected = board.items.filter((i) => i.student.name.includes(part))
  expect(expected.length).toBeGreaterThan(0)

  await page.goto('/school/cases')
  await waitForHydration(page)
  await searchCaseBoard(page, part)
  const rows = page.getByTestId('case-board').locator('tbody tr')
  await expect(rows).toHaveCount(expected.length)
  for (const i of expected) await expect(page.getByTestId(`case-link-${i.student.studentNo}`)).toHaveText(i.student.name)

  await page.goto('/school/students')
  await waitForHydration(page)
  await inputByTestId(page, 'student-search').fill(part)
  const found = page.getByTestId('student-table').locator('tbody tr')
  await expect(found.first()).toContainText(full)
  for (const text of await found.allInnerTexts()) expect(text).toContain(part)
  expectNotInUrls(urls, part)
})

test('the level and overdue cards filter the board, and the overdue / due-today view shows the day’s work', async ({ page }) => {
  const token = runToken()
  await login(page, DEMO_USERS.school1Counsellor)
  // A crisis opened now: "stay with the student" is overdue a moment later, the same-day notifications are due today.
  const crisis = await seedCase(page.request, { token, suffix: 'DAY', level: 'crisis' })
  await page.goto('/school/cases')
  await waitForHydration(page)
  const rows = page.getByTestId('case-board').locator('tbody tr')

  await page.getByTestId('card-crisis').click()
  await expect(page.getByTestId('card-crisis')).toHaveAttribute('aria-pressed', 'true')
  const crisisCount = Number(await page.getByTestId('count-crisis').innerText())
  await expect(rows).toHaveCount(crisisCount)
  for (const level of await rows.locator('[data-level]').evaluateAll((els) => els.map((e) => e.getAttribute('data-level'))))
    expect(level).toBe('crisis')
  await page.getByTestId('card-crisis').click()
  await expect(page.getByTestId('card-crisis')).toHaveAttribute('aria-pressed', 'false')

  await page.getByTestId('card-overdue').click()
  const overdueCount = Number(await page.getByTestId('count-overdue').innerText())
  await expect(rows).toHaveCount(overdueCount)
  await expect(rows.filter({ hasNot: page.locator('[data-testid^="overdue-"]') })).toHaveCount(0)
  await page.getByTestId('card-overdue').click()

  await page.getByTestId('card-today').click()
  await expect(page.getByTestId(`today-${crisis.studentNo}`)).toContainText('今日到期 3 项')
  await expect(rows).toHaveCount(Number(await page.getByTestId('count-today').innerText()))
  await expect(rows.filter({ hasNot: page.locator('[data-testid^="today-"]') })).toHaveCount(0)

  await page.getByTestId('case-due-view').getByText('逾期或今日到期').click()
  await expect(page.getByTestId('card-today')).toHaveAttribute('aria-pressed', 'false')
  await expect(page.getByTestId(`case-link-${crisis.studentNo}`)).toBeVisible()
  const inView = await rows.evaluateAll((trs) =>
    trs.map((tr) => !!tr.querySelector('[data-testid^="overdue-"]') || !!tr.querySelector('[data-testid^="today-"]')),
  )
  expect(inView.length).toBeGreaterThan(0)
  expect(inView.every(Boolean)).toBe(true)
})

test.describe('on a phone (390 px)', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

  test('the caseload is a list of cards with level, name, overdue count and next due, and nothing scrolls sideways', async ({ page }) => {
    await login(page, DEMO_USERS.school1Counsellor)
    await expect(page).toHaveURL('/school/cases')
    await waitForHydration(page)
    const board = await trpcData<Board>(page.request, 'case.board', {})
    expect(board.items.length).toBeGreaterThan(0)

    const cards = page.getByTestId('case-cards')
    await expect(cards).toBeVisible()
    await expect(page.getByTestId('case-board')).toBeHidden()
    await expect(cards.locator('li')).toHaveCount(board.items.length)
    for (const item of board.items) {
      const card = page.getByTestId(`case-card-${item.student.studentNo}`)
      await expect(card.locator(`[data-level="${item.riskLevel}"]`)).toBeVisible()
      await expect(card).toContainText(item.student.name)
      if (item.overdue) await expect(card.getByTestId('card-overdue-count')).toHaveText(`逾期 ${item.overdue} 项`)
      else await expect(card.getByTestId('card-overdue-count')).toHaveCount(0)
      await expect(card.getByTestId('card-next-due')).toHaveText(/^(下一事项|下次跟进) \S+|暂无待办/)
    }
    // the overdue cards on a phone sit first, as in the table
    const overdueFirst = await cards
      .locator('li')
      .evaluateAll((lis) => lis.map((li) => li.classList.contains('is-overdue')).reduce((ok, o, i, all) => ok && (o || !all[i + 1]), true))
    expect(overdueFirst).toBe(true)
    await noSidewaysScroll(page)

    // a card is one tap to the case file
    const first = board.items[0]!
    await page.getByTestId(`case-card-${first.student.studentNo}`).getByRole('link').click()
    await expect(page).toHaveURL(`/school/cases/${first.id}`)
    await waitForHydration(page)
    await noSidewaysScroll(page)

    // the overdue card filters the phone list too
    await page.goto('/school/cases')
    await waitForHydration(page)
    await page.getByTestId('card-overdue').click()
    await expect(cards.locator('li')).toHaveCount(board.overdueCases)
    await expect(cards.locator('li:not(.is-overdue)')).toHaveCount(0)
    await noSidewaysScroll(page)

    for (const path of ['/school/students', '/school/cases/new']) {
      await page.goto(path)
      await waitForHydration(page)
      await noSidewaysScroll(page)
    }
  })
})
