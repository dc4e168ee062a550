import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { apiLogin, DEMO_USERS, login, trpcCall, trpcData, waitForHydration, type TrpcError } from './helpers'

interface BoardItem {
  id: number
  status: string
  riskLevel: string
  student: { studentNo: string; name: string }
}
interface Board {
  items: BoardItem[]
  byLevel: Record<string, number>
  overdueCases: number
}
interface Counts {
  byLevel: Record<'crisis' | 'high' | 'watch' | 'routine', number>
  open: number
  overdueTasks: number
  overdueFollowUps: number
}

/** The school-1 caseload as its counsellor sees it (read only: these journeys change nothing). */
async function school1Board(request: APIRequestContext): Promise<Board> {
  await apiLogin(request, DEMO_USERS.school1Counsellor)
  const board = await trpcData<Board>(request, 'case.board', { status: 'all' })
  expect(board.items.length, 'the demo seed gives school 1 cases').toBeGreaterThanOrEqual(7)
  return board
}

async function errorOf(request: APIRequestContext, path: string, input: unknown): Promise<TrpcError> {
  const res = await trpcCall(request, path, input)
  const body = (await res.json()) as { error?: TrpcError }
  expect(body.error, `${path} was expected to fail`).toBeTruthy()
  return body.error!
}

/** Neither the rendered text nor the HTML (with its SSR payload) carries any of these names. */
async function expectNoNames(page: Page, names: string[]) {
  const html = await page.content()
  const text = await page.locator('body').innerText()
  for (const name of names) {
    expect(html, `the page's HTML contains ${name}`).not.toContain(name)
    expect(text).not.toContain(name)
  }
}

test("the school admin sees the school's case counts only: no names, no board, no file", async ({ browser, request }) => {
  // The counsellor's view first: the names on the board and the counts.
  const board = await school1Board(request)
  const names = [...new Set(board.items.map((i) => i.student.name))]
  expect(names.every((n) => n.length > 1)).toBe(true)
  const counts = await trpcData<Counts>(request, 'case.schoolCounts')

  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, DEMO_USERS.school1Admin)
  await expect(page).toHaveURL('/school')
  const cards = page.getByTestId('case-counts')
  await expect(cards).toBeVisible()
  for (const level of ['crisis', 'high', 'watch', 'routine'] as const)
    await expect(cards.getByTestId(`count-${level}`)).toHaveText(String(counts.byLevel[level]))
  await expect(cards.getByTestId('count-overdue')).toHaveText(String(counts.overdueTasks + counts.overdueFollowUps))
  expect(counts.open).toBeGreaterThan(0)
  await expect(page.getByText('学校管理员只能看到数量，看不到学生姓名或记录内容。')).toBeVisible()
  await expect(page.getByText('进入个案跟进')).toHaveCount(0)
  await expect(page.getByTestId('case-board')).toHaveCount(0)
  await expectNoNames(page, names)

  // The case pages are not for this role: each sends it back to its own page, with nothing shown on the way.
  for (const path of [
    '/school/cases',
    `/school/cases/${board.items[0]!.id}`,
    `/school/cases/${board.items[0]!.id}/print`,
    '/school/students',
  ]) {
    await page.goto(path)
    await waitForHydration(page)
    await expect(page).toHaveURL('/school')
    await expectNoNames(page, names)
  }

  // And the API refuses it whatever the screen shows.
  for (const [path, input] of [
    ['case.board', {}],
    ['case.byId', { id: board.items[0]!.id }],
    ['student.list', {}],
  ] as const) {
    const error = await errorOf(page.request, path, input)
    expect(error.data.code, path).toBe('FORBIDDEN')
    expect(JSON.stringify(error)).not.toContain(board.items[0]!.student.name)
  }
  await context.close()
})

test('the bureau sees district case statistics with hidden figures shown as “—”, the population named, and no identities', async ({
  browser,
  request,
}) => {
  const names = [...new Set((await school1Board(request)).items.map((i) => i.student.name))]

  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, DEMO_USERS.bureau)
  await page.goto('/bureau/cases')
  await waitForHydration(page)
  await expect(page.getByTestId('page-title')).toHaveText('全区个案统计')
  await expect(page.getByTestId('stats-note')).toContainText('1 至 9 的数字以“—”隐去')
  await expect(page.getByTestId('stats-population')).toContainText('统计对象：在案（未结案）个案')

  const table = page.getByTestId('stats-table')
  /** Every count cell (all columns but the school's name) of the body. */
  const countCells = async () => {
    const out: string[] = []
    for (const row of await table.locator('.el-table__body-wrapper tbody tr').all()) {
      const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim())
      out.push(...cells.slice(1))
    }
    return out
  }
  const views: [label: string, headers: string[]][] = [
    ['按风险等级', ['一级·危机', '二级·高危', '三级·关注', '常规', '合计']],
    ['按问题类别', ['情绪', '学习']],
    ['按状态', ['跟进中', '已结案', '合计']],
  ]
  for (const [label, headers] of views) {
    await page.locator('.el-radio-button').filter({ hasText: label }).click()
    for (const h of headers) await expect(table.locator('.el-table__header-wrapper')).toContainText(h)
    // The three demo schools have cases: at least three rows, and their small counts are hidden.
    await expect(table.locator('.el-table__body-wrapper tbody tr').nth(2)).toBeVisible()
    await expect(table.locator('.el-table__body-wrapper tbody')).toContainText('—')
    const cells = await countCells()
    expect(cells.length).toBeGreaterThan(0)
    for (const cell of cells) {
      expect(cell, `a ${label} cell`).toMatch(/^(—|0|\d{2,})$/)
    }
  }
  // With the demo data (a handful of open cases per school), every demo school's total by level is hidden.
  await page.locator('.el-radio-button').filter({ hasText: '按风险等级' }).click()
  await expect(table.locator('.el-table__header-wrapper')).toContainText('一级·危机')
  const byLevel = await countCells()
  expect(byLevel.filter((c) => c === '—').length).toBeGreaterThanOrEqual(3)
  expect(byLevel.join()).not.toContain('<10')

  await expectNoNames(page, names)

  // Case content is not the bureau's: every case procedure but the statistics is refused.
  for (const [path, input] of [
    ['case.board', {}],
    ['case.byId', { id: 1 }],
    ['case.schoolCounts', undefined],
  ] as const) {
    const error = await errorOf(page.request, path, input)
    expect(error.data.code, path).toBe('FORBIDDEN')
  }
  await context.close()
})

test('a counsellor of another school gets NOT_FOUND for a school-1 case, on the page and over the API', async ({ browser, request }) => {
  const board = await school1Board(request)
  const target = board.items.find((i) => i.status === 'open')!
  const names = [...new Set(board.items.map((i) => i.student.name))]

  const context = await browser.newContext()
  const page = await context.newPage()
  await login(page, DEMO_USERS.school2Counsellor)

  for (const path of [`/school/cases/${target.id}`, `/school/cases/${target.id}/print`]) {
    await page.goto(path)
    await waitForHydration(page)
    await expect(page.getByTestId('case-timeline')).toHaveCount(0)
    await expect(page.getByTestId('case-print')).toHaveCount(0)
    await expect(page.getByTestId('action-crisis')).toHaveCount(0)
    await expect(page.getByText(target.student.studentNo)).toHaveCount(0)
    await expectNoNames(page, names)
  }

  // Its own board and roster do not list school 1's students either.
  await page.goto('/school/cases')
  await waitForHydration(page)
  await expect(page.getByTestId('case-board')).toBeVisible()
  await expect(page.getByTestId(`case-link-${target.student.studentNo}`)).toHaveCount(0)
  await expectNoNames(page, names)

  const api = page.request
  const theirs = await errorOf(api, 'case.byId', { id: target.id })
  const missing = await errorOf(api, 'case.byId', { id: 999_999 })
  expect(theirs.data.code).toBe('NOT_FOUND')
  expect(theirs.data.httpStatus).toBe(404)
  expect(missing.data.code).toBe('NOT_FOUND')
  expect(theirs.message).toBe(missing.message)
  expect(theirs.data.appCode).toBe(missing.data.appCode)
  // Writes are refused the same way, so an id cannot be probed through them either.
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
  for (const [path, input] of [
    [
      'case.addNote',
      { caseId: target.id, sessionDate: today, durationMin: 30, type: 'individual', text: '（E2E）越权写入', private: false },
    ],
    [
      'case.recordCrisis',
      {
        caseId: target.id,
        occurredAt: new Date().toISOString(),
        what: '（E2E）越权',
        actions: '（E2E）越权',
        accompanied: true,
        notified: [],
      },
    ],
  ] as const) {
    const error = await errorOf(api, path, input)
    expect(error.data.code, path).toBe('NOT_FOUND')
  }
  const roster = await trpcData<{ total: number }>(api, 'student.list', { search: target.student.studentNo })
  expect(roster.total).toBe(0)
  await context.close()

  // School 1's case is untouched.
  const after = await trpcData<{ notes: { text: string | null }[]; crises: unknown[] }>(request, 'case.byId', { id: target.id })
  expect(after.notes.some((n) => n.text?.includes('越权'))).toBe(false)
})
