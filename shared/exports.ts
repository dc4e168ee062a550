/** How every table export of the app is named: its file and its sheet say what was exported and under which filter. */

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const EXPORT_LOCALES = ['zh-CN', 'en'] as const
export type ExportLocale = (typeof EXPORT_LOCALES)[number]

/** The most audit events one export holds; a wider selection is refused with a request to narrow it. */
export const AUDIT_EXPORT_MAX = 50_000

/** Characters no file system or browser download keeps, and control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_FILE = /[\\/:*?"<>|\u0000-\u001f\u007f]/g
const MAX_BASE_NAME = 150

/** One part of a file name: unsafe characters dropped, spaces as underscores. */
export function fileNamePart(text: string): string {
  return text.replace(UNSAFE_IN_FILE, '').trim().replace(/\s+/g, '_')
}

/**
 * `xinqiao-<table>` followed by what the table covers and each filter, in the reader's language:
 * `xinqiao-staffing-2025-2026-福田街道-有专职缺口`. Empty parts are left out; a very long name is cut.
 */
export function exportBaseName(table: string, parts: readonly string[]): string {
  const name = ['xinqiao', table, ...parts.map(fileNamePart).filter(Boolean)].join('-')
  return name.length > MAX_BASE_NAME ? name.slice(0, MAX_BASE_NAME) : name
}

/** Characters Excel refuses in a sheet name. */
const UNSAFE_IN_SHEET = /[\\/?*[\]:]/g
export const MAX_SHEET_NAME = 31

/**
 * A worksheet's name: the table and its filters (`人员配备 · 福田街道 · 小学`). Excel allows 31 characters:
 * a longer name keeps the filters alone (the file name already says which table), then is cut with "…".
 */
export function exportSheetName(sheet: string, filters: readonly string[]): string {
  const clean = (s: string) => s.replace(UNSAFE_IN_SHEET, ' ').replace(/\s+/g, ' ').trim()
  const named = filters.map(clean).filter(Boolean)
  const full = [clean(sheet), ...named].join(' · ')
  if (full.length <= MAX_SHEET_NAME) return full
  const filtersOnly = named.join(' · ')
  if (named.length && filtersOnly.length <= MAX_SHEET_NAME) return filtersOnly
  const cut = filtersOnly || clean(sheet)
  return `${cut.slice(0, MAX_SHEET_NAME - 1).trimEnd()}…`
}
