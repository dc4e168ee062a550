import { rotaHoursOfSchools } from './room-rota'
import type { SchoolType } from '../../shared/roles'
import { isK12, ROOM_REASONS, type DashboardFlag, type RoomFlag, type RoomReason } from '../../shared/staffing'
import { storedOptionalAreas, type RoomDashboardInput, type StaffingDashboardInput } from '../../shared/staffing-schemas'
import { findCurrentSchoolYear, findSchoolYear, listSchoolYears } from '../repositories/school-year'
import { listStreets } from '../repositories/school'
import { expiringCertificates, roomDetails, roomsBySchool, staffingBySchool, type DistrictFilter } from '../repositories/staffing'
import { addDays, rate, referenceDate, roomStandard, roomTargetFor, schoolStaffing } from '../rules/staffing'
import { requireActor, type ServiceContext } from './context'
import { loadDistrictSettings, type DistrictSettings } from './district-settings'
import { today } from './school-scope'
import { parseStored } from './stored-json'
import { notFound } from './errors'

export interface YearRef {
  id: number
  label: string
  startsOn: string
  endsOn: string
}

export async function dashboardYear(ctx: ServiceContext, schoolYearId: number | undefined): Promise<YearRef> {
  const row = schoolYearId ? await findSchoolYear(ctx.db, schoolYearId) : await findCurrentSchoolYear(ctx.db)
  if (!row) throw notFound()
  return { id: row.id, label: row.label, startsOn: row.starts_on, endsOn: row.ends_on }
}

const num = (v: unknown) => (v == null ? 0 : Number(v))

// ── staffing ─────────────────────────────────────────────────────────────────────────────────

export async function staffingRows(ctx: ServiceContext, year: YearRef, f: DistrictFilter, settings: DistrictSettings) {
  const actor = requireActor(ctx)
  const refDate = referenceDate(year, today(ctx))
  const rows = await staffingBySchool(ctx.db, actor.scope, f, {
    schoolYearId: year.id,
    refDate,
    trainingHours: settings.staffing.trainingHoursPerYear,
    warnUntil: addDays(refDate, settings.staffing.certificateWarningDays),
  })
  return {
    refDate,
    rows: rows.map((r) => {
      const posts = { fullTime: num(r.full_time), partTime: num(r.part_time), purchased: num(r.purchased) }
      const students = r.students == null ? null : Number(r.students)
      return {
        schoolId: r.id,
        code: r.code,
        name: r.name,
        nameEn: r.name_en,
        type: r.type as SchoolType,
        streetId: r.street_id,
        streetNameZh: r.street_name_zh,
        streetNameEn: r.street_name_en,
        streetSort: Number(r.street_sort),
        students,
        classes: r.classes == null ? null : Number(r.classes),
        ...posts,
        ...schoolStaffing(r.type as SchoolType, students, posts, settings.staffing),
        trainingBelow: num(r.training_below),
        expiring: num(r.expiring),
      }
    }),
  }
}
export type StaffingRow = Awaited<ReturnType<typeof staffingRows>>['rows'][number]

function emptyStaffingTotals() {
  return {
    schools: 0,
    reporting: 0,
    students: 0,
    required: 0,
    counted: 0,
    fullTime: 0,
    partTime: 0,
    purchased: 0,
    shortfall: 0,
    shortSchools: 0,
    noTeacher: 0,
    trainingBelow: 0,
    expiring: 0,
  }
}
type StaffingTotals = ReturnType<typeof emptyStaffingTotals>

function addStaffing(t: StaffingTotals, r: StaffingRow): void {
  t.schools++
  if (r.students != null) {
    t.reporting++
    t.students += r.students
  }
  t.required += r.required ?? 0
  t.counted += r.counted
  t.fullTime += r.fullTime
  t.partTime += r.partTime
  t.purchased += r.purchased
  // A surplus in one school never covers another school's gap.
  t.shortfall += r.shortfall ?? 0
  if ((r.shortfall ?? 0) > 0) t.shortSchools++
  if (r.noTeacher) t.noTeacher++
  t.trainingBelow += r.trainingBelow
  t.expiring += r.expiring
}

export function summariseStaffing(rows: readonly StaffingRow[]) {
  const totals = emptyStaffingTotals()
  const byStreet = new Map<number, StaffingTotals & { streetId: number; nameZh: string; nameEn: string; sort: number }>()
  const byType = new Map<SchoolType, StaffingTotals & { type: SchoolType }>()
  for (const r of rows) {
    addStaffing(totals, r)
    let s = byStreet.get(r.streetId)
    if (!s)
      byStreet.set(
        r.streetId,
        (s = { ...emptyStaffingTotals(), streetId: r.streetId, nameZh: r.streetNameZh, nameEn: r.streetNameEn, sort: r.streetSort }),
      )
    addStaffing(s, r)
    let ty = byType.get(r.type)
    if (!ty) byType.set(r.type, (ty = { ...emptyStaffingTotals(), type: r.type }))
    addStaffing(ty, r)
  }
  return { totals, byStreet: [...byStreet.values()].sort((a, b) => a.sort - b.sort), byType: [...byType.values()] }
}

export function matchesStaffingFlag(r: StaffingRow, flag: DashboardFlag | undefined): boolean {
  switch (flag) {
    case undefined:
      return true
    case 'shortfall':
      return (r.shortfall ?? 0) > 0
    case 'noTeacher':
      return r.noTeacher
    case 'trainingBelow':
      return r.trainingBelow > 0
    case 'expiring':
      return r.expiring > 0
    case 'notReported':
      return r.students == null
  }
}

type Cmp<T> = (a: T, b: T) => number
/** Nulls last in either direction, then a stable tiebreak by street and name. */
function byKey<T>(get: (r: T) => number | string | null, order: 'asc' | 'desc'): Cmp<T> {
  const dir = order === 'asc' ? 1 : -1
  return (a, b) => {
    const x = get(a)
    const y = get(b)
    if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1
    return (x < y ? -1 : x > y ? 1 : 0) * dir
  }
}
function thenBy<T>(...cmps: Cmp<T>[]): Cmp<T> {
  return (a, b) => {
    for (const c of cmps) {
      const v = c(a, b)
      if (v) return v
    }
    return 0
  }
}

const STAFFING_SORT: Record<StaffingDashboardInput['sort'], (r: StaffingRow) => number | string | null> = {
  street: (r) => r.streetSort,
  name: (r) => r.name,
  students: (r) => r.students,
  required: (r) => r.required,
  counted: (r) => r.counted,
  shortfall: (r) => r.shortfall,
  partTime: (r) => r.partTime,
  purchased: (r) => r.purchased,
  trainingBelow: (r) => r.trainingBelow,
}

export function filterStaffing(rows: readonly StaffingRow[], input: Pick<StaffingDashboardInput, 'flag' | 'sort' | 'order'>) {
  return rows
    .filter((r) => matchesStaffingFlag(r, input.flag))
    .sort(
      thenBy(
        byKey(STAFFING_SORT[input.sort], input.order),
        byKey<StaffingRow>((r) => r.streetSort, 'asc'),
        byKey<StaffingRow>((r) => r.name, 'asc'),
      ),
    )
}

/** The bureau's staffing dashboard: district totals, by street and type, and one page of the school table. */
export async function staffingDashboard(ctx: ServiceContext, input: StaffingDashboardInput) {
  const settings = await loadDistrictSettings(ctx.db)
  const year = await dashboardYear(ctx, input.schoolYearId)
  const f = { streetId: input.streetId, type: input.type }
  const { refDate, rows } = await staffingRows(ctx, year, f, settings)
  const listed = filterStaffing(rows, input)
  return {
    year,
    refDate,
    today: today(ctx),
    settings: settings.staffing,
    ...summariseStaffing(rows),
    total: listed.length,
    rows: listed.slice((input.page - 1) * input.pageSize, input.page * input.pageSize),
  }
}

/**
 * Certificates of the staff in post on the year's reference date (its last day, or today for the
 * current year) that have lapsed or lapse within the warning window: exactly what the figure counts.
 */
export async function expiringCertificatesService(
  ctx: ServiceContext,
  input: { schoolYearId?: number; streetId?: number; type?: SchoolType },
) {
  const actor = requireActor(ctx)
  const settings = await loadDistrictSettings(ctx.db)
  const year = await dashboardYear(ctx, input.schoolYearId)
  const refDate = referenceDate(year, today(ctx))
  const rows = await expiringCertificates(ctx.db, actor.scope, input, refDate, addDays(refDate, settings.staffing.certificateWarningDays))
  return {
    year,
    refDate,
    warningDays: settings.staffing.certificateWarningDays,
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name,
      expiresOn: r.expires_on,
      expired: r.expires_on != null && r.expires_on < refDate,
      staffId: r.staff_id,
      staffName: r.staff_name,
      employment: r.employment,
      schoolId: r.school_id,
      schoolName: r.school_name,
      schoolNameEn: r.school_name_en,
      schoolCode: r.school_code,
      streetNameZh: r.street_name_zh,
      streetNameEn: r.street_name_en,
    })),
  }
}

// ── rooms ────────────────────────────────────────────────────────────────────────────────────

/** Every school's room facts and standard for the year: enough for figures, flags and sorting. */
export async function roomRows(ctx: ServiceContext, year: YearRef, f: DistrictFilter, settings: DistrictSettings) {
  const actor = requireActor(ctx)
  const rows = await roomsBySchool(ctx.db, actor.scope, f, year.startsOn)
  // Scheduled hours: a school that keeps a duty rota is judged on it, not on a typed figure.
  const rotaHours = await rotaHoursOfSchools(
    ctx.db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => {
    const fromRota = rotaHours.get(r.id)
    const room =
      r.year_label == null
        ? null
        : {
            isSetUp: !!r.is_set_up,
            setUpOn: r.set_up_on,
            individualM2: r.individual_m2 == null ? null : Number(r.individual_m2),
            groupM2: r.group_m2 == null ? null : Number(r.group_m2),
            officeM2: r.office_m2 == null ? null : Number(r.office_m2),
            hasMailbox: !!r.has_mailbox,
            weeklyOpenHours: fromRota ?? num(r.weekly_open_hours),
            hoursSource: fromRota != null ? ('rota' as const) : ('typed' as const),
          }
    return {
      schoolId: r.id,
      name: r.name,
      type: r.type as SchoolType,
      streetId: r.street_id,
      streetSort: Number(r.street_sort),
      inTarget: isK12(r.type as SchoolType),
      reported: r.year_label != null,
      inheritedFrom: r.year_label != null && r.year_label !== year.label ? r.year_label : null,
      room,
      ...roomStandard(room, settings.rooms),
    }
  })
}

/** Adds names, display name and optional areas to the rows that will be shown or exported. */
export async function withRoomDetails<T extends { schoolId: number; room: object | null }>(
  ctx: ServiceContext,
  year: YearRef,
  f: DistrictFilter,
  rows: readonly T[],
  all: boolean,
) {
  const actor = requireActor(ctx)
  const details = await roomDetails(ctx.db, actor.scope, f, year.startsOn, all ? null : rows.map((r) => r.schoolId))
  const by = new Map(details.map((d) => [d.id, d]))
  return rows.map((r) => {
    const d = by.get(r.schoolId)
    return {
      ...r,
      code: d?.code ?? '',
      nameEn: d?.name_en ?? null,
      streetNameZh: d?.street_name_zh ?? '',
      streetNameEn: d?.street_name_en ?? '',
      room: r.room
        ? {
            ...r.room,
            displayName: d?.display_name ?? null,
            optionalAreas: parseStored(storedOptionalAreas, d?.optional_areas, [], 'counselling_room.optional_areas'),
          }
        : null,
    }
  })
}
export type RoomRowOut = Awaited<ReturnType<typeof roomRows>>[number]

function emptyRoomTotals() {
  return {
    schools: 0,
    inTarget: 0,
    setUp: 0,
    notSetUp: 0,
    meets: 0,
    notReported: 0,
    reasons: Object.fromEntries(ROOM_REASONS.map((r) => [r, 0])) as Record<RoomReason, number>,
  }
}
type RoomTotals = ReturnType<typeof emptyRoomTotals>

function addRoom(t: RoomTotals, r: RoomRowOut): void {
  t.schools++
  if (!r.inTarget) return
  t.inTarget++
  if (r.room?.isSetUp) t.setUp++
  if (r.meets) t.meets++
  // A school without a record for the year is counted once, as not reported, never also as not set up.
  if (!r.reported) t.notReported++
  else if (!r.room?.isSetUp) t.notSetUp++
  for (const reason of r.reasons) if (r.reported || reason !== 'not_set_up') t.reasons[reason]++
}

function withRates<T extends RoomTotals>(t: T, target: number) {
  const needed = Math.ceil((target * t.inTarget) / 100)
  return { ...t, rate: rate(t.setUp, t.inTarget), standardRate: rate(t.meets, t.inTarget), target, toTarget: Math.max(0, needed - t.setUp) }
}

export function summariseRooms(
  rows: readonly RoomRowOut[],
  target: number,
  streets: readonly { id: number; name_zh: string; name_en: string }[],
) {
  const streetNames = new Map(streets.map((s) => [s.id, s]))
  const totals = emptyRoomTotals()
  const byStreet = new Map<number, RoomTotals & { streetId: number; nameZh: string; nameEn: string; sort: number }>()
  const byType = new Map<SchoolType, RoomTotals & { type: SchoolType }>()
  for (const r of rows) {
    addRoom(totals, r)
    let s = byStreet.get(r.streetId)
    if (!s)
      byStreet.set(
        r.streetId,
        (s = {
          ...emptyRoomTotals(),
          streetId: r.streetId,
          nameZh: streetNames.get(r.streetId)?.name_zh ?? '',
          nameEn: streetNames.get(r.streetId)?.name_en ?? '',
          sort: r.streetSort,
        }),
      )
    addRoom(s, r)
    let ty = byType.get(r.type)
    if (!ty) byType.set(r.type, (ty = { ...emptyRoomTotals(), type: r.type }))
    addRoom(ty, r)
  }
  return {
    totals: withRates(totals, target),
    byStreet: [...byStreet.values()].sort((a, b) => a.sort - b.sort).map((s) => withRates(s, target)),
    byType: [...byType.values()].map((s) => withRates(s, target)),
  }
}

export function matchesRoomFlag(r: RoomRowOut, flag: RoomFlag | undefined): boolean {
  switch (flag) {
    case undefined:
      return true
    case 'notSetUp':
      return r.inTarget && r.reported && !r.room?.isSetUp
    // Each list holds exactly the schools its figure counts: primary and secondary schools.
    case 'belowStandard':
      return r.inTarget && !!r.room?.isSetUp && !r.meets
    case 'meetsStandard':
      return r.inTarget && r.meets
    case 'notReported':
      return r.inTarget && !r.reported
  }
}

const ROOM_SORT: Record<RoomDashboardInput['sort'], (r: RoomRowOut) => number | string | null> = {
  street: (r) => r.streetSort,
  name: (r) => r.name,
  setUpOn: (r) => r.room?.setUpOn ?? null,
  reasons: (r) => r.reasons.length,
  hours: (r) => r.room?.weeklyOpenHours ?? null,
}

export function filterRooms<T extends RoomRowOut>(rows: readonly T[], input: Pick<RoomDashboardInput, 'flag' | 'sort' | 'order'>): T[] {
  return rows
    .filter((r) => matchesRoomFlag(r, input.flag))
    .sort(
      thenBy<T>(
        byKey(ROOM_SORT[input.sort], input.order),
        byKey<T>((r) => r.streetSort, 'asc'),
        byKey<T>((r) => r.name, 'asc'),
      ),
    )
}

export async function roomDashboard(ctx: ServiceContext, input: RoomDashboardInput) {
  const settings = await loadDistrictSettings(ctx.db)
  const year = await dashboardYear(ctx, input.schoolYearId)
  const f = { streetId: input.streetId, type: input.type }
  const [rows, streets] = await Promise.all([roomRows(ctx, year, f, settings), listStreets(ctx.db)])
  const listed = filterRooms(rows, input)
  return {
    year,
    settings: settings.rooms,
    ...summariseRooms(rows, roomTargetFor(year.label, settings.rooms.targets), streets),
    total: listed.length,
    rows: await withRoomDetails(ctx, year, f, listed.slice((input.page - 1) * input.pageSize, input.page * input.pageSize), false),
  }
}

/** Year over year, for every school year that has begun: staffing and room figures against their targets. */
export async function trend(ctx: ServiceContext, input: { streetId?: number; type?: SchoolType }) {
  requireActor(ctx)
  const settings = await loadDistrictSettings(ctx.db)
  const now = today(ctx)
  const years = (await listSchoolYears(ctx.db))
    .filter((y) => y.disabled_at == null && y.starts_on <= now)
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on))
  const out = []
  for (const y of years) {
    const year = { id: y.id, label: y.label, startsOn: y.starts_on, endsOn: y.ends_on }
    const staffing = summariseStaffing((await staffingRows(ctx, year, input, settings)).rows).totals
    const rooms = summariseRooms(await roomRows(ctx, year, input, settings), roomTargetFor(year.label, settings.rooms.targets), []).totals
    out.push({
      year,
      staffing: {
        required: staffing.required,
        counted: staffing.counted,
        shortfall: staffing.shortfall,
        noTeacher: staffing.noTeacher,
        schools: staffing.schools,
        partTime: staffing.partTime,
        purchased: staffing.purchased,
      },
      rooms: {
        inTarget: rooms.inTarget,
        setUp: rooms.setUp,
        meets: rooms.meets,
        rate: rooms.rate,
        standardRate: rooms.standardRate,
        target: rooms.target,
      },
    })
  }
  return { years: out }
}
