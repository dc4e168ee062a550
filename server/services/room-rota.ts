import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { SlotInput } from '../../shared/room-ops'
import { schoolCounsellors } from '../repositories/case'
import { closuresOf, deleteClosure, insertClosure, replaceSlots, slotsOf, slotsOfSchools } from '../repositories/room-ops'
import { formatTime, regularWeeklyHours, rotaProblems, type Closure, type RotaSlot } from '../rules/room-rota'
import { appendAudit } from './audit'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { AppError, notFound } from './errors'
import { ownSchoolId, targetSchool } from './school-scope'

/**
 * The duty rota: the room's weekly opening slots with the counsellor on duty, and its closures.
 * The room standard's weekly hours come from here wherever a school keeps a rota.
 */
export async function loadRota(db: Kysely<Database>, schoolId: number) {
  const [slots, closures] = await Promise.all([slotsOf(db, schoolId), closuresOf(db, schoolId)])
  const rota: (RotaSlot & { id: number })[] = slots.map((s) => ({
    id: s.id,
    weekday: s.weekday,
    startMin: s.start_min,
    endMin: s.end_min,
    counsellorId: s.counsellor_id,
  }))
  const closed: (Closure & { id: number; reason: string })[] = closures.map((c) => ({
    id: c.id,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    reason: c.reason,
  }))
  return { slots, rota, closures: closed }
}

/** Regular weekly hours from the rota of each school that keeps one; schools without a rota are absent. */
export async function rotaHoursOfSchools(db: Kysely<Database>, schoolIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await slotsOfSchools(db, schoolIds)
  const by = new Map<number, RotaSlot[]>()
  for (const r of rows)
    by.set(r.school_id, [
      ...(by.get(r.school_id) ?? []),
      { weekday: r.weekday, startMin: r.start_min, endMin: r.end_min, counsellorId: r.counsellor_id },
    ])
  return new Map([...by].map(([id, slots]) => [id, regularWeeklyHours(slots)]))
}

export async function getRota(ctx: ServiceContext, input: { schoolId?: number } = {}) {
  const school = await targetSchool(ctx, input.schoolId)
  const { slots, rota, closures } = await loadRota(ctx.db, school.id)
  const counsellors = await schoolCounsellors(ctx.db, school.id)
  return {
    schoolId: school.id,
    slots: slots.map((s) => ({
      id: s.id,
      weekday: s.weekday,
      start: formatTime(s.start_min),
      end: formatTime(s.end_min),
      counsellorId: s.counsellor_id,
      counsellorName: s.counsellor_name ?? '',
    })),
    closures,
    regularHours: regularWeeklyHours(rota),
    hasRota: rota.length > 0,
    counsellors: counsellors.map((c) => ({ id: c.id, name: c.display_name })),
  }
}

/** Replaces the rota. Slots across midnight or overlapping, or a duty counsellor of another school: refused, nothing written. */
export async function saveRota(ctx: ServiceContext, input: { slots: SlotInput[] }) {
  const schoolId = ownSchoolId(ctx)
  const slots = input.slots.map((s) => ({ weekday: s.weekday, startMin: s.start, endMin: s.end, counsellorId: s.counsellorId }))
  const problems = rotaProblems(slots)
  if (problems.length) {
    const first = problems[0]!
    throw new AppError('BAD_REQUEST', `room.slot_${first.problem}`, { row: first.index + 1 })
  }
  const allowed = new Set((await schoolCounsellors(ctx.db, schoolId)).map((c) => c.id))
  if (slots.some((s) => !allowed.has(s.counsellorId))) throw new AppError('BAD_REQUEST', 'room.counsellorNotInSchool')
  const at = nowIso(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await replaceSlots(
      trx,
      schoolId,
      slots.map((s) => ({
        school_id: schoolId,
        weekday: s.weekday,
        start_min: s.startMin,
        end_min: s.endMin,
        counsellor_id: s.counsellorId,
        created_at: at,
      })),
    )
    await appendAudit(trx, ctx, {
      action: 'room.rota_save',
      outcome: 'ok',
      entityType: 'counselling_room',
      entityId: schoolId,
      schoolId,
    })
  })
  return getRota(ctx)
}

export async function addClosure(ctx: ServiceContext, input: { startsOn: string; endsOn: string; reason: string }) {
  const schoolId = ownSchoolId(ctx)
  const actor = requireActor(ctx)
  await withTransaction(ctx.db, async (trx) => {
    await insertClosure(trx, {
      school_id: schoolId,
      starts_on: input.startsOn,
      ends_on: input.endsOn,
      reason: input.reason,
      created_by: accountRef(actor),
      created_at: nowIso(ctx),
    })
    await appendAudit(trx, ctx, { action: 'room.closure_add', outcome: 'ok', entityType: 'counselling_room', entityId: schoolId, schoolId })
  })
  return getRota(ctx)
}

export async function removeClosure(ctx: ServiceContext, input: { id: number }) {
  const schoolId = ownSchoolId(ctx)
  await withTransaction(ctx.db, async (trx) => {
    if (!(await deleteClosure(trx, schoolId, input.id))) throw notFound()
    await appendAudit(trx, ctx, {
      action: 'room.closure_remove',
      outcome: 'ok',
      entityType: 'counselling_room',
      entityId: schoolId,
      schoolId,
    })
  })
  return getRota(ctx)
}
