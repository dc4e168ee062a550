import { findSchool } from '../repositories/school'
import { findCurrentSchoolYear, findSchoolYear } from '../repositories/school-year'
import { shanghaiDate } from '../rules/risk'
import { yearWriteState } from '../../shared/school-year'
import { requireActor, type Scope, type ServiceContext } from './context'
import { AppError, notFound } from './errors'

/**
 * The school a request is about. School roles always get their own school (asking for another one
 * answers NOT_FOUND, as a missing id does); the bureau names the school.
 */
export async function targetSchool(ctx: ServiceContext, schoolId: number | undefined) {
  const actor = requireActor(ctx)
  const id = actor.scope.kind === 'school' ? actor.scope.schoolId : schoolId
  if (id == null) throw new AppError('BAD_REQUEST', 'validation')
  if (schoolId != null && schoolId !== id) throw notFound()
  const school = await findSchool(ctx.db, actor.scope, id)
  if (!school) throw notFound()
  return school
}

/** The school's own id for a write: only school roles write team and room records. */
export function ownSchoolId(ctx: ServiceContext): number {
  const actor = requireActor(ctx)
  if (actor.scope.kind !== 'school') throw new AppError('FORBIDDEN', 'forbidden')
  return actor.scope.schoolId
}

export async function targetYear(ctx: ServiceContext, schoolYearId: number | undefined) {
  const row = schoolYearId ? await findSchoolYear(ctx.db, schoolYearId) : await findCurrentSchoolYear(ctx.db)
  if (!row) throw notFound()
  const writable = yearWriteState({ endsOn: row.ends_on, disabled: row.disabled_at != null }, today(ctx)) === 'open'
  return { id: row.id, label: row.label, startsOn: row.starts_on, endsOn: row.ends_on, isCurrent: !!row.is_current, writable }
}

export function today(ctx: Pick<ServiceContext, 'now'>): string {
  return shanghaiDate(ctx.now())
}

type YearRow = NonNullable<Awaited<ReturnType<typeof findSchoolYear>>>

/**
 * A year a school may write into: past and disabled years are history, refused with a clear error
 * (`schoolYear.closed`). `schoolYearId` undefined means the current year.
 */
export async function writableYear(ctx: ServiceContext, schoolYearId: number | undefined) {
  const row = schoolYearId ? await findSchoolYear(ctx.db, schoolYearId) : await findCurrentSchoolYear(ctx.db)
  if (!row) throw notFound()
  assertYearOpen(ctx, row)
  return { id: row.id, label: row.label, startsOn: row.starts_on, endsOn: row.ends_on, isCurrent: !!row.is_current, writable: true }
}

export function assertYearOpen(ctx: ServiceContext, row: YearRow): void {
  if (yearWriteState({ endsOn: row.ends_on, disabled: row.disabled_at != null }, today(ctx)) !== 'open') {
    throw new AppError('FORBIDDEN', 'schoolYear.closed', { year: row.label })
  }
}

/**
 * The bureau or the admin correcting a year's figures: an open year needs nothing more; a past or
 * disabled one needs a reason, which the caller writes into the audit row. Returns the reason to record.
 */
export function correctionOf(ctx: ServiceContext, row: YearRow, reason: string | undefined): string | null {
  if (yearWriteState({ endsOn: row.ends_on, disabled: row.disabled_at != null }, today(ctx)) === 'open') return null
  if (!reason) throw new AppError('BAD_REQUEST', 'schoolYear.correctionReasonRequired', { year: row.label })
  return reason
}

/**
 * A record the acting school may change: found within the actor's scope and belonging to the actor's
 * own school; anything else is NOT_FOUND, exactly as a missing id.
 */
export async function ownRecord<T extends { school_id: number }>(
  ctx: ServiceContext,
  find: (db: ServiceContext['db'], scope: Scope, id: number) => Promise<T | undefined>,
  id: number,
): Promise<T> {
  const schoolId = ownSchoolId(ctx)
  const row = await find(ctx.db, requireActor(ctx).scope, id)
  if (!row || row.school_id !== schoolId) throw notFound()
  return row
}
