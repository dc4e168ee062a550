import type { GroupCreateInput, VisitInput } from '../../shared/room-ops'
import { openCaseIdsOf, schoolCounsellors } from '../repositories/case'
import {
  attendanceOf,
  findAppointment,
  findGroup,
  findSessionWithGroup,
  findVisit,
  groupMembers,
  groupSessions,
  groupsOf,
  insertGroup,
  insertGroupMembers,
  insertGroupSessions,
  insertVisit,
  replaceAttendance,
  updateAppointment,
  visitsOf,
} from '../repositories/room-ops'
import { findCurrentSchoolYear } from '../repositories/school-year'
import { studentsByIds } from '../repositories/student'
import { formatTime } from '../rules/room-rota'
import { appendAudit } from './audit'
import { openCase } from './case'
import { accountRef, nowIso, requireActor, withTransaction, type ServiceContext } from './context'
import { decryptOptional, decryptText, encryptOptional } from './crypto'
import { AppError, conflict, notFound } from './errors'
import { createEvent } from './programme'
import { ownSchoolId, today } from './school-scope'
import { parseStored } from './stored-json'
import { z } from 'zod'

/**
 * The visit log and group counselling. Notes are encrypted like case notes; a visit that opens a case
 * goes through the case service (source "visit"); a student's visit joins their open case's timeline.
 */
const P = { visitNotes: 'room.visit.notes', sessionNotes: 'room.group.notes' } as const
const STUDENT_NAME = 'student.name'

async function studentNames(ctx: ServiceContext, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await studentsByIds(ctx.db, requireActor(ctx).scope, [...new Set(ids)])
  return new Map(rows.map((r) => [r.id, decryptText(ctx.keys, STUDENT_NAME, r.name_enc)]))
}

export async function recordVisit(ctx: ServiceContext, input: VisitInput) {
  const actor = requireActor(ctx)
  const schoolId = ownSchoolId(ctx)
  if (input.occurredOn > today(ctx)) throw new AppError('BAD_REQUEST', 'room.visitInFuture')
  if (input.studentId != null && !(await studentsByIds(ctx.db, actor.scope, [input.studentId])).length) throw notFound()
  const appointment = input.appointmentId != null ? await findAppointment(ctx.db, schoolId, input.appointmentId) : null
  if (input.appointmentId != null && !appointment) throw notFound()
  if (appointment && appointment.status !== 'confirmed') throw new AppError('BAD_REQUEST', 'room.notOpen')
  const openCaseId =
    input.studentId != null ? (await openCaseIdsOf(ctx.db, actor.scope, [input.studentId])).get(input.studentId) : undefined
  if (input.outcome === 'add_to_case' && input.caseId !== openCaseId) throw new AppError('BAD_REQUEST', 'room.caseMismatch')
  if (input.outcome === 'open_case' && openCaseId != null) throw new AppError('CONFLICT', 'case.openCaseExists')
  return withTransaction(ctx.db, async (trx) => {
    const inner = { ...ctx, db: trx }
    let caseId: number | null = input.outcome === 'add_to_case' ? openCaseId! : (openCaseId ?? null)
    if (input.outcome === 'open_case')
      caseId = (
        await openCase(inner, {
          studentId: input.studentId!,
          source: 'visit',
          categories: [input.topic],
          flags: [],
          concern: input.concern!,
          riskLevel: input.riskLevel!,
          openedOn: input.occurredOn,
          counsellorIds: [actor.accountId],
        })
      ).id
    const id = await insertVisit(trx, {
      school_id: schoolId,
      kind: input.kind,
      student_id: input.anonymous ? null : input.studentId,
      anonymous: input.anonymous ? 1 : 0,
      occurred_on: input.occurredOn,
      start_min: input.start,
      duration_min: input.durationMin,
      topic: input.topic,
      outcome: input.outcome,
      case_id: caseId,
      appointment_id: appointment?.id ?? null,
      counsellor_id: accountRef(actor),
      notes_enc: encryptOptional(ctx.keys, P.visitNotes, input.notes),
      created_at: nowIso(ctx),
    })
    if (
      appointment &&
      !(await updateAppointment(trx, schoolId, appointment.id, appointment.version, { status: 'attended', updated_at: nowIso(ctx) }))
    )
      throw conflict()
    await appendAudit(trx, ctx, {
      action: 'room.visit_add',
      outcome: 'ok',
      entityType: 'room_visit',
      entityId: id,
      schoolId,
      detail: input.outcome,
    })
    return { id, caseId }
  })
}

export async function listVisits(ctx: ServiceContext, input: { from?: string; to?: string; page: number }) {
  const schoolId = ownSchoolId(ctx)
  const size = 50
  const rows = await visitsOf(ctx.db, schoolId, { from: input.from, to: input.to, limit: size, offset: (input.page - 1) * size })
  const names = await studentNames(
    ctx,
    rows.flatMap((r) => (r.student_id ? [r.student_id] : [])),
  )
  await appendAudit(ctx.db, ctx, {
    action: 'room.visit_list',
    outcome: 'ok',
    entityType: 'room_visit',
    schoolId,
    detail: `rows:${rows.length}`,
  })
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    studentId: r.student_id,
    studentName: r.student_id ? (names.get(r.student_id) ?? null) : null,
    anonymous: !!r.anonymous,
    occurredOn: r.occurred_on,
    start: formatTime(r.start_min),
    durationMin: r.duration_min,
    topic: r.topic,
    outcome: r.outcome,
    caseId: r.case_id,
    counsellorName: r.counsellor_name ?? null,
    hasNotes: r.notes_enc != null,
  }))
}

/** One visit with its notes (counsellors of the school only). */
export async function getVisit(ctx: ServiceContext, input: { id: number }) {
  const schoolId = ownSchoolId(ctx)
  const r = await findVisit(ctx.db, schoolId, input.id)
  if (!r) throw notFound()
  await appendAudit(ctx.db, ctx, { action: 'room.visit_read', outcome: 'ok', entityType: 'room_visit', entityId: r.id, schoolId })
  const names = await studentNames(ctx, r.student_id ? [r.student_id] : [])
  return {
    id: r.id,
    kind: r.kind,
    studentName: r.student_id ? (names.get(r.student_id) ?? null) : null,
    anonymous: !!r.anonymous,
    occurredOn: r.occurred_on,
    start: formatTime(r.start_min),
    durationMin: r.duration_min,
    topic: r.topic,
    outcome: r.outcome,
    caseId: r.case_id,
    notes: decryptOptional(ctx.keys, P.visitNotes, r.notes_enc),
  }
}

/* ---------- group counselling ---------- */

const facilitatorList = z.array(z.number().int())

export async function createGroup(ctx: ServiceContext, input: GroupCreateInput) {
  const actor = requireActor(ctx)
  const schoolId = ownSchoolId(ctx)
  const counsellors = new Set((await schoolCounsellors(ctx.db, schoolId)).map((c) => c.id))
  if (input.facilitatorIds.some((id) => !counsellors.has(id))) throw new AppError('BAD_REQUEST', 'room.counsellorNotInSchool')
  const students = [...new Set(input.studentIds)]
  if ((await studentsByIds(ctx.db, actor.scope, students)).length !== students.length) throw notFound()
  const sessions = new Set(input.sessions.map((s) => `${s.date}|${s.start}`))
  if (sessions.size !== input.sessions.length) throw new AppError('BAD_REQUEST', 'room.slotRepeated')
  if (input.sessions.some((s) => s.start + s.durationMin > 24 * 60)) throw new AppError('BAD_REQUEST', 'room.slot_midnight', { row: 1 })
  return withTransaction(ctx.db, async (trx) => {
    const id = await insertGroup(trx, {
      school_id: schoolId,
      theme: input.theme,
      facilitators: JSON.stringify([...new Set(input.facilitatorIds)]),
      counts_as_activity: input.countsAsActivity ? 1 : 0,
      created_by: accountRef(actor),
      created_at: nowIso(ctx),
    })
    await insertGroupMembers(trx, id, students)
    await insertGroupSessions(
      trx,
      [...input.sessions]
        .sort((a, b) => a.date.localeCompare(b.date) || a.start - b.start)
        .map((s) => ({
          group_id: id,
          on_date: s.date,
          start_min: s.start,
          duration_min: s.durationMin,
          notes_enc: null,
          attendance_taken_at: null,
        })),
    )
    await appendAudit(trx, ctx, { action: 'room.group_create', outcome: 'ok', entityType: 'room_group', entityId: id, schoolId })
    return { id }
  })
}

export async function listGroups(ctx: ServiceContext) {
  const schoolId = ownSchoolId(ctx)
  const groups = await groupsOf(ctx.db, schoolId)
  const sessions = await groupSessions(
    ctx.db,
    groups.map((g) => g.id),
  )
  return groups.map((g) => {
    const mine = sessions.filter((s) => s.group_id === g.id)
    return {
      id: g.id,
      theme: g.theme,
      countsAsActivity: !!g.counts_as_activity,
      sessions: mine.length,
      held: mine.filter((s) => s.attendance_taken_at).length,
      next: mine.find((s) => !s.attendance_taken_at)?.on_date ?? null,
    }
  })
}

export async function getGroup(ctx: ServiceContext, input: { id: number }) {
  const schoolId = ownSchoolId(ctx)
  const g = await findGroup(ctx.db, schoolId, input.id)
  if (!g) throw notFound()
  const [members, sessions, counsellors] = await Promise.all([
    groupMembers(ctx.db, g.id),
    groupSessions(ctx.db, [g.id]),
    schoolCounsellors(ctx.db, schoolId),
  ])
  const names = await studentNames(
    ctx,
    members.map((m) => m.student_id),
  )
  const attendance = await attendanceOf(
    ctx.db,
    sessions.map((s) => s.id),
  )
  const facilitators = parseStored(facilitatorList, g.facilitators, [], 'room_group.facilitators')
  await appendAudit(ctx.db, ctx, { action: 'room.group_read', outcome: 'ok', entityType: 'room_group', entityId: g.id, schoolId })
  return {
    id: g.id,
    theme: g.theme,
    countsAsActivity: !!g.counts_as_activity,
    facilitators: counsellors.filter((c) => facilitators.includes(c.id)).map((c) => ({ id: c.id, name: c.display_name })),
    members: members.map((m) => ({ id: m.student_id, name: names.get(m.student_id) ?? '' })).sort((a, b) => a.name.localeCompare(b.name)),
    sessions: sessions.map((s) => ({
      id: s.id,
      date: s.on_date,
      start: formatTime(s.start_min),
      durationMin: s.duration_min,
      held: s.attendance_taken_at != null,
      present: attendance.filter((a) => a.session_id === s.id && a.present).map((a) => a.student_id),
      notes: decryptOptional(ctx.keys, P.sessionNotes, s.notes_enc),
    })),
  }
}

/**
 * Attendance for one session (members only) with its encrypted notes. The first time a session of a
 * group the school counts as a themed activity is held, it becomes a seven-ones activity record.
 */
export async function recordAttendance(ctx: ServiceContext, input: { sessionId: number; present: number[]; notes?: string | null }) {
  const schoolId = ownSchoolId(ctx)
  const s = await findSessionWithGroup(ctx.db, input.sessionId)
  if (!s || s.school_id !== schoolId) throw notFound()
  if (s.on_date > today(ctx)) throw new AppError('BAD_REQUEST', 'room.sessionInFuture')
  const members = new Set((await groupMembers(ctx.db, s.group_id)).map((m) => m.student_id))
  if (input.present.some((id) => !members.has(id))) throw new AppError('BAD_REQUEST', 'room.notMember')
  const present = new Set(input.present)
  const firstTime = s.attendance_taken_at == null
  const year = firstTime && s.counts_as_activity ? await findCurrentSchoolYear(ctx.db) : null
  // The activity record names the school as its organiser (the room is the school's).
  const school = year ? await ctx.db.selectFrom('school').select('name').where('id', '=', schoolId).executeTakeFirst() : null
  return withTransaction(ctx.db, async (trx) => {
    await replaceAttendance(
      trx,
      s.id,
      [...members].map((id) => ({ student_id: id, present: present.has(id) ? 1 : 0 })),
      { notes_enc: encryptOptional(ctx.keys, P.sessionNotes, input.notes), attendance_taken_at: s.attendance_taken_at ?? nowIso(ctx) },
    )
    let eventId: number | null = null
    if (year && s.on_date >= year.starts_on && s.on_date <= year.ends_on)
      eventId = (
        await createEvent(
          { ...ctx, db: trx },
          {
            schoolYearId: year.id,
            kind: 'activity',
            heldOn: s.on_date,
            title: s.theme,
            audiences: ['students'],
            grades: [],
            participants: present.size,
            organiser: school?.name.slice(0, 60) ?? null,
            summary: null,
            roles: [],
          },
        )
      ).id
    await appendAudit(trx, ctx, {
      action: 'room.attendance',
      outcome: 'ok',
      entityType: 'room_group',
      entityId: s.group_id,
      schoolId,
    })
    return { sessionId: s.id, eventId }
  })
}
