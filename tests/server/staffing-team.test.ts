import { beforeAll, describe, expect, it } from 'vitest'
import type { RoomSaveInput, StaffCreateInput } from '../../shared/staffing-schemas'
import type { AuditEventRow } from '../../db/schema'
import { auditRows, headSeq } from '../fixtures/audit'
import { callerFor, Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { APP_TABLES, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { makeSchool, makeYear } from '../fixtures/factories'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'
const TODAY = '2026-03-02'

function memberInput(over: Partial<StaffCreateInput> = {}): StaffCreateInput {
  return { name: '王心怡', employment: 'full_time', title: '心理教师', startsOn: '2020-09-01', endsOn: null, ...over }
}

function roomInput(schoolYearId: number, over: Partial<RoomSaveInput> = {}): RoomSaveInput {
  return {
    schoolYearId,
    version: null,
    isSetUp: true,
    setUpOn: '2019-09-01',
    displayName: '心灵驿站',
    individualM2: 12,
    groupM2: 30,
    officeM2: 8,
    optionalAreas: [],
    hasMailbox: true,
    weeklyOpenHours: 12,
    ...over,
  }
}

describe.each(targets)('school psychology team and counselling room on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock(T0)
  let earlyYear: number
  let lastYear: number
  let currentYear: number
  let nextYear: number

  /** The audit rows `fn` wrote; unlike `auditedBy`, a failure inside `fn` fails the test. */
  async function audited(fn: () => Promise<unknown>): Promise<AuditEventRow[]> {
    const seq = await headSeq(t.db)
    await fn()
    return auditRows(t.db, seq)
  }

  /** Every table except the audit trail: a refused permission leaves its own audit row, but nothing else. */
  async function dataSnapshot() {
    const all = await snapshotTables(t.db)
    return Object.fromEntries(APP_TABLES.filter((x) => x !== 'audit_event' && x !== 'audit_head').map((x) => [x, all[x]]))
  }

  /** A fresh school with a signed-in school admin, counsellor and, in another school, a second admin. */
  async function makeTeamSchool(type: 'primary' | 'preschool' | 'junior' = 'primary') {
    const school = await makeSchool(t.db, { type })
    const admin = await makeSignedIn(t.db, 'school_admin', school.id, clock)
    return { school, admin: admin.caller, adminId: admin.account.id }
  }

  let bureau: Caller

  beforeAll(async () => {
    earlyYear = await makeYear(t.db, 2023)
    lastYear = await makeYear(t.db, 2024)
    currentYear = await makeYear(t.db, 2025, true)
    nextYear = await makeYear(t.db, 2026)
    bureau = (await makeSignedIn(t.db, 'bureau', null, clock)).caller
  })

  describe('team members, certificates and training', () => {
    it('lets a school admin create, update and remove a member, certificates and training, one audit row each and no names in it', async () => {
      const { school, admin } = await makeTeamSchool()
      const secretWords = ['王心怡', '李思远', '心理健康教育C证', '深圳市教育局', '沙盘游戏督导']
      const expectAudit = (rows: AuditEventRow[], action: string, entityType: string, entityId: number) => {
        expect(rows.map((r) => [r.action, r.outcome, r.entity_type, r.entity_id, r.school_id])).toEqual([
          [action, 'ok', entityType, String(entityId), school.id],
        ])
        for (const w of secretWords) expect(rows[0]!.detail ?? '').not.toContain(w)
      }

      let id = 0
      expectAudit(
        await audited(async () => {
          id = (await admin.staffing.createMember(memberInput())).id
        }),
        'staff.create',
        'staff_member',
        id,
      )
      let team = await admin.staffing.team({})
      expect(team.school.id).toBe(school.id)
      expect(team.members.map((m) => [m.id, m.name, m.employment, m.title, m.startsOn, m.endsOn, m.version, m.inPost])).toEqual([
        [id, '王心怡', 'full_time', '心理教师', '2020-09-01', null, 1, true],
      ])

      expectAudit(
        await audited(() =>
          admin.staffing.updateMember({ ...memberInput({ name: '李思远', employment: 'part_time', title: '' }), id, version: 1 }),
        ),
        'staff.update',
        'staff_member',
        id,
      )
      team = await admin.staffing.team({})
      expect(team.members.map((m) => [m.name, m.employment, m.title, m.version])).toEqual([['李思远', 'part_time', null, 2]])

      let certId = 0
      expectAudit(
        await audited(async () => {
          certId = (
            await admin.staffing.addCertificate({
              staffId: id,
              name: '心理健康教育C证',
              issuer: '深圳市教育局',
              issuedOn: '2021-06-01',
              expiresOn: '2026-05-01',
            })
          ).id
        }),
        'staff.certificate_add',
        'staff_certificate',
        certId,
      )
      team = await admin.staffing.team({})
      expect(team.members[0]!.certificates).toEqual([
        { id: certId, name: '心理健康教育C证', issuer: '深圳市教育局', issuedOn: '2021-06-01', expiresOn: '2026-05-01', state: 'expiring' },
      ])

      expectAudit(
        await audited(() =>
          admin.staffing.updateCertificate({ id: certId, name: '心理健康教育B证', issuer: null, issuedOn: null, expiresOn: null }),
        ),
        'staff.certificate_update',
        'staff_certificate',
        certId,
      )
      team = await admin.staffing.team({})
      expect(team.members[0]!.certificates).toEqual([
        { id: certId, name: '心理健康教育B证', issuer: null, issuedOn: null, expiresOn: null, state: 'permanent' },
      ])

      let trainingId = 0
      expectAudit(
        await audited(async () => {
          trainingId = (
            await admin.staffing.addTraining({
              staffId: id,
              schoolYearId: currentYear,
              course: '沙盘游戏督导',
              hours: 12.5,
              level: 'municipal',
              completedOn: '2025-11-20',
            })
          ).id
        }),
        'staff.training_add',
        'staff_training',
        trainingId,
      )
      await admin.staffing.addTraining({
        staffId: id,
        schoolYearId: currentYear,
        course: '危机干预',
        hours: 12,
        level: 'district',
        completedOn: null,
      })
      await clock.during('2024-10-01T08:00:00.000Z', () =>
        admin.staffing.addTraining({
          staffId: id,
          schoolYearId: lastYear,
          course: '去年的课程',
          hours: 40,
          level: 'school',
          completedOn: '2024-10-01',
        }),
      )
      team = await admin.staffing.team({})
      expect(team.members[0]).toMatchObject({ trainingHours: 24.5, trainingMet: true })
      expect(team.members[0]!.training.map((x) => [x.course, x.hours, x.level]).sort()).toEqual([
        ['危机干预', 12, 'district'],
        ['沙盘游戏督导', 12.5, 'municipal'],
      ])

      expectAudit(
        await audited(() => admin.staffing.removeTraining({ id: trainingId })),
        'staff.training_remove',
        'staff_training',
        trainingId,
      )
      team = await admin.staffing.team({})
      expect(team.members[0]).toMatchObject({ trainingHours: 12, trainingMet: false })

      expectAudit(
        await audited(() => admin.staffing.removeCertificate({ id: certId })),
        'staff.certificate_remove',
        'staff_certificate',
        certId,
      )
      expect((await admin.staffing.team({})).members[0]!.certificates).toEqual([])

      await admin.staffing.addCertificate({ staffId: id, name: '第二张证书', issuer: null, issuedOn: null, expiresOn: null })
      expectAudit(await audited(() => admin.staffing.removeMember({ id })), 'staff.remove', 'staff_member', id)
      expect((await admin.staffing.team({})).members).toEqual([])
      // the member's certificates and training (of every year) went with them
      expect(await t.db.selectFrom('staff_certificate').select('id').where('staff_id', '=', id).execute()).toEqual([])
      expect(await t.db.selectFrom('staff_training').select('id').where('staff_id', '=', id).execute()).toEqual([])
    })

    it('refuses a stale version of a member with CONFLICT and keeps the newer save', async () => {
      const { admin } = await makeTeamSchool()
      const { id } = await admin.staffing.createMember(memberInput())
      await admin.staffing.updateMember({ ...memberInput({ title: '第一次修改' }), id, version: 1 })
      const before = await snapshotTables(t.db)
      const rows = await audited(() =>
        expectRefusal(admin.staffing.updateMember({ ...memberInput({ title: '过期的修改' }), id, version: 1 }), 'CONFLICT', 'conflict'),
      )
      expect(rows).toEqual([])
      expect(await snapshotTables(t.db)).toEqual(before)
      expect((await admin.staffing.team({})).members.map((m) => [m.title, m.version])).toEqual([['第一次修改', 2]])
      await expectRefusal(admin.staffing.updateMember({ ...memberInput(), id, version: 3 }), 'CONFLICT', 'conflict')
    })

    it('lets a counsellor of the school read the team and room but refuses every write with FORBIDDEN', async () => {
      const { school, admin } = await makeTeamSchool()
      const counsellor = (await makeSignedIn(t.db, 'counsellor', school.id, clock)).caller
      const { id } = await admin.staffing.createMember(memberInput())
      const { id: certId } = await admin.staffing.addCertificate({
        staffId: id,
        name: '证书',
        issuer: null,
        issuedOn: null,
        expiresOn: null,
      })
      const { id: trainingId } = await admin.staffing.addTraining({
        staffId: id,
        schoolYearId: currentYear,
        course: '课程',
        hours: 2,
        level: 'school',
        completedOn: null,
      })
      const seen = await counsellor.staffing.team({})
      expect(seen.members.map((m) => m.id)).toEqual([id])
      expect((await counsellor.staffing.room({})).school.id).toBe(school.id)

      const before = await dataSnapshot()
      const writes: [string, () => Promise<unknown>][] = [
        ['createMember', () => counsellor.staffing.createMember(memberInput())],
        ['updateMember', () => counsellor.staffing.updateMember({ ...memberInput({ name: '改名' }), id, version: 1 })],
        ['removeMember', () => counsellor.staffing.removeMember({ id })],
        [
          'addCertificate',
          () => counsellor.staffing.addCertificate({ staffId: id, name: 'x', issuer: null, issuedOn: null, expiresOn: null }),
        ],
        [
          'updateCertificate',
          () => counsellor.staffing.updateCertificate({ id: certId, name: 'x', issuer: null, issuedOn: null, expiresOn: null }),
        ],
        ['removeCertificate', () => counsellor.staffing.removeCertificate({ id: certId })],
        [
          'addTraining',
          () =>
            counsellor.staffing.addTraining({
              staffId: id,
              schoolYearId: currentYear,
              course: 'x',
              hours: 1,
              level: 'school',
              completedOn: null,
            }),
        ],
        ['removeTraining', () => counsellor.staffing.removeTraining({ id: trainingId })],
        ['saveRoom', () => counsellor.staffing.saveRoom(roomInput(currentYear))],
        ['setEnrolment', () => counsellor.staffing.setEnrolment({ schoolYearId: currentYear, students: 10, classes: 1 })],
      ]
      for (const [name, write] of writes) {
        const rows = await audited(() => expectRefusal(write(), 'FORBIDDEN', 'forbidden'))
        expect(
          rows.map((r) => [r.action, r.outcome, r.entity_id]),
          name,
        ).toEqual([['permission.denied', 'denied', `staffing.${name}`]])
      }
      expect(await dataSnapshot()).toEqual(before)
    })

    it('answers another school’s admin NOT_FOUND for the first school’s member, certificate, training, team and room, changing nothing', async () => {
      const { school, admin } = await makeTeamSchool()
      const { admin: stranger } = await makeTeamSchool()
      const { id } = await admin.staffing.createMember(memberInput())
      const { id: certId } = await admin.staffing.addCertificate({
        staffId: id,
        name: '证书',
        issuer: null,
        issuedOn: null,
        expiresOn: null,
      })
      const { id: trainingId } = await admin.staffing.addTraining({
        staffId: id,
        schoolYearId: currentYear,
        course: '课程',
        hours: 2,
        level: 'school',
        completedOn: null,
      })

      const before = await snapshotTables(t.db)
      await expectRefusal(stranger.staffing.team({ schoolId: school.id }), 'NOT_FOUND', 'notFound')
      await expectRefusal(stranger.staffing.room({ schoolId: school.id }), 'NOT_FOUND', 'notFound')
      await expectRefusal(stranger.staffing.updateMember({ ...memberInput({ name: '越权修改' }), id, version: 1 }), 'NOT_FOUND', 'notFound')
      await expectRefusal(stranger.staffing.removeMember({ id }), 'NOT_FOUND', 'notFound')
      await expectRefusal(
        stranger.staffing.addCertificate({ staffId: id, name: 'x', issuer: null, issuedOn: null, expiresOn: null }),
        'NOT_FOUND',
        'notFound',
      )
      await expectRefusal(
        stranger.staffing.updateCertificate({ id: certId, name: 'x', issuer: null, issuedOn: null, expiresOn: null }),
        'NOT_FOUND',
        'notFound',
      )
      await expectRefusal(stranger.staffing.removeCertificate({ id: certId }), 'NOT_FOUND', 'notFound')
      await expectRefusal(
        stranger.staffing.addTraining({
          staffId: id,
          schoolYearId: currentYear,
          course: 'x',
          hours: 1,
          level: 'school',
          completedOn: null,
        }),
        'NOT_FOUND',
        'notFound',
      )
      await expectRefusal(stranger.staffing.removeTraining({ id: trainingId }), 'NOT_FOUND', 'notFound')
      // a foreign id is answered exactly like a missing one
      await expectRefusal(stranger.staffing.removeMember({ id: 999_999 }), 'NOT_FOUND', 'notFound')
      expect(await snapshotTables(t.db)).toEqual(before)
      // the stranger's own team is empty: nothing of the first school leaks into it
      expect((await stranger.staffing.team({})).members).toEqual([])
    })

    it('lets the bureau read any school’s team and room, but not write to it', async () => {
      const { school, admin } = await makeTeamSchool()
      const { id } = await admin.staffing.createMember(memberInput())
      expect((await bureau.staffing.team({ schoolId: school.id })).members.map((m) => m.id)).toEqual([id])
      expect((await bureau.staffing.room({ schoolId: school.id })).school.id).toBe(school.id)
      await expectRefusal(bureau.staffing.team({}), 'BAD_REQUEST')
      await expectRefusal(bureau.staffing.team({ schoolId: 999_999 }), 'NOT_FOUND', 'notFound')
      const before = await dataSnapshot()
      await expectRefusal(bureau.staffing.removeMember({ id }), 'FORBIDDEN', 'forbidden')
      expect(await dataSnapshot()).toEqual(before)
    })

    it('refuses bad input with BAD_REQUEST and writes nothing', async () => {
      const { school, admin } = await makeTeamSchool()
      const { school: other } = await makeTeamSchool()
      const { id } = await admin.staffing.createMember(memberInput())
      const { id: certId } = await admin.staffing.addCertificate({
        staffId: id,
        name: '证书',
        issuer: null,
        issuedOn: null,
        expiresOn: null,
      })
      const before = await snapshotTables(t.db)
      const bad: [string, () => Promise<unknown>][] = [
        ['ends before it starts', () => admin.staffing.createMember(memberInput({ startsOn: '2024-09-01', endsOn: '2024-08-31' }))],
        [
          'update ends before it starts',
          () => admin.staffing.updateMember({ ...memberInput({ startsOn: '2024-09-01', endsOn: '2024-08-31' }), id, version: 1 }),
        ],
        ['not a date', () => admin.staffing.createMember(memberInput({ startsOn: '2024-02-30' }))],
        ['blank name', () => admin.staffing.createMember(memberInput({ name: '   ' }))],
        [
          'unknown employment',
          () => admin.staffing.createMember({ ...memberInput(), employment: 'volunteer' } as unknown as StaffCreateInput),
        ],
        [
          'another school smuggled in',
          () => admin.staffing.createMember({ ...memberInput(), schoolId: other.id } as unknown as StaffCreateInput),
        ],
        [
          'expires before issue',
          () => admin.staffing.addCertificate({ staffId: id, name: '证书', issuer: null, issuedOn: '2024-06-01', expiresOn: '2024-05-31' }),
        ],
        [
          'expires on the issue day',
          () => admin.staffing.addCertificate({ staffId: id, name: '证书', issuer: null, issuedOn: '2024-06-01', expiresOn: '2024-06-01' }),
        ],
        [
          'update expires before issue',
          () =>
            admin.staffing.updateCertificate({ id: certId, name: '证书', issuer: null, issuedOn: '2024-06-01', expiresOn: '2023-06-01' }),
        ],
        [
          'certificate extra key',
          () =>
            admin.staffing.updateCertificate({
              id: certId,
              name: '证书',
              issuer: null,
              issuedOn: null,
              expiresOn: null,
              staffId: id,
            } as never),
        ],
        [
          'zero hours',
          () =>
            admin.staffing.addTraining({
              staffId: id,
              schoolYearId: currentYear,
              course: '课程',
              hours: 0,
              level: 'school',
              completedOn: null,
            }),
        ],
        [
          'quarter hours',
          () =>
            admin.staffing.addTraining({
              staffId: id,
              schoolYearId: currentYear,
              course: '课程',
              hours: 1.25,
              level: 'school',
              completedOn: null,
            }),
        ],
        [
          'training extra key',
          () =>
            admin.staffing.addTraining({
              staffId: id,
              schoolYearId: currentYear,
              course: '课程',
              hours: 1,
              level: 'school',
              completedOn: null,
              verified: true,
            } as never),
        ],
        ['negative enrolment', () => admin.staffing.setEnrolment({ schoolYearId: currentYear, students: -1, classes: 1 })],
        ['fractional enrolment', () => admin.staffing.setEnrolment({ schoolYearId: currentYear, students: 10.5, classes: 1 })],
        [
          'enrolment for another school',
          () => admin.staffing.setEnrolment({ schoolYearId: currentYear, students: 10, classes: 1, schoolId: other.id } as never),
        ],
        ['room extra key', () => admin.staffing.saveRoom({ ...roomInput(currentYear), schoolId: other.id } as never)],
        ['room negative area', () => admin.staffing.saveRoom(roomInput(currentYear, { individualM2: -1 }))],
        ['room unknown area', () => admin.staffing.saveRoom(roomInput(currentYear, { optionalAreas: ['gym'] } as never))],
        ['team extra key', () => admin.staffing.team({ schoolId: school.id, all: true } as never)],
      ]
      for (const [name, call] of bad) {
        const error = await expectRefusal(call(), 'BAD_REQUEST')
        expect(error.code, name).toBe('BAD_REQUEST')
      }
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses training for a school year that does not exist', async () => {
      const { admin } = await makeTeamSchool()
      const { id } = await admin.staffing.createMember(memberInput())
      const before = await snapshotTables(t.db)
      await expectRefusal(
        admin.staffing.addTraining({ staffId: id, schoolYearId: 999_999, course: '课程', hours: 1, level: 'school', completedOn: null }),
        'NOT_FOUND',
        'notFound',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
    })
  })

  describe('team figures', () => {
    it('counts full-time and purchased posts against ⌈enrolment / 1000⌉, part-time posts not', async () => {
      const { school, admin } = await makeTeamSchool()
      let team = await admin.staffing.team({})
      expect(team.year.id).toBe(currentYear)
      expect(team.refDate).toBe(TODAY)
      expect(team.enrolment).toBeNull()
      expect(team.figures).toEqual({ required: null, counted: 0, shortfall: null, noTeacher: true, meetsRatio: null })

      const rows = await audited(() => admin.staffing.setEnrolment({ schoolYearId: currentYear, students: 1001, classes: 24 }))
      expect(rows.map((r) => [r.action, r.entity_id, r.school_id, r.detail])).toEqual([
        ['school.enrolment_set', String(school.id), school.id, `year:${currentYear}`],
      ])
      expect(
        await t.db
          .selectFrom('enrolment')
          .select(['students', 'classes'])
          .where('school_id', '=', school.id)
          .where('school_year_id', '=', currentYear)
          .execute(),
      ).toEqual([{ students: 1001, classes: 24 }])
      team = await admin.staffing.team({})
      expect(team.enrolment).toMatchObject({ students: 1001, classes: 24 })
      expect(team.figures).toEqual({ required: 2, counted: 0, shortfall: 2, noTeacher: true, meetsRatio: false })

      await admin.staffing.createMember(memberInput({ employment: 'part_time' }))
      team = await admin.staffing.team({})
      expect(team.posts).toEqual({ fullTime: 0, partTime: 1, purchased: 0 })
      expect(team.figures).toEqual({ required: 2, counted: 0, shortfall: 2, noTeacher: false, meetsRatio: false })

      await admin.staffing.createMember(memberInput({ employment: 'full_time' }))
      team = await admin.staffing.team({})
      expect(team.figures).toEqual({ required: 2, counted: 1, shortfall: 1, noTeacher: false, meetsRatio: false })

      await admin.staffing.createMember(memberInput({ employment: 'purchased', name: '购买服务' }))
      team = await admin.staffing.team({})
      expect(team.posts).toEqual({ fullTime: 1, partTime: 1, purchased: 1 })
      expect(team.figures).toEqual({ required: 2, counted: 2, shortfall: 0, noTeacher: false, meetsRatio: true })

      // a second report for the year replaces the first: 1,000 students need one post
      await admin.staffing.setEnrolment({ schoolYearId: currentYear, students: 1000, classes: 22 })
      expect((await admin.staffing.team({})).figures).toMatchObject({ required: 1, counted: 2, shortfall: 0 })
      expect(await t.db.selectFrom('enrolment').select('id').where('school_id', '=', school.id).execute()).toHaveLength(1)
    })

    it('judges a year on its reference date: someone who left before it, or starts after it, is not counted', async () => {
      const { admin } = await makeTeamSchool()
      await admin.staffing.setEnrolment({ schoolYearId: currentYear, students: 1001, classes: 24 })
      await clock.during('2024-09-10T02:00:00.000Z', () =>
        admin.staffing.setEnrolment({ schoolYearId: lastYear, students: 1001, classes: 24 }),
      )
      const { id: stays } = await admin.staffing.createMember(memberInput({ name: '在岗', startsOn: '2019-09-01' }))
      const { id: left } = await admin.staffing.createMember(memberInput({ name: '离职', startsOn: '2019-09-01', endsOn: '2026-01-31' }))
      const { id: leftToday } = await admin.staffing.createMember(
        memberInput({ name: '今天最后一天', employment: 'purchased', startsOn: '2025-09-01', endsOn: TODAY }),
      )
      const { id: starts } = await admin.staffing.createMember(memberInput({ name: '新入职', startsOn: '2026-04-01' }))

      const now = await admin.staffing.team({})
      const inPost = Object.fromEntries(now.members.map((m) => [m.id, m.inPost]))
      expect(inPost).toEqual({ [stays]: true, [left]: false, [leftToday]: true, [starts]: false })
      expect(now.posts).toEqual({ fullTime: 1, partTime: 0, purchased: 1 })
      expect(now.figures).toMatchObject({ required: 2, counted: 2, shortfall: 0 })

      // the day after the purchased post ended, the school is one short again
      const tomorrow = callerFor(t.db, (await makeSignedIn(t.db, 'school_admin', now.school.id)).actor, {
        now: () => new Date('2026-03-03T01:00:00.000Z'),
      })
      expect((await tomorrow.staffing.team({})).figures).toMatchObject({ required: 2, counted: 1, shortfall: 1 })

      // in January, the one who left at the end of the month was still in post
      const january = callerFor(t.db, (await makeSignedIn(t.db, 'school_admin', now.school.id)).actor, {
        now: () => new Date('2026-01-15T01:00:00.000Z'),
      })
      expect((await january.staffing.team({})).figures).toMatchObject({ required: 2, counted: 3, shortfall: 0 })

      // a year that is over is judged on its last day (31 August 2025): only the two who had started by then
      const past = await admin.staffing.team({ schoolYearId: lastYear })
      expect(past.refDate).toBe('2025-08-31')
      expect(past.posts).toEqual({ fullTime: 2, partTime: 0, purchased: 0 })
      expect(past.figures).toMatchObject({ required: 2, counted: 2, shortfall: 0 })

      // a year that has not begun is judged on its first day
      const future = await admin.staffing.team({ schoolYearId: nextYear })
      expect(future.refDate).toBe('2026-09-01')
      expect(future.posts).toEqual({ fullTime: 2, partTime: 0, purchased: 0 })
      expect(future.figures.required).toBeNull()
    })

    it('needs no full-time post in a preschool, but flags one without any mental-health worker', async () => {
      const { admin } = await makeTeamSchool('preschool')
      await admin.staffing.setEnrolment({ schoolYearId: currentYear, students: 2400, classes: 60 })
      expect((await admin.staffing.team({})).figures).toEqual({ required: 0, counted: 0, shortfall: 0, noTeacher: true, meetsRatio: true })
      await admin.staffing.createMember(memberInput({ employment: 'part_time' }))
      expect((await admin.staffing.team({})).figures).toEqual({ required: 0, counted: 0, shortfall: 0, noTeacher: false, meetsRatio: true })
    })

    it('refuses enrolment for a school year that does not exist', async () => {
      const { admin } = await makeTeamSchool()
      const before = await snapshotTables(t.db)
      await expectRefusal(admin.staffing.setEnrolment({ schoolYearId: 999_999, students: 10, classes: 1 }), 'NOT_FOUND', 'notFound')
      await expectRefusal(admin.staffing.team({ schoolYearId: 999_999 }), 'NOT_FOUND', 'notFound')
      expect(await snapshotTables(t.db)).toEqual(before)
    })
  })

  describe('counselling room', () => {
    it('shows a school without any record as not set up', async () => {
      const { admin } = await makeTeamSchool()
      const room = await admin.staffing.room({})
      expect(room).toMatchObject({
        version: null,
        updatedAt: null,
        inheritedFrom: null,
        room: null,
        standard: { meets: false, reasons: ['not_set_up'] },
      })
      expect(room.year.id).toBe(currentYear)
    })

    it('creates the year’s record on a first save, refuses a second first save, and updates with the right version', async () => {
      const { school, admin, adminId } = await makeTeamSchool()
      let saved!: Awaited<ReturnType<typeof admin.staffing.saveRoom>>
      const rows = await audited(async () => {
        saved = await admin.staffing.saveRoom(
          roomInput(nextYear, { hasMailbox: false, weeklyOpenHours: 6, optionalAreas: ['sand_play', 'relaxation', 'sand_play'] }),
        )
      })
      expect(rows.map((r) => [r.action, r.entity_type, r.school_id, r.detail])).toEqual([
        ['room.save', 'counselling_room', school.id, `year:${nextYear}`],
      ])
      expect(saved).toMatchObject({ version: 1, inheritedFrom: null, standard: { meets: false, reasons: ['no_mailbox', 'few_hours'] } })
      expect(saved.room).toEqual({
        isSetUp: true,
        setUpOn: '2019-09-01',
        displayName: '心灵驿站',
        individualM2: 12,
        groupM2: 30,
        officeM2: 8,
        optionalAreas: ['relaxation', 'sand_play'],
        hasMailbox: false,
        weeklyOpenHours: 6,
        // no duty rota at this school: the typed figure, marked as such
        hoursSource: 'typed',
      })
      const stored = await t.db.selectFrom('counselling_room').selectAll().where('school_id', '=', school.id).execute()
      expect(stored.map((r) => [r.school_year_id, r.version, r.updated_by, r.updated_at])).toEqual([[nextYear, 1, adminId, T0]])

      // someone else saved first: a second save that thinks the year has no record yet is a conflict
      const before = await snapshotTables(t.db)
      expect(await audited(() => expectRefusal(admin.staffing.saveRoom(roomInput(nextYear)), 'CONFLICT', 'conflict'))).toEqual([])
      expect(await snapshotTables(t.db)).toEqual(before)

      const updated = await admin.staffing.saveRoom(roomInput(nextYear, { version: 1 }))
      expect(updated).toMatchObject({ version: 2, inheritedFrom: null, standard: { meets: true, reasons: [] } })
      expect(updated.room).toMatchObject({ hasMailbox: true, weeklyOpenHours: 12, optionalAreas: [] })

      const again = await snapshotTables(t.db)
      await expectRefusal(admin.staffing.saveRoom(roomInput(nextYear, { version: 1, weeklyOpenHours: 1 })), 'CONFLICT', 'conflict')
      await expectRefusal(admin.staffing.saveRoom(roomInput(currentYear, { version: 1 })), 'CONFLICT', 'conflict')
      expect(await snapshotTables(t.db)).toEqual(again)
      expect(
        await t.db.selectFrom('counselling_room').select(['school_year_id', 'version']).where('school_id', '=', school.id).execute(),
      ).toEqual([{ school_year_id: nextYear, version: 2 }])
    })

    it('turns two first saves of the same year racing each other into one record and one CONFLICT', async () => {
      const { school, admin } = await makeTeamSchool()
      const results = await Promise.allSettled([
        admin.staffing.saveRoom(roomInput(currentYear, { displayName: '甲' })),
        admin.staffing.saveRoom(roomInput(currentYear, { displayName: '乙' })),
      ])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect({ code: lost.reason.code, appCode: lost.reason.appCode }).toEqual({ code: 'CONFLICT', appCode: 'conflict' })
      const rows = await t.db.selectFrom('counselling_room').select(['version']).where('school_id', '=', school.id).execute()
      expect(rows).toEqual([{ version: 1 }])
      const audit = await t.db
        .selectFrom('audit_event')
        .select('action')
        .where('school_id', '=', school.id)
        .where('action', '=', 'room.save')
        .execute()
      expect(audit).toHaveLength(1)
    })

    it('keeps a past school year as history: the school cannot write its room, enrolment or training any more', async () => {
      const { admin } = await makeTeamSchool()
      const { id: staffId } = await admin.staffing.createMember(memberInput({ name: '历史', startsOn: '2019-09-01' }))
      const { id: oldTraining } = await clock.during('2024-10-01T08:00:00.000Z', () =>
        admin.staffing.addTraining({ staffId, schoolYearId: lastYear, course: '去年', hours: 4, level: 'school', completedOn: null }),
      )
      const before = await snapshotTables(t.db)
      for (const attempt of [
        () => admin.staffing.saveRoom(roomInput(lastYear)),
        () => admin.staffing.setEnrolment({ schoolYearId: lastYear, students: 900, classes: 20 }),
        () => admin.staffing.addTraining({ staffId, schoolYearId: lastYear, course: '补录', hours: 2, level: 'school', completedOn: null }),
        () => admin.staffing.removeTraining({ id: oldTraining }),
      ]) {
        await expectRefusal(attempt(), 'FORBIDDEN', 'schoolYear.closed')
      }
      expect(await snapshotTables(t.db)).toEqual(before)
      // next year is open: a school plans ahead
      await admin.staffing.saveRoom(roomInput(nextYear))
    })

    it('lets the bureau correct a closed year’s enrolment only with a reason, kept in the audit row', async () => {
      const s = await makeSchool(t.db)
      const sysAdmin = (await makeSignedIn(t.db, 'admin', null, clock)).caller
      const before = await snapshotTables(t.db)
      await expectRefusal(
        sysAdmin.school.setEnrolment({ schoolId: s.id, schoolYearId: lastYear, students: 500, classes: 12 }),
        'BAD_REQUEST',
        'schoolYear.correctionReasonRequired',
      )
      await expectRefusal(
        sysAdmin.school.setEnrolment({ schoolId: s.id, schoolYearId: lastYear, students: 500, classes: 12, correctionReason: '   ' }),
        'BAD_REQUEST',
        'schoolYear.correctionReasonRequired',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
      await sysAdmin.school.setEnrolment({
        schoolId: s.id,
        schoolYearId: lastYear,
        students: 500,
        classes: 12,
        correctionReason: '学籍核对',
      })
      const audit = await t.db
        .selectFrom('audit_event')
        .select('detail')
        .where('school_id', '=', s.id)
        .where('action', '=', 'school.enrolment_set')
        .execute()
      expect(audit).toEqual([{ detail: `year:${lastYear},correction:学籍核对` }])
      // the current year needs no reason, and none is recorded
      await sysAdmin.school.setEnrolment({ schoolId: s.id, schoolYearId: currentYear, students: 510, classes: 12 })
    })

    it('lets a year without its own record inherit the latest earlier year’s record', async () => {
      const { admin } = await makeTeamSchool()
      await clock.during('2023-10-01T02:00:00.000Z', () => admin.staffing.saveRoom(roomInput(earlyYear, { displayName: '二三年的房间' })))
      // a record for a later year never reaches back
      await admin.staffing.saveRoom(roomInput(nextYear, { displayName: '明年的房间', groupM2: 5 }))

      let current = await admin.staffing.room({})
      expect(current).toMatchObject({
        version: null,
        updatedAt: null,
        inheritedFrom: '2023-2024',
        room: { displayName: '二三年的房间' },
        standard: { meets: true },
      })
      expect(await admin.staffing.room({ schoolYearId: lastYear })).toMatchObject({ version: null, inheritedFrom: '2023-2024' })

      await clock.during('2024-10-01T02:00:00.000Z', () =>
        admin.staffing.saveRoom(roomInput(lastYear, { displayName: '二四年的房间', hasMailbox: false })),
      )
      current = await admin.staffing.room({ schoolYearId: currentYear })
      expect(current).toMatchObject({
        version: null,
        inheritedFrom: '2024-2025',
        room: { displayName: '二四年的房间' },
        standard: { meets: false, reasons: ['no_mailbox'] },
      })
      expect(await admin.staffing.room({ schoolYearId: earlyYear })).toMatchObject({
        version: 1,
        inheritedFrom: null,
        room: { displayName: '二三年的房间' },
      })
      expect(await admin.staffing.room({ schoolYearId: nextYear })).toMatchObject({
        version: 1,
        inheritedFrom: null,
        room: { displayName: '明年的房间' },
        standard: { reasons: ['small_group'] },
      })

      // the first save of an inheriting year creates its own record (version null), without touching the earlier one
      const own = await admin.staffing.saveRoom(roomInput(currentYear, { displayName: '今年的房间' }))
      expect(own).toMatchObject({ version: 1, inheritedFrom: null, room: { displayName: '今年的房间' } })
      expect(await admin.staffing.room({ schoolYearId: lastYear })).toMatchObject({ version: 1, room: { displayName: '二四年的房间' } })
    })

    it.each([
      { name: 'meets every rule', over: {}, reasons: [] },
      { name: 'not set up', over: { isSetUp: false }, reasons: ['not_set_up'] },
      { name: 'no mailbox and few hours', over: { hasMailbox: false, weeklyOpenHours: 9.5 }, reasons: ['no_mailbox', 'few_hours'] },
      { name: 'exactly the minimum', over: { individualM2: 10, groupM2: 20, weeklyOpenHours: 10 }, reasons: [] },
      { name: 'small rooms', over: { individualM2: 9.9, groupM2: 19 }, reasons: ['small_individual', 'small_group'] },
      {
        name: 'missing areas',
        over: { individualM2: null, groupM2: 0, officeM2: null },
        reasons: ['missing_individual', 'missing_group', 'missing_office'],
      },
    ] satisfies { name: string; over: Partial<RoomSaveInput>; reasons: string[] }[])(
      'computes the standard for a room that $name',
      async ({ over, reasons }) => {
        const { admin } = await makeTeamSchool()
        const saved = await admin.staffing.saveRoom(roomInput(currentYear, over))
        expect(saved.standard).toEqual({ meets: reasons.length === 0, reasons })
        expect((await admin.staffing.room({})).standard).toEqual(saved.standard)
        if (over.isSetUp === false) expect(saved.room?.setUpOn).toBeNull()
      },
    )

    it('refuses a room for a school year that does not exist', async () => {
      const { admin } = await makeTeamSchool()
      const before = await snapshotTables(t.db)
      await expectRefusal(admin.staffing.saveRoom(roomInput(999_999)), 'NOT_FOUND', 'notFound')
      await expectRefusal(admin.staffing.room({ schoolYearId: 999_999 }), 'NOT_FOUND', 'notFound')
      expect(await snapshotTables(t.db)).toEqual(before)
    })
  })
})
