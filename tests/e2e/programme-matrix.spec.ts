import { expect, test } from '@playwright/test'
import { DEMO_USERS, login } from './helpers'
import { ITEMS, ITEMS_EN, ITEMS_SHORT_EN, overview, apiSession, STATUS_EN, type Status } from './helpers/programme'
import { open, pickOption } from './helpers/staffing'

test("in English: the bureau's seven-ones matrix names the items and statuses in English, down to its filter tag and drawer", async ({
  page,
  baseURL,
}) => {
  // School 1's row, found through its street.
  const counsellor = await apiSession(baseURL!, DEMO_USERS.school1Counsellor)
  const school = (await overview(counsellor)).school
  await counsellor.dispose()

  await login(page, DEMO_USERS.bureau)
  await open(page, '/bureau/programme')
  await expect(page.getByTestId('page-title')).toHaveText('七个一完成情况')
  await page.getByTestId('locale-switch').click()
  await expect(page.getByTestId('page-title')).toHaveText('Seven ones completion')
  // Server-rendered in English after a reload too.
  await page.reload()
  await expect(page.getByTestId('page-title')).toHaveText('Seven ones completion')

  const matrix = page.getByTestId('programme-matrix')
  const headers = (await matrix.locator('thead th').allInnerTexts()).map((t) => t.trim())
  expect(headers).toEqual(['School', ...ITEMS.map((i) => ITEMS_SHORT_EN[i]), 'Done'])
  for (const item of ITEMS) {
    await expect(page.getByTestId(`kpi-item-${item}`).locator('.label')).toHaveText(ITEMS_SHORT_EN[item])
    await expect(page.getByTestId(`kpi-item-${item}`).locator('.sub')).toContainText(/^In progress \d+ · Not started \d+$/)
  }
  await expect(page.getByTestId('open-only')).toHaveText('Only schools with open items')

  await test.step("every cell of the school's row reads its status in English", async () => {
    await pickOption(page, 'filter-street', school.streetNameEn)
    for (const item of ITEMS) {
      const cell = page.getByTestId(`cell-${school.code}-${item}`)
      const status = (await cell.getAttribute('data-status')) as Status
      expect(Object.keys(STATUS_EN)).toContain(status)
      await expect(cell).toHaveText(STATUS_EN[status])
      await expect(cell).toHaveAttribute('title', `${ITEMS_EN[item]} · ${STATUS_EN[status]}`)
    }
    // No Chinese status left anywhere in the table body.
    await expect(matrix.locator('tbody')).not.toContainText(/已完成|进行中|未开始/)
  })

  await test.step('a completion card filters the schools, with an English tag', async () => {
    await page.getByTestId('kpi-item-drill').click()
    await expect(page.getByTestId('active-flag')).toHaveText('Showing: Drill · Not started')
    const cells = matrix.locator('[data-testid$="-drill"]')
    await expect(cells.first()).toBeVisible()
    for (const status of await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))) expect(status).toBe('not_started')
    await expect(cells.first()).toHaveText('Not started')
    await page.getByTestId('active-flag').locator('.el-tag__close').click()
    await expect(page.getByTestId('active-flag')).toHaveCount(0)
  })

  await test.step('the drawer names the item in full, in English', async () => {
    const cell = page.getByTestId(`cell-${school.code}-clinic`)
    const status = (await cell.getAttribute('data-status')) as Status
    await cell.click()
    const drawer = page.getByTestId('programme-drawer')
    await expect(drawer).toBeVisible()
    await expect(drawer.locator('.el-drawer__header')).toContainText(`· ${ITEMS_EN.clinic}`)
    await expect(drawer.getByTestId('item-clinic').locator('.el-card__header')).toContainText(`6. ${ITEMS_EN.clinic}`)
    await expect(drawer.getByTestId('item-clinic').locator('.el-card__header [data-status]')).toHaveText(STATUS_EN[status])
  })
})
