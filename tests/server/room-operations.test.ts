import { beforeAll, describe, expect, it } from 'vitest'
import { callerFor, Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { makeSignedIn, makeStudent } from '../fixtures/cases'
import { countRows, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeYear } from '../fixtures/factories'

// Monday 2 March 2026, 09:00 in Shanghai.
const START = '2026-03-02T01:00:00.000Z'
const slot = (weekday: number, start: string, end: string, counsellorId: number) => ({ weekday, start, end, counsellorId })

describe.each(targets)('the counselling room’s daily work on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock(START)
  let school: { id: number; code: string }
  let schoolB: { id: number; code: string }
  let c1: Awaited<ReturnType<typeof makeSignedIn>>
  let c2: Awaited<ReturnType<typeof makeSignedIn>>
  let admin: Awaited<ReturnType<typeof makeSignedIn>>
  let cB: Awaited<ReturnType<typeof makeSignedIn>>
  let bureau: Awaited<ReturnType<typeof makeSignedIn>>
  let slotIds: Record<string, number>
  const pub = (ip = '10.1.0.1'): Caller => callerFor(t.db, null, { now: clock.now, ip })

  beforeAll(async () => {
    await makeYear(t.db, 2025, true)
    school = await makeSchool(t.db)
    schoolB = await makeSchool(t.db)
    c1 = await makeSignedIn(t.db, 'counsellor', school.id, clock)
    c2 = await makeSignedIn(t.db, 'counsellor', school.id, clock)
    admin = await makeSignedIn(t.db, 'school_admin', school.id, clock)
    cB = await makeSignedIn(t.db, 'counsellor', schoolB.id, clock)
    bureau = await makeSignedIn(t.db, 'bureau', null, clock)
    const rota = await admin.caller.room.saveRota({
      slots: [
        slot(1, '12:00', '13:00', c1.account.id),
        slot(1, '16:30', '17:30', c2.account.id),
        slot(3, '12:00', '13:30', c1.account.id),
        slot(5, '16:00', '17:00', c2.account.id),
      ],
    })
    slotIds = Object.fromEntries(rota.slots.map((s) => [`${s.weekday}@${s.start}`, s.id]))
  })

  it('computes the room standard’s weekly hours from the rota, and marks typed hours where none exists', async () => {
    const rota = await c1.caller.room.rota()
    expect(rota.regularHours).toBe(4.5)
    await admin.caller.staffing.saveRoom({
      schoolYearId: (await t.db.selectFrom('school_year').select('id').executeTakeFirstOrThrow()).id,
      isSetUp: true,
      setUpOn: '2020-09-01',
      displayName: '心灵驿站',
      individualM2: 20,
      groupM2: 40,
      officeM2: 10,
      optionalAreas: [],
      hasMailbox: true,
      weeklyOpenHours: 12,
      version: null,
    })
    const room = await admin.caller.staffing.room({})
    expect(room.room?.weeklyOpenHours).toBe(4.5)
    expect(room.room?.hoursSource).toBe('rota')
    expect(room.standard.reasons).toContain('few_hours')
  })

  it('refuses a rota with overlapping or overnight slots, or a duty counsellor of another school, writing nothing', async () => {
    const before = await snapshotTables(t.db)
    await expectRefusal(
      admin.caller.room.saveRota({ slots: [slot(2, '10:00', '11:00', c1.account.id), slot(2, '10:30', '11:30', c2.account.id)] }),
      'BAD_REQUEST',
      'room.slot_overlap',
    )
    await expectRefusal(
      admin.caller.room.saveRota({ slots: [slot(2, '22:00', '01:00', c1.account.id)] }),
      'BAD_REQUEST',
      'room.slot_midnight',
    )
    await expectRefusal(
      admin.caller.room.saveRota({ slots: [slot(2, '10:00', '11:00', cB.account.id)] }),
      'BAD_REQUEST',
      'room.counsellorNotInSchool',
    )
    expect(await snapshotTables(t.db)).toEqual(before)
  })

  it('books only slots on the rota, in the future, outside closures', async () => {
    const studentId = await makeStudent(c1.caller)
    const book = (slotId: number, date: string) => c1.caller.room.book({ kind: 'student', studentId, slot: { slotId, date } })
    await expectRefusal(book(slotIds['1@12:00']!, '2026-03-03'), 'BAD_REQUEST', 'room.slotOutsideRota')
    await expectRefusal(book(slotIds['1@12:00']!, '2026-02-23'), 'BAD_REQUEST', 'room.slotPast')
    await expectRefusal(book(999_999, '2026-03-09'), 'BAD_REQUEST', 'room.slotOutsideRota')
    await c1.caller.room.addClosure({ startsOn: '2026-03-16', endsOn: '2026-03-22', reason: '期中考试周' })
    await expectRefusal(book(slotIds['3@12:00']!, '2026-03-18'), 'BAD_REQUEST', 'room.slotClosed')
    const ok = await book(slotIds['1@12:00']!, '2026-03-02')
    expect(ok.id).toBeGreaterThan(0)
    await expectRefusal(
      c1.caller.room.book({
        kind: 'parent',
        name: '家长',
        phone: '13800001111',
        slot: { slotId: slotIds['1@12:00']!, date: '2026-03-02' },
      }),
      'CONFLICT',
      'room.slotTaken',
    )
  })

  it('takes a public request under the display name, encrypts the contact, and lets the code show only the status', async () => {
    const room = await pub().room.publicRoom({ school: school.code })
    expect(room.displayName).toBe('心灵驿站')
    expect(room.hotline).toBeTruthy()
    const free = room.slots.find((s) => s.slotId === slotIds['3@12:00'])!
    const marker = `小明${Date.now()}`
    const r = await pub().room.publicRequest({
      school: school.code,
      kind: 'student',
      name: marker,
      phone: '139 1234 5678',
      preferred: [{ slotId: free.slotId, date: free.date }],
      topic: '考试焦虑',
      urgent: false,
    })
    expect(r.code).toMatch(/^[2-9A-Z]{10}$/)
    expect(r.hotline).toBeNull()
    const raw = await t.db.selectFrom('room_appointment').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow()
    expect(JSON.stringify(raw)).not.toContain(marker)
    expect(JSON.stringify(raw)).not.toContain('13912345678')
    expect(JSON.stringify(raw)).not.toContain(r.code)
    const status = await pub('10.9.9.9').room.publicStatus({ code: r.code.toLowerCase() })
    expect(status).toEqual({ status: 'requested', displayName: '心灵驿站', date: null, startsAt: null, endsAt: null })
    expect(JSON.stringify(status)).not.toContain(marker)
    const open = await c1.caller.room.appointments({ status: 'open' })
    expect(open.find((a) => a.id === r.id)?.name).toBe(marker)
  })

  it('puts an urgent request at the top of every counsellor’s inbox and answers with the hotline', async () => {
    const normal = await pub('10.1.0.2').room.publicRequest({
      school: school.code,
      kind: 'parent',
      name: '家长甲',
      phone: '0591-87654321',
      preferred: [],
      urgent: true,
    })
    expect(normal.hotline).toBeTruthy()
    clock.advance(60_000)
    await pub('10.1.0.3').room.publicRequest({
      school: school.code,
      kind: 'teacher',
      name: '班主任',
      phone: '13700001111',
      preferred: [{ slotId: slotIds['5@16:00']!, date: '2026-03-06' }],
      urgent: false,
    })
    for (const c of [c1, c2]) {
      const inbox = await c.caller.inbox.list({ page: 1, unreadOnly: false })
      expect(inbox.items[0]).toMatchObject({ kind: 'room.urgent', entityId: normal.id })
    }
    const open = await c2.caller.room.appointments({ status: 'open' })
    expect(open[0]!.id).toBe(normal.id)
    expect(open[0]!.urgent).toBe(true)
  })

  it('refuses a malformed phone, an unknown school and a flood from one address, writing no request', async () => {
    const before = await countRows(t.db, 'room_appointment')
    const req = (ip: string, phone = '13812345678') =>
      pub(ip).room.publicRequest({ school: school.code, kind: 'student', name: '某某', phone, preferred: [], urgent: true })
    await expectRefusal(req('10.2.0.1', '12345'), 'BAD_REQUEST')
    await expectRefusal(pub().room.publicRoom({ school: 'NO-SUCH' }), 'NOT_FOUND', 'room.schoolUnknown')
    await expectRefusal(
      pub('10.2.0.2').room.publicRequest({
        school: school.code,
        kind: 'student',
        name: '某某',
        phone: '13812345678',
        preferred: [],
        urgent: false,
      }),
      'BAD_REQUEST',
      'room.slotRequired',
    )
    expect(await countRows(t.db, 'room_appointment')).toBe(before)
    for (let i = 0; i < 8; i++) await req('10.3.0.1')
    const after = await countRows(t.db, 'room_appointment')
    await expectRefusal(req('10.3.0.1'), 'TOO_MANY_REQUESTS', 'room.throttled')
    expect(await countRows(t.db, 'room_appointment')).toBe(after)
    await req('10.3.0.2')
    // unknown codes are throttled like assessment codes
    for (let i = 0; i < 20; i++)
      await expectRefusal(pub('10.4.0.1').room.publicStatus({ code: 'ABCDEFGHJK' }), 'NOT_FOUND', 'room.codeInvalid')
    await expectRefusal(pub('10.4.0.1').room.publicStatus({ code: 'ABCDEFGHJK' }), 'TOO_MANY_REQUESTS', 'room.throttled')
  })

  it('lets exactly one of two simultaneous confirmations of one slot win', async () => {
    const make = (ip: string) =>
      pub(ip).room.publicRequest({
        school: school.code,
        kind: 'student',
        name: '竞争',
        phone: '13600001111',
        preferred: [{ slotId: slotIds['1@16:30']!, date: '2026-03-09' }],
        urgent: false,
      })
    const a = await make('10.5.0.1')
    const b = await make('10.5.0.2')
    const target = { slotId: slotIds['1@16:30']!, date: '2026-03-09' }
    const results = await Promise.allSettled([
      c1.caller.room.confirm({ id: a.id, version: 1, slot: target }),
      c2.caller.room.confirm({ id: b.id, version: 1, slot: target }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect((lost.reason as { appCode?: string }).appCode).toBe('room.slotTaken')
    const bookings = await t.db.selectFrom('room_booking').selectAll().where('starts_at', '=', '2026-03-09T08:30:00.000Z').execute()
    expect(bookings).toHaveLength(1)
    const statuses = await t.db.selectFrom('room_appointment').select('status').where('id', 'in', [a.id, b.id]).execute()
    expect(statuses.map((s) => s.status).sort()).toEqual(['confirmed', 'requested'])
  })

  it('records a visit that opens a case (source visit) and shows it on the case timeline; anonymous walk-ins have no identity', async () => {
    const studentId = await makeStudent(c1.caller)
    const v = await c1.caller.room.addVisit({
      kind: 'individual',
      studentId,
      anonymous: false,
      occurredOn: '2026-03-02',
      start: '08:00',
      durationMin: 40,
      topic: 'emotion',
      outcome: 'open_case',
      concern: '情绪低落两周',
      riskLevel: 'watch',
      notes: '来访记录保密内容',
    })
    expect(v.caseId).toBeGreaterThan(0)
    const file = await c1.caller.case.byId({ id: v.caseId! })
    expect(file.source).toBe('visit')
    expect(file.visits.map((x) => x.id)).toContain(v.id)
    const raw = await t.db.selectFrom('room_visit').select('notes_enc').where('id', '=', v.id).executeTakeFirstOrThrow()
    expect(raw.notes_enc).not.toContain('来访记录')
    // a later visit of the same student joins the open case
    const later = await c1.caller.room.addVisit({
      kind: 'individual',
      studentId,
      anonymous: false,
      occurredOn: '2026-03-02',
      start: '08:45',
      durationMin: 10,
      topic: 'emotion',
      outcome: 'none',
    })
    expect(later.caseId).toBe(v.caseId)
    await expectRefusal(
      c1.caller.room.addVisit({
        kind: 'individual',
        studentId,
        anonymous: false,
        occurredOn: '2026-03-02',
        start: '09:00',
        durationMin: 10,
        topic: 'emotion',
        outcome: 'add_to_case',
        caseId: v.caseId! + 1000,
      }),
      'BAD_REQUEST',
      'room.caseMismatch',
    )
    const walkIn = await c1.caller.room.addVisit({
      kind: 'individual',
      studentId: null,
      anonymous: true,
      occurredOn: '2026-03-02',
      start: '08:10',
      durationMin: 15,
      topic: 'study',
      outcome: 'none',
    })
    const row = await t.db.selectFrom('room_visit').selectAll().where('id', '=', walkIn.id).executeTakeFirstOrThrow()
    expect(row.student_id).toBeNull()
    expect(row.case_id).toBeNull()
    await expectRefusal(
      c1.caller.room.addVisit({
        kind: 'phone',
        studentId: null,
        anonymous: true,
        occurredOn: '2026-03-03',
        start: '08:00',
        durationMin: 10,
        topic: 'study',
        outcome: 'none',
      }),
      'BAD_REQUEST',
      'room.visitInFuture',
    )
  })

  it('keeps content from the school admin and other schools: counts only, NOT_FOUND across schools', async () => {
    await expectRefusal(admin.caller.room.visits({ page: 1 }), 'FORBIDDEN')
    await expectRefusal(admin.caller.room.appointments({ status: 'open' }), 'FORBIDDEN')
    const stats = await admin.caller.room.stats({ from: '2026-03-02', to: '2026-03-08' })
    // 3 visits in the week: below the threshold, so hidden for the school admin
    expect(stats.visits.total).toBeNull()
    expect(JSON.stringify(stats)).not.toContain('情绪')
    const mine = await c1.caller.room.stats({ from: '2026-03-02', to: '2026-03-08' })
    expect(mine.visits.total).toBe(3)
    expect(mine.openHours).toBe(4.5)
    const visits = await c1.caller.room.visits({ page: 1 })
    await expectRefusal(cB.caller.room.visit({ id: visits[0]!.id }), 'NOT_FOUND')
    const appts = await c1.caller.room.appointments({ status: 'open' })
    await expectRefusal(
      cB.caller.room.confirm({ id: appts[0]!.id, version: appts[0]!.version, slot: { slotId: slotIds['1@12:00']!, date: '2026-03-09' } }),
      'NOT_FOUND',
    )
    await expectRefusal(cB.caller.room.decline({ id: appts[0]!.id, version: appts[0]!.version }), 'NOT_FOUND')
    const d = await bureau.caller.room.districtStats({ from: '2026-03-02', to: '2026-03-08' })
    const row = d.schools.find((s) => s.id === school.id)!
    expect(row.weeklyHours).toBe(4.5)
    expect(row.hoursSource).toBe('rota')
    expect(row.cells[0]).toBeNull()
    await expectRefusal(bureau.caller.room.visits({ page: 1 }), 'FORBIDDEN')
  })

  it('runs a group over three sessions with attendance, and counts a session as the themed activity when chosen', async () => {
    const students = [await makeStudent(c1.caller), await makeStudent(c1.caller), await makeStudent(c1.caller)]
    const g = await c1.caller.room.createGroup({
      theme: '人际交往小组',
      facilitatorIds: [c1.account.id, c2.account.id],
      studentIds: students,
      countsAsActivity: true,
      sessions: [
        { date: '2026-02-23', start: '15:00', durationMin: 60 },
        { date: '2026-02-25', start: '15:00', durationMin: 60 },
        { date: '2026-03-02', start: '08:00', durationMin: 60 },
      ],
    })
    const detail = await c1.caller.room.group({ id: g.id })
    expect(detail.sessions).toHaveLength(3)
    const first = await c1.caller.room.attendance({ sessionId: detail.sessions[0]!.id, present: students, notes: '破冰' })
    expect(first.eventId).toBeGreaterThan(0)
    const second = await c1.caller.room.attendance({ sessionId: detail.sessions[1]!.id, present: students.slice(0, 2) })
    expect(second.eventId).toBeGreaterThan(0)
    await c1.caller.room.attendance({ sessionId: detail.sessions[2]!.id, present: [students[0]!] })
    const again = await c1.caller.room.group({ id: g.id })
    expect(again.sessions.map((s) => s.present.length)).toEqual([3, 2, 1])
    expect(again.sessions[0]!.notes).toBe('破冰')
    await expectRefusal(
      c1.caller.room.attendance({ sessionId: detail.sessions[0]!.id, present: [999_999] }),
      'BAD_REQUEST',
      'room.notMember',
    )
    await expectRefusal(cB.caller.room.group({ id: g.id }), 'NOT_FOUND')
    await expectRefusal(cB.caller.room.attendance({ sessionId: detail.sessions[0]!.id, present: [] }), 'NOT_FOUND')
  })

  it('serves a counsellor’s calendar feed without student names, and stops once revoked', async () => {
    const { feedCalendar } = await import('../../server/services/room-feed')
    const issued = await c1.caller.room.issueFeed()
    const token = issued.path.split('/').pop()!.replace('.ics', '')
    const ics = await feedCalendar(t.db, token, clock.now(), { summary: 'Appointment', room: 'Room' })
    expect(ics).toContain('BEGIN:VEVENT')
    expect(ics).toContain('SUMMARY:Appointment')
    expect(ics).not.toContain('竞争')
    await c1.caller.room.revokeFeed()
    expect(await feedCalendar(t.db, token, clock.now(), { summary: 'Appointment', room: 'Room' })).toBeNull()
  })
})
