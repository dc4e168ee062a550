import { expect, test } from '@playwright/test'
import { DEMO_USERS, login, waitForHydration } from './helpers'

/**
 * The bureau reads a teacher-assessment round's results: participation and each questionnaire's bands per
 * school, as the disclosure module publishes them — every figure 0, at least 10, or hidden as "—" — and
 * no teacher's name anywhere.
 */
test('the bureau opens a round’s results: participation and bands per school, small groups hidden as “—”', async ({ page }) => {
  await login(page, DEMO_USERS.bureau)
  await page.goto('/bureau/assessment')
  await waitForHydration(page)
  await expect(page.getByTestId('page-title')).toHaveText('教师心理评估')
  await page.locator('[data-testid^="round-results-"]').first().click()
  const drawer = page.getByTestId('round-aggregates')
  await expect(drawer).toBeVisible()
  await expect(drawer).toContainText('参与情况')
  await expect(drawer).toContainText('以“—”隐去')
  await expect(drawer).toContainText('不是诊断')
  const participation = drawer.getByTestId('aggregate-participation')
  await expect(participation.locator('tbody tr')).toHaveCount(3)
  const cells: string[] = []
  for (const table of await drawer.locator('.el-table').all()) {
    for (const row of await table.locator('.el-table__body-wrapper tbody tr').all()) {
      cells.push(...(await row.locator('td').allInnerTexts()).slice(1).map((s) => s.trim()))
    }
  }
  expect(cells.length).toBeGreaterThan(6)
  for (const c of cells) expect(c, 'a published figure').toMatch(/^(—|0|\d{2,})$/)
  expect(await drawer.innerText()).not.toMatch(/（示例）[^\s·]*老师|T\d{5}/)
})
