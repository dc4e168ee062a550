import ExcelJS from 'exceljs'
import { sql, type RawBuilder } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SchoolType } from '../../shared/roles'
import { DEFAULT_ROOM_SETTINGS, DEFAULT_STAFFING_SETTINGS, K12_TYPES, ROOM_REASONS } from '../../shared/staffing'
import type { RoomSaveInput, StaffCreateInput } from '../../shared/staffing-schemas'
import { parseCsv } from '../../server/rules/roster-import'
import { auditRows, headSeq } from '../fixtures/audit'
import { Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { makeSignedIn } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { enrol, makeSchool, makeStreet, makeYear } from '../fixtures/factories'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026. */
const T0 = '2026-03-02T01:00:00.000Z'
const TODAY = '2026-03-02'
/** TODAY + 90 days, the default certificate warning window */
const WARN_UNTIL = '2026-05-31'
/** the day a finished year is judged on */
const END_2024 = '2025-08-31'

const n = (v: unknown) => (v == null ? null : Number(v))
const ids = (rows: readonly { schoolId: number }[]) => rows.map((r) => r.schoolId).sort((a, b) => a - b)
const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b)

function member(over: Partial<StaffCreateInput> = {}): StaffCreateInput {
  return { name: '心理教师', employment: 'full_time', title: null, startsOn: '2018-09-01', endsOn: null, ...over }
}
function room(schoolYearId: number, over: Partial<RoomSaveInput> = {}): RoomSaveInput {
  return {
    schoolYearId,
    version: null,
    isSetUp: true,
    setUpOn: '2019-09-01',
    displayName: null,
    individualM2: 12,
    groupM2: 30,
    officeM2: 8,
    optionalAreas: [],
    hasMailbox: true,
    weeklyOpenHours: 12,
    ...over,
  }
}

interface PerSchool {
  id: number
  street_id: number
  type: SchoolType
  students: number | null
  required: number | null
  counted: number
  shortfall: number
  in_post: number
}

describe.each(targets)('district staffing and room dashboards on $name', (target) => {
  const t = useTestDatabase(target)
  const clock = new Clock(T0)
  let y24: number
  let y25: number
  let y26: number
  let streets: number[]
  let bureau: Caller
  let sysAdmin: Caller
  const school: Record<string, number> = {}
  let disabledId: number
  const FORMULA_NAME = '=1+1 公式学校'

  // ── independent figures, straight from the tables ────────────────────────────────────────────

  const K12 = sql.join(K12_TYPES.map((x) => sql.lit(x)))
  const inPostOn = (alias: string, date: string) =>
    sql`${sql.ref(`${alias}.starts_on`)} <= ${date} and (${sql.ref(`${alias}.ends_on`)} is null or ${sql.ref(`${alias}.ends_on`)} >= ${date})`

  /** One row per active school: enrolment, required posts, counted posts and everyone in post on `ref`. */
  function staffingPerSchool(yearId: number, ref: string, ratio = 1000): RawBuilder<unknown> {
    return sql`
      select s.id, s.street_id, s.type, e.students,
        case when s.type not in (${K12}) then 0
             when e.students is null then null
             else (e.students + ${sql.lit(ratio - 1)}) / ${sql.lit(ratio)} end as required,
        (select count(*) from staff_member m where m.school_id = s.id and m.employment in ('full_time', 'purchased') and ${inPostOn('m', ref)}) as counted,
        (select count(*) from staff_member m where m.school_id = s.id and ${inPostOn('m', ref)}) as in_post
      from school s
      left join enrolment e on e.school_id = s.id and e.school_year_id = ${yearId}
      where s.disabled_at is null`
  }

  async function sqlPerSchool(yearId: number, ref: string, ratio = 1000): Promise<PerSchool[]> {
    const { rows } = await sql<Record<string, unknown>>`
      select x.*, case when x.required > x.counted then x.required - x.counted else 0 end as shortfall
      from (${staffingPerSchool(yearId, ref, ratio)}) x order by x.id`.execute(t.db)
    return rows.map((r) => ({
      id: Number(r.id),
      street_id: Number(r.street_id),
      type: r.type as SchoolType,
      students: n(r.students),
      required: n(r.required),
      counted: Number(r.counted),
      shortfall: Number(r.shortfall),
      in_post: Number(r.in_post),
    }))
  }

  async function sqlStaffingTotals(yearId: number, ref: string, group: 'street_id' | 'type' | null, ratio = 1000) {
    const key = group ? sql.ref(`x.${group}`) : sql.lit('all')
    const { rows } = await sql<Record<string, unknown>>`
      select ${key} as k, count(*) as schools,
        sum(case when x.students is null then 0 else 1 end) as reporting,
        coalesce(sum(x.students), 0) as students,
        coalesce(sum(x.required), 0) as required,
        sum(x.counted) as counted,
        sum(case when x.required > x.counted then x.required - x.counted else 0 end) as shortfall,
        sum(case when x.required > x.counted then 1 else 0 end) as short_schools,
        sum(case when x.in_post = 0 then 1 else 0 end) as no_teacher
      from (${staffingPerSchool(yearId, ref, ratio)}) x
      ${group ? sql`group by ${sql.ref(`x.${group}`)}` : sql``}`.execute(t.db)
    return new Map(
      rows.map((r) => [
        String(r.k),
        {
          schools: Number(r.schools),
          reporting: Number(r.reporting),
          students: Number(r.students),
          required: Number(r.required),
          counted: Number(r.counted),
          shortfall: Number(r.shortfall),
          shortSchools: Number(r.short_schools),
          noTeacher: Number(r.no_teacher),
        },
      ]),
    )
  }

  /** Schools with someone in post on `ref` whose training hours in the year fall below `hours`. */
  async function sqlTrainingBelow(yearId: number, ref: string, hours = 24): Promise<Map<number, number>> {
    const { rows } = await sql<{ school_id: number; below: unknown }>`
      select m.school_id, count(*) as below from staff_member m
      join school s on s.id = m.school_id and s.disabled_at is null
      where ${inPostOn('m', ref)}
        and coalesce((select sum(tr.hours) from staff_training tr where tr.staff_id = m.id and tr.school_year_id = ${yearId}), 0) < ${sql.lit(hours)}
      group by m.school_id`.execute(t.db)
    return new Map(rows.map((r) => [Number(r.school_id), Number(r.below)]))
  }

  /**
   * Certificates of staff in post on `ref` expiring from `ref` to the end of the window (`expired`: those
   * already lapsed on `ref` instead).
   */
  async function sqlCertificates(expired: boolean, streetId?: number, ref = TODAY, until = WARN_UNTIL) {
    const { rows } = await sql<{ id: number; school_id: number; expires_on: string }>`
      select c.id, m.school_id, c.expires_on from staff_certificate c
      join staff_member m on m.id = c.staff_id
      join school s on s.id = m.school_id and s.disabled_at is null
      where ${inPostOn('m', ref)} and c.expires_on <= ${until}
        and ${expired ? sql`c.expires_on < ${ref}` : sql`c.expires_on >= ${ref}`}
        ${streetId ? sql`and s.street_id = ${streetId}` : sql``}
      order by c.expires_on, c.id`.execute(t.db)
    return rows.map((r) => ({ id: Number(r.id), schoolId: Number(r.school_id), expiresOn: r.expires_on }))
  }

  /**
   * One row per active school with the room record in force for a year starting on `startsOn`: the
   * record of the latest year that started by then (no later record of the same school exists).
   */
  function roomsPerSchool(startsOn: string, minIndividual = 10, minGroup = 20, minOffice = 0, minHours = 10): RawBuilder<unknown> {
    const setUp = sql`coalesce(eff.is_set_up, 0) = 1`
    return sql`
      select s.id, s.street_id, s.type, eff.label,
        case when s.type in (${K12}) then 1 else 0 end as in_target,
        case when eff.label is null then 1 else 0 end as not_reported,
        case when ${setUp} then 1 else 0 end as set_up,
        case when ${setUp} or eff.label is null then 0 else 1 end as not_set_up,
        case when ${setUp} and (eff.individual_m2 is null or eff.individual_m2 <= 0) then 1 else 0 end as missing_individual,
        case when ${setUp} and eff.individual_m2 > 0 and eff.individual_m2 < ${sql.lit(minIndividual)} then 1 else 0 end as small_individual,
        case when ${setUp} and (eff.group_m2 is null or eff.group_m2 <= 0) then 1 else 0 end as missing_group,
        case when ${setUp} and eff.group_m2 > 0 and eff.group_m2 < ${sql.lit(minGroup)} then 1 else 0 end as small_group,
        case when ${setUp} and (eff.office_m2 is null or eff.office_m2 <= 0) then 1 else 0 end as missing_office,
        case when ${setUp} and eff.office_m2 > 0 and eff.office_m2 < ${sql.lit(minOffice)} then 1 else 0 end as small_office,
        case when ${setUp} and eff.has_mailbox = 0 then 1 else 0 end as no_mailbox,
        case when ${setUp} and eff.weekly_open_hours < ${sql.lit(minHours)} then 1 else 0 end as few_hours,
        case when ${setUp} and eff.individual_m2 >= ${sql.lit(minIndividual)} and eff.individual_m2 > 0
                  and eff.group_m2 >= ${sql.lit(minGroup)} and eff.group_m2 > 0
                  and eff.office_m2 >= ${sql.lit(minOffice)} and eff.office_m2 > 0
                  and eff.has_mailbox = 1 and eff.weekly_open_hours >= ${sql.lit(minHours)} then 1 else 0 end as meets
      from school s
      left join (
        select r.school_id, r.is_set_up, r.individual_m2, r.group_m2, r.office_m2, r.has_mailbox, r.weekly_open_hours, y.label
        from counselling_room r join school_year y on y.id = r.school_year_id
        where y.starts_on <= ${startsOn}
          and not exists (
            select 1 from counselling_room r2 join school_year y2 on y2.id = r2.school_year_id
            where r2.school_id = r.school_id and y2.starts_on <= ${startsOn} and y2.starts_on > y.starts_on)
      ) eff on eff.school_id = s.id
      where s.disabled_at is null`
  }

  const ROOM_COLUMNS = ['set_up', 'meets', 'not_reported', ...ROOM_REASONS] as const
  // not_set_up is also a reason; as a figure it counts reported schools only (a school without a record is "not reported")
  async function sqlRoomTotals(startsOn: string, group: 'street_id' | 'type' | null) {
    const key = group ? sql.ref(`x.${group}`) : sql.lit('all')
    const sums = sql.join(ROOM_COLUMNS.map((c) => sql`sum(x.in_target * x.${sql.ref(c)}) as ${sql.ref(c)}`))
    const { rows } = await sql<Record<string, unknown>>`
      select ${key} as k, count(*) as schools, sum(x.in_target) as in_target, ${sums}
      from (${roomsPerSchool(startsOn)}) x
      ${group ? sql`group by ${sql.ref(`x.${group}`)}` : sql``}`.execute(t.db)
    return new Map(
      rows.map((r) => [
        String(r.k),
        {
          schools: Number(r.schools),
          inTarget: Number(r.in_target),
          setUp: Number(r.set_up),
          notSetUp: Number(r.not_set_up),
          meets: Number(r.meets),
          notReported: Number(r.not_reported),
          reasons: Object.fromEntries(ROOM_REASONS.map((x) => [x, Number(r[x])])),
        },
      ]),
    )
  }

  async function sqlRoomSchools(startsOn: string, where: RawBuilder<unknown>): Promise<number[]> {
    const { rows } = await sql<{ id: number }>`select x.id from (${roomsPerSchool(startsOn)}) x where ${where} order by x.id`.execute(t.db)
    return rows.map((r) => Number(r.id))
  }

  /** The figures a rate and a target give, as the plan defines them. */
  function withTarget(c: { inTarget: number; setUp: number; meets: number }, target: number) {
    const pct = (part: number) => (c.inTarget ? Math.round((part / c.inTarget) * 1000) / 10 : null)
    return {
      rate: pct(c.setUp),
      standardRate: pct(c.meets),
      target,
      toTarget: Math.max(0, Math.ceil((target * c.inTarget) / 100) - c.setUp),
    }
  }

  async function setSettings(staffing: Partial<typeof DEFAULT_STAFFING_SETTINGS>, rooms: Partial<typeof DEFAULT_ROOM_SETTINGS>) {
    await bureau.staffing.updateSettings({
      staffing: { ...DEFAULT_STAFFING_SETTINGS, ...staffing },
      rooms: { ...DEFAULT_ROOM_SETTINGS, ...rooms },
    })
  }

  // ── the district ─────────────────────────────────────────────────────────────────────────────

  beforeAll(async () => {
    y24 = await makeYear(t.db, 2024)
    y25 = await makeYear(t.db, 2025, true)
    y26 = await makeYear(t.db, 2026)
    streets = [await makeStreet(t.db), await makeStreet(t.db), await makeStreet(t.db)]
    bureau = (await makeSignedIn(t.db, 'bureau', null, clock)).caller
    sysAdmin = (await makeSignedIn(t.db, 'admin', null, clock)).caller

    const add = async (key: string, type: SchoolType, street: number, enrol25: number | null, enrol24: number | null) => {
      const s = await makeSchool(t.db, { type, streetId: streets[street]!, name: `${key} ${type} 学校` })
      school[key] = s.id
      if (enrol25 != null) await enrol(t.db, s.id, y25, enrol25)
      if (enrol24 != null) await enrol(t.db, s.id, y24, enrol24)
      return (await makeSignedIn(t.db, 'school_admin', s.id, clock)).caller
    }

    // A: 1,001 students, one full-time and one purchased post; its room record is last year's
    const a = await add('A', 'primary', 0, 1001, 900)
    const aFull = (await a.staffing.createMember(member())).id
    const aBought = (await a.staffing.createMember(member({ employment: 'purchased', startsOn: '2022-09-01' }))).id
    await a.staffing.addTraining({ staffId: aFull, schoolYearId: y25, course: '督导', hours: 20, level: 'district', completedOn: null })
    await a.staffing.addTraining({ staffId: aFull, schoolYearId: y25, course: '沙盘', hours: 10, level: 'school', completedOn: null })
    await a.staffing.addTraining({
      staffId: aBought,
      schoolYearId: y25,
      course: '危机干预',
      hours: 10,
      level: 'municipal',
      completedOn: null,
    })
    await clock.during('2025-06-01T02:00:00.000Z', () =>
      a.staffing.addTraining({ staffId: aBought, schoolYearId: y24, course: '去年', hours: 30, level: 'municipal', completedOn: null }),
    )
    await a.staffing.addCertificate({ staffId: aFull, name: 'C证', issuer: null, issuedOn: null, expiresOn: '2026-04-15' })
    await a.staffing.addCertificate({ staffId: aFull, name: 'B证', issuer: null, issuedOn: null, expiresOn: '2027-01-01' })
    await a.staffing.addCertificate({ staffId: aBought, name: '机构资质', issuer: null, issuedOn: null, expiresOn: '2026-02-01' })
    await clock.during('2025-06-01T02:00:00.000Z', () => a.staffing.saveRoom(room(y24)))

    // B: exactly 1,000 students and only a part-time teacher; a room without mailbox, open 4 h a week
    const b = await add('B', 'junior', 0, 1000, 1000)
    const bPart = (await b.staffing.createMember(member({ employment: 'part_time' }))).id
    await b.staffing.addCertificate({ staffId: bPart, name: '永久证书', issuer: null, issuedOn: null, expiresOn: null })
    await b.staffing.saveRoom(room(y25, { hasMailbox: false, weeklyOpenHours: 4 }))

    // C: 999 students, nobody; reported its room as not set up this year, set up for next year
    const c = await add('C', 'senior', 1, 999, null)
    await c.staffing.saveRoom(room(y25, { isSetUp: false }))
    await c.staffing.saveRoom(room(y26))

    // D: a preschool with a part-time worker and a room below the standard
    const d = await add('D', 'preschool', 1, 300, 280)
    await d.staffing.createMember(member({ employment: 'part_time' }))
    await d.staffing.saveRoom(room(y25, { hasMailbox: false }))

    // E: has not reported this year's enrolment; one full-time teacher with a lapsed certificate; no room record
    const e = await add('E', 'nine_year', 1, null, 1500)
    const eFull = (await e.staffing.createMember(member({ startsOn: '2019-09-01' }))).id
    await e.staffing.addCertificate({ staffId: eFull, name: '过期证书', issuer: null, issuedOn: null, expiresOn: '2025-01-01' })

    // F: 2,500 students; three full-time posts, one of whom left mid-year, and a purchased post from 2023
    const f = await add('F', 'twelve_year', 2, 2500, 2400)
    const fFull = (await f.staffing.createMember(member({ startsOn: '2015-09-01' }))).id
    const fLeft = (await f.staffing.createMember(member({ startsOn: '2016-09-01', endsOn: '2025-12-31' }))).id
    await f.staffing.createMember(member({ startsOn: '2021-09-01' }))
    await f.staffing.createMember(member({ employment: 'purchased', startsOn: '2025-09-01' }))
    await f.staffing.addTraining({
      staffId: fFull,
      schoolYearId: y25,
      course: '全年培训',
      hours: 24,
      level: 'provincial',
      completedOn: null,
    })
    await f.staffing.addCertificate({ staffId: fFull, name: '今天到期', issuer: null, issuedOn: null, expiresOn: TODAY })
    await f.staffing.addCertificate({ staffId: fFull, name: '窗口最后一天', issuer: null, issuedOn: null, expiresOn: WARN_UNTIL })
    await f.staffing.addCertificate({ staffId: fFull, name: '窗口之外', issuer: null, issuedOn: null, expiresOn: '2026-06-01' })
    await f.staffing.addCertificate({ staffId: fLeft, name: '离职者的证书', issuer: null, issuedOn: null, expiresOn: '2026-04-01' })
    await f.staffing.saveRoom(room(y25))

    // G: a special school of 50 without anyone and without a room record
    await add('G', 'special', 2, 50, null)

    // H: 1,500 students; a teacher who starts in May and a part-timer who left last June; small and missing rooms
    const h = await add('H', 'primary', 2, 1500, null)
    const hFuture = (await h.staffing.createMember(member({ startsOn: '2026-05-01' }))).id
    await h.staffing.createMember(member({ employment: 'part_time', startsOn: '2020-09-01', endsOn: '2025-06-30' }))
    await h.staffing.addCertificate({ staffId: hFuture, name: '未到岗者的证书', issuer: null, issuedOn: null, expiresOn: '2026-04-01' })
    await h.staffing.saveRoom(room(y25, { individualM2: 5, groupM2: null }))

    // Z: a school that has been disabled: it counts nowhere
    const z = await add('Z', 'primary', 0, 4000, 4000)
    const zFull = (await z.staffing.createMember(member())).id
    await z.staffing.addCertificate({ staffId: zFull, name: '停用学校的证书', issuer: null, issuedOn: null, expiresOn: '2026-04-01' })
    await z.staffing.saveRoom(room(y25))
    disabledId = school.Z!
    await sysAdmin.school.disable({ id: disabledId })

    // Q: created by the system admin with a name a spreadsheet would run as a formula; reports nothing
    school.Q = (
      await sysAdmin.school.create({
        code: 'FORMULA-1',
        name: FORMULA_NAME,
        nameEn: null,
        type: 'primary',
        streetId: streets[0]!,
        isPublic: true,
        address: null,
      })
    ).id
  })

  // ── staffing dashboard ───────────────────────────────────────────────────────────────────────

  describe('staffing dashboard', () => {
    it('has the district laid out as intended (a sanity check of the fixture itself)', async () => {
      const per = new Map((await sqlPerSchool(y25, TODAY)).map((r) => [r.id, r]))
      const pick = (k: string) => {
        const r = per.get(school[k]!)!
        return [r.required, r.counted, r.shortfall, r.in_post]
      }
      expect(Object.fromEntries(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'Q'].map((k) => [k, pick(k)]))).toEqual({
        A: [2, 2, 0, 2],
        B: [1, 0, 1, 1],
        C: [1, 0, 1, 0],
        D: [0, 0, 0, 1],
        E: [null, 1, 0, 1],
        F: [3, 3, 0, 3],
        G: [0, 0, 0, 0],
        H: [2, 0, 2, 0],
        Q: [null, 0, 0, 0],
      })
      expect(per.has(disabledId)).toBe(false)
    })

    it.each([
      { label: 'the current year (judged today)', year: () => y25, ref: TODAY },
      { label: 'last year (judged on its last day)', year: () => y24, ref: END_2024 },
    ])('matches an independent count for $label: totals, by street, by type and every school', async ({ year, ref }) => {
      const dash = await bureau.staffing.dashboard({ schoolYearId: year(), pageSize: 200 })
      expect(dash.year.id).toBe(year())
      expect(dash.refDate).toBe(ref)
      expect(dash.today).toBe(TODAY)

      const pick = (x: {
        schools: number
        reporting: number
        students: number
        required: number
        counted: number
        shortfall: number
        shortSchools: number
        noTeacher: number
      }) => ({
        schools: x.schools,
        reporting: x.reporting,
        students: x.students,
        required: x.required,
        counted: x.counted,
        shortfall: x.shortfall,
        shortSchools: x.shortSchools,
        noTeacher: x.noTeacher,
      })
      expect(pick(dash.totals)).toEqual((await sqlStaffingTotals(year(), ref, null)).get('all'))
      const byStreet = await sqlStaffingTotals(year(), ref, 'street_id')
      expect(Object.fromEntries(dash.byStreet.map((s) => [String(s.streetId), pick(s)]))).toEqual(Object.fromEntries(byStreet))
      expect(dash.byStreet.map((s) => s.sort)).toEqual([...dash.byStreet.map((s) => s.sort)].sort((p, q) => p - q))
      const byType = await sqlStaffingTotals(year(), ref, 'type')
      expect(Object.fromEntries(dash.byType.map((s) => [s.type, pick(s)]))).toEqual(Object.fromEntries(byType))

      const per = await sqlPerSchool(year(), ref)
      expect(dash.total).toBe(per.length)
      const training = await sqlTrainingBelow(year(), ref)
      const mine = Object.fromEntries(
        dash.rows.map((r) => [r.schoolId, [r.students, r.required, r.counted, r.shortfall ?? 0, r.noTeacher, r.trainingBelow]]),
      )
      const theirs = Object.fromEntries(
        per.map((r) => [r.id, [r.students, r.required, r.counted, r.shortfall, r.in_post === 0, training.get(r.id) ?? 0]]),
      )
      expect(mine).toEqual(theirs)
      expect(dash.totals.trainingBelow).toBe([...training.values()].reduce((s, x) => s + x, 0))
      // not reported: no required figure and no shortfall, rather than a guess
      for (const r of dash.rows.filter((x) => x.students == null && K12_TYPES.includes(x.type)))
        expect([r.required, r.shortfall, r.meetsRatio]).toEqual([null, null, null])
    })

    it('adds up the current year as the plan says (1,001 → 2, 1,000 → 1, 999 → 1; preschool and special need none)', async () => {
      const dash = await bureau.staffing.dashboard({ pageSize: 200 })
      expect(dash.totals).toMatchObject({
        schools: 9,
        reporting: 7,
        required: 9,
        counted: 6,
        fullTime: 4,
        purchased: 2,
        partTime: 2,
        shortfall: 4,
        shortSchools: 3,
        noTeacher: 4,
      })
      const row = (k: string) => dash.rows.find((r) => r.schoolId === school[k])!
      expect([row('A').required, row('B').required, row('C').required, row('D').required, row('G').required]).toEqual([2, 1, 1, 0, 0])
      // F: the teacher who left at the end of December no longer counts; the purchased post does
      expect(row('F')).toMatchObject({ fullTime: 2, purchased: 1, counted: 3, shortfall: 0 })
      expect(dash.rows.some((r) => r.schoolId === disabledId)).toBe(false)
    })

    it.each([
      { flag: 'shortfall' as const, keys: ['B', 'C', 'H'] },
      { flag: 'noTeacher' as const, keys: ['C', 'G', 'H', 'Q'] },
      { flag: 'notReported' as const, keys: ['E', 'Q'] },
      { flag: 'trainingBelow' as const, keys: ['A', 'B', 'D', 'E', 'F'] },
      { flag: 'expiring' as const, keys: ['A', 'E', 'F'] },
    ])('lists exactly the schools behind the $flag figure', async ({ flag, keys }) => {
      const all = await bureau.staffing.dashboard({ pageSize: 200 })
      const flagged = await bureau.staffing.dashboard({ flag, pageSize: 200 })
      const per = await sqlPerSchool(y25, TODAY)
      const expected = {
        shortfall: per.filter((r) => r.shortfall > 0).map((r) => r.id),
        noTeacher: per.filter((r) => r.in_post === 0).map((r) => r.id),
        notReported: per.filter((r) => r.students == null).map((r) => r.id),
        trainingBelow: [...(await sqlTrainingBelow(y25, TODAY)).keys()],
        expiring: [...(await sqlCertificates(true)), ...(await sqlCertificates(false))].map((c) => c.schoolId),
      }[flag]
      expect(ids(flagged.rows)).toEqual(sorted(new Set(expected)))
      expect(ids(flagged.rows)).toEqual(sorted(keys.map((k) => school[k]!)))
      expect(flagged.total).toBe(flagged.rows.length)
      const figure = {
        shortfall: all.totals.shortSchools,
        noTeacher: all.totals.noTeacher,
        notReported: all.totals.schools - all.totals.reporting,
        trainingBelow: null,
        expiring: null,
      }[flag]
      if (figure != null) expect(flagged.total).toBe(figure)
      // a flag narrows the table, never the figures above it
      expect(flagged.totals).toEqual(all.totals)
    })

    it('narrows figures and table to a street or a school type', async () => {
      const byStreet = await bureau.staffing.dashboard({ streetId: streets[2], pageSize: 200 })
      expect(ids(byStreet.rows)).toEqual(sorted([school.F!, school.G!, school.H!]))
      expect(byStreet.totals).toMatchObject({ schools: 3, required: 5, counted: 3, shortfall: 2 })
      const primary = await bureau.staffing.dashboard({ type: 'primary', pageSize: 200 })
      expect(ids(primary.rows)).toEqual(sorted([school.A!, school.H!, school.Q!]))
      expect(primary.byType.map((x) => x.type)).toEqual(['primary'])
    })

    it('pages through the table without losing or repeating a school', async () => {
      const full = await bureau.staffing.dashboard({ sort: 'name', order: 'asc', pageSize: 200 })
      const pages = []
      for (let page = 1; page <= Math.ceil(full.total / 4); page++) {
        const p = await bureau.staffing.dashboard({ sort: 'name', order: 'asc', pageSize: 4, page })
        expect(p.total).toBe(full.total)
        expect(p.rows.length).toBe(Math.min(4, full.total - (page - 1) * 4))
        pages.push(...p.rows.map((r) => r.schoolId))
      }
      expect(pages).toEqual(full.rows.map((r) => r.schoolId))
      expect((await bureau.staffing.dashboard({ sort: 'name', order: 'asc', pageSize: 4, page: 99 })).rows).toEqual([])
      const names = full.rows.map((r) => r.name)
      expect(names).toEqual([...names].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0)))
      expect(names[0]).toBe(FORMULA_NAME)
    })

    it.each(['asc', 'desc'] as const)('sorts %s with schools that have no figure last', async (order) => {
      for (const sort of ['students', 'required', 'shortfall'] as const) {
        const rows = (await bureau.staffing.dashboard({ sort, order, pageSize: 200 })).rows
        const values = rows.map((r) => r[sort])
        const firstNull = values.indexOf(null)
        expect(firstNull, sort).toBeGreaterThan(0)
        expect(
          values.slice(firstNull).every((v) => v == null),
          sort,
        ).toBe(true)
        const present = values.slice(0, firstNull) as number[]
        expect(present, sort).toEqual([...present].sort((p, q) => (order === 'asc' ? p - q : q - p)))
      }
      const bySchool = (await bureau.staffing.dashboard({ sort: 'students', order, pageSize: 200 })).rows.map((r) => r.schoolId)
      expect(bySchool.slice(-2).sort((p, q) => p - q)).toEqual(sorted([school.E!, school.Q!]))
    })

    it('follows the ratio setting: 1 per 500 students doubles the posts needed', async () => {
      try {
        await setSettings({ studentsPerFullTime: 500 }, {})
        const dash = await bureau.staffing.dashboard({ pageSize: 200 })
        expect(dash.settings.studentsPerFullTime).toBe(500)
        const expected = (await sqlStaffingTotals(y25, TODAY, null, 500)).get('all')!
        expect(dash.totals).toMatchObject({ required: expected.required, shortfall: expected.shortfall, counted: expected.counted })
        // A 1,001 → 3, B 1,000 → 2, C 999 → 2, F 2,500 → 5, H 1,500 → 3
        expect(dash.totals.required).toBe(15)
        const per = Object.fromEntries((await sqlPerSchool(y25, TODAY, 500)).map((r) => [r.id, r.required]))
        expect(Object.fromEntries(dash.rows.map((r) => [r.schoolId, r.required]))).toEqual(per)
      } finally {
        await setSettings({}, {})
      }
      expect((await bureau.staffing.dashboard({})).totals.required).toBe(9)
    })

    it('is the bureau’s alone', async () => {
      const admin = (await makeSignedIn(t.db, 'school_admin', school.A!, clock)).caller
      const counsellor = (await makeSignedIn(t.db, 'counsellor', school.A!, clock)).caller
      for (const c of [admin, counsellor, sysAdmin]) {
        await expectRefusal(c.staffing.dashboard({}), 'FORBIDDEN', 'forbidden')
        await expectRefusal(c.staffing.rooms({}), 'FORBIDDEN', 'forbidden')
        await expectRefusal(c.staffing.trend({}), 'FORBIDDEN', 'forbidden')
        await expectRefusal(c.staffing.certificates({}), 'FORBIDDEN', 'forbidden')
        await expectRefusal(c.staffing.export({ table: 'staffing', format: 'csv', locale: 'en' }), 'FORBIDDEN', 'forbidden')
      }
      await expectRefusal(bureau.staffing.dashboard({ schoolYearId: 999_999 }), 'NOT_FOUND', 'notFound')
    })
  })

  // ── room dashboard ───────────────────────────────────────────────────────────────────────────

  describe('room dashboard', () => {
    it.each([
      { label: 'the current year', year: () => y25, startsOn: '2025-09-01' },
      { label: 'last year', year: () => y24, startsOn: '2024-09-01' },
    ])('matches an independent count for $label over primary and secondary schools only', async ({ year, startsOn }) => {
      const dash = await bureau.staffing.rooms({ schoolYearId: year(), pageSize: 200 })
      const pick = (x: {
        schools: number
        inTarget: number
        setUp: number
        notSetUp: number
        meets: number
        notReported: number
        reasons: Record<string, number>
      }) => ({
        schools: x.schools,
        inTarget: x.inTarget,
        setUp: x.setUp,
        notSetUp: x.notSetUp,
        meets: x.meets,
        notReported: x.notReported,
        reasons: x.reasons,
      })
      const totals = (await sqlRoomTotals(startsOn, null)).get('all')!
      expect(pick(dash.totals)).toEqual(totals)
      expect(dash.totals).toMatchObject(withTarget(totals, 100))
      const byStreet = await sqlRoomTotals(startsOn, 'street_id')
      expect(Object.fromEntries(dash.byStreet.map((s) => [String(s.streetId), pick(s)]))).toEqual(Object.fromEntries(byStreet))
      for (const s of dash.byStreet) expect(s).toMatchObject(withTarget(byStreet.get(String(s.streetId))!, 100))
      const byType = await sqlRoomTotals(startsOn, 'type')
      expect(Object.fromEntries(dash.byType.map((s) => [s.type, pick(s)]))).toEqual(Object.fromEntries(byType))
      expect(dash.total).toBe(totals.schools)
    })

    it('adds up the current year as intended: 4 of 7 set up, 2 meet the standard, an inherited record counts, 2 not reported counted once', async () => {
      const dash = await bureau.staffing.rooms({ pageSize: 200 })
      expect(dash.totals).toMatchObject({
        schools: 9,
        inTarget: 7,
        setUp: 4,
        notSetUp: 1,
        meets: 2,
        notReported: 2,
        rate: 57.1,
        standardRate: 28.6,
        target: 100,
        toTarget: 3,
        reasons: {
          not_set_up: 1,
          missing_individual: 0,
          missing_group: 1,
          missing_office: 0,
          small_individual: 1,
          small_group: 0,
          small_office: 0,
          no_mailbox: 1,
          few_hours: 1,
        },
      })
      const row = (k: string) => dash.rows.find((r) => r.schoolId === school[k])!
      expect(row('A')).toMatchObject({ inTarget: true, reported: true, inheritedFrom: '2024-2025', meets: true })
      expect(row('C')).toMatchObject({ reported: true, inheritedFrom: null, reasons: ['not_set_up'] })
      expect(row('D')).toMatchObject({ inTarget: false, reasons: ['no_mailbox'] })
      expect(row('H').reasons).toEqual(['small_individual', 'missing_group'])
      expect(dash.rows.some((r) => r.schoolId === disabledId)).toBe(false)
    })

    it.each([
      {
        flag: 'notSetUp' as const,
        where: sql`x.in_target = 1 and x.set_up = 0 and x.not_reported = 0`,
        figure: (d: RoomTotals) => d.notSetUp,
        keys: ['C'],
      },
      {
        flag: 'belowStandard' as const,
        where: sql`x.in_target = 1 and x.set_up = 1 and x.meets = 0`,
        figure: (d: RoomTotals) => d.setUp - d.meets,
        keys: ['B', 'H'],
      },
      { flag: 'meetsStandard' as const, where: sql`x.in_target = 1 and x.meets = 1`, figure: (d: RoomTotals) => d.meets, keys: ['A', 'F'] },
      {
        flag: 'notReported' as const,
        where: sql`x.in_target = 1 and x.not_reported = 1`,
        figure: (d: RoomTotals) => d.notReported,
        keys: ['E', 'Q'],
      },
    ])('lists exactly the schools behind the $flag figure', async ({ flag, where, figure, keys }) => {
      const all = await bureau.staffing.rooms({ pageSize: 200 })
      const flagged = await bureau.staffing.rooms({ flag, pageSize: 200 })
      expect(sorted(keys.map((k) => school[k]!))).toEqual(await sqlRoomSchools('2025-09-01', where))
      // the room figures count primary and secondary schools only; so must the list behind them
      const outside = flagged.rows.filter((r) => !r.inTarget).map((r) => r.type)
      expect(outside, `${flag} lists schools outside the population its figure counts`).toEqual([])
      expect(ids(flagged.rows)).toEqual(sorted(keys.map((k) => school[k]!)))
      expect(flagged.total).toBe(figure(all.totals))
    })

    it("sets the target from the settings: a year's own, else the latest earlier one, else 100 %", async () => {
      try {
        await setSettings({}, { targets: [{ year: '2024-2025', percent: 80 }] })
        let dash = await bureau.staffing.rooms({})
        // 80 % of 7 schools is 5.6: six must be set up, four are
        expect(dash.totals).toMatchObject({ target: 80, toTarget: 2 })
        expect((await bureau.staffing.rooms({ schoolYearId: y24 })).totals.target).toBe(80)

        await setSettings(
          {},
          {
            targets: [
              { year: '2025-2026', percent: 50 },
              { year: '2024-2025', percent: 80 },
              { year: '2026-2027', percent: 100 },
            ],
          },
        )
        dash = await bureau.staffing.rooms({})
        expect(dash.totals).toMatchObject({ target: 50, toTarget: 0 })
        for (const s of dash.byStreet) expect(s.target).toBe(50)

        await setSettings({}, { targets: [{ year: '2025-2026', percent: 60 }] })
        expect((await bureau.staffing.rooms({ schoolYearId: y24 })).totals.target).toBe(100)
      } finally {
        await setSettings({}, {})
      }
      expect((await bureau.staffing.rooms({})).totals).toMatchObject({ target: 100, toTarget: 3 })
    })

    it('judges rooms against the settings’ standard', async () => {
      try {
        await setSettings({}, { requireMailbox: false, minOpenHoursPerWeek: 4 })
        const dash = await bureau.staffing.rooms({ pageSize: 200 })
        expect(dash.rows.find((r) => r.schoolId === school.B)).toMatchObject({ meets: true, reasons: [] })
        expect(dash.totals).toMatchObject({ meets: 3, reasons: { no_mailbox: 0, few_hours: 0 } })
      } finally {
        await setSettings({}, {})
      }
    })

    it('pages and sorts the room table, schools without a record last', async () => {
      const full = await bureau.staffing.rooms({ sort: 'hours', order: 'desc', pageSize: 200 })
      const hours = full.rows.map((r) => r.room?.weeklyOpenHours ?? null)
      const firstNull = hours.indexOf(null)
      expect(hours.slice(firstNull).every((h) => h == null)).toBe(true)
      expect(ids(full.rows.slice(firstNull))).toEqual(sorted([school.E!, school.G!, school.Q!]))
      const present = hours.slice(0, firstNull) as number[]
      expect(present).toEqual([...present].sort((p, q) => q - p))
      const paged = []
      for (let page = 1; page <= Math.ceil(full.total / 2); page++)
        paged.push(...(await bureau.staffing.rooms({ sort: 'hours', order: 'desc', pageSize: 2, page })).rows.map((r) => r.schoolId))
      expect(paged).toEqual(full.rows.map((r) => r.schoolId))
    })
  })

  // ── trend and certificates ───────────────────────────────────────────────────────────────────

  describe('trend', () => {
    it.each([
      { label: 'the district', street: null, type: undefined },
      { label: 'one street', street: 1, type: undefined },
      { label: 'one type', street: null, type: 'primary' as const },
    ])('has one entry per started school year, equal to the dashboards of that year, for $label', async ({ street, type }) => {
      const filter = { streetId: street == null ? undefined : streets[street], type }
      const trend = await bureau.staffing.trend(filter)
      // 2026-2027 has not begun on 2 March 2026
      expect(trend.years.map((y) => y.year.label)).toEqual(['2024-2025', '2025-2026'])
      for (const entry of trend.years) {
        const dash = await bureau.staffing.dashboard({ ...filter, schoolYearId: entry.year.id })
        const rooms = await bureau.staffing.rooms({ ...filter, schoolYearId: entry.year.id })
        expect(entry.staffing).toEqual({
          required: dash.totals.required,
          counted: dash.totals.counted,
          shortfall: dash.totals.shortfall,
          noTeacher: dash.totals.noTeacher,
          schools: dash.totals.schools,
          partTime: dash.totals.partTime,
          purchased: dash.totals.purchased,
        })
        expect(entry.rooms).toEqual({
          inTarget: rooms.totals.inTarget,
          setUp: rooms.totals.setUp,
          meets: rooms.totals.meets,
          rate: rooms.totals.rate,
          standardRate: rooms.totals.standardRate,
          target: rooms.totals.target,
        })
      }
    })

    it('matches the independent count year by year', async () => {
      const trend = await bureau.staffing.trend({})
      const refs: Record<string, string> = { '2024-2025': END_2024, '2025-2026': TODAY }
      for (const entry of trend.years) {
        const expected = (await sqlStaffingTotals(entry.year.id, refs[entry.year.label]!, null)).get('all')!
        expect(entry.staffing).toMatchObject({
          required: expected.required,
          counted: expected.counted,
          shortfall: expected.shortfall,
          noTeacher: expected.noTeacher,
        })
      }
      expect(trend.years.find((y) => y.year.id === y24)!.staffing).toMatchObject({ required: 7, counted: 6, shortfall: 2 })
    })
  })

  describe('certificates', () => {
    it('lists certificates of staff in post today that lapse within the window or already have', async () => {
      const list = await bureau.staffing.certificates({})
      expect(list).toMatchObject({ refDate: TODAY, warningDays: 90 })
      const expected = [...(await sqlCertificates(true)), ...(await sqlCertificates(false))].sort((p, q) =>
        p.expiresOn < q.expiresOn ? -1 : p.expiresOn > q.expiresOn ? 1 : p.id - q.id,
      )
      expect(list.rows.map((r) => [r.id, r.schoolId, r.expiresOn, r.expired])).toEqual(
        expected.map((c) => [c.id, c.schoolId, c.expiresOn, c.expiresOn < TODAY]),
      )
      expect(list.rows.map((r) => [r.schoolId, r.name, r.expired])).toEqual([
        [school.E, '过期证书', true],
        [school.A, '机构资质', true],
        [school.F, '今天到期', false],
        [school.A, 'C证', false],
        [school.F, '窗口最后一天', false],
      ])
    })

    it.each([
      {
        label: 'the current year',
        year: () => y25,
        ref: TODAY,
        until: WARN_UNTIL,
        names: ['过期证书', '机构资质', '今天到期', 'C证', '窗口最后一天'],
      },
      // judged on 31 Aug 2025: F's purchased post and H's teacher had not started, F's leaver was still in post
      { label: 'last year', year: () => y24, ref: END_2024, until: '2025-11-29', names: ['过期证书'] },
      // judged on the day it starts: lapsed by then, or lapsing within 90 days of it
      {
        label: 'next year',
        year: () => y26,
        ref: '2026-09-01',
        until: '2026-11-30',
        names: ['过期证书', '机构资质', '今天到期', '未到岗者的证书', 'C证', '窗口最后一天', '窗口之外'],
      },
    ])(
      'judges $label on its reference date, for staff in post then, and the figure is the length of the list',
      async ({ year, ref, until, names }) => {
        const list = await bureau.staffing.certificates({ schoolYearId: year() })
        expect(list.refDate).toBe(ref)
        const expected = [...(await sqlCertificates(true, undefined, ref, until)), ...(await sqlCertificates(false, undefined, ref, until))]
        expect(list.rows.map((r) => r.id).sort((p, q) => p - q)).toEqual(expected.map((c) => c.id).sort((p, q) => p - q))
        expect(list.rows.map((r) => r.name)).toEqual(names)
        const dash = await bureau.staffing.dashboard({ schoolYearId: year(), pageSize: 200 })
        expect(dash.totals.expiring).toBe(list.rows.length)
        expect(
          dash.rows
            .filter((r) => r.expiring > 0)
            .map((r) => r.schoolId)
            .sort((p, q) => p - q),
        ).toEqual(sorted(new Set(list.rows.map((r) => r.schoolId))))
      },
    )

    it.each([0, 1, 2])('narrows the list to street %i', async (k) => {
      const list = await bureau.staffing.certificates({ streetId: streets[k] })
      const expected = [...(await sqlCertificates(true, streets[k])), ...(await sqlCertificates(false, streets[k]))]
        .map((c) => c.id)
        .sort((p, q) => p - q)
      expect(list.rows.map((r) => r.id).sort((p, q) => p - q)).toEqual(expected)
      expect(list.rows.length).toBe([2, 1, 2][k])
    })

    it('widens and narrows with the warning window setting', async () => {
      try {
        await setSettings({ certificateWarningDays: 30 }, {})
        const list = await bureau.staffing.certificates({})
        expect(list.rows.map((r) => r.name)).toEqual(['过期证书', '机构资质', '今天到期'])
        expect((await bureau.staffing.dashboard({ pageSize: 200 })).totals.expiring).toBe(3)
      } finally {
        await setSettings({}, {})
      }
    })
  })

  // ── exports ──────────────────────────────────────────────────────────────────────────────────

  describe('export', () => {
    const decode = (b64: string) => Buffer.from(b64, 'base64')
    const RAW_KEY = /^[a-z]+(\.[A-Za-z_]+)+$/

    async function exported(input: Parameters<Caller['staffing']['export']>[0]) {
      const seq = await headSeq(t.db)
      const file = await bureau.staffing.export(input)
      return { file, audit: await auditRows(t.db, seq) }
    }

    it('writes the staffing table as CSV with a BOM, one line per school, a formula-like name defused, and audits it', async () => {
      const dash = await bureau.staffing.dashboard({ pageSize: 200 })
      const { file, audit } = await exported({ table: 'staffing', format: 'csv', locale: 'zh-CN' })
      expect(file.fileName).toBe('xinqiao-staffing-2025-2026.csv')
      expect(file.mimeType).toMatch(/^text\/csv/)
      const bytes = decode(file.contentBase64)
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const lines = parseCsv(bytes.toString('utf8'))
      expect(lines).toHaveLength(1 + dash.total)
      const codes = lines.slice(1).map((l) => l[0])
      expect(new Set(codes).size).toBe(dash.total)
      const formulaLine = lines.find((l) => l[1]?.includes('公式学校'))!
      expect(formulaLine[1]).toBe(`'${FORMULA_NAME}`)
      expect(lines.slice(1).every((l) => !/^[=+\-@]/.test(l[1] ?? ''))).toBe(true)
      const fLine = lines.find((l) => l[1] === `F twelve_year 学校`)!
      expect(fLine.slice(4, 11)).toEqual(['2500', String(Math.round(2500 / 45)), '3', '2', '1', '3', '0'])
      expect(audit.map((r) => [r.action, r.outcome, r.entity_type, r.detail])).toEqual([
        ['export.download', 'ok', 'staffing', `csv,year:${y25},rows:${dash.total}`],
      ])
    })

    it.each(['staffing', 'rooms', 'certificates'] as const)('localises the %s headers for zh-CN and en', async (table) => {
      const header = async (locale: 'zh-CN' | 'en') =>
        parseCsv(decode((await bureau.staffing.export({ table, format: 'csv', locale })).contentBase64).toString('utf8'))[0]!
      const zh = await header('zh-CN')
      const en = await header('en')
      expect(zh.length).toBe(en.length)
      expect(
        zh.filter((h) => RAW_KEY.test(h)),
        'zh-CN headers that are untranslated keys',
      ).toEqual([])
      expect(
        en.filter((h) => RAW_KEY.test(h)),
        'en headers that are untranslated keys',
      ).toEqual([])
      expect(
        zh.filter((h) => !/[\u4e00-\u9fff]/.test(h)),
        'zh-CN headers without Chinese',
      ).toEqual([])
      expect(zh).not.toEqual(en)
    })

    it('writes cells in the export’s language, never as message keys', async () => {
      for (const locale of ['zh-CN', 'en'] as const) {
        for (const table of ['staffing', 'rooms', 'certificates'] as const) {
          const lines = parseCsv(decode((await bureau.staffing.export({ table, format: 'csv', locale })).contentBase64).toString('utf8'))
          const keys = lines
            .slice(1)
            .flat()
            .filter((c) => RAW_KEY.test(c))
          expect(keys, `${table} ${locale}`).toEqual([])
        }
      }
    })

    it('writes the same tables as XLSX that exceljs reads back, one row per school', async () => {
      const dash = await bureau.staffing.dashboard({ pageSize: 200 })
      const rooms = await bureau.staffing.rooms({ pageSize: 200 })
      const certs = await bureau.staffing.certificates({})
      for (const [table, count] of [
        ['staffing', dash.total],
        ['rooms', rooms.total],
        ['certificates', certs.rows.length],
      ] as const) {
        const { file, audit } = await exported({ table, format: 'xlsx', locale: 'en' })
        expect(file.fileName).toBe(`xinqiao-${table}-2025-2026.xlsx`)
        const book = new ExcelJS.Workbook()
        await book.xlsx.load(decode(file.contentBase64) as unknown as ArrayBuffer)
        const sheet = book.worksheets[0]!
        expect(sheet.actualRowCount, table).toBe(1 + count)
        const csvHeader = parseCsv(
          decode((await bureau.staffing.export({ table, format: 'csv', locale: 'en' })).contentBase64).toString('utf8'),
        )[0]
        expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(csvHeader)
        expect(audit.map((r) => [r.action, r.entity_type, r.detail])).toEqual([
          ['export.download', table, `xlsx,year:${y25},rows:${count}`],
        ])
      }
      // in a workbook the formula-like name stays plain text
      const { file } = await exported({ table: 'staffing', format: 'xlsx', locale: 'zh-CN' })
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(decode(file.contentBase64) as unknown as ArrayBuffer)
      const cells: unknown[] = []
      book.worksheets[0]!.eachRow((row) => cells.push(row.getCell(2).value))
      expect(cells).toContain(FORMULA_NAME)
    })

    it('exports only the flagged schools and the chosen street, and says so in the audit row', async () => {
      const { file, audit } = await exported({ table: 'staffing', format: 'csv', locale: 'en', flag: 'shortfall' })
      const lines = parseCsv(decode(file.contentBase64).toString('utf8'))
      expect(lines).toHaveLength(1 + 3)
      expect(audit.map((r) => r.detail)).toEqual([`csv,year:${y25},rows:3,flag:shortfall`])
      const rooms = await exported({ table: 'rooms', format: 'csv', locale: 'en', flag: 'notSetUp', streetId: streets[1] })
      // C (street 2) reported no room set up; E has no record at all, so it is "not reported" instead
      expect(parseCsv(decode(rooms.file.contentBase64).toString('utf8'))).toHaveLength(1 + 1)
      const lastYear = await exported({ table: 'staffing', format: 'csv', locale: 'en', schoolYearId: y24 })
      expect(lastYear.file.fileName).toBe('xinqiao-staffing-2024-2025.csv')
    })
  })
})

type RoomTotals = { inTarget: number; setUp: number; notSetUp: number; meets: number; notReported: number }
