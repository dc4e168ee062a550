import { expect, test, type Locator, type Page } from '@playwright/test'
import { DEMO_USERS, login } from './helpers'
import {
  csvLines,
  districtSettings,
  download,
  expectNumber,
  open,
  readNumber,
  saveDistrictSettings,
  setNumber,
  staffingRows,
  successToast,
  xlsxRows,
  type DistrictSettings,
} from './helpers/staffing'

/** The staffing export's header row in each language (i18n staffing.columns.*), as the page's language picks it. */
const HEADER_ZH = [
  '学校代码',
  '学校',
  '街道',
  '学段',
  '在校生',
  '班级数',
  '应配专职',
  '专职',
  '购买服务',
  '专职合计',
  '缺口',
  '兼职',
  '无心理教师',
  '培训未达标人数',
  '证书已过期或将到期',
]
const HEADER_EN = [
  'School code',
  'School',
  'Street',
  'Type',
  'Students',
  'Classes',
  'Full-time required',
  'Full-time',
  'Purchased',
  'Full-time total',
  'Shortfall',
  'Part-time',
  'No teacher',
  'Below training hours',
  'Certificates expired or expiring',
]

/** The schools table's total, as its pager shows it ("共 8 条" / "Total 8"). */
const tableTotal = (page: Page): Locator => page.locator('.el-pagination__total')
/** The codes of the schools listed on the table's current page. */
async function listedCodes(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid^="row-shortfall-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))
  return ids.map((id) => id.slice('row-shortfall-'.length))
}
/** Required full-time posts district-wide, from the coverage card ("filled / required"). */
async function requiredTotal(page: Page): Promise<number> {
  const sub = await page.getByTestId('kpi-coverage').locator('.sub').innerText()
  return Number(sub.split('/')[1]!.replace(/[^\d]/g, ''))
}

test.describe('bureau staffing dashboard', () => {
  test.beforeEach(async ({ page }) => {
    await login(page, DEMO_USERS.bureau)
  })

  test('a KPI card lists the schools behind it; the CSV and Excel exports hold exactly those schools, headed in Chinese', async ({
    page,
  }) => {
    await open(page, '/bureau/staffing')
    await expect(page.getByTestId('page-title')).toHaveText('心理教师配备')
    const allSchools = await readNumber(tableTotal(page))
    expect(allSchools).toBeGreaterThanOrEqual(100)
    await expect(page.getByTestId('active-flag')).toHaveCount(0)

    await test.step('专职缺口 lists the schools below the ratio, every one of them short', async () => {
      const shortSchools = await readNumber(page.getByTestId('kpi-shortfall').locator('.sub'))
      expect(shortSchools).toBeGreaterThan(0)
      await page.getByTestId('kpi-shortfall').click()
      await expect(page.getByTestId('active-flag')).toHaveText('当前筛选：有专职缺口')
      await expect(page.getByTestId('kpi-shortfall')).toHaveClass(/is-active/)
      await expectNumber(tableTotal(page), shortSchools)
      const cells = page.locator('[data-testid^="row-shortfall-"]')
      await expect(cells).toHaveCount(Math.min(shortSchools, 20))
      for (const text of await cells.allInnerTexts()) expect(Number(text.replace(/,/g, ''))).toBeGreaterThan(0)
    })

    await test.step('the CSV export: a BOM, the Chinese header row, one line per listed school', async () => {
      const total = await readNumber(tableTotal(page))
      const file = await download(page, 'export-staffing-csv')
      // the file names its year and the filter it was exported under
      expect(file.fileName).toMatch(/^xinqiao-staffing-\d{4}-\d{4}-有专职缺口\.csv$/)
      expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const { bom, header, data } = csvLines(file.bytes)
      expect(bom).toBe(true)
      expect(header.split(',')).toEqual(HEADER_ZH)
      expect(data).toHaveLength(total)
      // The same schools as the table (it fits on one page here), each with a shortfall.
      if (total <= 20) expect(data.map((l) => l.split(',')[0]).sort()).toEqual((await listedCodes(page)).sort())
      for (const line of data) expect(Number(line.split(',')[10])).toBeGreaterThan(0)
      await expect(successToast(page, file.fileName)).toBeVisible()
    })

    await test.step('the Excel export: a zip (PK) whose sheet holds the header and the same schools', async () => {
      const total = await readNumber(tableTotal(page))
      const file = await download(page, 'export-staffing-xlsx')
      expect(file.fileName).toMatch(/^xinqiao-staffing-\d{4}-\d{4}-有专职缺口\.xlsx$/)
      expect(file.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
      const rows = await xlsxRows(file.bytes)
      expect(rows[0]).toEqual(HEADER_ZH)
      expect(rows).toHaveLength(total + 1)
    })

    await test.step('无心理教师 lists the schools without a teacher; closing the tag lists every school again', async () => {
      const noTeacher = await readNumber(page.getByTestId('kpi-no-teacher').locator('.value'))
      await page.getByTestId('kpi-no-teacher').click()
      await expect(page.getByTestId('active-flag')).toHaveText('当前筛选：无心理教师')
      await expectNumber(tableTotal(page), noTeacher)
      const rows = page.getByTestId('staffing-school-table').locator('tbody tr')
      await expect(rows).toHaveCount(Math.min(noTeacher, 20))
      for (let i = 0; i < (await rows.count()); i++)
        await expect(rows.nth(i).locator('.el-tag').filter({ hasText: '无心理教师' })).toHaveCount(1)
      const file = await download(page, 'export-staffing-csv')
      expect(csvLines(file.bytes).data).toHaveLength(noTeacher)

      await page.getByTestId('active-flag').locator('.el-tag__close').click()
      await expect(page.getByTestId('active-flag')).toHaveCount(0)
      await expectNumber(tableTotal(page), allSchools)
    })
  })

  test('in English: the dashboard, its filter tag and its export speak English', async ({ page }) => {
    await open(page, '/bureau/staffing')
    await page.getByTestId('locale-switch').click()
    await expect(page.getByTestId('page-title')).toHaveText('Psychology teacher staffing')
    await expect(page.getByTestId('kpi-shortfall').locator('.label')).toHaveText('Full-time shortfall (posts)')
    await expect(page.getByTestId('kpi-shortfall').locator('.sub')).toContainText('Schools below the ratio')
    await expect(page.getByTestId('kpi-no-teacher').locator('.label')).toHaveText('Schools without a teacher')
    await expect(page.getByTestId('kpi-coverage').locator('.label')).toHaveText('Full-time coverage')
    await expect(page.getByTestId('export-staffing-csv')).toHaveText('Export CSV')
    await expect(page.getByTestId('export-staffing-xlsx')).toHaveText('Export Excel')
    await expect(page.getByTestId('staffing-school-table').locator('thead')).toContainText('Shortfall')
    await expect(page.getByTestId('staffing-school-table').locator('tbody')).toContainText('Demo ')

    // The language sticks across a reload (server-rendered in English).
    await page.reload()
    await expect(page.getByTestId('page-title')).toHaveText('Psychology teacher staffing')

    await page.getByTestId('kpi-shortfall').click()
    await expect(page.getByTestId('active-flag')).toHaveText('Showing: Short of full-time staff')
    await expect(tableTotal(page)).toContainText('Total')
    const total = await readNumber(tableTotal(page))
    const file = await download(page, 'export-staffing-csv')
    const { bom, header, data } = csvLines(file.bytes)
    expect(bom).toBe(true)
    expect(header.split(',')).toEqual(HEADER_EN)
    expect(data).toHaveLength(total)
    await expect(successToast(page, `Exported ${file.fileName}`)).toBeVisible()

    // And the room dashboard's cards.
    await open(page, '/bureau/rooms')
    await expect(page.getByTestId('page-title')).toHaveText('Counselling rooms')
    await expect(page.getByTestId('kpi-below-standard').locator('.label')).toHaveText('Set up, below standard')
    await expect(page.getByTestId('kpi-rate').locator('.label')).toHaveText('Setup rate')
  })

  test('halving the students-per-teacher ratio in the district settings raises the required total; restoring it brings it back', async ({
    page,
  }) => {
    const original = await districtSettings(page.request)
    // Known starting point: the seeded 1,000 (a run killed half-way on a reused server may have left another value).
    const start: DistrictSettings = { ...original, staffing: { ...original.staffing, studentsPerFullTime: 1000 } }
    if (original.staffing.studentsPerFullTime !== 1000) await saveDistrictSettings(page.request, start)
    try {
      await open(page, '/bureau/staffing')
      await expect(page.getByText('配比：每 1,000 名学生 1 名专职')).toBeVisible()
      const before = await requiredTotal(page)
      const rows = (await staffingRows(page.request)).rows.filter((r) => r.students != null && (r.required ?? 0) > 0)
      expect(rows.reduce((n, r) => n + Math.ceil(r.students! / 1000), 0)).toBe(before)

      await test.step('the bureau sets 500 students per full-time teacher', async () => {
        await open(page, '/bureau/settings')
        await expect(page.getByTestId('page-title')).toHaveText('区级参数')
        await setNumber(page, 'settings-ratio', 500)
        await page.getByTestId('settings-save').click()
        await expect(successToast(page, '区级参数已保存')).toBeVisible()
      })

      await test.step('the dashboard now requires ⌈students / 500⌉ per school', async () => {
        await open(page, '/bureau/staffing')
        await expect(page.getByText('配比：每 500 名学生 1 名专职')).toBeVisible()
        const after = await requiredTotal(page)
        expect(after).toBeGreaterThan(before)
        expect(after).toBe(rows.reduce((n, r) => n + Math.ceil(r.students! / 500), 0))
      })

      await test.step('restored through the same form, the figures return', async () => {
        await open(page, '/bureau/settings')
        await setNumber(page, 'settings-ratio', 1000)
        await page.getByTestId('settings-save').click()
        await expect(successToast(page, '区级参数已保存')).toBeVisible()
        await open(page, '/bureau/staffing')
        expect(await requiredTotal(page)).toBe(before)
      })
    } finally {
      // Whatever happened above, leave the district's rules as they were for the other journeys.
      const now = await districtSettings(page.request)
      if (now.staffing.studentsPerFullTime !== original.staffing.studentsPerFullTime) await saveDistrictSettings(page.request, original)
    }
  })
})
