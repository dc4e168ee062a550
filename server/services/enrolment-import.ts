import { IMPORT_MAX_BYTES } from '../../shared/case-schemas'
import { upsertEnrolment } from '../repositories/school'
import { findSchoolYear } from '../repositories/school-year'
import { schoolCodes } from '../repositories/staffing'
import { parseEnrolment } from '../rules/enrolment-import'
import { appendAudit } from './audit'
import { nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { AppError, notFound } from './errors'
import { assertYearOpen, correctionOf, today } from './school-scope'
import { readTable } from './table-file'
import { yearWriteState } from '../../shared/school-year'

/**
 * The district's enrolment sheet for one school year (school code, students, classes). The preview
 * (`commit: false`) lists every problem; a commit writes all rows in one transaction or nothing.
 */
export async function importEnrolment(
  ctx: ServiceContext,
  input: { schoolYearId: number; fileName: string; contentBase64: string; commit: boolean; correctionReason?: string },
) {
  const actor = requireActor(ctx)
  const year = await findSchoolYear(ctx.db, input.schoolYearId)
  if (!year) throw notFound()
  if (actor.scope.kind === 'school') assertYearOpen(ctx, year)
  const content = Buffer.from(input.contentBase64, 'base64')
  if (content.length > IMPORT_MAX_BYTES) throw new AppError('BAD_REQUEST', 'import.tooLarge')
  const table = await readTable(input.fileName, content)
  const codes = new Map((await schoolCodes(ctx.db, actor.scope)).map((s) => [s.code.toUpperCase(), s.id]))
  const parsed = parseEnrolment(table, codes)
  const preview = {
    missingColumns: parsed.missingColumns,
    problems: parsed.problems,
    valid: parsed.rows.length,
    sample: parsed.rows.slice(0, 20).map((r) => ({ row: r.row, code: r.code, students: r.students, classes: r.classes })),
    committed: 0,
    /** the year has ended or is disabled: committing is a correction and needs a reason */
    yearClosed: yearWriteState({ endsOn: year.ends_on, disabled: year.disabled_at != null }, today(ctx)) !== 'open',
  }
  if (!input.commit) return preview
  if (parsed.missingColumns.length || parsed.problems.length) {
    throw new AppError('BAD_REQUEST', 'import.hasProblems', { problems: parsed.problems.length + parsed.missingColumns.length })
  }
  const correction = correctionOf(ctx, year, input.correctionReason)
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    for (const r of parsed.rows) {
      await upsertEnrolment(trx, {
        school_id: r.schoolId,
        school_year_id: year.id,
        students: r.students,
        classes: r.classes,
        updated_at: at,
      })
    }
    await appendAudit(trx, ctx, {
      action: 'school.enrolment_import',
      outcome: 'ok',
      entityType: 'enrolment',
      detail: `year:${year.id},rows:${parsed.rows.length}${correction ? `,correction:${correction}` : ''}`,
    })
  })
  return { ...preview, committed: parsed.rows.length }
}
