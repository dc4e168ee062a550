import { IMPORT_MAX_BYTES, type StudentCreateInput, type StudentListInput, type StudentUpdateInput } from '../../shared/case-schemas'
import { parseRoster, type ImportRowProblem } from '../rules/roster-import'
import { readTable } from './table-file'
import { findStudent, insertStudent, listStudents, promoteSchool, studentNosOfSchool, updateStudent } from '../repositories/student'
import { findSchool } from '../repositories/school'
import { appendAudit } from './audit'
import { nowIso, requireActor, withTransaction, type Actor, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptOptional, encryptText, nameIndex } from './crypto'
import { AppError, conflict, notFound, uniqueAs } from './errors'

const P = { name: 'student.name', guardianName: 'student.guardian_name', guardianPhone: 'student.guardian_phone' } as const

/** The one school a school role acts for; other roles never reach these services (permission matrix). */
export function actorSchool(actor: Actor): number {
  if (actor.scope.kind !== 'school') throw new AppError('FORBIDDEN', 'forbidden')
  return actor.scope.schoolId
}

type StudentRow = NonNullable<Awaited<ReturnType<typeof findStudent>>>

export function toStudent(ctx: ServiceContext, r: StudentRow) {
  return {
    id: r.id,
    studentNo: r.student_no,
    name: decryptText(ctx.keys, P.name, r.name_enc),
    sex: r.sex,
    birthDate: r.birth_date,
    grade: r.grade,
    className: r.class_name,
    guardianName: decryptOptional(ctx.keys, P.guardianName, r.guardian_name_enc),
    guardianPhone: decryptOptional(ctx.keys, P.guardianPhone, r.guardian_phone_enc),
    version: r.version,
  }
}

export function encryptStudentFields(ctx: ServiceContext, s: Pick<StudentCreateInput, 'name' | 'guardianName' | 'guardianPhone'>) {
  return {
    name_enc: encryptText(ctx.keys, P.name, s.name),
    name_index: nameIndex(ctx.keys, s.name),
    guardian_name_enc: encryptOptional(ctx.keys, P.guardianName, s.guardianName),
    guardian_phone_enc: encryptOptional(ctx.keys, P.guardianPhone, s.guardianPhone),
  }
}

/** A search box: a student number (prefix) or a full name (exact, through the blind index). */
export function searchTerms(ctx: ServiceContext, search: string | undefined) {
  if (!search) return {}
  return /^[A-Za-z0-9-]+$/.test(search)
    ? { studentNoPrefix: search, nameIndex: nameIndex(ctx.keys, search) }
    : { nameIndex: nameIndex(ctx.keys, search) }
}

export async function listStudentsService(ctx: ServiceContext, input: StudentListInput) {
  const actor = requireActor(ctx)
  const { total, rows } = await listStudents(
    ctx.db,
    actor.scope,
    { ...searchTerms(ctx, input.search), grade: input.grade, className: input.className },
    input.page,
    input.pageSize,
  )
  await appendAudit(ctx.db, ctx, {
    action: 'student.list',
    outcome: 'ok',
    entityType: 'student',
    schoolId: actor.schoolId,
    detail: `rows:${rows.length}`,
  })
  return { total, rows: rows.map((r) => toStudent(ctx, r)) }
}

export async function getStudent(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findStudent(ctx.db, actor.scope, id)
  if (!row) throw notFound()
  await appendAudit(ctx.db, ctx, { action: 'student.read', outcome: 'ok', entityType: 'student', entityId: id, schoolId: row.school_id })
  return toStudent(ctx, row)
}

export async function createStudent(ctx: ServiceContext, input: StudentCreateInput) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertStudent(trx, {
        school_id: schoolId,
        student_no: input.studentNo,
        sex: input.sex,
        birth_date: input.birthDate,
        grade: input.grade,
        class_name: input.className,
        ...encryptStudentFields(ctx, input),
        created_at: at,
        updated_at: at,
        version: 1,
      })
      await appendAudit(trx, ctx, { action: 'student.create', outcome: 'ok', entityType: 'student', entityId: id, schoolId })
      return { id }
    }),
    'student.numberTaken',
  )
}

export async function updateStudentService(ctx: ServiceContext, input: StudentUpdateInput) {
  const actor = requireActor(ctx)
  const current = await findStudent(ctx.db, actor.scope, input.id)
  if (!current) throw notFound()
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const ok = await updateStudent(trx, input.id, input.version, {
        student_no: input.studentNo,
        sex: input.sex,
        birth_date: input.birthDate,
        grade: input.grade,
        class_name: input.className,
        ...encryptStudentFields(ctx, input),
        updated_at: nowIso(ctx),
      })
      if (!ok) throw conflict()
      await appendAudit(trx, ctx, {
        action: 'student.update',
        outcome: 'ok',
        entityType: 'student',
        entityId: input.id,
        schoolId: current.school_id,
      })
    }),
    'student.numberTaken',
  )
  return getStudent(ctx, input.id)
}

/**
 * Import a class list. `commit: false` is the preview: every row's problem, nothing written.
 * `commit: true` writes only when the file has no problem at all, in one transaction.
 */
export async function importStudents(ctx: ServiceContext, input: { fileName: string; contentBase64: string; commit: boolean }) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const content = Buffer.from(input.contentBase64, 'base64')
  if (content.length > IMPORT_MAX_BYTES) throw new AppError('BAD_REQUEST', 'import.tooLarge')
  const table = await readTable(input.fileName, content)
  const parsed = parseRoster(table, await studentNosOfSchool(ctx.db, schoolId))
  const problems: ImportRowProblem[] = parsed.problems
  const preview = {
    missingColumns: parsed.missingColumns,
    problems,
    valid: parsed.rows.length,
    sample: parsed.rows.slice(0, 20).map((r) => ({ row: r.row, ...r.value })),
    committed: 0,
  }
  if (!input.commit) return preview
  if (parsed.missingColumns.length || problems.length)
    throw new AppError('BAD_REQUEST', 'import.hasProblems', { problems: problems.length + parsed.missingColumns.length })
  const at = nowIso(ctx)
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      for (const { value } of parsed.rows) {
        await insertStudent(trx, {
          school_id: schoolId,
          student_no: value.studentNo,
          sex: value.sex,
          birth_date: value.birthDate,
          grade: value.grade,
          class_name: value.className,
          ...encryptStudentFields(ctx, value),
          created_at: at,
          updated_at: at,
          version: 1,
        })
      }
      await appendAudit(trx, ctx, {
        action: 'student.import',
        outcome: 'ok',
        entityType: 'student',
        schoolId,
        detail: `rows:${parsed.rows.length}`,
      })
    }),
    'student.numberTaken',
  )
  return { ...preview, committed: parsed.rows.length }
}

const LAST_GRADE: Record<string, number> = { primary: 6, junior: 9, senior: 12, nine_year: 9, twelve_year: 12, special: 12, preschool: 0 }

/** The new school year: everyone moves up a grade; students past the school's last grade leave the roster. */
export async function promoteStudents(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const school = await findSchool(ctx.db, actor.scope, schoolId)
  if (!school) throw notFound()
  return withTransaction(ctx.db, async (trx) => {
    const result = await promoteSchool(trx, schoolId, LAST_GRADE[school.type] ?? 12, nowIso(ctx))
    await appendAudit(trx, ctx, {
      action: 'student.promote',
      outcome: 'ok',
      entityType: 'school',
      entityId: schoolId,
      schoolId,
      detail: `promoted:${result.promoted},left:${result.left}`,
    })
    return result
  })
}
