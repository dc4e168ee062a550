import ExcelJS from 'exceljs'
import { csvLine } from '../rules/csv'
import { stripUnsafeText } from '../../shared/text'
import { parseCsv } from '../rules/roster-import'
import { decodeText } from '../rules/text-decoding'
import { AppError } from './errors'

/** A cell as the user sees it: dates as YYYY-MM-DD, rich text joined, a formula's result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v !== 'object') return String(v)
  if ('richText' in v) return v.richText.map((r) => r.text).join('')
  if ('formula' in v || 'sharedFormula' in v) return cellText((v.result ?? null) as ExcelJS.CellValue)
  if ('text' in v) return String(v.text)
  return ''
}

/** Reads an uploaded class list (CSV or XLSX) into a table of strings. A file it cannot read is a clear error. */
export async function readTable(fileName: string, content: Buffer): Promise<string[][]> {
  const lower = fileName.toLowerCase()
  try {
    if (lower.endsWith('.csv') || lower.endsWith('.txt')) return parseCsv(decodeText(content))
    if (lower.endsWith('.xlsx')) {
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(content as unknown as ArrayBuffer)
      const sheet = book.worksheets[0]
      if (!sheet) throw new Error('no sheet')
      const out: string[][] = []
      let first = 0
      sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        // Blank rows are skipped here but still count in the row numbers the preview shows.
        first ||= rowNumber
        while (out.length < rowNumber - first) out.push([])
        const cells: string[] = []
        for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value))
        out.push(cells)
      })
      return out
    }
  } catch {
    throw new AppError('BAD_REQUEST', 'import.unreadable')
  }
  throw new AppError('BAD_REQUEST', 'import.unsupportedType')
}

export type Cell = string | number | null

export interface TableFile {
  fileName: string
  mimeType: string
  contentBase64: string
}

/** A workbook's second sheet: what the table is and which filters made it, one label and value a line. */
export interface AboutSheet {
  sheetName: string
  rows: readonly (readonly [string, string])[]
}

/**
 * Writes one table as a download: CSV (UTF-8 with a BOM, so Excel on Chinese Windows opens it
 * correctly) or XLSX with a bold, frozen header row, and optionally a second sheet about the table.
 */
export async function writeTable(
  format: 'csv' | 'xlsx',
  baseName: string,
  sheetName: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
  about?: AboutSheet,
): Promise<TableFile> {
  if (format === 'csv') {
    const text = '\uFEFF' + [headers, ...rows].map(csvLine).join('\r\n') + '\r\n'
    return { fileName: `${baseName}.csv`, mimeType: 'text/csv;charset=utf-8', contentBase64: Buffer.from(text, 'utf8').toString('base64') }
  }
  const book = new ExcelJS.Workbook()
  book.creator = 'Xinqiao'
  const sheet = book.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.addRow([...headers]).font = { bold: true }
  for (const r of rows) sheet.addRow(r.map((c) => (typeof c === 'string' ? stripUnsafeText(c) : c)))
  sheet.columns.forEach((col, i) => {
    const widest = Math.max(String(headers[i] ?? '').length * 2, ...rows.slice(0, 200).map((r) => String(r[i] ?? '').length))
    col.width = Math.min(48, Math.max(8, widest + 2))
  })
  if (about) {
    const info = book.addWorksheet(about.sheetName.slice(0, 31))
    for (const [label, value] of about.rows) info.addRow([label, value])
    info.getColumn(1).font = { bold: true }
    info.getColumn(1).width = Math.min(30, Math.max(10, ...about.rows.map(([l]) => l.length * 2 + 2)))
    info.getColumn(2).width = Math.min(80, Math.max(20, ...about.rows.map(([, v]) => v.length * 2 + 2)))
  }
  const buf = Buffer.from(await book.xlsx.writeBuffer())
  return {
    fileName: `${baseName}.xlsx`,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    contentBase64: buf.toString('base64'),
  }
}
