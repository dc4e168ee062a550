import { expect, test, type Page } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, runToken, trpcData, type UploadFile } from './helpers'
import { expectNumber, open, successToast } from './helpers/staffing'

interface SchoolListRow {
  id: number
  code: string
  name: string
  students: number | null
  classes: number | null
}

const csv = (name: string, lines: string[]): UploadFile => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'),
})

/** The import dialog (Element Plus renders it in a body-level portal). */
const importDialog = (page: Page) => page.locator('.el-dialog').filter({ has: page.getByTestId('import-file') })

async function chooseFile(page: Page, file: UploadFile) {
  await page.getByTestId('enrolment-import').click()
  const dialog = importDialog(page)
  await expect(dialog).toBeVisible()
  await expect(dialog).toContainText('导入各校在校生数')
  await dialog.getByTestId('import-file').setInputFiles(file)
  await expect(
    dialog.getByTestId('import-ok').or(dialog.getByTestId('import-problems-summary')).or(dialog.getByTestId('import-error')),
  ).toBeVisible()
  return dialog
}

test('admin imports an enrolment sheet: an unknown code is shown on its row and blocks the import; a clean sheet updates the school', async ({
  page,
}) => {
  await login(page, DEMO_USERS.admin)
  // Two kindergartens (their enrolment does not move the staffing ratio other journeys read).
  const { rows } = await trpcData<{ rows: SchoolListRow[] }>(page.request, 'school.list', { search: '', type: 'preschool', pageSize: 50 })
  expect(rows.length).toBeGreaterThanOrEqual(2)
  const [a, b] = rows as [SchoolListRow, SchoolListRow]
  // New figures that differ from what the schools have now.
  const studentsA = (a.students ?? 0) === 321 ? 322 : 321
  const studentsB = (b.students ?? 0) === 234 ? 235 : 234
  const unknown = `E2E-NO-${runToken().toUpperCase()}`

  await open(page, '/admin/schools')
  await expect(page.getByTestId('page-title')).toHaveText('学校管理')

  await test.step('a sheet with an unknown school code: the problem is listed with its row; nothing can be imported', async () => {
    const dialog = await chooseFile(
      page,
      csv('enrolment-bad.csv', ['学校代码,学生数,班级数', `${a.code},${studentsA},11`, `${unknown},500,12`]),
    )
    await expect(dialog.getByTestId('import-problems-summary')).toContainText('发现 1 个问题')
    const problems = dialog.getByTestId('import-problems').locator('tbody tr')
    await expect(problems).toHaveCount(1)
    await expect(problems.first().locator('td').nth(0)).toHaveText('3')
    await expect(problems.first().locator('td').nth(1)).toHaveText('学校代码')
    await expect(problems.first().locator('td').nth(2)).toHaveText('学校代码不存在')
    await expect(dialog.getByTestId('import-commit')).toBeDisabled()
    await dialog.getByRole('button', { name: '取消' }).click()
    await expect(dialog).toBeHidden()
    // Nothing was written.
    await inputByTestId(page, 'school-search').fill(a.code)
    const row = page.getByTestId('school-table').locator('tbody tr').filter({ hasText: a.code })
    await expect(row).toHaveCount(1)
    if (a.students != null) await expectNumber(row.locator('td').nth(4), a.students)
  })

  await test.step('a clean sheet (English headers, one school each) previews, imports, and the schools show their new enrolment', async () => {
    const dialog = await chooseFile(
      page,
      csv('enrolment-good.csv', ['code,students,classes', `${a.code},${studentsA},11`, `${b.code.toLowerCase()},${studentsB},9`]),
    )
    await expect(dialog.getByTestId('import-ok')).toHaveText('2 行数据检查通过，可以导入。')
    await expect(dialog).toContainText(String(studentsA))
    const commit = dialog.getByTestId('import-commit')
    await expect(commit).toBeEnabled()
    await expect(commit).toHaveText('导入 2 所学校')
    await commit.click()
    await expect(successToast(page, '已更新 2 所学校的在校生数')).toBeVisible()
    await expect(dialog).toBeHidden()

    for (const [school, students, classes] of [
      [a, studentsA, 11],
      [b, studentsB, 9],
    ] as const) {
      await inputByTestId(page, 'school-search').fill(school.code)
      const row = page.getByTestId('school-table').locator('tbody tr').filter({ hasText: school.code })
      await expect(row).toHaveCount(1)
      await expectNumber(row.locator('td').nth(4), students)
      await expectNumber(row.locator('td').nth(5), classes)
    }
  })
})
