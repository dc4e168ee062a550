import { expect, test, type Page } from '@playwright/test'
import { DEMO_USERS, inputByTestId, login, trpcData } from './helpers'
import { ITEMS, STATUS_ZH, type Status } from './helpers/programme'
import { csvLines, download, open, pickOption, readNumber, successToast, xlsxRows } from './helpers/staffing'

interface Street {
  id: number
  nameZh: string
  nameEn: string
}

const ITEMS_SHORT_ZH = ['队伍', '主题活动', '讲座', '信息平台', '个案跟进', '门诊', '危机演练']

/** The matrix as listed: each school's code and its seven statuses in Chinese, from the cells' own status. */
async function matrixRows(page: Page): Promise<string[][]> {
  const codes = await page
    .getByTestId('programme-matrix')
    .locator('[data-testid$="-drill"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('cell-'.length, -'-drill'.length)))
  const out: string[][] = []
  for (const code of codes) {
    const statuses: string[] = []
    for (const item of ITEMS)
      statuses.push(STATUS_ZH[(await page.getByTestId(`cell-${code}-${item}`).getAttribute('data-status')) as Status])
    out.push([code, ...statuses])
  }
  return out
}

/** The school codes a staffing table page lists, in order. */
async function staffingCodes(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid^="row-shortfall-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))
  return ids.map((id) => id.slice('row-shortfall-'.length))
}

const tableTotal = (page: Page) => page.locator('.el-pagination__total')

test.describe('bureau exports and the way back from a school', () => {
  test.beforeEach(async ({ page }) => {
    await login(page, DEMO_USERS.bureau)
  })

  test('the seven-ones matrix exports exactly the listed schools and statuses, the filter named in the file and the sheet; a school opened from it leads back to the same list', async ({
    page,
  }) => {
    const streets = await trpcData<Street[]>(page.request, 'school.streets')
    const street = streets[0]!
    await open(page, '/bureau/programme')
    await expect(page.getByTestId('page-title')).toHaveText('七个一完成情况')
    const year = (await page.locator('.xq-page-head .xq-muted').innerText()).match(/\d{4}-\d{4}/)![0]
    await pickOption(page, 'filter-street', street.nameZh)
    await page.getByTestId('kpi-item-drill').click()
    await expect(page.getByTestId('active-flag')).toHaveText('当前筛选：危机演练 · 未开始')
    await expect(page).toHaveURL(new RegExp(`street=${street.id}.*flag=drill.*status=not_started`))
    const total = await readNumber(tableTotal(page))
    expect(total).toBeGreaterThan(0)
    expect(total).toBeLessThanOrEqual(30)
    const listed = await matrixRows(page)
    expect(listed).toHaveLength(total)
    for (const row of listed) expect(row[7]).toBe('未开始')

    await test.step('CSV: the listed schools, each item as the screen names its status', async () => {
      const file = await download(page, 'export-programmeMatrix-csv')
      expect(file.fileName).toBe(`xinqiao-programmeMatrix-${year}-${street.nameZh}-危机演练-未开始.csv`)
      const { bom, header, data } = csvLines(file.bytes)
      expect(bom).toBe(true)
      expect(header.split(',')).toEqual(['学校代码', '学校', '街道', '学段', ...ITEMS_SHORT_ZH, '完成'])
      const cells = data.map((l) => l.split(','))
      expect(cells.map((c) => [c[0], ...c.slice(4, 11)])).toEqual(listed)
      for (const c of cells) expect(c[2]).toBe(street.nameZh)
      await expect(successToast(page, file.fileName)).toBeVisible()
    })

    await test.step('Excel: the same rows, the sheet named after the filters', async () => {
      const file = await download(page, 'export-programmeMatrix-xlsx')
      const rows = await xlsxRows(file.bytes)
      expect(rows[0]).toEqual(['学校代码', '学校', '街道', '学段', ...ITEMS_SHORT_ZH, '完成'])
      expect(rows.slice(1).map((r) => [r[0], ...r.slice(4, 11)])).toEqual(listed)
      const { default: ExcelJS } = await import('exceljs')
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(file.bytes as unknown as ArrayBuffer)
      expect(book.worksheets[0]!.name).toBe(`七个一完成情况 · ${street.nameZh} · 危机演练 · 未开始`)
      expect(book.worksheets[1]!.name).toBe('导出说明')
    })

    await test.step('a reload keeps the list; a school opened from it keeps the menu and leads back to it', async () => {
      await page.reload()
      await expect(page.getByTestId('active-flag')).toHaveText('当前筛选：危机演练 · 未开始')
      expect(await matrixRows(page)).toEqual(listed)

      const [code] = listed[0]!
      await page
        .getByTestId('programme-matrix')
        .locator('tbody tr')
        .filter({ has: page.getByTestId(`cell-${code}-drill`) })
        .getByRole('link')
        .click()
      await expect(page).toHaveURL(/\/bureau\/schools\/\d+\?.*from=programme/)
      await expect(page.getByTestId('nav-bureau-programme')).toHaveClass(/is-active/)
      await expect(page.getByTestId('nav-bureau')).not.toHaveClass(/is-active/)
      await expect(page.getByRole('tab', { name: '七个一工作' })).toHaveAttribute('aria-selected', 'true')
      // the drill is read, not edited: no date pickers or inputs, the records as text
      await expect(page.getByTestId('item-drill')).toBeVisible()
      await expect(page.locator('.el-tab-pane:visible input:not([type="file"])')).toHaveCount(1) // the year picker only
      await expect(page.getByTestId('school-back')).toHaveText('← 返回七个一完成情况')

      await page.getByTestId('school-back').click()
      await expect(page).toHaveURL(/\/bureau\/programme\?/)
      await expect(page.getByTestId('active-flag')).toHaveText('当前筛选：危机演练 · 未开始')
      expect(await matrixRows(page)).toEqual(listed)
    })
  })

  test('page 2 of the staffing table: a school opened from it keeps the menu item, and the menu item leads back to page 2', async ({
    page,
  }) => {
    await open(page, '/bureau/staffing')
    await page.locator('.el-pager li').filter({ hasText: /^2$/ }).click()
    await expect(page).toHaveURL(/page=2/)
    await expect(page.locator('.el-pager li.is-active')).toHaveText('2')
    const codes = await staffingCodes(page)
    expect(codes).toHaveLength(20)

    await page.getByTestId('staffing-school-table').locator('tbody tr').first().getByRole('link').click()
    await expect(page).toHaveURL(/\/bureau\/schools\/\d+\?page=2&from=staffing$/)
    await expect(page.getByTestId('nav-bureau-staffing')).toHaveClass(/is-active/)
    await expect(page.getByRole('tab', { name: '心理教师队伍' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('school-back')).toHaveText('← 返回心理教师配备')
    // switching tabs keeps the way back
    await page.getByRole('tab', { name: '心理辅导室' }).click()
    await expect(page).toHaveURL(/tab=room/)
    await expect(page.getByTestId('room-record')).toBeVisible()
    await page.reload()
    await expect(page.getByRole('tab', { name: '心理辅导室' })).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('nav-bureau-staffing')).toHaveClass(/is-active/)

    await page.getByTestId('nav-bureau-staffing').click()
    await expect(page).toHaveURL(/\/bureau\/staffing\?page=2$/)
    await expect(page.locator('.el-pager li.is-active')).toHaveText('2')
    await expect.poll(() => staffingCodes(page)).toEqual(codes)
  })

  test('the overview’s school list exports what it lists under its search and street, and a school leads back to it', async ({ page }) => {
    const streets = await trpcData<Street[]>(page.request, 'school.streets')
    const street = streets[1]!
    await open(page, '/bureau')
    await expect(page.getByTestId('page-title')).toHaveText('全区概况')
    await pickOption(page, 'school-street-filter', street.nameZh)
    await inputByTestId(page, 'school-search').fill('小学')
    await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent('小学')}.*street=${street.id}`))
    const table = page.getByTestId('school-table')
    await expect(table.locator('tbody tr').first()).toContainText('小学')
    const listed = (await table.locator('tbody tr').all()).length
    const total = await readNumber(tableTotal(page))
    expect(listed).toBe(total)
    const codes = (await table.locator('tbody tr td:first-child').allInnerTexts()).map((c) => c.trim())

    const file = await download(page, 'export-schoolList-csv')
    expect(file.fileName).toMatch(new RegExp(`^xinqiao-schoolList-\\d{4}-\\d{4}-小学-${street.nameZh}\\.csv$`))
    const { header, data } = csvLines(file.bytes)
    expect(header.split(',')).toEqual(['学校代码', '学校名称', '街道', '学校类型', '在校生', '班级数'])
    expect(data.map((l) => l.split(',')[0])).toEqual(codes)
    for (const l of data) expect(l.split(',')[1]).toContain('小学')

    await table.locator('tbody tr').first().getByRole('link').click()
    await expect(page).toHaveURL(/from=overview/)
    await expect(page.getByTestId('nav-bureau')).toHaveClass(/is-active/)
    await page.getByTestId('school-back').click()
    await expect(page).toHaveURL(/\/bureau\?/)
    await expect(inputByTestId(page, 'school-search')).toHaveValue('小学')
    await expect(table.locator('tbody tr td:first-child')).toHaveText(codes)
  })

  test('the case statistics export holds the screen’s cells, hidden ones as “—”, with the column totals last', async ({ page }) => {
    await open(page, '/bureau/cases')
    await expect(page.getByTestId('page-title')).toHaveText('全区个案统计')
    const table = page.getByTestId('stats-table')
    await expect(table.locator('tbody tr').first()).toBeVisible()
    // The file lists every school; on screen the schools with nothing but published zeros fold away until asked for.
    const folded = await table.locator('tbody tr').count()
    await page.getByTestId('stats-show-empty').click()
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(folded)
    const screen = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())))
    const file = await download(page, 'export-caseStats-csv')
    expect(file.fileName).toMatch(/^xinqiao-caseStats-\d{4}-\d{2}-\d{2}-按风险等级\.csv$/)
    const { header, data } = csvLines(file.bytes)
    expect(header.split(',')).toEqual(['学校代码', '学校', '一级·危机', '二级·高危', '三级·关注', '常规', '合计'])
    const cells = data.map((l) => l.split(','))
    expect(cells.slice(0, -1).map((c) => c.slice(1))).toEqual(screen)
    expect(cells.at(-1)!.slice(0, 2)).toEqual(['', '各列合计'])
    // the demo schools have few cases: small counts are hidden in the file exactly as on screen
    expect(cells.flat()).toContain('—')
    expect(cells.flat()).not.toContain('<10')
    const totalsLine = await page.getByTestId('stats-totals').innerText()
    for (const v of cells.at(-1)!.slice(2, 6)) expect(totalsLine).toContain(v)

    await page.getByTestId('stats-dimension').getByText('按状态').click()
    await expect(table.locator('thead')).toContainText('已结案')
    const byStatus = await download(page, 'export-caseStats-xlsx')
    expect(byStatus.fileName).toMatch(/-按状态\.xlsx$/)
    const rows = await xlsxRows(byStatus.bytes)
    expect(rows[0]).toEqual(['学校代码', '学校', '跟进中', '已结案', '合计'])
  })
})
