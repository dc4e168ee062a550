import { expect, test, type Page } from '@playwright/test'
import { DEMO_USERS, login, trpcData, waitForHydration } from './helpers'

/** An iPhone-sized screen (390 CSS pixels wide), with touch. */
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })

interface Round {
  id: number
  status: string
}

/** The page does not scroll sideways as a whole: whatever is wide scrolls inside its own box. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }))
  expect(widths.scroll, `${what} is ${widths.scroll}px wide on a ${widths.inner}px screen`).toBeLessThanOrEqual(widths.inner)
}

async function openSettled(page: Page, path: string) {
  await page.goto(path)
  await waitForHydration(page)
  // charts and tables lay out after hydration
  await page.waitForLoadState('networkidle')
}

test.describe('the bureau on a phone', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    test(`no bureau page scrolls sideways at 390 px (${locale}), the evaluation report included`, async ({ page, context, baseURL }) => {
      test.setTimeout(120_000)
      await context.addCookies([{ name: 'xq_locale', value: locale, url: baseURL! }])
      await login(page, DEMO_USERS.bureau)
      const rounds = await trpcData<Round[]>(page.request, 'evaluation.rounds')
      const schools = await trpcData<{ rows: { id: number }[] }>(page.request, 'school.list', { pageSize: 1 })
      const pages = [
        '/bureau',
        '/bureau/staffing',
        '/bureau/rooms',
        '/bureau/programme',
        '/bureau/cases',
        '/bureau/evaluations',
        `/bureau/evaluations/${rounds[0]!.id}`,
        `/bureau/evaluations/${rounds[0]!.id}/report`,
        '/bureau/settings',
        `/bureau/schools/${schools.rows[0]!.id}?from=staffing&tab=team`,
        `/bureau/schools/${schools.rows[0]!.id}?from=rooms&tab=room`,
        `/bureau/schools/${schools.rows[0]!.id}?from=programme&tab=programme`,
      ]
      for (const path of pages) {
        await test.step(path, async () => {
          await openSettled(page, path)
          await expect(page.locator('html')).toHaveAttribute('lang', locale)
          await expectNoSidewaysScroll(page, path)
        })
      }
    })
  }

  test('the school lists are cards with the school, its shortfall and its status; wide tables keep their first column and say they scroll', async ({
    page,
  }) => {
    await login(page, DEMO_USERS.bureau)

    await test.step('staffing: a card per school with its shortfall and status, no table', async () => {
      await openSettled(page, '/bureau/staffing')
      const cards = page.getByTestId('staffing-school-table-cards')
      await expect(cards).toBeVisible()
      await expect(page.getByTestId('staffing-school-table')).toBeHidden()
      const items = cards.locator('li')
      await expect(items).toHaveCount(20)
      const first = items.first()
      await expect(first.getByRole('link')).toBeVisible()
      await expect(first).toContainText('缺口')
      // a school without a psychology teacher says so on its card
      await page.getByTestId('kpi-no-teacher').click()
      await expect(cards.locator('li').first()).toContainText('无心理教师')
      const box = await cards.locator('li').first().boundingBox()
      expect(box!.width).toBeLessThanOrEqual(390)
    })

    await test.step('rooms and the overview: cards as well', async () => {
      await openSettled(page, '/bureau/rooms')
      await expect(page.getByTestId('rooms-school-table-cards')).toBeVisible()
      await expect(page.getByTestId('rooms-school-table')).toBeHidden()
      await expect(page.getByTestId('rooms-school-table-cards').locator('li').first()).toContainText('已建设')
      await openSettled(page, '/bureau')
      await expect(page.getByTestId('school-cards')).toBeVisible()
      await expect(page.getByTestId('school-table')).toBeHidden()
      await expect(page.getByTestId('school-cards').locator('li').first()).toContainText('在校生')
    })

    await test.step('the matrix stays a table: its school column stays put while the items scroll, with a hint', async () => {
      await openSettled(page, '/bureau/programme')
      const matrix = page.getByTestId('programme-matrix')
      await matrix.scrollIntoViewIfNeeded()
      const box = matrix.locator('xpath=ancestor::div[contains(@class, "xq-scroll-box")][1]')
      await expect(box.getByTestId('scroll-hint')).toBeVisible()
      await expect(box.getByTestId('scroll-hint')).toContainText('左右滑动')
      const firstCell = matrix.locator('tbody tr').first().locator('td').first()
      const before = await firstCell.boundingBox()
      await matrix.locator('.el-table__body-wrapper .el-scrollbar__wrap').evaluate((el) => el.scrollBy({ left: 300 }))
      await page.waitForTimeout(300)
      const after = await firstCell.boundingBox()
      expect(after!.x).toBeCloseTo(before!.x, 0)
      // the item columns did move
      const drill = matrix.locator('tbody tr').first().locator('[data-testid$="-team"]')
      expect((await drill.boundingBox())!.x).toBeLessThan(before!.x + 200)
      await expectNoSidewaysScroll(page, 'the matrix scrolled')
    })

    await test.step('a card leads to the school and back to the same list', async () => {
      await openSettled(page, '/bureau/staffing?flag=noTeacher')
      const card = page.getByTestId('staffing-school-table-cards').locator('li').first()
      const name = (await card.getByRole('link').innerText()).trim()
      await card.getByRole('link').click()
      await expect(page.getByTestId('page-title')).toHaveText(name)
      await page.getByTestId('school-back').click()
      await expect(page).toHaveURL(/\/bureau\/staffing\?flag=noTeacher$/)
      await expect(page.getByTestId('active-flag')).toBeVisible()
    })
  })
})
