/** Header cells accepted for each column of a district enrolment sheet, compared without spaces and case. */
export const ENROLMENT_COLUMNS = {
  code: ['学校代码', '学校编码', '代码', 'code', 'schoolcode'],
  students: ['学生数', '在校生数', '在校学生数', 'students', 'enrolment'],
  classes: ['班级数', '班数', 'classes'],
} as const
export type EnrolmentField = keyof typeof ENROLMENT_COLUMNS
export const MAX_ENROLMENT_ROWS = 5000

export interface EnrolmentProblem {
  /** 1-based row number in the file, counting the header as row 1 */
  row: number
  field: EnrolmentField | null
  /** i18n key under `import.problems.` */
  code: string
}

export interface ParsedEnrolment {
  rows: { row: number; schoolId: number; code: string; students: number; classes: number }[]
  problems: EnrolmentProblem[]
  missingColumns: EnrolmentField[]
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase()

function count(v: string, max: number): number | 'bad' {
  const t = v.replace(/[,，\s]/g, '')
  if (!/^\d+$/.test(t)) return 'bad'
  const n = Number(t)
  return n > max ? 'bad' : n
}

/**
 * A sheet of school code, students and classes for one school year. Every problem is listed (unknown
 * code, a code twice, a count that is not a whole number in range) so the preview shows them all. Pure.
 */
export function parseEnrolment(table: readonly (readonly string[])[], schoolIdByCode: ReadonlyMap<string, number>): ParsedEnrolment {
  const problems: EnrolmentProblem[] = []
  const [header = [], ...body] = table
  const index = new Map<EnrolmentField, number>()
  header.forEach((cell, i) => {
    const h = norm(cell)
    for (const [field, names] of Object.entries(ENROLMENT_COLUMNS) as [EnrolmentField, readonly string[]][]) {
      if (names.includes(h) && !index.has(field)) index.set(field, i)
    }
  })
  const missingColumns = (Object.keys(ENROLMENT_COLUMNS) as EnrolmentField[]).filter((f) => !index.has(f))
  if (missingColumns.length) return { rows: [], problems, missingColumns }
  if (body.length > MAX_ENROLMENT_ROWS)
    return { rows: [], problems: [{ row: MAX_ENROLMENT_ROWS + 2, field: null, code: 'tooManyRows' }], missingColumns }
  const seen = new Set<string>()
  const rows: ParsedEnrolment['rows'] = []
  body.forEach((cells, k) => {
    const row = k + 2
    if (cells.every((c) => !c.trim())) return
    const get = (f: EnrolmentField) => (cells[index.get(f)!] ?? '').trim()
    const before = problems.length
    const code = get('code').toUpperCase()
    const schoolId = schoolIdByCode.get(code)
    if (!code) problems.push({ row, field: 'code', code: 'required' })
    else if (seen.has(code)) problems.push({ row, field: 'code', code: 'duplicateInFile' })
    else if (schoolId == null) problems.push({ row, field: 'code', code: 'unknownSchool' })
    seen.add(code)
    const students = count(get('students'), 20_000)
    if (students === 'bad') problems.push({ row, field: 'students', code: 'count' })
    const classes = count(get('classes'), 500)
    if (classes === 'bad') problems.push({ row, field: 'classes', code: 'count' })
    if (problems.length === before && schoolId != null && students !== 'bad' && classes !== 'bad')
      rows.push({ row, schoolId, code, students, classes })
  })
  if (!rows.length && !problems.length) problems.push({ row: 2, field: null, code: 'empty' })
  return { rows, problems, missingColumns }
}
