import { VISIT_TOPICS, type VisitKind } from '../../shared/room-ops'
import { shanghaiDate } from '../../shared/shanghai-time'
import { addDays, localInstant, mondayOf } from '../rules/room-rota'
import { scopeFor, type Actor, type ServiceContext } from '../services/context'
import { bookAppointment, calendarWeek, setAppointmentStatus } from '../services/room-appointments'
import { addClosure, saveRota } from '../services/room-rota'
import { createGroup, recordAttendance, recordVisit } from '../services/room-visits'
import { intBetween, pick, rng } from './random'

async function actorOf(ctx: ServiceContext, username: string): Promise<Actor> {
  const a = await ctx.db
    .selectFrom('account')
    .select(['id', 'username', 'display_name', 'role', 'school_id'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  return {
    accountId: a.id,
    sessionId: 0,
    username: a.username,
    displayName: a.display_name,
    role: a.role,
    schoolId: a.school_id,
    mustChangePassword: false,
    scope: scopeFor(a.role, a.school_id),
  }
}

/**
 * The counselling rooms' daily work at the three demo schools, written through the services as each
 * school's counsellor: a duty rota (lunch and after-school hours), a holiday closure, about a term of
 * appointments (most attended and logged as visits, some no-shows), walk-ins and phone consultations,
 * and two counselling groups with attendance at the first school. All people are the synthetic roster.
 */
export async function generateDemoRoom(base: ServiceContext, schools: { id: number; counsellor: string }[], seed: number) {
  const r = rng(seed)
  const now = base.now()
  const today = shanghaiDate(now)
  const thisMonday = mondayOf(today)
  for (const [si, school] of schools.entries()) {
    const actor = await actorOf(base, school.counsellor)
    const at = (when: Date) => ({ ...base, actor, now: () => when })
    const ctx = at(new Date(now.getTime() - 120 * 86_400_000))
    const duty = actor.accountId
    const slots = [1, 2, 3, 4, 5].flatMap((wd) => [
      { weekday: wd, start: 12 * 60 + 10, end: 13 * 60, counsellorId: duty },
      ...(wd % 2 === si % 2 ? [{ weekday: wd, start: 16 * 60 + 30, end: 17 * 60 + 30, counsellorId: duty }] : []),
    ])
    const rota = await saveRota(ctx, { slots })
    await addClosure(ctx, { startsOn: addDays(thisMonday, -56), endsOn: addDays(thisMonday, -50), reason: '期中考试周（示例）' })
    const students = await base.db.selectFrom('student').select('id').where('school_id', '=', school.id).orderBy('id').limit(200).execute()
    if (!students.length) continue
    // About a term: the twelve weeks before this one, then this week's bookings ahead.
    for (let w = -12; w <= 0; w++) {
      const monday = addDays(thisMonday, w * 7)
      const week = await calendarWeek(at(new Date(`${monday}T00:00:00+08:00`)), { day: monday })
      const open = week.open.filter((o) => Date.parse(o.startsAt) > now.getTime() || w < 0)
      const chosen = open.filter(() => r() < 0.45)
      for (const o of chosen) {
        const bookedAt = new Date(Math.min(now.getTime(), Date.parse(o.startsAt) - 2 * 86_400_000))
        if (w === 0 && Date.parse(o.startsAt) <= now.getTime()) continue
        const studentId = pick(r, students).id
        const slot = rota.slots.find((s) => s.id === o.slotId)
        if (!slot) continue
        const { id } = await bookAppointment(at(bookedAt), {
          kind: 'student',
          studentId,
          slot: { slotId: o.slotId, date: o.date },
          topic: null,
        })
        if (Date.parse(o.endsAt) > now.getTime()) continue
        const after = new Date(Date.parse(o.endsAt) + 10 * 60_000)
        if (r() < 0.12) {
          await setAppointmentStatus(at(after), { id, version: 1, status: 'no_show' })
          continue
        }
        const startMin = Number(slot.start.slice(0, 2)) * 60 + Number(slot.start.slice(3))
        await recordVisit(at(after), {
          kind: 'individual',
          studentId,
          anonymous: false,
          occurredOn: o.date,
          start: startMin,
          durationMin: pick(r, [30, 40, 45, 50]),
          topic: pick(r, VISIT_TOPICS.slice(0, 7)),
          outcome: 'none',
          appointmentId: id,
          notes: '示例来访记录：学生谈到近期的学习压力，约定下周再聊。',
        })
      }
      if (w === 0) continue
      // walk-ins, parent and phone consultations
      for (let k = 0; k < intBetween(r, 1, 4); k++) {
        const date = addDays(monday, intBetween(r, 0, 4))
        if (date > today) continue
        const kind: VisitKind = pick(r, ['individual', 'individual', 'parent', 'teacher', 'phone'] as const)
        const anonymous = kind === 'individual' && r() < 0.5
        await recordVisit(at(new Date(`${date}T10:00:00+08:00`)), {
          kind,
          studentId: anonymous ? null : pick(r, students).id,
          anonymous,
          occurredOn: date,
          start: 7 * 60 + 40 + intBetween(r, 0, 6) * 5,
          durationMin: pick(r, [15, 20, 30]),
          topic: pick(r, VISIT_TOPICS.slice(0, 7)),
          outcome: 'none',
          notes: null,
        })
      }
    }
    if (si !== 0) continue
    // Two groups at the first school: one counted as the themed activity, both with attendance so far.
    for (const [gi, theme] of ['（示例）“学会相处”人际交往小组', '（示例）考前减压团体'].entries()) {
      const members = students.slice(gi * 8, gi * 8 + 8).map((s) => s.id)
      const first = addDays(thisMonday, -21 + gi * 2)
      const sessions = [0, 7, 14, 21].map((d) => ({ date: addDays(first, d), start: 15 * 60 + 40, durationMin: 60 }))
      const { id } = await createGroup(at(new Date(`${addDays(first, -7)}T09:00:00+08:00`)), {
        theme,
        facilitatorIds: [duty],
        studentIds: members,
        countsAsActivity: gi === 0,
        sessions,
      })
      const held = await base.db
        .selectFrom('room_group_session')
        .select(['id', 'on_date'])
        .where('group_id', '=', id)
        .orderBy('on_date')
        .execute()
      for (const s of held) {
        if (s.on_date >= today) continue
        await recordAttendance(at(new Date(localInstant(s.on_date, 17 * 60))), {
          sessionId: s.id,
          present: members.filter(() => r() < 0.85),
          notes: '示例活动记录：破冰与分组讨论。',
        })
      }
    }
  }
}
