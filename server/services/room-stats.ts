import { DISTRICT_AUDIENCE } from '../../shared/disclosure'
import { VISIT_KINDS } from '../../shared/room-ops'
import { appointmentCounts, groupSessionCounts, visitCounts } from '../repositories/room-ops'
import { addDays, localInstant, mondayOf, openHoursBetween, utilisation } from '../rules/room-rota'
import { combine, publishedTable, tableSpec, type ReleaseConstraint, type TableSpec } from '../rules/disclosure'
import { appendAudit } from './audit'
import { requireActor, type ServiceContext } from './context'
import { release } from './disclosure'
import { loadDistrictSettings } from './district-settings'
import { loadRota, rotaHoursOfSchools } from './room-rota'
import { ownSchoolId } from './school-scope'

/**
 * The room's figures. Counts of visits and no-shows are counts of people: for the school admin and the
 * bureau they are released through the disclosure module (hidden = null); hours are the rota's and
 * shown as they are. Counsellors, who keep the log, see their own school's counts unsuppressed.
 */
const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100

export async function schoolRoomStats(ctx: ServiceContext, input: { from: string; to: string }) {
  const actor = requireActor(ctx)
  const schoolId = ownSchoolId(ctx)
  const weeks: string[] = []
  for (let m = mondayOf(input.from); m <= input.to && weeks.length < 60; m = addDays(m, 7)) weeks.push(m)
  const [visits, appts, { rota, closures }] = await Promise.all([
    visitCounts(ctx.db, [schoolId], input.from, input.to),
    appointmentCounts(ctx.db, [schoolId], localInstant(input.from, 0), localInstant(addDays(input.to, 1), 0)),
    loadRota(ctx.db, schoolId),
  ])
  const cells = weeks.map(() => VISIT_KINDS.map(() => 0))
  for (const v of visits) {
    const i = weeks.indexOf(mondayOf(v.occurred_on))
    const j = VISIT_KINDS.indexOf(v.kind)
    if (i >= 0 && j >= 0) cells[i]![j]! += Number(v.n)
  }
  const noShows = appts.filter((a) => a.status === 'no_show').length
  const booked = hours(appts.reduce((s, a) => s + (Date.parse(a.ends_at!) - Date.parse(a.starts_at!)), 0))
  const open = openHoursBetween(rota, closures, input.from, input.to)
  const table: TableSpec = {
    name: 'visits',
    cells,
    id: (i, j) =>
      ['room-visits', `school:${schoolId}`, i != null ? `week:${weeks[i]}` : 'weeks', j != null ? `kind:${VISIT_KINDS[j]}` : 'kinds'].join(
        '|',
      ),
  }
  const noShowId = `room-no-shows|school:${schoolId}|${input.from}..${input.to}`
  let visitTable: { cells: (number | null)[][]; colTotals: (number | null)[]; total: number | null }
  let noShowCount: number | null = noShows
  if (actor.role === 'counsellor') {
    visitTable = {
      cells,
      colTotals: VISIT_KINDS.map((_, j) => cells.reduce((s, r) => s + r[j]!, 0)),
      total: cells.flat().reduce((a, b) => a + b, 0),
    }
  } else {
    const released = await release(ctx, ctx.db, {
      audience: `school:${schoolId}`,
      key: `room-stats:${input.from}:${input.to}`,
      spec: combine(tableSpec(table), { entries: [{ id: noShowId, value: noShows }], constraints: [] }),
    })
    const t = publishedTable(released.decision, table)
    visitTable = { cells: t.cells, colTotals: t.colTotals, total: t.total }
    noShowCount = released.decision.published.get(noShowId) ?? null
  }
  await appendAudit(ctx.db, ctx, { action: 'room.stats_read', outcome: 'ok', entityType: 'counselling_room', entityId: schoolId, schoolId })
  return {
    weeks,
    kinds: VISIT_KINDS,
    visits: visitTable,
    noShows: noShowCount,
    bookedHours: booked,
    openHours: open,
    utilisation: utilisation(booked, open),
  }
}

/**
 * The bureau's table: per school and street, visits by kind and group sessions held in the period
 * (released together, streets tied to their schools), and open hours against the standard.
 */
export async function districtRoomStats(ctx: ServiceContext, input: { from: string; to: string }) {
  requireActor(ctx)
  const schools = await ctx.db
    .selectFrom('school')
    .innerJoin('street', 'street.id', 'school.street_id')
    .select([
      'school.id',
      'school.name',
      'school.name_en',
      'school.code',
      'street.id as street_id',
      'street.name_zh',
      'street.name_en as street_en',
    ])
    .where('school.disabled_at', 'is', null)
    .orderBy('street.sort_order')
    .orderBy('school.code')
    .execute()
  const ids = schools.map((s) => s.id)
  const [visits, groups, rotaHours, settings, typed] = await Promise.all([
    visitCounts(ctx.db, ids, input.from, input.to),
    groupSessionCounts(ctx.db, ids, input.from, input.to),
    rotaHoursOfSchools(ctx.db, ids),
    loadDistrictSettings(ctx.db),
    typedHours(ctx, ids),
  ])
  const index = new Map(schools.map((s, i) => [s.id, i]))
  const streets = [...new Map(schools.map((s) => [s.street_id, { id: s.street_id, nameZh: s.name_zh, nameEn: s.street_en }])).values()]
  const cols = [...VISIT_KINDS, 'group_sessions'] as const
  const cells = schools.map(() => cols.map(() => 0))
  for (const v of visits) {
    const i = index.get(v.school_id)
    const j = VISIT_KINDS.indexOf(v.kind)
    if (i != null && j >= 0) cells[i]![j]! += Number(v.n)
  }
  for (const g of groups) {
    const i = index.get(g.school_id)
    if (i != null) cells[i]![cols.length - 1]! += Number(g.n)
  }
  const streetCells = streets.map((st) =>
    cols.map((_, j) => schools.reduce((sum, s, i) => sum + (s.street_id === st.id ? cells[i]![j]! : 0), 0)),
  )
  const period = `${input.from}..${input.to}`
  const schoolTable: TableSpec = {
    name: 'school',
    cells,
    rowTotals: false,
    id: (i, j) => ['room', period, i != null ? `school:${schools[i]!.id}` : 'all', j != null ? `col:${cols[j]}` : 'cols'].join('|'),
  }
  const streetTable: TableSpec = {
    name: 'street',
    cells: streetCells,
    rowTotals: false,
    id: (i, j) => ['room', period, i != null ? `street:${streets[i]!.id}` : 'streets', j != null ? `col:${cols[j]}` : 'cols'].join('|'),
  }
  // A street's cell is the sum of its schools' cells; the two tables' column totals are one figure.
  const links: ReleaseConstraint[] = [
    ...streets.flatMap((st, k) =>
      cols.map((_, j) => ({
        parts: schools.flatMap((s, i) => (s.street_id === st.id ? [schoolTable.id!(i, j)] : [])),
        total: streetTable.id!(k, j),
      })),
    ),
    ...cols.map((_, j) => ({ parts: [streetTable.id!(null, j)], total: schoolTable.id!(null, j) })),
  ]
  const released = await release(ctx, ctx.db, {
    audience: DISTRICT_AUDIENCE,
    key: `room-operations:${period}`,
    spec: combine(tableSpec(schoolTable), tableSpec(streetTable), { entries: [], constraints: links }),
  })
  const bySchool = publishedTable(released.decision, schoolTable)
  const byStreet = publishedTable(released.decision, streetTable)
  await appendAudit(ctx.db, ctx, {
    action: 'room.district_stats',
    outcome: 'ok',
    entityType: 'counselling_room',
    detail: `rows:${schools.length}`,
  })
  return {
    columns: cols,
    minHours: settings.rooms.minOpenHoursPerWeek,
    threshold: released.decision.threshold,
    schools: schools.map((s, i) => {
      const fromRota = rotaHours.get(s.id)
      const h = fromRota ?? typed.get(s.id) ?? null
      return {
        id: s.id,
        name: s.name,
        nameEn: s.name_en,
        streetId: s.street_id,
        cells: bySchool.cells[i]!,
        weeklyHours: h,
        hoursSource: fromRota != null ? ('rota' as const) : h != null ? ('typed' as const) : null,
        meetsHours: h != null && h >= settings.rooms.minOpenHoursPerWeek,
      }
    }),
    streets: streets.map((st, k) => ({ ...st, cells: byStreet.cells[k]! })),
    totals: bySchool.colTotals,
  }
}

/** The weekly hours typed in each school's latest room record (where no rota exists). */
async function typedHours(ctx: ServiceContext, schoolIds: readonly number[]): Promise<Map<number, number>> {
  if (!schoolIds.length) return new Map()
  const rows = await ctx.db
    .selectFrom('counselling_room')
    .innerJoin('school_year', 'school_year.id', 'counselling_room.school_year_id')
    .select(['counselling_room.school_id', 'counselling_room.weekly_open_hours', 'counselling_room.is_set_up', 'school_year.starts_on'])
    .where('counselling_room.school_id', 'in', [...schoolIds])
    .orderBy('school_year.starts_on')
    .execute()
  const out = new Map<number, number>()
  for (const r of rows) out.set(r.school_id, r.is_set_up ? Number(r.weekly_open_hours) : 0)
  return out
}
