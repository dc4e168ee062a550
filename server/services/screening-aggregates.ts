import { DISTRICT_AUDIENCE, HIDDEN_MARK } from '../../shared/disclosure'
import { GRADE_BANDS, gradeBand, LEVEL_COLUMNS, SEX_VALUES } from '../../shared/screening'
import { awarenessRate } from '../rules/screening'
import { campaignRespondentLevels, campaignSchools, findCampaignInScope, quizCounts } from '../repositories/screening'
import { listStreets } from '../repositories/school'
import { combine, publishedTable, tableSpec, type ReleaseConstraint, type TableSpec } from '../rules/disclosure'
import { appendAudit } from './audit'
import { requireActor, type ServiceContext } from './context'
import { release } from './disclosure'
import { notFound } from './errors'
import { loadScreeningSettings } from './screening'
import { deliverTable, translator } from './table-export'

/**
 * The bureau's screening figures, every one through the disclosure module: knowledge awareness (the share
 * of students at or above the quiz pass mark) by school and grade for each school year, and a campaign's
 * participation and warning-level distribution by school, street, grade band and sex. Never an identity;
 * rates are computed only from figures that were published.
 */
const STATUS = ['passed', 'not_passed'] as const
const GRADES = Array.from({ length: 12 }, (_, i) => i + 1)

async function activeSchools(ctx: ServiceContext) {
  return ctx.db
    .selectFrom('school')
    .select(['id', 'code', 'name', 'name_en', 'street_id'])
    .where('disabled_at', 'is', null)
    .orderBy('code')
    .execute()
}

/** The whole awareness release: for every school year with quiz answers, schools × (passed, not passed) and grades × the same. */
async function awarenessRelease(ctx: ServiceContext) {
  const schools = await activeSchools(ctx)
  const index = new Map(schools.map((s, i) => [s.id, i]))
  const rows = await quizCounts(ctx.db, 'all')
  const years = [...new Set(rows.map((r) => r.school_year))].sort()
  const perYear = years.map((year) => {
    const bySchool = schools.map(() => [0, 0])
    const byGrade = GRADES.map(() => [0, 0])
    const bySchoolGrade = new Map<number, number[][]>()
    for (const r of rows) {
      if (r.school_year !== year) continue
      const i = index.get(r.school_id)
      const g = GRADES.indexOf(r.grade)
      const j = r.passed === 1 ? 0 : 1
      const n = Number(r.n)
      if (i == null || g < 0) continue
      bySchool[i]![j]! += n
      byGrade[g]![j]! += n
      const sg = bySchoolGrade.get(r.school_id) ?? GRADES.map(() => [0, 0])
      sg[g]![j]! += n
      bySchoolGrade.set(r.school_id, sg)
    }
    const base = `awareness|year:${year}`
    const school: TableSpec = {
      name: `school-${year}`,
      cells: bySchool,
      id: (i, j) => [base, ...(i != null ? [`school:${schools[i]!.id}`] : []), ...(j != null ? [`status:${STATUS[j]}`] : [])].join('|'),
    }
    const grade: TableSpec = {
      name: `grade-${year}`,
      cells: byGrade,
      id: (i, j) =>
        [`${base}|by-grade`, ...(i != null ? [`grade:${GRADES[i]}`] : []), ...(j != null ? [`status:${STATUS[j]}`] : [])].join('|'),
    }
    // The grade table counts the same students as the school table.
    const links: ReleaseConstraint[] = [0, 1].map((j) => ({ parts: [grade.id!(null, j)], total: school.id!(null, j) }))
    return { year, school, grade, links, bySchoolGrade }
  })
  const spec = combine(...perYear.flatMap((y) => [tableSpec(y.school), tableSpec(y.grade), { entries: [], constraints: y.links }]))
  const released = await release(ctx, ctx.db, { audience: DISTRICT_AUDIENCE, key: 'screening-awareness', spec })
  return { schools, perYear, spec, released }
}

/** The district and each school's awareness rate per year against the target, by grade; a hidden figure is null. */
export async function awarenessDashboard(ctx: ServiceContext, input: { schoolYear?: string }) {
  requireActor(ctx)
  const settings = await loadScreeningSettings(ctx.db)
  const { schools, perYear, released } = await awarenessRelease(ctx)
  const d = released.decision
  const trend = perYear.map((y) => {
    const t = publishedTable(d, y.school)
    return { year: y.year, passed: t.colTotals[0] ?? null, answered: t.total, rate: awarenessRate(t.colTotals[0] ?? null, t.total) }
  })
  const year = input.schoolYear ?? perYear.at(-1)?.year ?? null
  const current = perYear.find((y) => y.year === year)
  const schoolRows = current
    ? (() => {
        const t = publishedTable(d, current.school)
        return schools
          .map((s, i) => ({
            schoolId: s.id,
            schoolCode: s.code,
            schoolName: s.name,
            schoolNameEn: s.name_en,
            passed: t.cells[i]![0] ?? null,
            answered: t.rowTotals![i] ?? null,
            rate: awarenessRate(t.cells[i]![0] ?? null, t.rowTotals![i] ?? null),
            hasData: current.school.cells[i]![0]! + current.school.cells[i]![1]! > 0,
          }))
          .filter((r) => r.hasData)
          .map(({ hasData: _, ...r }) => r)
      })()
    : []
  const gradeRows = current
    ? (() => {
        const t = publishedTable(d, current.grade)
        return GRADES.map((g, i) => ({
          grade: g,
          passed: t.cells[i]![0] ?? null,
          answered: t.rowTotals![i] ?? null,
          rate: awarenessRate(t.cells[i]![0] ?? null, t.rowTotals![i] ?? null),
          hasData: current.grade.cells[i]![0]! + current.grade.cells[i]![1]! > 0,
        }))
          .filter((r) => r.hasData)
          .map(({ hasData: _, ...r }) => r)
      })()
    : []
  await appendAudit(ctx.db, ctx, { action: 'screening.awareness_read', outcome: 'ok', entityType: 'screening_campaign' })
  return {
    target: settings.awarenessTarget,
    passMarkPercent: settings.passMarkPercent,
    threshold: d.threshold,
    years: perYear.map((y) => y.year),
    year,
    trend,
    district: trend.find((t) => t.year === year) ?? null,
    schools: schoolRows,
    grades: gradeRows,
  }
}

/** A school's awareness by grade (drill-down): its own release that carries the main one's relations and decisions. */
export async function awarenessOfSchool(ctx: ServiceContext, input: { schoolYear: string; schoolId: number }) {
  requireActor(ctx)
  const main = await awarenessRelease(ctx)
  const i = main.schools.findIndex((s) => s.id === input.schoolId)
  const y = main.perYear.find((p) => p.year === input.schoolYear)
  if (i < 0 || !y) throw notFound()
  const cells = y.bySchoolGrade.get(input.schoolId) ?? GRADES.map(() => [0, 0])
  const table: TableSpec = {
    name: 'school-grade',
    cells,
    id: (g, j) =>
      [
        `awareness|year:${y.year}|school:${input.schoolId}|by-grade`,
        ...(g != null ? [`grade:${GRADES[g]}`] : []),
        ...(j != null ? [`status:${STATUS[j]}`] : []),
      ].join('|'),
  }
  const links: ReleaseConstraint[] = [0, 1].map((j) => ({ parts: [table.id!(null, j)], total: y.school.id!(i, j) }))
  const d0 = main.released.decision
  const released = await release(ctx, ctx.db, {
    audience: DISTRICT_AUDIENCE,
    key: `screening-awareness-school:${input.schoolId}:${y.year}`,
    spec: combine(main.spec, tableSpec(table), { entries: [], constraints: links }),
    fixedHidden: new Set(d0.hidden.keys()),
    fixedPublished: new Set(d0.published.keys()),
  })
  const t = publishedTable(released.decision, table)
  const s = main.schools[i]!
  await appendAudit(ctx.db, ctx, { action: 'screening.awareness_read', outcome: 'ok', entityType: 'school', entityId: s.id })
  return {
    schoolId: s.id,
    schoolName: s.name,
    schoolNameEn: s.name_en,
    year: y.year,
    grades: GRADES.map((g, k) => ({
      grade: g,
      passed: t.cells[k]![0] ?? null,
      answered: t.rowTotals![k] ?? null,
      rate: awarenessRate(t.cells[k]![0] ?? null, t.rowTotals![k] ?? null),
      hasData: cells[k]![0]! + cells[k]![1]! > 0,
    }))
      .filter((r) => r.hasData)
      .map(({ hasData: _, ...r }) => r),
  }
}

/** The awareness table of a year as the dashboard shows it (hidden figures as "—"), audited as an export. */
export async function exportAwareness(ctx: ServiceContext, input: { schoolYear: string; format: 'csv' | 'xlsx'; locale: 'zh-CN' | 'en' }) {
  const dash = await awarenessDashboard(ctx, { schoolYear: input.schoolYear })
  const t = translator(input.locale)
  const en = input.locale === 'en'
  const cell = (n: number | null) => (n == null ? HIDDEN_MARK : n)
  const rows = [
    ...dash.schools.map((r) => [
      r.schoolCode,
      en ? (r.schoolNameEn ?? r.schoolName) : r.schoolName,
      cell(r.passed),
      cell(r.answered),
      cell(r.rate),
    ]),
    [
      '',
      t('screening.awareness.district'),
      cell(dash.district?.passed ?? null),
      cell(dash.district?.answered ?? null),
      cell(dash.district?.rate ?? null),
    ],
  ]
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: 'screeningAwareness',
    sheet: t('screening.awareness.title'),
    scope: [{ label: t('screening.awareness.year'), value: input.schoolYear }],
    filters: [],
    headers: [
      t('fields.code'),
      t('fields.school'),
      t('screening.awareness.passed'),
      t('screening.awareness.answered'),
      t('screening.awareness.rate'),
    ],
    rows,
    notes: [t('screening.awareness.exportNote', { target: dash.target, pass: dash.passMarkPercent })],
    detail: `rows:${rows.length}`,
  })
}

/**
 * A campaign's participation (answered / not answered among consented students given a slip) and its
 * warning-level distribution by school, street, grade band and sex: one release, every table linked to
 * the school table so no hidden figure can be worked out from another.
 */
export async function campaignDistribution(ctx: ServiceContext, input: { campaignId: number }) {
  const actor = requireActor(ctx)
  const campaign = await findCampaignInScope(ctx.db, actor.scope, input.campaignId)
  if (!campaign) throw notFound()
  const targeted = new Set((await campaignSchools(ctx.db, [campaign.id])).map((l) => l.school_id))
  const schools = (await activeSchools(ctx)).filter((s) => targeted.has(s.id))
  const streets = (await listStreets(ctx.db)).filter((st) => schools.some((s) => s.street_id === st.id))
  const index = new Map(schools.map((s, i) => [s.id, i]))
  const participation = schools.map(() => [0, 0])
  const zeros = (n: number) => Array.from({ length: n }, () => LEVEL_COLUMNS.map(() => 0))
  const bySchool = zeros(schools.length)
  const byStreet = zeros(streets.length)
  const byBand = zeros(GRADE_BANDS.length)
  const bySex = zeros(SEX_VALUES.length)
  for (const r of await campaignRespondentLevels(ctx.db, campaign.id)) {
    const i = index.get(r.school_id)
    if (i == null) continue
    const answered = Number(r.answered)
    participation[i]![0]! += answered
    participation[i]![1]! += Number(r.n) - answered
    if (!answered) continue
    const j = LEVEL_COLUMNS.indexOf((r.level ?? 'none') as (typeof LEVEL_COLUMNS)[number])
    bySchool[i]![j]! += answered
    byStreet[streets.findIndex((st) => st.id === schools[i]!.street_id)]![j]! += answered
    byBand[GRADE_BANDS.indexOf(gradeBand(r.grade))]![j]! += answered
    bySex[SEX_VALUES.indexOf(r.sex)]![j]! += answered
  }
  const base = `screening:${campaign.id}`
  const named =
    (prefix: string, axis: string, values: readonly (string | number)[], cols: readonly string[], colAxis: string) =>
    (i: number | null, j: number | null) =>
      [prefix, ...(i != null ? [`${axis}:${values[i]}`] : []), ...(j != null ? [`${colAxis}:${cols[j]}`] : [])].join('|')
  const ids = schools.map((s) => s.id)
  const tables = {
    participation: {
      name: 'participation',
      cells: participation,
      id: named(`${base}|participation`, 'school', ids, ['answered', 'not_answered'], 'status'),
    },
    school: { name: 'school', cells: bySchool, id: named(`${base}|level`, 'school', ids, LEVEL_COLUMNS, 'level') },
    street: {
      name: 'street',
      cells: byStreet,
      id: named(
        `${base}|level|by-street`,
        'street',
        streets.map((s) => s.id),
        LEVEL_COLUMNS,
        'level',
      ),
    },
    gradeBand: { name: 'gradeBand', cells: byBand, id: named(`${base}|level|by-band`, 'band', GRADE_BANDS, LEVEL_COLUMNS, 'level') },
    sex: { name: 'sex', cells: bySex, id: named(`${base}|level|by-sex`, 'sex', SEX_VALUES, LEVEL_COLUMNS, 'level') },
  } satisfies Record<string, TableSpec>
  const links: ReleaseConstraint[] = [
    // a school's level row counts its answered students
    ...schools.map((_, i) => ({ parts: [tables.school.id(i, null)], total: tables.participation.id(i, 0) })),
    // every breakdown counts the same answered students, level by level
    ...(['street', 'gradeBand', 'sex'] as const).flatMap((k) =>
      LEVEL_COLUMNS.map((_, j) => ({ parts: [tables[k].id(null, j)], total: tables.school.id(null, j) })),
    ),
    // a street is the sum of its schools
    ...streets.flatMap((st, s) =>
      LEVEL_COLUMNS.map((_, j) => ({
        parts: schools.flatMap((sc, i) => (sc.street_id === st.id ? [tables.school.id(i, j)] : [])),
        total: tables.street.id(s, j),
      })),
    ),
  ]
  const released = await release(ctx, ctx.db, {
    audience: DISTRICT_AUDIENCE,
    key: `screening-campaign:${campaign.id}`,
    spec: combine(...Object.values(tables).map((t) => tableSpec(t)), { entries: [], constraints: links }),
  })
  const shape = (t: TableSpec, labels: { key: string | number; name: string; nameEn: string | null }[]) => {
    const p = publishedTable(released.decision, t)
    return {
      rows: labels.map((l, i) => ({ ...l, cells: p.cells[i]!, total: p.rowTotals?.[i] ?? null })),
      columnTotals: p.colTotals,
      total: p.total,
    }
  }
  await appendAudit(ctx.db, ctx, {
    action: 'screening.distribution_read',
    outcome: 'ok',
    entityType: 'screening_campaign',
    entityId: campaign.id,
  })
  const schoolLabels = schools.map((s) => ({ key: s.id, name: s.name, nameEn: s.name_en }))
  return {
    campaignId: campaign.id,
    name: campaign.name,
    threshold: released.decision.threshold,
    levels: [...LEVEL_COLUMNS],
    participation: shape(tables.participation, schoolLabels),
    bySchool: shape(tables.school, schoolLabels),
    byStreet: shape(
      tables.street,
      streets.map((s) => ({ key: s.id, name: s.name_zh, nameEn: s.name_en })),
    ),
    byGradeBand: shape(
      tables.gradeBand,
      GRADE_BANDS.map((b) => ({ key: b, name: b, nameEn: b })),
    ),
    bySex: shape(
      tables.sex,
      SEX_VALUES.map((x) => ({ key: x, name: x, nameEn: x })),
    ),
  }
}
