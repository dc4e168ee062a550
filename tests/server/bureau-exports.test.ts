import { beforeAll, describe, expect, it } from 'vitest'
import type { RiskLevel } from '../../shared/cases'
import { auditedBy } from '../fixtures/audit'
import { expectRefusal, type Caller } from '../fixtures/caller'
import { makeCase, makeCounsellor, makeSignedIn, marker, type Counsellor } from '../fixtures/cases'
import { targets, useTestDatabase } from '../fixtures/db'
import { recoverable, type SuppressedTable } from '../fixtures/disclosure'
import { csvOf, workbookOf } from '../fixtures/exports'
import { enrol, makeSchool, makeStreet, makeYear } from '../fixtures/factories'

type Dimension = 'risk_level' | 'category' | 'status'
const LEVELS: RiskLevel[] = ['crisis', 'high', 'watch', 'routine']

describe.each(targets)('the case statistics export on $name', (target) => {
  const t = useTestDatabase(target)
  const name = marker('export')
  let bureau: Awaited<ReturnType<typeof makeSignedIn>>
  /** What each school really has: open cases by level (and the closed ones), for the disclosure check. */
  const truth: Record<string, { open: Partial<Record<RiskLevel, number>>; closed: number }> = {
    'X-BIG': { open: { high: 2, watch: 12, routine: 11 }, closed: 0 },
    'X-MID': { open: { watch: 10, routine: 15 }, closed: 1 },
    'X-SMALL': { open: { watch: 3 }, closed: 0 },
  }
  const counsellors: Record<string, Counsellor> = {}

  beforeAll(async () => {
    for (const code of Object.keys(truth)) {
      const school = await makeSchool(t.db, { code, name: `统计学校 ${code}` })
      await t.db
        .updateTable('school')
        .set({ name_en: `Stats School ${code}` })
        .where('id', '=', school.id)
        .execute()
      counsellors[code] = await makeCounsellor(t.db, school.id)
    }
    await makeSchool(t.db, { code: 'X-QUIET' })
    let n = 0
    for (const [code, { open, closed }] of Object.entries(truth)) {
      const c = counsellors[code]!
      for (const level of LEVELS) {
        for (let i = 0; i < (open[level] ?? 0); i++) {
          await makeCase(c, { riskLevel: level, categories: i % 2 ? ['study'] : ['study', 'emotion'] }, { name: `${name}-${n++}` })
        }
      }
      for (let i = 0; i < closed; i++) {
        const { caseId } = await makeCase(c, { riskLevel: 'routine', categories: ['family'] }, { name: `${name}-${n++}` })
        await c.caller.case.close({ caseId, version: 1, outcome: '结案' })
      }
    }
    bureau = await makeSignedIn(t.db, 'bureau', null)
  })

  /** The screen's cell text: a hidden figure reads "—" (it may be any value). */
  const shown = (v: number | null) => (v == null ? '—' : String(v))

  it.each(['risk_level', 'category', 'status'] as Dimension[])(
    'by %s: the file holds exactly the screen’s cells, hidden ones as “—”, with the column totals last',
    async (dimension) => {
      const screen = await bureau.caller.case.districtStats({ dimension })
      const lines = csvOf(await bureau.caller.case.exportDistrictStats({ dimension, format: 'csv', locale: 'zh-CN' }))
      const additive = screen.additive
      expect(lines).toHaveLength(1 + screen.rows.length + 1)
      expect(lines[0]!.slice(0, 2)).toEqual(['学校代码', '学校'])
      expect(lines[0]!.length).toBe(2 + screen.columns.length + (additive ? 1 : 0))
      expect(lines.slice(1, -1)).toEqual(
        screen.rows.map((r) => [r.schoolCode, r.schoolName, ...r.cells.map(shown), ...(additive ? [shown(r.total)] : [])]),
      )
      expect(lines.at(-1)).toEqual(['', '各列合计', ...screen.columnTotals.map(shown), ...(additive ? [shown(screen.total)] : [])])
      expect(lines.flat().join()).not.toContain(name)
    },
  )

  it('publishes nothing from which a hidden count can be worked out', async () => {
    const lines = csvOf(await bureau.caller.case.exportDistrictStats({ dimension: 'risk_level', format: 'csv', locale: 'en' }))
    const body = lines.slice(1, -1)
    const parse = (s: string) => (s === '—' ? null : Number(s))
    // The published table as a reader of the file holds it, and the true counts behind it.
    const published: SuppressedTable = {
      cells: body.map((l) => l.slice(2, 6).map(parse)),
      rowTotals: body.map((l) => parse(l[6]!)),
      colTotals: lines.at(-1)!.slice(2, 6).map(parse),
      total: parse(lines.at(-1)![6]!),
    }
    const cells = body.map((l) => LEVELS.map((level) => truth[l[0]!]?.open[level] ?? 0))
    expect(body.map((l) => l[0])).toEqual(['X-BIG', 'X-MID', 'X-QUIET', 'X-SMALL'])
    // small counts are hidden…
    expect(published.cells[3]![2]).toBeNull() // X-SMALL's 3 watch cases
    expect(published.cells[0]![1]).toBeNull() // X-BIG's 2 high-risk cases
    // …and none of them follows from the published totals
    expect(recoverable(cells, published)).toEqual([])
    // what is published is exact, and never a count from 1 to 9
    const shownValues = [...published.cells.flat(), ...published.rowTotals, ...published.colTotals, published.total]
    expect(shownValues.filter((v) => v != null && v > 0 && v < 10)).toEqual([])
    published.cells.forEach((row, i) => row.forEach((v, j) => v != null && expect(v).toBe(cells[i]![j])))
  })

  it('writes the same table as Excel, in English, with the suppression explained on the about sheet', async () => {
    const screen = await bureau.caller.case.districtStats({ dimension: 'status' })
    const csv = csvOf(await bureau.caller.case.exportDistrictStats({ dimension: 'status', format: 'csv', locale: 'en' }))
    const file = await bureau.caller.case.exportDistrictStats({ dimension: 'status', format: 'xlsx', locale: 'en' })
    expect(file.fileName).toMatch(/^xinqiao-caseStats-\d{4}-\d{2}-\d{2}-By_status\.xlsx$/)
    const [sheet, about] = await workbookOf(file)
    expect(sheet!.name).toBe('Case statistics · By status')
    expect(sheet!.rows.map((r) => r.map((v) => String(v ?? '')))).toEqual(csv)
    expect(sheet!.rows[0]).toEqual(['School code', 'School', 'Open', 'Closed', 'Total'])
    expect(sheet!.rows.slice(1, -1).map((r) => r[1])).toEqual(screen.rows.map((r) => r.schoolNameEn ?? r.schoolName))
    expect(about!.rows.map((r) => r[1])).toEqual(
      expect.arrayContaining([
        'Case statistics',
        'By status',
        'Counted: all cases (open and closed)',
        'To protect students, counts from 1 to 9 are hidden as “—”, and so is every other figure that would let them be worked out (also between the tables of this page and against figures published earlier). A hidden figure may be any value, including a large one. No student identities are included.',
      ]),
    )
  })

  it('audits the export with its breakdown and row count, never a name', async () => {
    const rows = await auditedBy(t.db, () =>
      bureau.caller.case.exportDistrictStats({ dimension: 'category', format: 'xlsx', locale: 'zh-CN' }),
    )
    expect(rows.map((r) => [r.action, r.entity_type, r.outcome, r.detail])).toEqual([
      ['export.download', 'caseStats', 'ok', 'xlsx,dimension:category,rows:4'],
    ])
  })

  it('is refused to everyone the statistics are refused to', async () => {
    const admin = await makeSignedIn(t.db, 'admin', null)
    for (const caller of [counsellors['X-BIG']!.caller, admin.caller] as Caller[]) {
      await expectRefusal(
        caller.case.exportDistrictStats({ dimension: 'risk_level', format: 'csv', locale: 'zh-CN' }),
        'FORBIDDEN',
        'forbidden',
      )
    }
  })
})

describe.each(targets)('the district school list export on $name', (target) => {
  const t = useTestDatabase(target)
  let s1: number
  let s2: number
  let y25: number
  let bureau: Caller
  let admin: Caller

  beforeAll(async () => {
    y25 = await makeYear(t.db, 2025, true)
    s1 = await makeStreet(t.db)
    s2 = await makeStreet(t.db)
    const specs = [
      ['L-01', '甲小学', s1, 'primary', 900],
      ['L-02', '乙初中', s1, 'junior', 1500],
      ['L-03', '丙小学', s2, 'primary', 400],
      ['L-04', '丁小学', s2, 'primary', null],
      ['L-05', '=戊小学', s2, 'junior', 1200],
    ] as const
    for (const [code, name, streetId, type, students] of specs) {
      const s = await makeSchool(t.db, { code, name, streetId, type })
      if (students != null) await enrol(t.db, s.id, y25, students)
    }
    bureau = (await makeSignedIn(t.db, 'bureau', null)).caller
    admin = (await makeSignedIn(t.db, 'admin', null)).caller
  })

  it('lists every school the list shows under its filters and sort, all pages, in the reader’s language', async () => {
    const filterSets = [
      {},
      { streetId: s2 },
      { type: 'primary' as const, sort: 'students' as const, order: 'desc' as const },
      { search: '小学', sort: 'name' as const },
    ]
    for (const f of filterSets) {
      const screen = await bureau.school.list({ ...f, pageSize: 200 })
      const lines = csvOf(await bureau.school.export({ ...f, format: 'csv', locale: 'zh-CN' }))
      expect(lines[0]).toEqual(['学校代码', '学校名称', '街道', '学校类型', '在校生', '班级数'])
      expect(lines.slice(1), JSON.stringify(f)).toEqual(
        screen.rows.map((r) => [
          r.code,
          r.name.startsWith('=') ? `'${r.name}` : r.name,
          r.streetNameZh,
          r.type === 'primary' ? '小学' : '初级中学',
          r.students == null ? '' : String(r.students),
          r.classes == null ? '' : String(r.classes),
        ]),
      )
    }
    // a page of two shows two; the export holds all five
    expect((await bureau.school.list({ pageSize: 2 })).rows).toHaveLength(2)
    expect(csvOf(await bureau.school.export({ format: 'csv', locale: 'en' }))).toHaveLength(1 + 5)
  })

  it('names the year and the filters in the file and sheet, and audits without the search text', async () => {
    const streets = await bureau.school.streets()
    const street = streets.find((s) => s.id === s2)!
    let file: Awaited<ReturnType<Caller['school']['export']>> | undefined
    const audit = await auditedBy(t.db, async () => {
      file = await admin.school.export({ streetId: s2, type: 'primary', search: '丙', format: 'xlsx', locale: 'en' })
    })
    expect(file!.fileName).toBe(`xinqiao-schoolList-2025-2026-丙-${street.nameEn.replace(/\s+/g, '_')}-Primary.xlsx`)
    const [sheet] = await workbookOf(file!)
    expect(sheet!.rows).toEqual([
      ['School code', 'School name', 'Street', 'School type', 'Students', 'Classes'],
      ['L-03', '丙小学', street.nameEn, 'Primary', 400, 9],
    ])
    expect(audit.map((r) => [r.action, r.entity_type, r.detail])).toEqual([
      ['export.download', 'schoolList', `xlsx,year:${y25},rows:1,street:${s2},type:primary,search`],
    ])
  })

  it('is for those who see the district overview', async () => {
    const school = await makeSchool(t.db)
    const counsellor = await makeCounsellor(t.db, school.id)
    await expectRefusal(counsellor.caller.school.export({ format: 'csv', locale: 'zh-CN' }), 'FORBIDDEN', 'forbidden')
  })
})
