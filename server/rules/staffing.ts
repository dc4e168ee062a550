import type { SchoolType } from '../../shared/roles'
import {
  FINAL_ROOM_TARGET,
  isK12,
  type EmploymentType,
  type RoomReason,
  type RoomSettings,
  type StaffingSettings,
} from '../../shared/staffing'

/** Full-time posts a school needs: ⌈students / ratio⌉ for primary and secondary schools, none elsewhere. */
export function requiredFullTime(type: SchoolType, students: number | null, studentsPerFullTime: number): number | null {
  if (!isK12(type)) return 0
  if (students == null) return null
  if (students <= 0) return 0
  return Math.ceil(students / studentsPerFullTime)
}

/**
 * The day a school year's staffing is judged on: today while the year runs, its last day once it is
 * over, its first day before it starts. Someone who left mid-year is not in post at the year's end.
 */
export function referenceDate(year: { startsOn: string; endsOn: string }, today: string): string {
  if (today < year.startsOn) return year.startsOn
  if (today > year.endsOn) return year.endsOn
  return today
}

/** In post on `date`: started on or before it and has not left before it (`endsOn` is the last working day). */
export function inPostOn(member: { startsOn: string; endsOn: string | null }, date: string): boolean {
  return member.startsOn <= date && (member.endsOn == null || member.endsOn >= date)
}

export interface PostCounts {
  fullTime: number
  partTime: number
  purchased: number
}

export function countPosts(
  members: readonly { employment: EmploymentType; startsOn: string; endsOn: string | null }[],
  date: string,
): PostCounts {
  const c: PostCounts = { fullTime: 0, partTime: 0, purchased: 0 }
  for (const m of members) {
    if (!inPostOn(m, date)) continue
    if (m.employment === 'full_time') c.fullTime++
    else if (m.employment === 'part_time') c.partTime++
    else c.purchased++
  }
  return c
}

export interface SchoolStaffing {
  /** null while the year's enrolment has not been reported */
  required: number | null
  /** full-time plus purchased posts: what counts toward the ratio */
  counted: number
  shortfall: number | null
  /** no psychology teacher (or, for preschool and special schools, no mental-health worker) of any kind */
  noTeacher: boolean
  meetsRatio: boolean | null
}

export function schoolStaffing(
  type: SchoolType,
  students: number | null,
  posts: PostCounts,
  settings: Pick<StaffingSettings, 'studentsPerFullTime'>,
): SchoolStaffing {
  const required = requiredFullTime(type, students, settings.studentsPerFullTime)
  const counted = posts.fullTime + posts.purchased
  const shortfall = required == null ? null : Math.max(0, required - counted)
  return {
    required,
    counted,
    shortfall,
    noTeacher: counted + posts.partTime === 0,
    meetsRatio: shortfall == null ? null : shortfall === 0,
  }
}

export type CertificateState = 'valid' | 'expiring' | 'expired' | 'permanent'

/** A certificate without an expiry date never lapses; one expiring within the warning window is flagged. */
export function certificateState(expiresOn: string | null, today: string, warningDays: number): CertificateState {
  if (expiresOn == null) return 'permanent'
  if (expiresOn < today) return 'expired'
  return expiresOn <= addDays(today, warningDays) ? 'expiring' : 'valid'
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export function trainingMet(hours: number, settings: Pick<StaffingSettings, 'trainingHoursPerYear'>): boolean {
  return hours >= settings.trainingHoursPerYear
}

export interface RoomFacts {
  isSetUp: boolean
  individualM2: number | null
  groupM2: number | null
  officeM2: number | null
  hasMailbox: boolean
  weeklyOpenHours: number
}

/**
 * Whether a room meets the district standard, and every reason it does not. A required area is
 * present when it has a size recorded; it must also reach the district's minimum size.
 */
export function roomStandard(room: RoomFacts | null, settings: Omit<RoomSettings, 'targets'>): { meets: boolean; reasons: RoomReason[] } {
  if (!room || !room.isSetUp) return { meets: false, reasons: ['not_set_up'] }
  const reasons: RoomReason[] = []
  const areaCheck = (size: number | null, min: number, missing: RoomReason, small: RoomReason) => {
    if (size == null || size <= 0) reasons.push(missing)
    else if (size < min) reasons.push(small)
  }
  areaCheck(room.individualM2, settings.minIndividualM2, 'missing_individual', 'small_individual')
  areaCheck(room.groupM2, settings.minGroupM2, 'missing_group', 'small_group')
  areaCheck(room.officeM2, settings.minOfficeM2, 'missing_office', 'small_office')
  if (settings.requireMailbox && !room.hasMailbox) reasons.push('no_mailbox')
  if (room.weeklyOpenHours < settings.minOpenHoursPerWeek) reasons.push('few_hours')
  return { meets: reasons.length === 0, reasons }
}

/** A year's setup-rate target: its own, else the latest earlier year's, else the plan's end state. */
export function roomTargetFor(yearLabel: string, targets: RoomSettings['targets']): number {
  let best: { year: string; percent: number } | null = null
  for (const t of targets) {
    if (t.year <= yearLabel && (!best || t.year > best.year)) best = t
  }
  return best ? best.percent : FINAL_ROOM_TARGET
}

/** A share as a percentage with one decimal; null when there is nothing to divide by. */
export function rate(part: number, whole: number): number | null {
  if (whole <= 0) return null
  return Math.round((part / whole) * 1000) / 10
}
