import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ROOM_SETTINGS, DEFAULT_STAFFING_SETTINGS, type RoomSettings, type StaffingSettings } from '../../shared/staffing'
import { auditRows, headSeq } from '../fixtures/audit'
import { Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { APP_TABLES, rawExec, snapshotTables, targets, useTestDatabase } from '../fixtures/db'
import { enrol, makeSchool, makeYear } from '../fixtures/factories'

const T0 = '2026-03-02T01:00:00.000Z'
const b64 = (content: string | Buffer) => Buffer.from(content).toString('base64')

describe.each(targets)('district settings and enrolment import on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock(T0)
  let y24: number
  let y25: number
  let bureau: Caller
  let bureauId: number
  let sysAdmin: Caller
  let schoolAdmin: Caller
  const schools: { id: number; code: string }[] = []

  async function dataSnapshot() {
    const all = await snapshotTables(t.db)
    return Object.fromEntries(APP_TABLES.filter((x) => x !== 'audit_event' && x !== 'audit_head').map((x) => [x, all[x]]))
  }

  async function enrolmentOf(yearId: number) {
    const rows = await t.db
      .selectFrom('enrolment')
      .select(['school_id', 'students', 'classes'])
      .where('school_year_id', '=', yearId)
      .orderBy('school_id')
      .execute()
    return rows.map((r) => [r.school_id, r.students, r.classes])
  }

  beforeAll(async () => {
    y24 = await makeYear(t.db, 2024)
    y25 = await makeYear(t.db, 2025, true)
    for (let i = 0; i < 4; i++) schools.push(await makeSchool(t.db))
    const b = await makeSignedIn(t.db, 'bureau', null, clock)
    bureau = b.caller
    bureauId = b.account.id
    sysAdmin = (await makeSignedIn(t.db, 'admin', null, clock)).caller
    schoolAdmin = (await makeSignedIn(t.db, 'school_admin', schools[0]!.id, clock)).caller
  })

  describe('settings', () => {
    const staffing: StaffingSettings = { studentsPerFullTime: 800, trainingHoursPerYear: 30, certificateWarningDays: 60 }
    const rooms: RoomSettings = { ...DEFAULT_ROOM_SETTINGS, minIndividualM2: 15, requireMailbox: false, targets: [] }

    it('starts from the Futian plan’s and the room guide’s defaults', async () => {
      expect(await bureau.staffing.settings()).toEqual({
        staffing: DEFAULT_STAFFING_SETTINGS,
        rooms: DEFAULT_ROOM_SETTINGS,
        updatedAt: null,
      })
      expect((await schoolAdmin.staffing.settings()).staffing.studentsPerFullTime).toBe(1000)
    })

    it('persists the bureau’s settings, one target per year in year order, and audits the change', async () => {
      const seq = await headSeq(t.db)
      const saved = await bureau.staffing.updateSettings({
        staffing,
        rooms: {
          ...rooms,
          targets: [
            { year: '2025-2026', percent: 90 },
            { year: '2019-2020', percent: 60 },
            { year: '2025-2026', percent: 95 },
            { year: '2020-2021', percent: 80 },
          ],
        },
      })
      const expected = {
        staffing,
        rooms: {
          ...rooms,
          targets: [
            { year: '2019-2020', percent: 60 },
            { year: '2020-2021', percent: 80 },
            { year: '2025-2026', percent: 95 },
          ],
        },
        updatedAt: T0,
      }
      expect(saved).toEqual(expected)
      expect(await bureau.staffing.settings()).toEqual(expected)
      expect(await schoolAdmin.staffing.settings()).toEqual(expected)
      const rows = await t.db.selectFrom('district_setting').select(['key', 'updated_by', 'updated_at']).orderBy('key').execute()
      expect(rows).toEqual([
        { key: 'rooms', updated_by: bureauId, updated_at: T0 },
        { key: 'staffing', updated_by: bureauId, updated_at: T0 },
      ])
      const audit = await auditRows(t.db, seq)
      expect(audit.map((r) => [r.action, r.outcome, r.entity_type, r.actor_id, r.actor_role])).toEqual([
        ['district.settings_update', 'ok', 'district_setting', bureauId, 'bureau'],
      ])

      // the new ratio is what the school's own page now works with
      await enrol(t.db, schools[0]!.id, y25, 801)
      expect((await schoolAdmin.staffing.team({})).figures.required).toBe(2)
    })

    it.each([
      { name: 'a ratio of 0', input: () => ({ staffing: { ...staffing, studentsPerFullTime: 0 }, rooms }) },
      { name: 'a fractional ratio', input: () => ({ staffing: { ...staffing, studentsPerFullTime: 999.5 }, rooms }) },
      { name: 'a target of 120 %', input: () => ({ staffing, rooms: { ...rooms, targets: [{ year: '2025-2026', percent: 120 }] } }) },
      { name: 'a negative target', input: () => ({ staffing, rooms: { ...rooms, targets: [{ year: '2025-2026', percent: -1 }] } }) },
      {
        name: 'a year label that is not one',
        input: () => ({ staffing, rooms: { ...rooms, targets: [{ year: '2025/2026', percent: 80 }] } }),
      },
      { name: 'no warning window', input: () => ({ staffing: { ...staffing, certificateWarningDays: 0 }, rooms }) },
      { name: 'negative training hours', input: () => ({ staffing: { ...staffing, trainingHoursPerYear: -1 }, rooms }) },
      { name: 'an unknown setting', input: () => ({ staffing: { ...staffing, maxCases: 10 }, rooms }) },
      { name: 'a missing part', input: () => ({ staffing }) },
    ])('refuses $name with BAD_REQUEST and changes nothing', async ({ input }) => {
      const before = await snapshotTables(t.db)
      const settings = await bureau.staffing.settings()
      await expectRefusal(bureau.staffing.updateSettings(input() as never), 'BAD_REQUEST')
      expect(await snapshotTables(t.db)).toEqual(before)
      expect(await bureau.staffing.settings()).toEqual(settings)
    })

    it.each(['school_admin', 'counsellor', 'admin'] as const)('refuses a %s with FORBIDDEN', async (role) => {
      const caller = (await makeSignedIn(t.db, role, role === 'admin' ? null : schools[1]!.id, clock)).caller
      const before = await dataSnapshot()
      await expectRefusal(
        caller.staffing.updateSettings({ staffing: DEFAULT_STAFFING_SETTINGS, rooms: DEFAULT_ROOM_SETTINGS }),
        'FORBIDDEN',
        'forbidden',
      )
      expect(await dataSnapshot()).toEqual(before)
    })

    it('falls back to the defaults when a stored setting no longer parses', async () => {
      try {
        await rawExec(t.db, `update district_setting set value = 'not json' where key = 'staffing'`)
        await rawExec(t.db, `update district_setting set value = '{"targets":[],"minIndividualM2":"big"}' where key = 'rooms'`)
        const s = await bureau.staffing.settings()
        expect(s.staffing).toEqual(DEFAULT_STAFFING_SETTINGS)
        expect(s.rooms).toEqual(DEFAULT_ROOM_SETTINGS)
        expect((await schoolAdmin.staffing.team({})).settings).toEqual(DEFAULT_STAFFING_SETTINGS)
      } finally {
        await bureau.staffing.updateSettings({ staffing: DEFAULT_STAFFING_SETTINGS, rooms: DEFAULT_ROOM_SETTINGS })
      }
    })
  })

  describe('enrolment import', () => {
    beforeAll(async () => {
      await enrol(t.db, schools[0]!.id, y24, 900, 20)
      await enrol(t.db, schools[0]!.id, y25, 1000, 22)
    })

    it('previews every problem with its row number and writes nothing', async () => {
      const [a, b, c] = schools
      const csv = [
        '学校代码,学生数,班级数',
        `${a!.code},1200,30`,
        'NO-SUCH-SCHOOL,100,3',
        `${a!.code},1300,31`,
        `${b!.code},12.5,3`,
        `${c!.code},300,abc`,
        '',
        `${c!.code.toLowerCase()},-5,2`,
      ].join('\n')
      const before = await snapshotTables(t.db)
      const preview = await sysAdmin.staffing.importEnrolment({
        schoolYearId: y25,
        fileName: '2025学年在校生.csv',
        contentBase64: b64(csv),
        commit: false,
      })
      expect(preview).toEqual({
        missingColumns: [],
        problems: [
          { row: 3, field: 'code', code: 'unknownSchool' },
          { row: 4, field: 'code', code: 'duplicateInFile' },
          { row: 5, field: 'students', code: 'count' },
          { row: 6, field: 'classes', code: 'count' },
          { row: 8, field: 'code', code: 'duplicateInFile' },
          { row: 8, field: 'students', code: 'count' },
        ],
        valid: 1,
        sample: [{ row: 2, code: a!.code.toUpperCase(), students: 1200, classes: 30 }],
        committed: 0,
        yearClosed: false,
      })
      expect(await snapshotTables(t.db)).toEqual(before)

      const error = await expectRefusal(
        sysAdmin.staffing.importEnrolment({ schoolYearId: y25, fileName: '2025学年在校生.csv', contentBase64: b64(csv), commit: true }),
        'BAD_REQUEST',
        'import.hasProblems',
      )
      expect(error.params).toEqual({ problems: 6 })
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('refuses to commit a sheet with a missing column', async () => {
      const csv = `学校代码,学生数\n${schools[1]!.code},100\n`
      const before = await snapshotTables(t.db)
      const preview = await sysAdmin.staffing.importEnrolment({
        schoolYearId: y25,
        fileName: 'x.csv',
        contentBase64: b64(csv),
        commit: false,
      })
      expect(preview).toMatchObject({ missingColumns: ['classes'], valid: 0, committed: 0 })
      await expectRefusal(
        sysAdmin.staffing.importEnrolment({ schoolYearId: y25, fileName: 'x.csv', contentBase64: b64(csv), commit: true }),
        'BAD_REQUEST',
        'import.hasProblems',
      )
      expect(await snapshotTables(t.db)).toEqual(before)
    })

    it('commits a clean sheet for the year in one go, replacing earlier figures and leaving other years alone', async () => {
      const [a, b, c] = schools
      const csv = '\uFEFF学校代码,在校生数,班级数\r\n' + `${a!.code},"1,200",30\r\n${b!.code.toLowerCase()},850,19\r\n${c!.code}, 0 ,0\r\n`
      const others = await enrolmentOf(y24)
      const seq = await headSeq(t.db)
      const result = await sysAdmin.staffing.importEnrolment({
        schoolYearId: y25,
        fileName: 'district.CSV',
        contentBase64: b64(csv),
        commit: true,
      })
      expect(result).toMatchObject({ problems: [], missingColumns: [], valid: 3, committed: 3 })
      expect(await enrolmentOf(y25)).toEqual([
        [a!.id, 1200, 30],
        [b!.id, 850, 19],
        [c!.id, 0, 0],
      ])
      expect(await enrolmentOf(y24)).toEqual(others)
      const audit = await auditRows(t.db, seq)
      expect(audit.map((r) => [r.action, r.outcome, r.entity_type, r.detail])).toEqual([
        ['school.enrolment_import', 'ok', 'enrolment', `year:${y25},rows:3`],
      ])
      // the bureau sees the imported figures
      const dash = await bureau.staffing.dashboard({ pageSize: 200 })
      expect(dash.rows.find((r) => r.schoolId === a!.id)).toMatchObject({ students: 1200, required: 2 })
    })

    it('reads an XLSX sheet with English headers', async () => {
      const book = new ExcelJS.Workbook()
      const sheet = book.addWorksheet('enrolment')
      sheet.addRow(['Code', 'Students', 'Classes'])
      sheet.addRow([schools[3]!.code, 640, 16])
      const content = Buffer.from(await book.xlsx.writeBuffer()).toString('base64')
      const result = await sysAdmin.staffing.importEnrolment({
        schoolYearId: y24,
        fileName: 'enrolment.xlsx',
        contentBase64: content,
        commit: true,
        correctionReason: '补录',
      })
      expect(result.committed).toBe(1)
      expect((await enrolmentOf(y24)).find((r) => r[0] === schools[3]!.id)).toEqual([schools[3]!.id, 640, 16])
    })

    it('treats a sheet for a year that has ended as a correction: it needs a reason, which the audit row keeps', async () => {
      const csv = `学校代码,学生数,班级数\n${schools[2]!.code},777,19\n`
      const preview = await sysAdmin.staffing.importEnrolment({
        schoolYearId: y24,
        fileName: 'old.csv',
        contentBase64: b64(csv),
        commit: false,
      })
      expect(preview).toMatchObject({ valid: 1, yearClosed: true, committed: 0 })
      const before = await snapshotTables(t.db)
      const error = await expectRefusal(
        sysAdmin.staffing.importEnrolment({ schoolYearId: y24, fileName: 'old.csv', contentBase64: b64(csv), commit: true }),
        'BAD_REQUEST',
        'schoolYear.correctionReasonRequired',
      )
      expect(error.params).toEqual({ year: '2024-2025' })
      expect(await snapshotTables(t.db)).toEqual(before)
      await sysAdmin.staffing.importEnrolment({
        schoolYearId: y24,
        fileName: 'old.csv',
        contentBase64: b64(csv),
        commit: true,
        correctionReason: '学籍系统核对后更正',
      })
      expect((await enrolmentOf(y24)).find((r) => r[0] === schools[2]!.id)).toEqual([schools[2]!.id, 777, 19])
      const audit = await t.db
        .selectFrom('audit_event')
        .select(['action', 'detail'])
        .where('action', '=', 'school.enrolment_import')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow()
      expect(audit.detail).toBe(`year:${y24},rows:1,correction:学籍系统核对后更正`)
    })

    it('refuses an unknown year, an unreadable file and everyone but the system admin', async () => {
      const csv = b64(`学校代码,学生数,班级数\n${schools[1]!.code},100,3\n`)
      const before = await dataSnapshot()
      await expectRefusal(
        sysAdmin.staffing.importEnrolment({ schoolYearId: 999_999, fileName: 'x.csv', contentBase64: csv, commit: true }),
        'NOT_FOUND',
        'notFound',
      )
      await expectRefusal(
        sysAdmin.staffing.importEnrolment({ schoolYearId: y25, fileName: 'x.pdf', contentBase64: csv, commit: true }),
        'BAD_REQUEST',
        'import.unsupportedType',
      )
      await expectRefusal(
        sysAdmin.staffing.importEnrolment({ schoolYearId: y25, fileName: 'x.xlsx', contentBase64: csv, commit: true }),
        'BAD_REQUEST',
        'import.unreadable',
      )
      for (const c of [bureau, schoolAdmin]) {
        await expectRefusal(
          c.staffing.importEnrolment({ schoolYearId: y25, fileName: 'x.csv', contentBase64: csv, commit: true }),
          'FORBIDDEN',
          'forbidden',
        )
      }
      expect(await dataSnapshot()).toEqual(before)
    })
  })
})
