import { expect, test, type Page } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, runToken, trpcError } from './helpers'
import {
  expectNumber,
  open,
  ownTeam,
  pickOption,
  readNumber,
  setNumber,
  shanghaiToday,
  staffingRows,
  successToast,
} from './helpers/staffing'

/** The member dialog (Element Plus renders it in a body-level portal). */
const memberDialog = (page: Page) => page.locator('.el-dialog').filter({ has: page.getByTestId('member-save') })

test("school admin records a new full-time teacher; the bureau sees that school's shortfall and the district's drop by one", async ({
  browser,
}) => {
  test.setTimeout(120_000)
  const token = runToken()
  const teacher = `示例·E2E专职${token}`

  const schoolContext = await browser.newContext()
  const school = await schoolContext.newPage()
  await login(school, DEMO_USERS.school1Admin)
  const bureauContext = await browser.newContext()
  const bureau = await bureauContext.newPage()
  await login(bureau, DEMO_USERS.bureau)

  await open(school, '/school/team')
  await expect(school.getByTestId('page-title')).toHaveText('心理教师队伍')
  const mine = await ownTeam(school.request)

  await test.step('the school is short of full-time staff (its admin reports a larger enrolment first if it is not)', async () => {
    if ((mine.figures.shortfall ?? 0) > 0) return
    // E.g. a re-run against the same server already filled the post: one more student than the posts cover.
    const students = mine.figures.counted * mine.settings.studentsPerFullTime + 1
    await school.getByTestId('team-enrolment').click()
    await setNumber(school, 'enrolment-students', students)
    await school.getByTestId('enrolment-save').click()
    await expect(successToast(school, '已保存')).toBeVisible()
    await expectNumber(school.getByTestId('team-students'), students)
    await expectNumber(school.getByTestId('team-shortfall'), 1)
  })
  const schoolShortfall = await readNumber(school.getByTestId('team-shortfall'))
  expect(schoolShortfall).toBeGreaterThan(0)

  // Where the bureau finds the school: its code and street.
  const all = (await staffingRows(bureau.request)).rows
  const row = all.find((r) => r.schoolId === mine.school.id)!
  expect(row, `${mine.school.name} is on the bureau dashboard`).toBeTruthy()
  const streetSchools = all.filter((r) => r.streetNameZh === row.streetNameZh).length

  /** The bureau's dashboard listing the school's street, so the school's row is on the first page. */
  async function bureauDashboard() {
    await open(bureau, '/bureau/staffing')
    await expect(bureau.getByTestId('page-title')).toHaveText('心理教师配备')
    const district = await readNumber(bureau.getByTestId('kpi-shortfall-value'))
    await pickOption(bureau, 'filter-street', row.streetNameZh)
    // The table now lists that street's schools only, the school among them.
    await expectNumber(bureau.locator('.el-pagination__total'), streetSchools)
    await expect(bureau.getByTestId('staffing-school-table').getByRole('link', { name: mine.school.name, exact: true })).toBeVisible()
    const street = await readNumber(bureau.getByTestId('kpi-shortfall-value'))
    return { district, street, cell: bureau.getByTestId(`row-shortfall-${row.code}`) }
  }

  const before = await bureauDashboard()
  await expectNumber(before.cell, schoolShortfall)
  expect(before.street).toBeGreaterThanOrEqual(schoolShortfall)
  expect(before.district).toBeGreaterThanOrEqual(before.street)

  await test.step('the school admin adds a full-time teacher who starts today', async () => {
    await school.getByTestId('member-add').click()
    const dialog = memberDialog(school)
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('登记成员')
    await inputByTestId(school, 'member-name').fill(teacher)
    await dialog.getByTestId('member-employment-full_time').click()
    await expect(dialog.getByTestId('member-employment-full_time')).toHaveClass(/is-checked/)
    // The start date defaults to today.
    const starts = inputByTestId(school, 'member-starts')
    await expect(starts).toHaveValue(shanghaiToday())
    await dialog.getByTestId('member-save').click()
    await expect(dialog).toBeHidden()
    await expect(successToast(school, '已保存')).toBeVisible()

    const newRow = school.getByTestId('team-table').locator('tbody tr').filter({ hasText: teacher })
    await expect(newRow).toHaveCount(1)
    await expect(newRow).toContainText('专职')
    await expect(newRow).toContainText('在岗')
    await expectNumber(school.getByTestId('team-shortfall'), schoolShortfall - 1)
  })

  await test.step("the bureau dashboard shows the school's shortfall and the district's down by one", async () => {
    const after = await bureauDashboard()
    expect(after.district).toBe(before.district - 1)
    expect(after.street).toBe(before.street - 1)
    await expectNumber(after.cell, schoolShortfall - 1)
  })

  await test.step("the school's own page in the bureau shows the same figure and the new teacher", async () => {
    await bureau.getByTestId('staffing-school-table').getByRole('link', { name: mine.school.name, exact: true }).click()
    // the school's page remembers the dashboard it was opened from (see bureau-exports.spec.ts)
    await expect(bureau).toHaveURL(new RegExp(`/bureau/schools/${mine.school.id}\\?.*from=staffing`))
    await bureau.getByRole('tab', { name: '心理教师队伍' }).click()
    await expectNumber(bureau.getByTestId('team-shortfall'), schoolShortfall - 1)
    await expect(bureau.getByTestId('team-table')).toContainText(teacher)
    await expect(bureau.getByTestId('member-add')).toHaveCount(0)
  })

  await schoolContext.close()
  await bureauContext.close()
})

test("a counsellor sees the team read-only, and the server refuses a member added behind the page's back", async ({ page }) => {
  const token = runToken()
  await login(page, DEMO_USERS.school1Counsellor)
  await open(page, '/school/team')
  await expect(page.getByTestId('page-title')).toHaveText('心理教师队伍')
  await expect(page.getByTestId('team-table').locator('tbody tr').first()).toBeVisible()
  await expect(page.getByText('队伍信息由学校管理员维护。')).toBeVisible()
  await expect(page.getByTestId('member-add')).toHaveCount(0)
  await expect(page.getByTestId('team-enrolment')).toHaveCount(0)
  await expect(page.locator('[data-testid^="member-edit-"]')).toHaveCount(0)

  // The same call the member dialog makes, with the counsellor's own session and the app's CSRF header.
  const name = `示例·越权${token}`
  const error = await trpcError(page.request, 'staffing.createMember', {
    name,
    employment: 'full_time',
    title: null,
    startsOn: shanghaiToday(),
    endsOn: null,
  })
  expect(error.data.code).toBe('FORBIDDEN')
  expect(error.status).toBe(403)

  // Nothing was written.
  expect((await ownTeam(page.request)).members.map((m) => m.name)).not.toContain(name)
  await page.reload()
  await expect(page.getByTestId('team-table')).not.toContainText(name)
})
