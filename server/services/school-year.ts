import type { SchoolYearCreateInput, SchoolYearUpdateInput } from '../../shared/schemas'
import {
  clearCurrentSchoolYear,
  findSchoolYear,
  findSchoolYearByLabel,
  insertSchoolYear,
  listSchoolYears,
  updateSchoolYear,
} from '../repositories/school-year'
import { appendAudit } from './audit'
import { nowIso, requireActor, type ServiceContext, withTransaction } from './context'
import { AppError, notFound, uniqueAs } from './errors'

function toYear(r: { id: number; label: string; starts_on: string; ends_on: string; is_current: number; disabled_at: string | null }) {
  return { id: r.id, label: r.label, startsOn: r.starts_on, endsOn: r.ends_on, isCurrent: !!r.is_current, disabled: r.disabled_at != null }
}

export async function listSchoolYearsService(ctx: ServiceContext) {
  requireActor(ctx)
  return (await listSchoolYears(ctx.db)).map(toYear)
}

export async function createSchoolYear(ctx: ServiceContext, input: SchoolYearCreateInput & { makeCurrent?: boolean }) {
  requireActor(ctx)
  if (await findSchoolYearByLabel(ctx.db, input.label)) throw new AppError('CONFLICT', 'schoolYear.labelTaken')
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      if (input.makeCurrent) await clearCurrentSchoolYear(trx)
      const id = await insertSchoolYear(trx, {
        label: input.label,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        is_current: input.makeCurrent ? 1 : 0,
        created_at: at,
        updated_at: at,
      })
      await appendAudit(trx, ctx, { action: 'school_year.create', outcome: 'ok', entityType: 'school_year', entityId: id })
      return { id }
    }),
    'schoolYear.labelTaken',
  )
}

export async function updateSchoolYearService(ctx: ServiceContext, input: SchoolYearUpdateInput) {
  requireActor(ctx)
  const current = await findSchoolYear(ctx.db, input.id)
  if (!current) throw notFound()
  const clash = await findSchoolYearByLabel(ctx.db, input.label)
  if (clash && clash.id !== input.id) throw new AppError('CONFLICT', 'schoolYear.labelTaken')
  await uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      await updateSchoolYear(trx, input.id, {
        label: input.label,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        updated_at: nowIso(ctx),
      })
      await appendAudit(trx, ctx, { action: 'school_year.update', outcome: 'ok', entityType: 'school_year', entityId: input.id })
    }),
    'schoolYear.labelTaken',
  )
  return toYear((await findSchoolYear(ctx.db, input.id))!)
}

export async function setCurrentSchoolYear(ctx: ServiceContext, id: number) {
  requireActor(ctx)
  const year = await findSchoolYear(ctx.db, id)
  if (!year || year.disabled_at) throw notFound()
  await withTransaction(ctx.db, async (trx) => {
    await clearCurrentSchoolYear(trx)
    await updateSchoolYear(trx, id, { is_current: 1, updated_at: nowIso(ctx) })
    await appendAudit(trx, ctx, { action: 'school_year.set_current', outcome: 'ok', entityType: 'school_year', entityId: id })
  })
  return listSchoolYearsService(ctx)
}

export async function setSchoolYearDisabled(ctx: ServiceContext, id: number, disabled: boolean) {
  requireActor(ctx)
  const year = await findSchoolYear(ctx.db, id)
  if (!year) throw notFound()
  if (disabled && year.is_current) throw new AppError('BAD_REQUEST', 'schoolYear.currentCannotBeDisabled')
  await withTransaction(ctx.db, async (trx) => {
    await updateSchoolYear(trx, id, { disabled_at: disabled ? nowIso(ctx) : null, updated_at: nowIso(ctx) })
    await appendAudit(trx, ctx, {
      action: disabled ? 'school_year.disable' : 'school_year.enable',
      outcome: 'ok',
      entityType: 'school_year',
      entityId: id,
    })
  })
  return listSchoolYearsService(ctx)
}
