import { IMPORT_MAX_BYTES, type StudentCreateInput, type StudentListInput, type StudentUpdateInput } from '../../shared/case-schemas'
import { parseRoster, type ImportRowProblem } from '../rules/roster-import'
import { readTable } from './table-file'
import { openCaseIdsOf } from '../repositories/case'
import {
  findStudent,
  insertStudent,
  listStudents,
  promoteSchool,
  searchCandidates,
  studentNosOfSchool,
  studentsByIds,
  updateStudent,
} from '../repositories/student'
import { nameMatcher, studentNoMatcher } from '../rules/name-match'
import { can } from '../../shared/permissions'
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

/**
 * A search box's term as a test on a student row: a student-number prefix, or part of the name.
 * Names are encrypted at rest, so each candidate's name is decrypted and compared here, in memory
 * (server/rules/name-match.ts). Callers pass only rows of the actor's own school (a few thousand at
 * most, ~10 µs each); the term itself is never stored, logged or audited.
 */
export function studentSearch(ctx: ServiceContext, term: string): (r: { student_no: string; name_enc: string }) => boolean {
  const byNo = studentNoMatcher(term)
  const byName = nameMatcher(term)
  return (r) => (byNo != null && byNo(r.student_no)) || (byName != null && byName(decryptText(ctx.keys, P.name, r.name_enc)))
}

/** Whether the actor may see cases; only then does a student row say which case is open for it. */
const seesCases = (actor: Actor) => can(actor.role, 'case.read')

/** Students as the roster and the picker show them: with the open case's id for those who may see cases. */
async function withOpenCase(ctx: ServiceContext, actor: Actor, rows: StudentRow[]) {
  const open = seesCases(actor)
    ? await openCaseIdsOf(
        ctx.db,
        actor.scope,
        rows.map((r) => r.id),
      )
    : new Map<number, number>()
  return rows.map((r) => ({ ...toStudent(ctx, r), openCaseId: open.get(r.id) ?? null }))
}

export async function listStudentsService(ctx: ServiceContext, input: StudentListInput) {
  const actor = requireActor(ctx)
  const filter = { grade: input.grade, className: input.className }
  let total: number
  let rows: StudentRow[]
  if (input.search) {
    const matches = (await searchCandidates(ctx.db, actor.scope, filter)).filter(studentSearch(ctx, input.search))
    total = matches.length
    const page = matches.slice((input.page - 1) * input.pageSize, input.page * input.pageSize)
    rows = await studentsByIds(
      ctx.db,
      actor.scope,
      page.map((r) => r.id),
    )
  } else {
    ;({ total, rows } = await listStudents(ctx.db, actor.scope, filter, input.page, input.pageSize))
  }
  await appendAudit(ctx.db, ctx, {
    action: 'student.list',
    outcome: 'ok',
    entityType: 'student',
    schoolId: actor.schoolId,
    // That a search narrowed the list is recorded, never what was searched for.
    detail: `rows:${rows.length}${input.search ? ',search:1' : ''}`,
  })
  return { total, rows: await withOpenCase(ctx, actor, rows) }
}

export async function getStudent(ctx: ServiceContext, id: number) {
  const actor = requireActor(ctx)
  const row = await findStudent(ctx.db, actor.scope, id)
  if (!row) throw notFound()
  await appendAudit(ctx.db, ctx, { action: 'student.read', outcome: 'ok', entityType: 'student', entityId: id, schoolId: row.school_id })
  return (await withOpenCase(ctx, actor, [row]))[0]!
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
