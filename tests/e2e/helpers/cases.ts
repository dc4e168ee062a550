import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { trpcData } from './api'
import { inputByTestId, waitForHydration } from './login'

export interface OpenCaseOptions {
  /** category labels as shown (i18n categories.*), e.g. ['情绪', '家庭'] */
  categories: string[]
  concern: string
  /** the initial level's label (i18n risk.*), e.g. '三级·关注' */
  level: string
}

/** The case action dialog (Element Plus renders it in a body-level portal). */
export function actionDialog(page: Page): Locator {
  return page.locator('.el-dialog').filter({ has: page.getByTestId('case-action-save') })
}

/**
 * Opens a case for a student through /school/cases/new (picker searched by student number) and
 * returns the new case id once the browser has landed on the case file.
 */
export async function openCaseFor(page: Page, studentNo: string, options: OpenCaseOptions): Promise<number> {
  await page.goto('/school/cases')
  await waitForHydration(page)
  await page.getByTestId('case-new').click()
  await expect(page).toHaveURL('/school/cases/new')
  await waitForHydration(page)
  await expect(page.getByTestId('page-title')).toHaveText('新建个案')

  await page.getByTestId('student-picker').click()
  await page.keyboard.type(studentNo)
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: studentNo })
  await expect(option).toHaveCount(1)
  await option.click()

  const categories = page.getByTestId('case-categories')
  for (const label of options.categories) await categories.locator('.el-checkbox').filter({ hasText: label }).first().click()
  await inputByTestId(page, 'case-concern').fill(options.concern)
  await page.getByTestId('case-level').locator('.el-radio').filter({ hasText: options.level }).click()
  await page.getByTestId('case-open-submit').click()

  await page.waitForURL(/\/school\/cases\/\d+$/)
  await waitForHydration(page)
  return Number(new URL(page.url()).pathname.split('/').pop())
}

/** Saves the open action dialog and waits until it has closed and the file has reloaded. */
export async function saveAction(page: Page): Promise<void> {
  const dialog = actionDialog(page)
  await dialog.getByTestId('case-action-save').click()
  await expect(dialog).toBeHidden()
  await expect(page.locator('.el-message--success').last()).toBeVisible()
}

/** Picks an entry of the case file's "more actions" dropdown (risk, follow-up, referral, contact, close). */
export async function moreAction(
  page: Page,
  testId: 'action-risk' | 'action-followup' | 'action-referral' | 'action-contact' | 'action-close',
): Promise<void> {
  await page.getByTestId('action-more').click()
  const item = page.getByTestId(testId)
  await expect(item).toBeVisible()
  await item.click()
  await expect(actionDialog(page)).toBeVisible()
}

export interface SeededCase {
  caseId: number
  studentId: number
  studentNo: string
  name: string
}

/**
 * A student of its own and an open case for it, written over the API with the caller's session
 * (e.g. `page.request` after a counsellor signed in through the UI), for journeys about working a case.
 */
export async function seedCase(
  request: APIRequestContext,
  options: { token: string; suffix?: string; level?: 'crisis' | 'high' | 'watch' | 'routine'; concern?: string },
): Promise<SeededCase> {
  const suffix = options.suffix ?? 'C1'
  const no = `E2E-${options.token}-${suffix}`
  const name = `秦案${suffix}（E2E${options.token}）`
  const { id: studentId } = await trpcData<{ id: number }>(request, 'student.create', {
    studentNo: no,
    name,
    sex: 'F',
    birthDate: null,
    grade: 5,
    className: '1班',
    guardianName: '秦家长',
    guardianPhone: '13500000000',
  })
  const counsellors = await trpcData<{ id: number; name: string }[]>(request, 'case.counsellors')
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
  const { id: caseId } = await trpcData<{ id: number }>(request, 'case.open', {
    studentId,
    source: 'head_teacher',
    categories: ['interpersonal'],
    flags: [],
    concern: options.concern ?? `（E2E）与同学相处困难。${options.token}`,
    riskLevel: options.level ?? 'watch',
    openedOn: today,
    counsellorIds: [counsellors[0]!.id],
  })
  return { caseId, studentId, studentNo: no, name }
}

/** An instant as the date-time pickers show it in Asia/Shanghai (the browser's time zone here): "2026-03-02 09:00:00". */
export function shanghaiLocal(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

/** Types an instant into an Element Plus date-time picker inside `scope` and confirms it. */
export async function fillDateTime(scope: Locator, d: Date): Promise<void> {
  const input = scope.locator('input').first()
  await input.click()
  await input.fill(shanghaiLocal(d))
  await input.press('Enter')
  await expect(input).toHaveValue(shanghaiLocal(d))
}

/** Adds one row to the crisis dialog's "notified" list: who (label as shown), an optional name, when. */
export async function addCrisisNotification(page: Page, recipient: string, name: string, at: Date): Promise<void> {
  const dialog = actionDialog(page)
  await dialog.getByTestId('crisis-add-notified').click()
  const row = dialog.getByTestId('crisis-notified-row').last()
  await row.getByTestId('crisis-recipient').click()
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: recipient }).first().click()
  if (name) await row.locator('input[maxlength="60"]').fill(name)
  await fillDateTime(row.getByTestId('crisis-notified-at'), at)
}

/** Types a term into the caseload board's search and waits until the board shows that term's result (aria-busy false). */
export async function searchCaseBoard(page: Page, term: string): Promise<void> {
  await inputByTestId(page, 'case-search').fill(term)
  await expect(page.getByTestId('case-board-region')).toHaveAttribute('aria-busy', 'false')
}
