import { IMPORT_MAX_BYTES } from '../../shared/case-schemas'
import type { TeacherCreateInput, TeacherListInput, TeacherUpdateInput } from '../../shared/assessment'
import { nameMatcher, studentNoMatcher } from '../rules/name-match'
import { parseTeacherRoster } from '../rules/teacher-import'
import { currentTeachers, findTeacher, insertTeacher, staffNosOfSchool, updateTeacher } from '../repositories/teacher'
import { appendAudit } from './audit'
import { nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptOptional, encryptText } from './crypto'
import { AppError, conflict, notFound, uniqueAs } from './errors'
import { actorSchool } from './student'
import { readTable } from './table-file'

const P = { name: 'teacher.name', phone: 'teacher.phone' } as const

type TeacherRow = NonNullable<Awaited<ReturnType<typeof findTeacher>>>

export function teacherName(ctx: ServiceContext, r: { name_enc: string }): string {
  return decryptText(ctx.keys, P.name, r.name_enc)
}

function toTeacher(ctx: ServiceContext, r: TeacherRow) {
  return {
    id: r.id,
    staffNo: r.staff_no,
    name: teacherName(ctx, r),
    sex: r.sex,
    birthYear: r.birth_year,
    subject: r.subject,
    phone: decryptOptional(ctx.keys, P.phone, r.phone_enc),
    version: r.version,
  }
}

function teacherValues(ctx: ServiceContext, v: TeacherCreateInput) {
  return {
    staff_no: v.staffNo,
    name_enc: encryptText(ctx.keys, P.name, v.name),
    sex: v.sex,
    birth_year: v.birthYear,
    subject: v.subject ?? null,
    phone_enc: encryptOptional(ctx.keys, P.phone, v.phone),
  }
}

/** The school's teachers; a search matches a staff-number prefix or part of the (decrypted) name, never stored or logged. */
export async function listTeachers(ctx: ServiceContext, input: TeacherListInput) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  let rows = await currentTeachers(ctx.db, actor.scope)
  if (input.search) {
    const byNo = studentNoMatcher(input.search)
    const byName = nameMatcher(input.search)
    rows = rows.filter((r) => (byNo != null && byNo(r.staff_no)) || (byName != null && byName(teacherName(ctx, r))))
  }
  const page = rows.slice((input.page - 1) * input.pageSize, input.page * input.pageSize)
  await appendAudit(ctx.db, ctx, {
    action: 'teacher.list',
    outcome: 'ok',
    entityType: 'teacher',
    schoolId,
    detail: `rows:${page.length}${input.search ? ',search' : ''}`,
  })
  return { total: rows.length, rows: page.map((r) => toTeacher(ctx, r)) }
}

export async function createTeacher(ctx: ServiceContext, input: TeacherCreateInput) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertTeacher(trx, { school_id: schoolId, ...teacherValues(ctx, input), created_at: at, updated_at: at, version: 1 })
      await appendAudit(trx, ctx, { action: 'teacher.create', outcome: 'ok', entityType: 'teacher', entityId: id, schoolId })
      return { id }
    }),
    'teacher.numberTaken',
  )
}

export async function updateTeacherService(ctx: ServiceContext, input: TeacherUpdateInput) {
  const actor = requireActor(ctx)
  const current = await findTeacher(ctx.db, actor.scope, input.id)
  if (!current || current.left_at) throw notFound()
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      if (!(await updateTeacher(trx, input.id, input.version, { ...teacherValues(ctx, input), updated_at: nowIso(ctx) }))) throw conflict()
      await appendAudit(trx, ctx, {
        action: 'teacher.update',
        outcome: 'ok',
        entityType: 'teacher',
        entityId: input.id,
        schoolId: current.school_id,
      })
    }),
    'teacher.numberTaken',
  )
  const row = (await findTeacher(ctx.db, actor.scope, input.id))!
  return toTeacher(ctx, row)
}

/** A teacher who left the school: off the roster and out of later rounds; past answers stay with their rounds. */
export async function removeTeacher(ctx: ServiceContext, input: { id: number; version: number }) {
  const actor = requireActor(ctx)
  const current = await findTeacher(ctx.db, actor.scope, input.id)
  if (!current || current.left_at) throw notFound()
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateTeacher(trx, input.id, input.version, { left_at: at, updated_at: at }))) throw conflict()
    await appendAudit(trx, ctx, {
      action: 'teacher.remove',
      outcome: 'ok',
      entityType: 'teacher',
      entityId: input.id,
      schoolId: current.school_id,
    })
  })
  return { ok: true as const }
}

/**
 * Import a staff list. `commit: false` is the preview: every row's problem, nothing written.
 * `commit: true` writes only when the file has no problem at all, in one transaction.
 */
export async function importTeachers(ctx: ServiceContext, input: { fileName: string; contentBase64: string; commit: boolean }) {
  const actor = requireActor(ctx)
  const schoolId = actorSchool(actor)
  const content = Buffer.from(input.contentBase64, 'base64')
  if (content.length > IMPORT_MAX_BYTES) throw new AppError('BAD_REQUEST', 'import.tooLarge')
  const table = await readTable(input.fileName, content)
  const parsed = parseTeacherRoster(table, await staffNosOfSchool(ctx.db, schoolId))
  const preview = {
    missingColumns: parsed.missingColumns,
    problems: parsed.problems,
    valid: parsed.rows.length,
    sample: parsed.rows.slice(0, 20).map((r) => ({ row: r.row, ...r.value })),
    committed: 0,
  }
  if (!input.commit) return preview
  if (parsed.missingColumns.length || parsed.problems.length)
    throw new AppError('BAD_REQUEST', 'import.hasProblems', { problems: parsed.problems.length + parsed.missingColumns.length })
  const at = nowIso(ctx)
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      for (const { value } of parsed.rows)
        await insertTeacher(trx, { school_id: schoolId, ...teacherValues(ctx, value), created_at: at, updated_at: at, version: 1 })
      await appendAudit(trx, ctx, {
        action: 'teacher.import',
        outcome: 'ok',
        entityType: 'teacher',
        schoolId,
        detail: `rows:${parsed.rows.length}`,
      })
    }),
    'teacher.numberTaken',
  )
  return { ...preview, committed: parsed.rows.length }
}
