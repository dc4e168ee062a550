import type { DistrictStatsExportInput, DistrictStatsInput } from '../../shared/case-schemas'
import { RISK_LEVELS } from '../../shared/cases'
import { DISTRICT_AUDIENCE, HIDDEN_MARK } from '../../shared/disclosure'
import { caseCounts, openCaseCategories } from '../repositories/case'
import { combine, publishedTable, tableSpec, type ReleaseConstraint, type TableSpec } from '../rules/disclosure'
import { shanghaiDate } from '../rules/risk'
import { appendAudit } from './audit'
import { requireActor, type ServiceContext } from './context'
import { release } from './disclosure'
import { parseCategories } from './case'
import { deliverTable, translator } from './table-export'

type StatsDimension = DistrictStatsInput['dimension']

/** Which cases each table counts: the level and category tables count open cases, the status table all cases. */
export const STATS_POPULATION: Record<StatsDimension, 'open' | 'all'> = { risk_level: 'open', category: 'open', status: 'all' }

const STATUS_COLUMNS = ['open', 'closed'] as const

/**
 * The bureau's case statistics as one release: every active school × level (open cases), × status (all
 * cases) and × category (open cases; a case may have several, so rows have no total), published together
 * through the disclosure module. The reader knows how the tables relate — a school's "open" count is its
 * level total, a category count is at most its open cases — and the module audits all three at once, so
 * switching tables or subtracting one from another recovers nothing. Every school is a row (a school
 * without cases shows zeros), so no row appears or disappears when a case is opened.
 */
async function districtRelease(ctx: ServiceContext) {
  const actor = requireActor(ctx)
  const schools = await ctx.db
    .selectFrom('school')
    .select(['id', 'name', 'name_en', 'code'])
    .where('disabled_at', 'is', null)
    .orderBy('code')
    .execute()
  const index = new Map(schools.map((s, i) => [s.id, i]))
  const zeros = (n: number) => schools.map(() => new Array<number>(n).fill(0))
  const level = zeros(RISK_LEVELS.length)
  const status = zeros(STATUS_COLUMNS.length)
  const [levels, statuses, categoryRows] = await Promise.all([
    caseCounts(ctx.db, actor.scope, 'risk_level'),
    caseCounts(ctx.db, actor.scope, 'status'),
    openCaseCategories(ctx.db, actor.scope),
  ])
  for (const r of levels) {
    const i = index.get(r.school_id)
    const j = RISK_LEVELS.indexOf(r.key as (typeof RISK_LEVELS)[number])
    if (i != null && j >= 0) level[i]![j]! += Number(r.n)
  }
  for (const r of statuses) {
    const i = index.get(r.school_id)
    const j = STATUS_COLUMNS.indexOf(r.key as (typeof STATUS_COLUMNS)[number])
    if (i != null && j >= 0) status[i]![j]! += Number(r.n)
  }
  const categoryCounts = new Map<string, number>()
  for (const r of categoryRows) {
    const i = index.get(r.school_id)
    if (i == null) continue
    for (const cat of new Set(parseCategories(r.categories)))
      categoryCounts.set(`${i}|${cat}`, (categoryCounts.get(`${i}|${cat}`) ?? 0) + 1)
  }
  const categories = [...new Set([...categoryCounts.keys()].map((k) => k.slice(k.indexOf('|') + 1)))].sort()
  const category = schools.map((_, i) => categories.map((c) => categoryCounts.get(`${i}|${c}`) ?? 0))

  // Entries are named by what they count, so the ledger recognises them across releases however the
  // list of schools changes.
  const named = (population: string, axis: string, values: readonly string[]) => (i: number | null, j: number | null) =>
    [population, ...(i != null ? [`school:${schools[i]!.id}`] : []), ...(j != null ? [`${axis}:${values[j]}`] : [])].join('|')
  const tables: Record<StatsDimension, TableSpec> = {
    risk_level: { name: 'level', cells: level, id: named('open', 'level', RISK_LEVELS) },
    status: { name: 'status', cells: status, id: named('all', 'status', STATUS_COLUMNS) },
    category: { name: 'category', cells: category, rowTotals: false, id: named('open', 'category', categories) },
  }
  const links: ReleaseConstraint[] = schools.flatMap((_, i) => [
    // a school's open cases: the "open" column of the status table is the level table's row total
    { parts: [tables.status.id!(i, 0)], total: tables.risk_level.id!(i, null) },
    // a category counts some of the school's open cases
    ...categories.map((_, j) => ({ parts: [tables.category.id!(i, j)], total: tables.risk_level.id!(i, null), kind: 'le' as const })),
  ])
  const spec = combine(tableSpec(tables.risk_level), tableSpec(tables.status), tableSpec(tables.category), {
    entries: [],
    constraints: links,
  })
  const released = await release(ctx, ctx.db, { audience: DISTRICT_AUDIENCE, key: 'case-stats', spec })
  return { schools, categories, tables, spec, released }
}

/**
 * One school's case-derived programme figures for the district (open cases at the year's reference
 * date, on plan, overdue items, referrals in the year): a release of their own that carries the case
 * statistics' relations and respects their decisions, so the two pages together show nothing either
 * hides. A figure is null when hidden.
 */
export async function discloseSchoolCaseFigures(
  ctx: ServiceContext,
  input: { schoolId: number; yearId: number; refDate: string; openCases: number; onPlan: number; overdueItems: number; referrals: number },
) {
  const stats = await districtRelease(ctx)
  const at = `at:${input.refDate}|school:${input.schoolId}`
  const id = {
    open: `open-${at}`,
    onPlan: `on-plan-${at}`,
    offPlan: `off-plan-${at}`,
    overdue: `overdue-${at}`,
    referrals: `referrals|year:${input.yearId}|school:${input.schoolId}`,
  }
  const entries = [
    { id: id.open, value: input.openCases },
    { id: id.onPlan, value: input.onPlan },
    { id: id.offPlan, value: input.openCases - input.onPlan },
    { id: id.overdue, value: input.overdueItems },
    { id: id.referrals, value: input.referrals },
  ]
  const constraints: ReleaseConstraint[] = [{ parts: [id.onPlan, id.offPlan], total: id.open }]
  // At today's reference date the open count is the case statistics' own: say so to the audit.
  const current = `open|school:${input.schoolId}`
  const i = stats.schools.findIndex((s) => s.id === input.schoolId)
  if (i >= 0 && stats.tables.risk_level.cells[i]!.reduce((a, b) => a + b, 0) === input.openCases)
    constraints.push({ parts: [id.open], total: current })
  const d = stats.released.decision
  const released = await release(ctx, ctx.db, {
    audience: DISTRICT_AUDIENCE,
    key: `programme-school:${input.schoolId}:${input.yearId}`,
    spec: combine(stats.spec, { entries, constraints }),
    fixedHidden: new Set(d.hidden.keys()),
    fixedPublished: new Set(d.published.keys()),
  })
  const get = (key: string) => released.decision.published.get(key) ?? null
  return {
    openCases: get(id.open),
    onPlan: get(id.onPlan),
    overdueItems: get(id.overdue),
    referrals: get(id.referrals),
    threshold: released.decision.threshold,
  }
}

async function districtStatsTable(ctx: ServiceContext, dimension: StatsDimension) {
  const { schools, categories, tables, released } = await districtRelease(ctx)
  const table = publishedTable(released.decision, tables[dimension])
  return {
    dimension,
    population: STATS_POPULATION[dimension],
    threshold: released.decision.threshold,
    releasedAt: released.releasedAt,
    columns: dimension === 'risk_level' ? [...RISK_LEVELS] : dimension === 'status' ? [...STATUS_COLUMNS] : categories,
    rows: schools.map((s, i) => ({
      schoolId: s.id,
      schoolName: s.name,
      schoolNameEn: s.name_en,
      schoolCode: s.code,
      cells: table.cells[i]!,
      total: table.rowTotals ? table.rowTotals[i]! : null,
    })),
    columnTotals: table.colTotals,
    total: table.total,
    additive: table.rowTotals != null,
  }
}

export async function districtCaseStats(ctx: ServiceContext, input: { dimension: StatsDimension }) {
  const stats = await districtStatsTable(ctx, input.dimension)
  await appendAudit(ctx.db, ctx, {
    action: 'case.district_stats',
    outcome: 'ok',
    entityType: 'case',
    detail: `dimension:${input.dimension}`,
  })
  return stats
}

const STATS_DIMENSION_LABEL: Record<StatsDimension, string> = {
  risk_level: 'stats.byLevel',
  category: 'stats.byCategory',
  status: 'stats.byStatus',
}

/**
 * The case statistics as the screen shows them: the same hidden cells ("—"), the same row totals and,
 * as a last line, the column totals. Nothing is recomputed for the file.
 */
export async function exportDistrictCaseStats(ctx: ServiceContext, input: DistrictStatsExportInput) {
  const t = translator(input.locale)
  const en = input.locale === 'en'
  const stats = await districtStatsTable(ctx, input.dimension)
  const cell = (n: number | null) => (n == null ? HIDDEN_MARK : n)
  const colLabel = (c: string) =>
    t(input.dimension === 'risk_level' ? `risk.${c}` : input.dimension === 'category' ? `categories.${c}` : `case.status_${c}`)
  const headers = [t('fields.code'), t('fields.school'), ...stats.columns.map(colLabel), ...(stats.additive ? [t('district.total')] : [])]
  const rows = [
    ...stats.rows.map((r) => [
      r.schoolCode,
      en ? (r.schoolNameEn ?? r.schoolName) : r.schoolName,
      ...r.cells.map(cell),
      ...(stats.additive ? [cell(r.total)] : []),
    ]),
    ['', t('stats.columnTotals'), ...stats.columnTotals.map(cell), ...(stats.additive ? [cell(stats.total)] : [])],
  ]
  return deliverTable(ctx, {
    format: input.format,
    locale: input.locale,
    table: 'caseStats',
    sheet: t('exports.sheet.caseStats'),
    scope: [{ label: t('exports.filters.asOf'), value: shanghaiDate(ctx.now()) }],
    filters: [{ label: t('exports.filters.dimension'), value: t(STATS_DIMENSION_LABEL[input.dimension]) }],
    headers,
    rows,
    notes: [
      t(`stats.population.${stats.population}`),
      t('stats.suppressionNote', { threshold: stats.threshold, below: stats.threshold - 1 }),
    ],
    detail: `dimension:${input.dimension},rows:${stats.rows.length}`,
  })
}
