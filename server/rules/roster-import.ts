import { z } from 'zod'
import { studentFields } from '../../shared/case-schemas'

/** Header cells we accept for each field, Chinese or English, compared without spaces and case. */
export const IMPORT_COLUMNS = {
  studentNo: ['学号', 'studentno', 'studentnumber', 'no'],
  name: ['姓名', 'name'],
  sex: ['性别', 'sex', 'gender'],
  birthDate: ['出生日期', '生日', 'birthdate', 'dateofbirth'],
  grade: ['年级', 'grade'],
  className: ['班级', 'class', 'classname'],
  guardianName: ['监护人', '监护人姓名', 'guardian', 'guardianname'],
  guardianPhone: ['监护人电话', '联系电话', '电话', 'guardianphone', 'phone'],
} as const
export type ImportField = keyof typeof IMPORT_COLUMNS

export const REQUIRED_FIELDS: readonly ImportField[] = ['studentNo', 'name', 'sex', 'grade', 'className']
export const MAX_IMPORT_ROWS = 3000

export interface ImportRowProblem {
  /** 1-based row number in the file, counting the header as row 1 */
  row: number
  field: ImportField | null
  /** i18n key under `import.problems.` */
  code: string
}

export interface ParsedImport {
  rows: { row: number; value: z.infer<typeof rowSchema> }[]
  problems: ImportRowProblem[]
  missingColumns: ImportField[]
}

const rowSchema = z.strictObject({
  studentNo: studentFields.studentNo,
  name: studentFields.name,
  sex: studentFields.sex,
  birthDate: studentFields.birthDate,
  grade: studentFields.grade,
  className: studentFields.className,
  guardianName: studentFields.guardianName,
  guardianPhone: studentFields.guardianPhone,
})

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase()

const SEX: Record<string, 'F' | 'M'> = { 女: 'F', f: 'F', female: 'F', 男: 'M', m: 'M', male: 'M' }
const GRADE_WORDS: Record<string, number> = {
  幼儿园: 0,
  一年级: 1,
  二年级: 2,
  三年级: 3,
  四年级: 4,
  五年级: 5,
  六年级: 6,
  初一: 7,
  七年级: 7,
  初二: 8,
  八年级: 8,
  初三: 9,
  九年级: 9,
  高一: 10,
  高二: 11,
  高三: 12,
}

function parseGrade(v: string): number | null {
  const t = norm(v)
  if (t in GRADE_WORDS) return GRADE_WORDS[t]!
  return /^\d{1,2}$/.test(t) ? Number(t) : null
}

function parseDate(v: string): string | null | 'bad' {
  const t = v.trim()
  if (!t) return null
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t)
  if (!m) return 'bad'
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
  const d = new Date(`${iso}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? 'bad' : iso
}

/**
 * Turns a table of cells (first row = header) into student rows and a list of every problem, so the
 * preview can show them all before anything is written. Pure: no I/O.
 */
export function parseRoster(table: readonly (readonly string[])[], existingStudentNos: ReadonlySet<string>): ParsedImport {
  const problems: ImportRowProblem[] = []
  const [header = [], ...body] = table
  const index = new Map<ImportField, number>()
  header.forEach((cell, i) => {
    const h = norm(cell)
    for (const [field, names] of Object.entries(IMPORT_COLUMNS) as [ImportField, readonly string[]][]) {
      if (names.includes(h) && !index.has(field)) index.set(field, i)
    }
  })
  const missingColumns = REQUIRED_FIELDS.filter((f) => !index.has(f))
  if (missingColumns.length) return { rows: [], problems, missingColumns }
  if (body.length > MAX_IMPORT_ROWS) {
    problems.push({ row: MAX_IMPORT_ROWS + 2, field: null, code: 'tooManyRows' })
    return { rows: [], problems, missingColumns }
  }

  const seen = new Set<string>()
  const rows: ParsedImport['rows'] = []
  body.forEach((cells, k) => {
    const row = k + 2
    const get = (f: ImportField) => (index.has(f) ? (cells[index.get(f)!] ?? '').trim() : '')
    if (cells.every((c) => !c.trim())) return
    const rowProblems: ImportRowProblem[] = []
    const sex = SEX[norm(get('sex'))]
    if (!sex) rowProblems.push({ row, field: 'sex', code: 'sex' })
    const grade = parseGrade(get('grade'))
    if (grade == null) rowProblems.push({ row, field: 'grade', code: 'grade' })
    const birth = parseDate(get('birthDate'))
    if (birth === 'bad') rowProblems.push({ row, field: 'birthDate', code: 'date' })
    const candidate = {
      studentNo: get('studentNo'),
      name: get('name'),
      sex: sex ?? 'F',
      birthDate: birth === 'bad' ? null : birth,
      grade: grade ?? 0,
      className: get('className'),
      guardianName: get('guardianName') || null,
      guardianPhone: get('guardianPhone') || null,
    }
    const parsed = rowSchema.safeParse(candidate)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as ImportField
        if (!rowProblems.some((p) => p.field === field))
          rowProblems.push({ row, field, code: issue.code === 'too_small' ? 'required' : 'invalid' })
      }
    }
    if (candidate.studentNo) {
      if (seen.has(candidate.studentNo)) rowProblems.push({ row, field: 'studentNo', code: 'duplicateInFile' })
      else if (existingStudentNos.has(candidate.studentNo)) rowProblems.push({ row, field: 'studentNo', code: 'exists' })
      seen.add(candidate.studentNo)
    }
    if (rowProblems.length) problems.push(...rowProblems)
    else if (parsed.success) rows.push({ row, value: parsed.data })
  })
  if (!rows.length && !problems.length) problems.push({ row: 2, field: null, code: 'empty' })
  return { rows, problems, missingColumns }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), with an optional UTF-8 BOM. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '')
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows
}
