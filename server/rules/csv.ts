import { stripUnsafeText } from '../../shared/text'

/**
 * One CSV cell per RFC 4180. Text that a spreadsheet would run as a formula (starting with = + - @,
 * tab or carriage return) is prefixed with an apostrophe: an exported school name must never execute.
 * Control characters, bidi overrides and lone surrogates (refused on input, but possibly stored before
 * that rule) never reach a file.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value == null) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  let s = stripUnsafeText(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',')
}
