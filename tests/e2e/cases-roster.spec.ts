import { expect, test, type Page } from '@playwright/test'
import {
  apiLogin,
  DEMO_USERS,
  inputByTestId,
  login,
  previewImport,
  importRoster,
  rosterCsv,
  rosterXlsx,
  runToken,
  searchRoster,
  studentNo,
  trpcData,
  trpcError,
  waitForHydration,
} from './helpers'

const HEADER = ['学号', '姓名', '性别', '年级', '班级', '监护人', '监护人电话']

/** The cells of each body row of an Element Plus table, trimmed. */
async function tableRows(page: Page, testId: string): Promise<string[][]> {
  const rows = page.getByTestId(testId).locator('.el-table__body-wrapper tbody tr')
  const out: string[][] = []
  for (const row of await rows.all()) out.push((await row.locator('td').allInnerTexts()).map((s) => s.trim()))
  return out
}

async function openRoster(page: Page) {
  await login(page, DEMO_USERS.school1Counsellor)
  await page.goto('/school/students')
  await waitForHydration(page)
  await expect(page.getByTestId('page-title')).toHaveText('学生名册')
}

test.describe('student roster import', () => {
  test('a class list with problems shows every problem by row, cannot be committed, and writes nothing', async ({ page, request }) => {
    await openRoster(page)
    await previewImport(page, rosterCsv('class-3-3-problems.csv'))

    const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('import-file') })
    await expect(dialog.getByTestId('import-problems-summary')).toContainText('发现 4 个问题')
    await expect(dialog.getByTestId('import-problems-summary')).toContainText('2 行可导入')
    await expect(dialog.getByTestId('import-problems-summary')).toContainText('有问题时不会写入任何数据')
    await expect(dialog.getByTestId('import-ok')).toHaveCount(0)
    // Row numbers count the header as row 1, as a spreadsheet shows them.
    expect(await tableRows(page, 'import-problems')).toEqual([
      ['3', '性别', '性别应为 男/女'],
      ['4', '学号', '学号在文件中重复'],
      ['5', '年级', '无法识别的年级（如 三年级、初一 或数字 0–12）'],
      ['6', '姓名', '必填'],
    ])
    await expect(dialog.getByTestId('import-commit')).toBeDisabled()

    // Cancelled: nothing of the file is on the roster, not even its two good rows.
    await dialog.getByRole('button', { name: '取消' }).click()
    await expect(dialog).toBeHidden()
    await searchRoster(page, 'E2E-X00')
    await expect(page.getByTestId('student-table')).toContainText('名册为空')
    await expect(page.getByTestId('student-table')).not.toContainText('E2E-X00')

    // The server refuses to commit it too (a client cannot skip the preview), and still writes nothing.
    await apiLogin(request, DEMO_USERS.school1Counsellor)
    const file = rosterCsv('class-3-3-problems.csv')
    const error = await trpcError(request, 'student.import', {
      fileName: file.name,
      contentBase64: file.buffer.toString('base64'),
      commit: true,
    })
    expect(error.data.code).toBe('BAD_REQUEST')
    expect(error.data.appCode).toBe('import.hasProblems')
    expect(error.data.params).toMatchObject({ problems: 4 })
    const list = await trpcData<{ total: number }>(request, 'student.list', { search: 'E2E-X00' })
    expect(list.total).toBe(0)
  })

  test('a clean class list (CSV with BOM, CRLF) imports; the students are found by number prefix and by full name', async ({ page }) => {
    const token = runToken()
    await openRoster(page)
    await importRoster(page, rosterCsv('class-3-3.csv', token), 6)

    const table = page.getByTestId('student-table')
    await searchRoster(page, `E2E-${token}-`)
    await expect(table.locator('tbody tr')).toHaveCount(6)
    await expect(table).toContainText(studentNo('E2E-0001', token))
    await expect(table).toContainText(studentNo('E2E-0006', token))
    const first = table.locator('tbody tr').filter({ hasText: studentNo('E2E-0001', token) })
    await expect(first).toContainText('周测一（E2E）')
    await expect(first).toContainText('女')
    await expect(first).toContainText('三年级3班')
    await expect(first).toContainText('周家长')
    await expect(first).toContainText('13800000001')
    // A row without a guardian keeps the column empty.
    await expect(table.locator('tbody tr').filter({ hasText: studentNo('E2E-0004', token) })).toContainText('—')

    // A full name finds the student (the name is looked up through its blind index, never in a URL).
    await searchRoster(page, '郑测三（E2E）')
    await expect(table).toContainText(studentNo('E2E-0003', token))
    await expect(table).not.toContainText(studentNo('E2E-0002', token))
    // A part of a name finds the student too; a name that is not on the roster finds nothing.
    await searchRoster(page, '测三')
    await expect(table).toContainText(studentNo('E2E-0003', token))
    await expect(table).not.toContainText(studentNo('E2E-0002', token))
    await searchRoster(page, '郑测九')
    await expect(table).not.toContainText(studentNo('E2E-0003', token))

    // The same file again: every row is already on the roster, so nothing can be imported.
    await inputByTestId(page, 'student-search').fill('')
    await previewImport(page, rosterCsv('class-3-3.csv', token))
    await expect(page.getByTestId('import-problems-summary')).toContainText('发现 6 个问题')
    const problems = await tableRows(page, 'import-problems')
    expect(problems.map((r) => r[0])).toEqual(['2', '3', '4', '5', '6', '7'])
    for (const r of problems) expect(r.slice(1)).toEqual(['学号', '学号已在本校名册中'])
    await expect(page.getByTestId('import-commit')).toBeDisabled()
  })

  test('an .xlsx class list imports the same way', async ({ page }) => {
    const token = runToken()
    const file = await rosterXlsx(
      '四年级1班.xlsx',
      [...HEADER, '出生日期'],
      [
        [`E2E-${token}-X1`, '孔表一（E2E）', '男', 4, '1班', '孔家长', '13600000001', new Date(Date.UTC(2016, 8, 1))],
        [`E2E-${token}-X2`, '曹表二（E2E）', '女', '四年级', '1班', null, null, '2016-03-15'],
      ],
    )
    await openRoster(page)
    await importRoster(page, file, 2)
    await searchRoster(page, `E2E-${token}-X`)
    const table = page.getByTestId('student-table')
    await expect(table.locator('tbody tr')).toHaveCount(2)
    await expect(table.locator('tbody tr').filter({ hasText: `E2E-${token}-X1` })).toContainText('四年级1班')
    await expect(table.locator('tbody tr').filter({ hasText: `E2E-${token}-X2` })).toContainText('曹表二（E2E）')
  })

  test('a file that is not a class list gets a clear error and no preview', async ({ page }) => {
    await openRoster(page)
    await previewImport(page, { name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 not a roster') })
    await expect(page.getByTestId('import-error')).toContainText('只支持 CSV 或 .xlsx 文件。')
    await expect(page.getByTestId('import-commit')).toBeDisabled()
    await page.keyboard.press('Escape')

    await previewImport(page, { name: 'broken.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK this is no zip') })
    await expect(page.getByTestId('import-error')).toContainText('无法读取该文件')
    await expect(page.getByTestId('import-commit')).toBeDisabled()
  })
})
