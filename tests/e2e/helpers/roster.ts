import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, type Page } from '@playwright/test'
import { inputByTestId, waitForHydration } from './login'

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures')

/** A file for `setInputFiles`, built in memory. */
export interface UploadFile {
  name: string
  mimeType: string
  buffer: Buffer
}

/**
 * A token unique to this run (and call), for student numbers: a journey may meet a server that
 * earlier runs already wrote to (E2E_REUSE_SERVER=1), and several journeys import the same class.
 */
export function runToken(): string {
  return `${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 36 ** 2)
    .toString(36)
    .padStart(2, '0')}`
}

/**
 * A CSV class list from tests/e2e/fixtures. With `token`, the student numbers `E2E-nnnn` become
 * `E2E-<token>-nnnn`, so the same file imports again without clashing with earlier imports.
 */
export function rosterCsv(fixture: string, token?: string): UploadFile {
  let text = readFileSync(join(FIXTURES_DIR, fixture), 'utf8')
  if (token) text = text.replace(/\bE2E-(\w+)/g, `E2E-${token}-$1`)
  return { name: fixture, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') }
}

/** The student number a fixture row gets once imported with `token` (see rosterCsv). */
export function studentNo(base: string, token?: string): string {
  return token ? base.replace(/^E2E-/, `E2E-${token}-`) : base
}

/** An .xlsx class list (first sheet, first row the header), built with the same library the server reads it with. */
export async function rosterXlsx(name: string, header: string[], rows: (string | number | Date | null)[][]): Promise<UploadFile> {
  // Loaded on demand, so specs that never build a workbook do not pay for the library.
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('名单')
  sheet.addRow(header)
  for (const row of rows) sheet.addRow(row)
  const buffer = Buffer.from(await book.xlsx.writeBuffer())
  return { name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer }
}

/** Opens the roster's import dialog and picks the file; resolves once the preview (or an error) is shown. */
export async function previewImport(page: Page, file: UploadFile | string): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/school/students')) {
    await page.goto('/school/students')
    await waitForHydration(page)
  }
  await page.getByTestId('student-import').click()
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('import-file') })
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('import-file').setInputFiles(file)
  await expect(
    dialog.getByTestId('import-ok').or(dialog.getByTestId('import-problems-summary')).or(dialog.getByTestId('import-error')),
  ).toBeVisible()
}

/** Imports a class list that must be free of problems, through the roster page; returns once it is written. */
export async function importRoster(page: Page, file: UploadFile, expectedRows: number): Promise<void> {
  await previewImport(page, file)
  await expect(page.getByTestId('import-ok')).toContainText(`${expectedRows} 行数据检查通过`)
  const commit = page.getByTestId('import-commit')
  await expect(commit).toBeEnabled()
  await expect(commit).toHaveText(`导入 ${expectedRows} 名学生`)
  await commit.click()
  await expect(page.locator('.el-message--success').filter({ hasText: `已导入 ${expectedRows} 名学生` })).toBeVisible()
  await expect(page.getByTestId('import-file')).toBeHidden()
}

/** Filters the roster by a student number prefix or a full name. */
export async function searchRoster(page: Page, term: string): Promise<void> {
  await inputByTestId(page, 'student-search').fill(term)
}
