import { beforeAll, describe, expect, it } from 'vitest'
import { ITEM_STATUSES, PROGRAMME_ITEMS, type ItemStatus, type ProgrammeItem } from '../../shared/programme'
import type { SchoolType } from '../../shared/roles'
import { setSchoolDisabled } from '../../server/services/school'
import { auditedBy } from '../fixtures/audit'
import { Clock, expectRefusal, type Caller } from '../fixtures/caller'
import { caseInput, studentInput } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { csvOf, workbookOf } from '../fixtures/exports'
import { makeSchool, makeStreet, makeYear, systemContext } from '../fixtures/factories'
import {
  drillInput,
  eventInput,
  eventWithFiles,
  makeProgrammeUser,
  programmeCaller,
  teamClasses,
  useUploadDir,
  type ProgrammeUser,
} from '../fixtures/programme'

/** Monday 2 March 2026, 09:00 in Shanghai: inside school year 2025-2026, before its reminder window. */
const T0 = '2026-03-02T01:00:00.000Z'

type Statuses = Record<ProgrammeItem, ItemStatus>
const NOTHING: Statuses = {
  team: 'not_started',
  activity: 'not_started',
  lecture: 'not_started',
  platform: 'not_started',
  caseFollowUp: 'complete',
  clinic: 'not_started',
  drill: 'not_started',
}
const ALL: Statuses = Object.fromEntries(PROGRAMME_ITEMS.map((i) => [i, 'complete'])) as Statuses

interface Made {
  key: string
  id: number
  streetId: number
  type: SchoolType
  admin: ProgrammeUser
  counsellor: ProgrammeUser
}

/** The completion rate as the dashboards define it: a percentage with one decimal, none for no schools. */
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part * 1000) / whole) / 10 : null)

/** Rates counted straight from the statuses the test expects, without the service's helpers. */
function expectedRates(list: readonly Statuses[]) {
  const allSeven = list.filter((s) => PROGRAMME_ITEMS.every((i) => s[i] === 'complete')).length
  return {
    schools: list.length,
    allSeven,
    allSevenRate: pct(allSeven, list.length),
    items: PROGRAMME_ITEMS.map((item) => {
      const counts = Object.fromEntries(ITEM_STATUSES.map((st) => [st, list.filter((s) => s[item] === st).length])) as Record<
        ItemStatus,
        number
      >
      return { item, ...counts, rate: pct(counts.complete, list.length) }
    }),
  }
}

describe.each(targets)('the bureau’s seven-ones matrix and trend on $name', (target) => {
  const t = useTestDatabase(target)
  const uploads = useUploadDir()
  const clock = new Clock(T0)
  let y24: number
  let y25: number
  let y26: number
  let s1: number
  let s2: number
  let bureau: ProgrammeUser
  const made: Record<string, Made> = {}
  /** what each active school's items should be, per year */
  const expected: Record<'y24' | 'y25', Record<string, Statuses>> = { y24: {}, y25: {} }
  const keys = ['A', 'B', 'C', 'D'] as const

  /** The bureau's caller at a given instant. */
  const bureauAt = (iso: string): Caller => programmeCaller(t.db, bureau.actor, { now: () => new Date(iso), uploadDir: uploads.path })

  async function school(key: string, streetId: number, type: SchoolType): Promise<Made> {
    const s = await makeSchool(t.db, { streetId, type, name: `${key} 学校`, code: `M-${key}-${t.kind}` })
    const admin = await makeProgrammeUser(t.db, 'school_admin', s.id, clock, uploads.path)
    const counsellor = await makeProgrammeUser(t.db, 'counsellor', s.id, clock, uploads.path)
    return (made[key] = { key, id: s.id, streetId, type, admin, counsellor })
  }

  beforeAll(async () => {
    await makeYear(t.db, 2023)
    y24 = await makeYear(t.db, 2024)
    y25 = await makeYear(t.db, 2025, true)
    y26 = await makeYear(t.db, 2026)
    s1 = await makeStreet(t.db)
    s2 = await makeStreet(t.db)
    bureau = await makeProgrammeUser(t.db, 'bureau', null, clock, uploads.path)

    // A: every item complete this year; an activity last year
    const a = await school('A', s1, 'primary')
    await a.admin.caller.staffing.createMember({
      name: '王心怡',
      employment: 'full_time',
      title: null,
      startsOn: '2020-09-01',
      endsOn: null,
    })
    await a.admin.caller.programme.saveTeam({ schoolYearId: y25, setUpOn: '2025-09-10', note: null, classes: teamClasses(4, 4, 2) })
    await eventWithFiles(a.counsellor, eventInput(y25))
    await eventWithFiles(a.counsellor, eventInput(y25, { kind: 'lecture', audiences: ['parents'] }))
    await eventWithFiles(a.counsellor, drillInput(y25, { problemsFound: '通知链条过长' }), 2)
    await a.admin.caller.programme.addChannel({ schoolYearId: y25, kind: 'wechat', name: '公众号', address: 'gh_a', launchedOn: null })
    await a.admin.caller.programme.saveClinic({
      schoolYearId: y25,
      hospital: '市康宁医院',
      clinicName: null,
      greenChannel: true,
      agreementOn: '2025-10-01',
    })
    await clock.during('2025-05-26T02:00:00.000Z', () => eventWithFiles(a.counsellor, eventInput(y24, { heldOn: '2025-05-25' })))
    expected.y25.A = ALL
    expected.y24.A = { ...NOTHING, activity: 'complete' }

    // B: some items in progress, the team not started; a lecture without a photo last year
    const b = await school('B', s1, 'junior')
    await eventWithFiles(b.admin, eventInput(y25))
    await eventWithFiles(b.admin, drillInput(y25))
    await b.counsellor.caller.programme.addChannel({ schoolYearId: y25, kind: 'mailbox', name: '信箱', address: null, launchedOn: null })
    await b.admin.caller.programme.saveClinic({
      schoolYearId: y25,
      hospital: '市儿童医院',
      clinicName: null,
      greenChannel: false,
      agreementOn: null,
    })
    await clock.during('2025-03-02T02:00:00.000Z', () =>
      b.admin.caller.programme.createEvent(eventInput(y24, { kind: 'lecture', heldOn: '2025-03-01' })),
    )
    expected.y25.B = { ...NOTHING, activity: 'complete', platform: 'in_progress', clinic: 'in_progress', drill: 'in_progress' }
    expected.y24.B = { ...NOTHING, lecture: 'in_progress' }

    // C: a team without a psychology teacher, a lecture, a clinic, and a case with an overdue follow-up
    const c = await school('C', s2, 'primary')
    await c.admin.caller.programme.saveTeam({ schoolYearId: y25, setUpOn: '2025-09-10', note: null, classes: teamClasses(2) })
    await eventWithFiles(c.counsellor, eventInput(y25, { kind: 'lecture' }))
    await c.admin.caller.programme.saveClinic({
      schoolYearId: y25,
      hospital: '市康宁医院',
      clinicName: null,
      greenChannel: true,
      agreementOn: '2025-09-20',
    })
    const { id: studentId } = await c.counsellor.caller.student.create(studentInput())
    const { id: caseId } = await c.counsellor.caller.case.open(
      caseInput(studentId, [c.counsellor.accountId], { riskLevel: 'routine', openedOn: '2026-02-20' }),
    )
    await c.counsellor.caller.case.addFollowUp({ caseId, dueOn: '2026-02-25', purpose: null })
    expected.y25.C = { ...NOTHING, team: 'in_progress', lecture: 'complete', caseFollowUp: 'in_progress', clinic: 'complete' }
    expected.y24.C = NOTHING

    // D: nothing at all
    await school('D', s2, 'junior')
    expected.y25.D = NOTHING
    expected.y24.D = NOTHING

    // E: disabled, with evidence that must not count anywhere
    const e = await school('E', s2, 'primary')
    await eventWithFiles(e.admin, eventInput(y25))
    await setSchoolDisabled(systemContext(t.db), e.id, true)
  })

  const idsOf = (...k: string[]) => k.map((x) => made[x]!.id)
  const statusesOf = (year: 'y24' | 'y25', ...k: string[]) => k.map((x) => expected[year][x]!)

  it('agrees with every school’s own overview and the bureau’s drill-down, school by school', async () => {
    const m = await bureau.caller.programme.matrix({ schoolYearId: y25 })
    expect(m.year.id).toBe(y25)
    expect(m.refDate).toBe('2026-03-02')
    expect(m.total).toBe(4)
    expect(m.rows.map((r) => r.school.id)).toEqual(idsOf(...keys))
    for (const row of m.rows) {
      const key = keys.find((k) => made[k]!.id === row.school.id)!
      const own = await made[key]!.admin.caller.programme.overview({})
      const drill = await bureau.caller.programme.overview({ schoolId: row.school.id })
      expect(row.statuses, key).toEqual(expected.y25[key])
      expect(own.statuses, key).toEqual(expected.y25[key])
      expect(drill.statuses, key).toEqual(expected.y25[key])
      expect(row.completed, key).toBe(own.completed)
      expect(row.completed, key).toBe(PROGRAMME_ITEMS.filter((i) => expected.y25[key]![i] === 'complete').length)
      expect(row.school).toMatchObject({ streetId: made[key]!.streetId, type: made[key]!.type, name: `${key} 学校` })
    }
    // the current year is the default
    expect((await bureau.caller.programme.matrix({})).rows).toEqual(m.rows)
    // last year, likewise
    const old = await bureau.caller.programme.matrix({ schoolYearId: y24 })
    expect(old.refDate).toBe('2025-08-31')
    expect(old.rows.map((r) => r.statuses)).toEqual(statusesOf('y24', ...keys))
  })

  it('counts complete, in progress and not started per item as an independent count does', async () => {
    const m = await bureau.caller.programme.matrix({ schoolYearId: y25 })
    expect(m.rates).toEqual(expectedRates(statusesOf('y25', ...keys)))
    // spelled out for one item: the drill is complete at A, in progress at B, not started at C and D
    expect(m.rates.items.find((i) => i.item === 'drill')).toEqual({ item: 'drill', complete: 1, in_progress: 1, not_started: 2, rate: 25 })
    expect([m.rates.allSeven, m.rates.allSevenRate]).toEqual([1, 25])
    expect((await bureau.caller.programme.matrix({ schoolYearId: y24 })).rates).toEqual(expectedRates(statusesOf('y24', ...keys)))
  })

  it('filters by street, type, item and status and open schools, with rates for the filtered schools, and pages', async () => {
    const rowsOf = async (input: Parameters<Caller['programme']['matrix']>[0]) => {
      const m = await bureau.caller.programme.matrix({ schoolYearId: y25, ...input })
      return { ids: m.rows.map((r) => r.school.id), total: m.total, rates: m.rates }
    }
    expect(await rowsOf({ streetId: s1 })).toEqual({ ids: idsOf('A', 'B'), total: 2, rates: expectedRates(statusesOf('y25', 'A', 'B')) })
    expect(await rowsOf({ streetId: s2 })).toEqual({ ids: idsOf('C', 'D'), total: 2, rates: expectedRates(statusesOf('y25', 'C', 'D')) })
    expect(await rowsOf({ type: 'junior' })).toEqual({ ids: idsOf('B', 'D'), total: 2, rates: expectedRates(statusesOf('y25', 'B', 'D')) })
    expect(await rowsOf({ streetId: s2, type: 'primary' })).toMatchObject({ ids: idsOf('C'), total: 1 })
    expect(await rowsOf({ type: 'senior' })).toEqual({ ids: [], total: 0, rates: expectedRates([]) })

    // item + status: listed rows narrow, rates stay those of every school in the street/type filter
    const all = expectedRates(statusesOf('y25', ...keys))
    expect(await rowsOf({ item: 'drill', status: 'in_progress' })).toEqual({ ids: idsOf('B'), total: 1, rates: all })
    expect(await rowsOf({ item: 'team', status: 'not_started' })).toMatchObject({ ids: idsOf('B', 'D'), total: 2 })
    expect(await rowsOf({ item: 'caseFollowUp', status: 'complete' })).toMatchObject({ ids: idsOf('A', 'B', 'D') })
    expect(await rowsOf({ item: 'clinic', status: 'complete', streetId: s2 })).toMatchObject({ ids: idsOf('C') })
    // a status alone: any item with it
    expect(await rowsOf({ status: 'in_progress' })).toMatchObject({ ids: idsOf('B', 'C') })
    expect(await rowsOf({ status: 'not_started' })).toMatchObject({ ids: idsOf('B', 'C', 'D') })
    expect(await rowsOf({ status: 'complete' })).toMatchObject({ ids: idsOf(...keys) })
    // an item alone filters nothing
    expect(await rowsOf({ item: 'drill' })).toMatchObject({ ids: idsOf(...keys) })
    expect(await rowsOf({ openOnly: true })).toEqual({ ids: idsOf('B', 'C', 'D'), total: 3, rates: all })
    expect(await rowsOf({ openOnly: true, status: 'in_progress', streetId: s1 })).toMatchObject({ ids: idsOf('B'), total: 1 })

    expect(await rowsOf({ pageSize: 3, page: 1 })).toMatchObject({ ids: idsOf('A', 'B', 'C'), total: 4 })
    expect(await rowsOf({ pageSize: 3, page: 2 })).toMatchObject({ ids: idsOf('D'), total: 4 })
    expect(await rowsOf({ pageSize: 3, page: 3 })).toMatchObject({ ids: [], total: 4 })
    expect(await rowsOf({ pageSize: 1, page: 2, openOnly: true })).toMatchObject({ ids: idsOf('C'), total: 3 })
  })

  it('turns reminders on in the last two months of the school year, up to its last day', async () => {
    const remindersAt = async (iso: string) => (await bureauAt(iso).programme.matrix({ schoolYearId: y25 })).reminders
    const notComplete = (k: string) => PROGRAMME_ITEMS.filter((i) => expected.y25[k]![i] !== 'complete').length
    const open = { schools: 3, openItems: notComplete('B') + notComplete('C') + notComplete('D') }
    expect(open.openItems).toBe(5 + 5 + 6)
    expect(await remindersAt(T0)).toEqual({ active: false, yearOver: false, months: 2, ...open })
    // 30 June 23:59:59 in Shanghai is still before the window; 1 July 00:00 is in it
    expect((await remindersAt('2026-06-30T15:59:59.000Z')).active).toBe(false)
    expect(await remindersAt('2026-06-30T16:00:00.000Z')).toEqual({ active: true, yearOver: false, months: 2, ...open })
    expect((await remindersAt('2026-08-31T15:59:59.000Z')).active).toBe(true)
    // the year is over from 1 September
    expect(await remindersAt('2026-08-31T16:00:00.000Z')).toMatchObject({ active: false, yearOver: true })
    // last year's matrix, looked at now, is past its window
    expect((await bureau.caller.programme.matrix({ schoolYearId: y24 })).reminders).toMatchObject({ active: false, yearOver: true })

    // a district that reminds three months ahead starts on 1 June
    const settings = await bureau.caller.programme.settings()
    await bureau.caller.programme.updateSettings({ rules: { ...settings.rules, reminderMonths: 3 }, indicators: settings.indicators })
    try {
      expect(await remindersAt('2026-05-31T15:59:59.000Z')).toMatchObject({ active: false, months: 3 })
      expect(await remindersAt('2026-05-31T16:00:00.000Z')).toMatchObject({ active: true, months: 3 })
    } finally {
      await bureau.caller.programme.updateSettings({ rules: settings.rules, indicators: settings.indicators })
    }
  })

  it('gives one trend entry per school year that has begun, each equal to that year’s matrix rates', async () => {
    const trend = await bureau.caller.programme.trend({})
    const begun = await t.db
      .selectFrom('school_year')
      .select(['id', 'label', 'starts_on'])
      .where('starts_on', '<=', '2026-03-02')
      .orderBy('starts_on')
      .execute()
    expect(trend.years.map((y) => y.year.id)).toEqual(begun.map((y) => y.id))
    expect(trend.years.map((y) => y.year.id)).not.toContain(y26)
    expect(trend.years.map((y) => y.year.label)).toEqual(['2023-2024', '2024-2025', '2025-2026'])
    for (const entry of trend.years) {
      const { rates } = await bureau.caller.programme.matrix({ schoolYearId: entry.year.id })
      const { year, ...figures } = entry
      expect(figures, year.label).toEqual(rates)
    }
    expect(trend.years.at(-1)).toMatchObject(expectedRates(statusesOf('y25', ...keys)))
    expect(trend.years.at(-2)).toMatchObject(expectedRates(statusesOf('y24', ...keys)))

    // the same with a street filter
    const street = await bureau.caller.programme.trend({ streetId: s1 })
    for (const entry of street.years) {
      const { year, ...figures } = entry
      expect(figures, year.label).toEqual((await bureau.caller.programme.matrix({ schoolYearId: year.id, streetId: s1 })).rates)
    }
    expect(street.years.at(-1)).toMatchObject(expectedRates(statusesOf('y25', 'A', 'B')))

    // once 2026-2027 has begun it has its own entry
    const later = await bureauAt('2026-09-01T01:00:00.000Z').programme.trend({ type: 'junior' })
    expect(later.years.map((y) => y.year.id).at(-1)).toBe(y26)
    expect(later.years.at(-1)).toMatchObject({ schools: 2, allSeven: 0 })
  })

  const STATUS_ZH: Record<ItemStatus, string> = { complete: '已完成', in_progress: '进行中', not_started: '未开始' }

  it('exports the matrix exactly as listed, every page, under each filter, and audits the export', async () => {
    const filterSets: Omit<Parameters<Caller['programme']['matrix']>[0], 'page' | 'pageSize'>[] = [
      {},
      { streetId: s2 },
      { type: 'junior' },
      { item: 'drill', status: 'in_progress' },
      { status: 'not_started', openOnly: true },
      { openOnly: true, streetId: s1, type: 'junior' },
    ]
    for (const f of filterSets) {
      const screen = await bureau.caller.programme.matrix({ schoolYearId: y25, ...f, pageSize: 200 })
      // (auditedBy swallows errors: the file is checked after it)
      let file: Awaited<ReturnType<Caller['programme']['export']>> | undefined
      const audit = await auditedBy(t.db, async () => {
        file = await bureau.caller.programme.export({ schoolYearId: y25, ...f, format: 'csv', locale: 'zh-CN' })
      })
      {
        const lines = csvOf(file!)
        expect(lines[0]).toEqual([
          '学校代码',
          '学校',
          '街道',
          '学段',
          '队伍',
          '主题活动',
          '讲座',
          '信息平台',
          '个案跟进',
          '门诊',
          '危机演练',
          '完成',
        ])
        // the same schools in the same order, each item as the screen names its status
        expect(lines.slice(1), JSON.stringify(f)).toEqual(
          screen.rows.map((r) => [
            r.school.code,
            r.school.name,
            r.school.streetNameZh,
            r.school.type === 'junior' ? '初级中学' : '小学',
            ...PROGRAMME_ITEMS.map((i) => STATUS_ZH[r.statuses[i]]),
            String(r.completed),
          ]),
        )
      }
      expect(audit.map((r) => [r.action, r.entity_type, r.outcome])).toEqual([['export.download', 'programmeMatrix', 'ok']])
      expect(audit[0]!.detail).toMatch(new RegExp(`^csv,year:${y25},rows:${screen.total}(,|$)`))
    }
    // a page of one lists one school; the export still holds all of them
    expect((await bureau.caller.programme.matrix({ schoolYearId: y25, pageSize: 1 })).rows).toHaveLength(1)
    expect(csvOf(await bureau.caller.programme.export({ schoolYearId: y25, format: 'csv', locale: 'en' }))).toHaveLength(1 + keys.length)
  })

  it('names the year and every filter in the file, the sheet and the audit row, in the reader’s language', async () => {
    const streets = await bureau.caller.school.streets()
    const street = streets.find((s) => s.id === s2)!
    let fileName = ''
    const zh = await auditedBy(t.db, async () => {
      const file = await bureau.caller.programme.export({
        schoolYearId: y25,
        streetId: s2,
        item: 'drill',
        status: 'not_started',
        format: 'csv',
        locale: 'zh-CN',
      })
      fileName = file.fileName
    })
    expect(fileName).toBe(`xinqiao-programmeMatrix-2025-2026-${street.nameZh}-危机演练-未开始.csv`)
    expect(zh.map((r) => r.detail)).toEqual([`csv,year:${y25},rows:2,street:${s2},item:drill,status:not_started`])

    const file = await bureau.caller.programme.export({ schoolYearId: y24, type: 'junior', openOnly: true, format: 'xlsx', locale: 'en' })
    expect(file.fileName).toBe('xinqiao-programmeMatrix-2024-2025-Junior_middle-Only_schools_with_open_items.xlsx')
    const [sheet, about] = await workbookOf(file)
    expect(sheet!.name).toBe('Junior middle · Only schools w…')
    expect(sheet!.rows[0]).toEqual([
      'School code',
      'School',
      'Street',
      'Type',
      'Team',
      'Activity',
      'Lecture',
      'Platform',
      'Cases',
      'Clinic',
      'Drill',
      'Done',
    ])
    expect(sheet!.rows.slice(1).map((r) => r[0])).toEqual([made.B!, made.D!].map((m) => `M-${m.key}-${t.kind}`))
    expect(about!.name).toBe('About')
    expect(about!.rows).toEqual(
      expect.arrayContaining([
        ['Table', 'Seven ones'],
        ['School year', '2024-2025'],
        ['School type', 'Junior middle'],
        ['Filter', 'Only schools with open items'],
        ['Rows', '2'],
        ['Note', 'As of 2025-08-31'],
      ]),
    )
  })

  it('is the bureau’s: school roles are refused the matrix, the trend and the export', async () => {
    for (const user of [made.A!.admin, made.A!.counsellor]) {
      await expectRefusal(user.caller.programme.matrix({}), 'FORBIDDEN', 'forbidden')
      await expectRefusal(user.caller.programme.trend({}), 'FORBIDDEN', 'forbidden')
      await expectRefusal(user.caller.programme.export({ format: 'csv', locale: 'zh-CN' }), 'FORBIDDEN', 'forbidden')
    }
  })
})
