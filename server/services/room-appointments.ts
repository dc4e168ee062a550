import { createHash, randomInt } from 'node:crypto'
import {
  BOOKING_HORIZON_DAYS,
  REQUEST_CODE_ALPHABET,
  REQUEST_CODE_LENGTH,
  REQUEST_THROTTLE,
  type AppointmentStatus,
  type BookInput,
  type PublicRequestInput,
  type SlotRef,
} from '../../shared/room-ops'
import { schoolCounsellors } from '../repositories/case'
import { pruneFailures, recentFailures, recordFailure } from '../repositories/login-failure'
import {
  appointmentByCodeHash,
  appointmentsOf,
  bookingsBetween,
  deleteBooking,
  findAppointment,
  findSlot,
  insertAppointment,
  insertBooking,
  overlappingBookings,
  roomDisplayName,
  schoolByCode,
  updateAppointment,
} from '../repositories/room-ops'
import { findStudent } from '../repositories/student'
import { addDays, localInstant, localParts, mondayOf, occurrenceProblem, weekOccurrences } from '../rules/room-rota'
import { CODE_THROTTLE, throttleDecision } from '../rules/throttle'
import { loadAssessmentSettings } from './assessment'
import { appendAudit } from './audit'
import { nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptOptional, encryptText } from './crypto'
import { AppError, conflict, notFound, uniqueAs } from './errors'
import { deliver } from './inbox'
import { loadRota } from './room-rota'
import { ownSchoolId, today } from './school-scope'
import { toStudent } from './student'

/**
 * Appointments: booked by a counsellor, or requested from the school's public page. A confirmed
 * appointment holds its slot through a `room_booking` row whose unique keys (school, start) and
 * (counsellor, start) make a second confirmation of the same slot fail on either database.
 */
const P = { requester: 'room.requester', topic: 'room.topic' } as const

export function hashRequestCode(code: string): string {
  return createHash('sha256').update('xinqiao.room.request\n').update(code).digest('hex')
}

function newRequestCode(): string {
  return Array.from({ length: REQUEST_CODE_LENGTH }, () => REQUEST_CODE_ALPHABET[randomInt(REQUEST_CODE_ALPHABET.length)]).join('')
}

const ipKey = (ctx: ServiceContext, what: string) => `${what}:${ctx.ip ?? 'unknown'}`

/** The slot a reference names, if it may be booked now; otherwise a localised refusal. */
async function bookableSlot(ctx: ServiceContext, schoolId: number, ref: SlotRef) {
  const slot = await findSlot(ctx.db, schoolId, ref.slotId)
  if (!slot) throw new AppError('BAD_REQUEST', 'room.slotOutsideRota')
  const { closures } = await loadRota(ctx.db, schoolId)
  const problem = occurrenceProblem(
    { weekday: slot.weekday, startMin: slot.start_min, endMin: slot.end_min, counsellorId: slot.counsellor_id },
    ref.date,
    closures,
    ctx.now(),
    BOOKING_HORIZON_DAYS,
  )
  if (problem === 'wrongWeekday') throw new AppError('BAD_REQUEST', 'room.slotOutsideRota')
  if (problem === 'closed') throw new AppError('BAD_REQUEST', 'room.slotClosed')
  if (problem === 'past') throw new AppError('BAD_REQUEST', 'room.slotPast')
  if (problem === 'tooFar') throw new AppError('BAD_REQUEST', 'room.slotTooFar', { days: BOOKING_HORIZON_DAYS })
  return {
    slot,
    startsAt: localInstant(ref.date, slot.start_min),
    endsAt: localInstant(ref.date, slot.end_min),
  }
}

/**
 * Holds the slot for `appointmentId` inside the caller's transaction. The look-up gives the clear
 * message; the unique keys decide a race between two confirmations.
 */
async function holdSlot(
  trx: ServiceContext['db'],
  a: { appointmentId: number; schoolId: number; counsellorId: number; startsAt: string; endsAt: string },
): Promise<void> {
  await deleteBooking(trx, a.appointmentId)
  const clash = await overlappingBookings(trx, a.schoolId, a.counsellorId, a.startsAt, a.endsAt)
  if (clash.some((b) => b.appointment_id !== a.appointmentId)) throw new AppError('CONFLICT', 'room.slotTaken')
  await insertBooking(trx, {
    appointment_id: a.appointmentId,
    school_id: a.schoolId,
    counsellor_id: a.counsellorId,
    starts_at: a.startsAt,
    ends_at: a.endsAt,
  })
}

/** A counsellor books a student from the roster, or a parent or teacher, straight into a slot. */
export async function bookAppointment(ctx: ServiceContext, input: BookInput) {
  const actor = requireActor(ctx)
  const schoolId = ownSchoolId(ctx)
  if (input.kind === 'student' && !(await findStudent(ctx.db, actor.scope, input.studentId))) throw notFound()
  const { slot, startsAt, endsAt } = await bookableSlot(ctx, schoolId, input.slot)
  const at = nowIso(ctx)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const id = await insertAppointment(trx, {
        school_id: schoolId,
        origin: 'booked',
        status: 'confirmed',
        requester_kind: input.kind,
        student_id: input.kind === 'student' ? input.studentId : null,
        requester_enc:
          input.kind === 'student' ? null : encryptText(ctx.keys, P.requester, JSON.stringify({ name: input.name, phone: input.phone })),
        topic_enc: encryptOptional(ctx.keys, P.topic, input.topic),
        preferred: JSON.stringify([input.slot]),
        urgent: 0,
        code_hash: null,
        counsellor_id: slot.counsellor_id,
        starts_at: startsAt,
        ends_at: endsAt,
        created_at: at,
        updated_at: at,
      })
      await holdSlot(trx, { appointmentId: id, schoolId, counsellorId: slot.counsellor_id, startsAt, endsAt })
      await appendAudit(trx, ctx, {
        action: 'room.appointment_book',
        outcome: 'ok',
        entityType: 'room_appointment',
        entityId: id,
        schoolId,
      })
      return { id }
    }),
    'room.slotTaken',
  )
}

/** Confirms a request into a slot, or moves a confirmed appointment to another slot (reschedule). */
export async function confirmAppointment(ctx: ServiceContext, input: { id: number; version: number; slot: SlotRef }) {
  const schoolId = ownSchoolId(ctx)
  const a = await findAppointment(ctx.db, schoolId, input.id)
  if (!a) throw notFound()
  if (a.status !== 'requested' && a.status !== 'confirmed') throw new AppError('BAD_REQUEST', 'room.notOpen')
  const { slot, startsAt, endsAt } = await bookableSlot(ctx, schoolId, input.slot)
  return uniqueAs(
    withTransaction(ctx.db, async (trx) => {
      const ok = await updateAppointment(trx, schoolId, a.id, input.version, {
        status: 'confirmed',
        counsellor_id: slot.counsellor_id,
        starts_at: startsAt,
        ends_at: endsAt,
        updated_at: nowIso(ctx),
      })
      if (!ok) throw conflict()
      await holdSlot(trx, { appointmentId: a.id, schoolId, counsellorId: slot.counsellor_id, startsAt, endsAt })
      await appendAudit(trx, ctx, {
        action: a.status === 'confirmed' ? 'room.appointment_reschedule' : 'room.appointment_confirm',
        outcome: 'ok',
        entityType: 'room_appointment',
        entityId: a.id,
        schoolId,
      })
      return { id: a.id }
    }),
    'room.slotTaken',
  )
}

/** Declines a request, cancels an appointment or records a no-show; a declined or cancelled one frees its slot. */
export async function setAppointmentStatus(
  ctx: ServiceContext,
  input: { id: number; version: number; status: Extract<AppointmentStatus, 'declined' | 'cancelled' | 'no_show'> },
) {
  const schoolId = ownSchoolId(ctx)
  const a = await findAppointment(ctx.db, schoolId, input.id)
  if (!a) throw notFound()
  const allowed: Record<typeof input.status, AppointmentStatus[]> = {
    declined: ['requested'],
    cancelled: ['confirmed'],
    no_show: ['confirmed'],
  }
  if (!allowed[input.status].includes(a.status)) throw new AppError('BAD_REQUEST', 'room.notOpen')
  if (input.status === 'no_show' && a.starts_at && a.starts_at > nowIso(ctx)) throw new AppError('BAD_REQUEST', 'room.notYet')
  await withTransaction(ctx.db, async (trx) => {
    if (!(await updateAppointment(trx, schoolId, a.id, input.version, { status: input.status, updated_at: nowIso(ctx) }))) throw conflict()
    if (input.status !== 'no_show') await deleteBooking(trx, a.id)
    await appendAudit(trx, ctx, {
      action: 'room.appointment_status',
      outcome: 'ok',
      entityType: 'room_appointment',
      entityId: a.id,
      schoolId,
      detail: input.status,
    })
  })
  return { id: a.id }
}

type AppointmentRow = Awaited<ReturnType<typeof appointmentsOf>>[number]

async function describeAppointments(ctx: ServiceContext, rows: AppointmentRow[]) {
  const actor = requireActor(ctx)
  const studentIds = [...new Set(rows.flatMap((r) => (r.student_id ? [r.student_id] : [])))]
  const students = new Map<number, ReturnType<typeof toStudent>>()
  for (const id of studentIds) {
    const s = await findStudent(ctx.db, actor.scope, id)
    if (s) students.set(id, toStudent(ctx, s))
  }
  return rows.map((r) => {
    const requester = r.requester_enc
      ? (JSON.parse(decryptText(ctx.keys, P.requester, r.requester_enc)) as { name: string; phone: string })
      : null
    const student = r.student_id ? students.get(r.student_id) : undefined
    return {
      id: r.id,
      version: r.version,
      origin: r.origin,
      status: r.status,
      urgent: !!r.urgent,
      kind: r.requester_kind,
      studentId: r.student_id,
      name: student ? student.name : (requester?.name ?? ''),
      className: student ? `${student.grade}·${student.className}` : null,
      phone: requester?.phone ?? null,
      topic: decryptOptional(ctx.keys, P.topic, r.topic_enc),
      preferred: JSON.parse(r.preferred) as SlotRef[],
      counsellorId: r.counsellor_id,
      counsellorName: r.counsellor_name ?? null,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      createdAt: r.created_at,
    }
  })
}

/** The counsellors' appointment book: open requests (urgent first) and what is coming or past. */
export async function listAppointments(ctx: ServiceContext, input: { status: 'open' | 'upcoming' | 'past' }) {
  const schoolId = ownSchoolId(ctx)
  const now = nowIso(ctx)
  const rows =
    input.status === 'open'
      ? await appointmentsOf(ctx.db, schoolId, { statuses: ['requested'] })
      : input.status === 'upcoming'
        ? await appointmentsOf(ctx.db, schoolId, { statuses: ['confirmed'], from: now })
        : (await appointmentsOf(ctx.db, schoolId, { statuses: ['confirmed', 'attended', 'no_show'], to: now })).reverse()
  await appendAudit(ctx.db, ctx, {
    action: 'room.appointment_list',
    outcome: 'ok',
    entityType: 'room_appointment',
    schoolId,
    detail: `rows:${rows.length}`,
  })
  return describeAppointments(ctx, rows)
}

/**
 * The calendar: the room's open slots of a week (closures taken off), its appointments and, for the
 * counsellor's own view, only theirs. Requester names are shown to counsellors only.
 */
export async function calendarWeek(ctx: ServiceContext, input: { day: string; counsellorId?: number }) {
  const schoolId = ownSchoolId(ctx)
  const monday = mondayOf(input.day)
  const { rota, closures, slots } = await loadRota(ctx.db, schoolId)
  const from = localInstant(monday, 0)
  const to = localInstant(addDays(monday, 7), 0)
  const names = new Map(slots.map((s) => [s.counsellor_id, s.counsellor_name ?? '']))
  const open = weekOccurrences(rota, closures, monday).filter((o) => input.counsellorId == null || o.counsellorId === input.counsellorId)
  const rows = (await appointmentsOf(ctx.db, schoolId, { statuses: ['confirmed', 'attended', 'no_show'], from, to })).filter(
    (r) => input.counsellorId == null || r.counsellor_id === input.counsellorId,
  )
  const appointments = await describeAppointments(ctx, rows)
  await appendAudit(ctx.db, ctx, { action: 'room.calendar_read', outcome: 'ok', entityType: 'room_appointment', schoolId })
  return {
    monday,
    closures: closures.filter((c) => c.endsOn >= monday && c.startsOn <= addDays(monday, 6)),
    open: open.map((o) => ({ ...o, counsellorName: names.get(o.counsellorId) ?? '' })),
    appointments,
  }
}

/* ---------- the public request page (no account) ---------- */

async function refuseFlood(ctx: ServiceContext, what: 'request' | 'status', max: number, windowMs: number): Promise<void> {
  const now = ctx.now().getTime()
  const failures = await recentFailures(ctx.db, 'room_request', ipKey(ctx, what), new Date(now - windowMs).toISOString())
  const d = throttleDecision(failures, max, now, windowMs)
  if (!d.allowed) {
    await appendAudit(ctx.db, ctx, {
      action: 'room.request',
      outcome: 'denied',
      detail: what === 'request' ? 'throttled_request' : 'throttled_code',
      actorId: null,
      actorRole: null,
    })
    throw new AppError('TOO_MANY_REQUESTS', 'room.throttled', { minutes: d.retryAfterMinutes })
  }
}

async function publicSchool(ctx: ServiceContext, code: string) {
  const school = await schoolByCode(ctx.db, code)
  if (!school) throw new AppError('NOT_FOUND', 'room.schoolUnknown')
  return school
}

/**
 * What the public page shows for a school: the student-facing name, the open slots of the next two
 * weeks that are still free (times only), and the crisis hotline for the "I am not safe" choice.
 */
export async function publicRoom(ctx: ServiceContext, input: { school: string }) {
  const school = await publicSchool(ctx, input.school)
  const [displayName, { rota, closures }, settings] = await Promise.all([
    roomDisplayName(ctx.db, school.id),
    loadRota(ctx.db, school.id),
    loadAssessmentSettings(ctx.db),
  ])
  const monday = mondayOf(today(ctx))
  const occ = [0, 7, 14].flatMap((d) => weekOccurrences(rota, closures, addDays(monday, d)))
  const taken = new Set(
    (await bookingsBetween(ctx.db, school.id, localInstant(monday, 0), localInstant(addDays(monday, 21), 0))).map((b) => b.starts_at),
  )
  const now = nowIso(ctx)
  return {
    displayName: displayName ?? school.name,
    schoolName: school.name,
    slots: occ
      .filter((o) => o.startsAt > now && !taken.has(o.startsAt))
      .slice(0, 30)
      .map((o) => ({ slotId: o.slotId, date: o.date, startsAt: o.startsAt, endsAt: o.endsAt })),
    hotline: settings.hotline,
    hotlineNote: settings.hotlineNote,
  }
}

/**
 * A request from the public page. Every request counts against the client address (a flood is refused
 * before anything is written); the contact and topic are encrypted; an urgent request goes to the top
 * of every counsellor's inbox in the same transaction. The requester gets a code and nothing else.
 */
export async function publicRequest(ctx: ServiceContext, input: PublicRequestInput) {
  await refuseFlood(ctx, 'request', REQUEST_THROTTLE.maxPerIp, REQUEST_THROTTLE.windowMs)
  const school = await publicSchool(ctx, input.school)
  const seen = new Set<string>()
  for (const ref of input.preferred) {
    const key = `${ref.slotId}|${ref.date}`
    if (seen.has(key)) throw new AppError('BAD_REQUEST', 'room.slotRepeated')
    seen.add(key)
    await bookableSlot(ctx, school.id, ref)
  }
  if (!input.preferred.length && !input.urgent) throw new AppError('BAD_REQUEST', 'room.slotRequired')
  const code = newRequestCode()
  const at = nowIso(ctx)
  const counsellors = (await schoolCounsellors(ctx.db, school.id)).map((c) => c.id)
  const id = await withTransaction(ctx.db, async (trx) => {
    await pruneFailures(trx, new Date(ctx.now().getTime() - 2 * REQUEST_THROTTLE.windowMs).toISOString())
    await recordFailure(trx, 'room_request', ipKey(ctx, 'request'), at)
    const id = await insertAppointment(trx, {
      school_id: school.id,
      origin: 'request',
      status: 'requested',
      requester_kind: input.kind,
      student_id: null,
      requester_enc: encryptText(ctx.keys, P.requester, JSON.stringify({ name: input.name, phone: input.phone })),
      topic_enc: encryptOptional(ctx.keys, P.topic, input.topic),
      preferred: JSON.stringify(input.preferred),
      urgent: input.urgent ? 1 : 0,
      code_hash: hashRequestCode(code),
      counsellor_id: null,
      starts_at: null,
      ends_at: null,
      created_at: at,
      updated_at: at,
    })
    await deliver(ctx, trx, counsellors, {
      kind: input.urgent ? 'room.urgent' : 'room.request',
      entityType: 'room_appointment',
      entityId: id,
      schoolId: school.id,
    })
    await appendAudit(trx, ctx, {
      action: 'room.request',
      outcome: 'ok',
      entityType: 'room_appointment',
      entityId: id,
      schoolId: school.id,
      detail: input.urgent ? 'urgent' : null,
      actorId: null,
      actorRole: null,
    })
    return id
  })
  const settings = input.urgent ? await loadAssessmentSettings(ctx.db) : null
  return { id, code, hotline: settings?.hotline ?? null }
}

/** The status a code shows: the state and, once confirmed, the time. Unknown codes count against the address. */
export async function publicStatus(ctx: ServiceContext, input: { code: string }) {
  await refuseFlood(ctx, 'status', CODE_THROTTLE.maxPerIp, CODE_THROTTLE.windowMs)
  const a = await appointmentByCodeHash(ctx.db, hashRequestCode(input.code))
  if (!a) {
    await withTransaction(ctx.db, async (trx) => {
      await recordFailure(trx, 'room_request', ipKey(ctx, 'status'), nowIso(ctx))
      await appendAudit(trx, ctx, {
        action: 'room.request_status',
        outcome: 'failed',
        detail: 'unknown_code',
        actorId: null,
        actorRole: null,
      })
    })
    throw new AppError('NOT_FOUND', 'room.codeInvalid')
  }
  await appendAudit(ctx.db, ctx, {
    action: 'room.request_status',
    outcome: 'ok',
    entityType: 'room_appointment',
    entityId: a.id,
    schoolId: a.school_id,
    actorId: null,
    actorRole: null,
  })
  const shown = a.status === 'confirmed' || a.status === 'attended'
  const displayName = (await roomDisplayName(ctx.db, a.school_id)) ?? null
  return {
    status: a.status,
    displayName,
    date: shown && a.starts_at ? localParts(a.starts_at).date : null,
    startsAt: shown ? a.starts_at : null,
    endsAt: shown ? a.ends_at : null,
  }
}
