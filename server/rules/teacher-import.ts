import { z } from 'zod'
import { teacherFields } from '../../shared/assessment'
import { MAX_IMPORT_ROWS, type ImportRowProblem } from './roster-import'

/** Header cells we accept for each field, Chinese or English, compared without spaces and case. */
export const TEACHER_IMPORT_COLUMNS = {
  staffNo: ['工号', '教职工号', 'staffno', 'staffnumber', 'no'],
  name: ['姓名', 'name'],
  sex: ['性别', 'sex', 'gender'],
  birthYear: ['出生年份', '出生年', '出生日期', 'birthyear', 'yearofbirth'],
  subject: ['任教学科', '学科', 'subject'],
  phone: ['手机', '电话', '联系电话', 'phone', 'mobile'],
} as const
export type TeacherImportField = keyof typeof TEACHER_IMPORT_COLUMNS
export const TEACHER_REQUIRED_FIELDS: readonly TeacherImportField[] = ['staffNo', 'name', 'sex']

const rowSchema = z.strictObject(teacherFields)
export type TeacherRow = z.infer<typeof rowSchema>

export interface ParsedTeacherImport {
  rows: { row: number; value: TeacherRow }[]
  problems: (Omit<ImportRowProblem, 'field'> & { field: TeacherImportField | null })[]
  missingColumns: TeacherImportField[]
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase()
const SEX: Record<string, 'F' | 'M'> = { 女: 'F', f: 'F', female: 'F', 男: 'M', m: 'M', male: 'M' }

/** A birth year from `1985`, `1985年`, or a full date such as `1985-03-07` / `1985/3/7`; 'bad' for anything else. */
function parseBirthYear(v: string): number | null | 'bad' {
  const t = v.trim()
  if (!t) return null
  const m = /^(\d{4})(?:年|[-/.年]\d{1,2}[-/.月]\d{1,2}日?)?$/.exec(t)
  return m ? Number(m[1]) : 'bad'
}

/**
 * Turns a table of cells (first row = header) into teacher rows and every problem, so the preview
 * shows them all before anything is written. Pure: no I/O. The same shape as the student roster's.
 */
export function parseTeacherRoster(table: readonly (readonly string[])[], existingStaffNos: ReadonlySet<string>): ParsedTeacherImport {
  const problems: ParsedTeacherImport['problems'] = []
  const [header = [], ...body] = table
  const index = new Map<TeacherImportField, number>()
  header.forEach((cell, i) => {
    const h = norm(cell)
    for (const [field, names] of Object.entries(TEACHER_IMPORT_COLUMNS) as [TeacherImportField, readonly string[]][]) {
      if (names.includes(h) && !index.has(field)) index.set(field, i)
    }
  })
  const missingColumns = TEACHER_REQUIRED_FIELDS.filter((f) => !index.has(f))
  if (missingColumns.length) return { rows: [], problems, missingColumns }
  if (body.length > MAX_IMPORT_ROWS) {
    problems.push({ row: MAX_IMPORT_ROWS + 2, field: null, code: 'tooManyRows' })
    return { rows: [], problems, missingColumns }
  }
  const seen = new Set<string>()
  const rows: ParsedTeacherImport['rows'] = []
  body.forEach((cells, k) => {
    const row = k + 2
    const get = (f: TeacherImportField) => (index.has(f) ? (cells[index.get(f)!] ?? '').trim() : '')
    if (cells.every((c) => !c.trim())) return
    const rowProblems: ParsedTeacherImport['problems'] = []
    const sex = SEX[norm(get('sex'))]
    if (!sex) rowProblems.push({ row, field: 'sex', code: 'sex' })
    const birth = parseBirthYear(get('birthYear'))
    if (birth === 'bad') rowProblems.push({ row, field: 'birthYear', code: 'year' })
    const candidate = {
      staffNo: get('staffNo'),
      name: get('name'),
      sex: sex ?? 'F',
      birthYear: birth === 'bad' ? null : birth,
      subject: get('subject') || null,
      phone: get('phone') || null,
    }
    const parsed = rowSchema.safeParse(candidate)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as TeacherImportField
        if (!rowProblems.some((p) => p.field === field))
          rowProblems.push({ row, field, code: issue.code === 'too_small' && field !== 'birthYear' ? 'required' : 'invalid' })
      }
    }
    if (candidate.staffNo) {
      if (seen.has(candidate.staffNo)) rowProblems.push({ row, field: 'staffNo', code: 'duplicateInFile' })
      else if (existingStaffNos.has(candidate.staffNo)) rowProblems.push({ row, field: 'staffNo', code: 'exists' })
      seen.add(candidate.staffNo)
    }
    if (rowProblems.length) problems.push(...rowProblems)
    else if (parsed.success) rows.push({ row, value: parsed.data })
  })
  if (!rows.length && !problems.length) problems.push({ row: 2, field: null, code: 'empty' })
  return { rows, problems, missingColumns }
}
