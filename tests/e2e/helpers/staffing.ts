import { readFile } from 'node:fs/promises'
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { trpcData } from './api'
import { inputByTestId, waitForHydration } from './login'

/** Today in the district's time zone (what the server calls "today"), as YYYY-MM-DD. */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date())
}

/** The whole number a figure shows ("1,234", "共 8 条", "Total 8"); NaN when it shows none ("—"). */
export async function readNumber(locator: Locator): Promise<number> {
  const digits = (await locator.innerText()).replace(/[,，\s]/g, '').match(/-?\d+/)
  return digits ? Number(digits[0]) : Number.NaN
}

/** Waits until a figure shows `expected` (the page refetches after a save, so the first read may be stale). */
export async function expectNumber(locator: Locator, expected: number): Promise<void> {
  await expect.poll(() => readNumber(locator), { message: `figure ${locator} should read ${expected}` }).toBe(expected)
}

/** Opens a page and waits until it has hydrated. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path)
  await waitForHydration(page)
}

/** Picks an option of an Element Plus select by its label (the test id sits on the select's wrapper). */
export async function pickOption(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click()
  const option = page
    .locator('.el-select-dropdown:visible .el-select-dropdown__item')
    .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) })
  await expect(option).toHaveCount(1)
  await option.click()
  await expect(page.locator('.el-select-dropdown:visible')).toHaveCount(0)
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Types a value into an Element Plus input-number (the test id sits on its wrapper) and commits it. */
export async function setNumber(page: Page, testId: string, value: number): Promise<void> {
  const input = inputByTestId(page, testId)
  await input.fill(String(value))
  await input.press('Tab')
  await expect(input).toHaveValue(String(value))
}

/** Sets an Element Plus checkbox (test id on its <label>) to the wanted state. */
export async function setChecked(page: Page, testId: string, checked: boolean): Promise<void> {
  const box = page.getByTestId(testId)
  const isChecked = async () => /\bis-checked\b/.test((await box.getAttribute('class')) ?? '')
  if ((await isChecked()) !== checked) await box.click()
  await expect.poll(isChecked).toBe(checked)
}

/** The success toast Element Plus shows after a save. */
export function successToast(page: Page, text?: string): Locator {
  const toast = page.locator('.el-message--success')
  return (text ? toast.filter({ hasText: text }) : toast).last()
}

export interface Downloaded {
  fileName: string
  bytes: Buffer
}

/** Clicks a download button and returns the file the browser saved. */
export async function download(page: Page, testId: string): Promise<Downloaded> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()])
  const path = await file.path()
  expect(path, `the download of ${testId} failed: ${await file.failure()}`).toBeTruthy()
  return { fileName: file.suggestedFilename(), bytes: await readFile(path) }
}

/** A CSV export split into its header and data lines (the BOM removed, the trailing line break ignored). */
export function csvLines(bytes: Buffer): { bom: boolean; header: string; data: string[] } {
  const text = bytes.toString('utf8')
  const bom = text.charCodeAt(0) === 0xfeff
  const lines = (bom ? text.slice(1) : text).split(/\r?\n/).filter((l) => l !== '')
  return { bom, header: lines[0] ?? '', data: lines.slice(1) }
}

/** The rows of an .xlsx export's first sheet, read with the library the server writes them with. */
export async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  // As the server reads uploads (services/table-file.ts): exceljs's typing of its argument predates Node's generic Buffer.
  await book.xlsx.load(bytes as unknown as ArrayBuffer)
  const rows: unknown[][] = []
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
  return rows
}

/** One school as the bureau's staffing dashboard lists it. */
export interface StaffingRow {
  schoolId: number
  code: string
  name: string
  type: string
  streetNameZh: string
  streetNameEn: string
  students: number | null
  required: number | null
  counted: number
  shortfall: number
  noTeacher: boolean
}

/** Every school on the bureau's staffing dashboard for the current year (with a bureau session). */
export async function staffingRows(
  request: APIRequestContext,
  filters: Record<string, unknown> = {},
): Promise<{ total: number; rows: StaffingRow[] }> {
  return trpcData<{ total: number; rows: StaffingRow[] }>(request, 'staffing.dashboard', { pageSize: 200, ...filters })
}

/** One school as the bureau's room dashboard lists it. */
export interface RoomRow {
  schoolId: number
  code: string
  name: string
  streetNameZh: string
  reasons: string[]
  meets: boolean
}

export async function roomRows(
  request: APIRequestContext,
  filters: Record<string, unknown> = {},
): Promise<{ total: number; rows: RoomRow[] }> {
  return trpcData<{ total: number; rows: RoomRow[] }>(request, 'staffing.rooms', { pageSize: 200, ...filters })
}

/** What `staffing.team` answers for the caller's own school (school roles). */
export interface OwnTeam {
  school: { id: number; name: string }
  enrolment: { students: number; classes: number } | null
  settings: { studentsPerFullTime: number }
  figures: { required: number | null; counted: number; shortfall: number | null }
  members: { id: number; name: string; employment: string; inPost: boolean }[]
}

export function ownTeam(request: APIRequestContext): Promise<OwnTeam> {
  return trpcData<OwnTeam>(request, 'staffing.team', {})
}

/** The district settings as the settings page edits them. */
export interface DistrictSettings {
  staffing: { studentsPerFullTime: number; trainingHoursPerYear: number; certificateWarningDays: number }
  rooms: Record<string, unknown>
}

export async function districtSettings(request: APIRequestContext): Promise<DistrictSettings> {
  const s = await trpcData<DistrictSettings>(request, 'staffing.settings')
  return { staffing: s.staffing, rooms: s.rooms }
}

export function saveDistrictSettings(request: APIRequestContext, settings: DistrictSettings): Promise<unknown> {
  return trpcData(request, 'staffing.updateSettings', settings)
}
