import { expect, test, type Page } from '@playwright/test'
import { DEMO_USERS, login, trpcData } from './helpers'
import { apiSession } from './helpers/programme'
import { csvLines, download, open, pickOption, shanghaiToday, successToast, xlsxRows } from './helpers/staffing'

interface Actor {
  id: number
  username: string
  displayName: string
}

/** The audit table's rows as the screen shows them: number, actor (without the role), action, entity, outcome, detail. */
async function listedRows(page: Page): Promise<string[][]> {
  const rows = page.getByTestId('audit-table').locator('tbody tr')
  const out: string[][] = []
  for (const row of await rows.all()) {
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim())
    out.push([cells[0]!, cells[2]!.split(' · ')[0]!, cells[3]!, cells[4]!, cells[5]!, cells[6]!])
  }
  return out
}

/** Types a range of days into the date-range picker and closes it. */
async function pickDays(page: Page, from: string, to: string) {
  const inputs = page.getByTestId('audit-days').locator('input')
  await inputs.nth(0).click()
  await inputs.nth(0).fill(from)
  await inputs.nth(1).fill(to)
  await inputs.nth(1).press('Enter')
  await page.keyboard.press('Escape')
  await expect(inputs.nth(0)).toHaveValue(from)
  await expect(inputs.nth(1)).toHaveValue(to)
}

test.describe('the audit log', () => {
  test('an admin narrows the log to one person’s staffing exports today, exports exactly what is listed, and finds the export logged', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000)
    // The bureau exports the staffing table twice today, through the same call its buttons make.
    const bureau = await apiSession(baseURL!, DEMO_USERS.bureau)
    await trpcData(bureau, 'staffing.export', { table: 'staffing', format: 'csv', locale: 'zh-CN', flag: 'shortfall' })
    await trpcData(bureau, 'staffing.export', { table: 'staffing', format: 'xlsx', locale: 'en' })
    await bureau.dispose()

    await login(page, DEMO_USERS.admin)
    const actors = await trpcData<Actor[]>(page.request, 'audit.actors')
    const officer = actors.find((a) => a.username === DEMO_USERS.bureau)!
    await open(page, '/admin/audit')
    await expect(page.getByTestId('page-title')).toHaveText('审计日志')
    const today = shanghaiToday()

    await test.step('person, days, action and entity narrow the list to the bureau’s staffing exports of today', async () => {
      await pickOption(page, 'audit-person', `${officer.username} · ${officer.displayName}`)
      await pickDays(page, today, today)
      await pickOption(page, 'audit-action', '导出数据')
      await pickOption(page, 'audit-entity', '心理教师配备')
      await expect(page.getByTestId('audit-clear')).toBeVisible()
      await expect.poll(async () => (await listedRows(page)).length).toBeGreaterThanOrEqual(2)
      const rows = await listedRows(page)
      expect(rows.length).toBeLessThanOrEqual(50)
      for (const [, actor, action, entity, outcome] of rows)
        expect([actor, action, entity, outcome]).toEqual(['bureau', '导出数据', '心理教师配备', '成功'])
      // the details read in Chinese: the format, the year, the rows and the filter, never the stored codes
      expect(rows[1]![5]).toMatch(/^CSV · \d{4}-\d{4} 学年 · \d+ 行 · 筛选：有专职缺口$/)
      expect(rows[0]![5]).toMatch(/^Excel · \d{4}-\d{4} 学年 · \d+ 行$/)
      for (const row of rows) expect(row[5]).not.toMatch(/year:|rows:|flag:/)
    })

    const listed = await listedRows(page)
    await test.step('the CSV export holds exactly the listed events, in Chinese, named after its filters', async () => {
      const file = await download(page, 'export-auditLog-csv')
      expect(file.fileName).toBe(`xinqiao-auditLog-${today}-${today}-bureau-导出数据-心理教师配备.csv`)
      const { bom, header, data } = csvLines(file.bytes)
      expect(bom).toBe(true)
      expect(header.split(',')).toEqual(['序号', '时间', '操作人', '角色', '操作', '对象', '结果', '说明'])
      const cells = data.map((l) => l.split(','))
      expect(cells.map((c) => [c[0], c[2], c[4], c[5], c[6], c[7]])).toEqual(listed)
      for (const c of cells) expect(c[1]).toMatch(new RegExp(`^${today} \\d{2}:\\d{2}:\\d{2}$`))
      await expect(successToast(page, file.fileName)).toBeVisible()
    })

    await test.step('the Excel export holds the same events, its sheet named after the filters', async () => {
      const file = await download(page, 'export-auditLog-xlsx')
      expect(file.fileName).toMatch(/\.xlsx$/)
      const rows = await xlsxRows(file.bytes)
      expect(rows[0]).toEqual(['序号', '时间', '操作人', '角色', '操作', '对象', '结果', '说明'])
      expect(rows.slice(1).map((r) => [String(r[0]), r[2], r[4], r[5], r[6], r[7]])).toEqual(listed)
      const { default: ExcelJS } = await import('exceljs')
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(file.bytes as unknown as ArrayBuffer)
      expect(book.worksheets.map((s) => s.name)).toEqual(['审计日志 · bureau · 导出数据 · 心理教师配备', '导出说明'])
    })

    await test.step('each export is itself in the log, naming what it exported', async () => {
      await page.getByTestId('audit-clear').click()
      await expect(page.getByTestId('audit-clear')).toHaveCount(0)
      await pickOption(page, 'audit-action', '导出审计日志')
      const rows = await listedRows(page)
      expect(rows.slice(0, 2).map((r) => r.slice(1, 5))).toEqual([
        ['admin', '导出审计日志', '审计日志', '成功'],
        ['admin', '导出审计日志', '审计日志', '成功'],
      ])
      expect(rows[0]![5]).toBe(
        `Excel · ${listed.length} 行 · 人员：bureau · 自 ${today} · 至 ${today} · 操作：导出数据 · 对象：心理教师配备`,
      )
      expect(rows[1]![5]).toMatch(/^CSV · /)
    })
  })

  test('in English: a group of actions, details and the export read in English', async ({ page }) => {
    await login(page, DEMO_USERS.admin)
    await open(page, '/admin/audit')
    await page.getByTestId('locale-switch').click()
    await expect(page.getByTestId('page-title')).toHaveText('Audit log')
    await pickOption(page, 'audit-action', 'Sign-in and password (all)')
    await pickOption(page, 'audit-person', 'System')
    await expect(page.getByTestId('audit-table')).toContainText('Nothing here yet')
    await page.getByTestId('audit-clear').click()
    await pickOption(page, 'audit-action', 'Sign-in and password (all)')
    const rows = await listedRows(page)
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(['Sign-in', 'Sign-out', 'Password change', 'Device signed out']).toContain(r[2])
    // a sign-in names its session in words
    expect(rows.find((r) => r[2] === 'Sign-in' && r[4] === 'OK')![5]).toMatch(/^Session #\d+$/)

    const file = await download(page, 'export-auditLog-csv')
    expect(file.fileName).toMatch(/^xinqiao-auditLog-Sign-in_and_password_\(all\)\.csv$/)
    const { header, data } = csvLines(file.bytes)
    expect(header.split(',')).toEqual(['No.', 'Time', 'Actor', 'Role', 'Action', 'Entity', 'Outcome', 'Detail'])
    expect(data.slice(0, rows.length).map((l) => l.split(',')[0])).toEqual(rows.map((r) => r[0]))
    await expect(successToast(page, `Exported ${file.fileName}`)).toBeVisible()
  })

  test('only those who read the log may export it', async ({ page }) => {
    await login(page, DEMO_USERS.bureau)
    const res = await page.request.post('/api/trpc/audit.export', {
      headers: { 'x-xinqiao-csrf': '1', 'content-type': 'application/json' },
      data: JSON.stringify({ format: 'csv', locale: 'zh-CN' }),
    })
    expect(res.status()).toBe(403)
    await page.goto('/admin/audit')
    await expect(page).not.toHaveURL(/\/admin\/audit/)
  })
})
